from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.forms import DATE
from taizhang.orgs.forms import MultipleFileField, OrgCodeField, ScopedForm


class ReadForm(ScopedForm):
    org = OrgCodeField(
        label=_("Speaks for (code)"),
        required=False,
        help_text=_("Leave empty to take the organisation named at the top of the report."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    text = forms.CharField(
        label=_("Paste the report"),
        required=False,
        max_length=2_000_000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    files = MultipleFileField(
        label=_("Or upload files"),
        required=False,
        help_text=_(
            ".txt (UTF-8 or GBK), .docx, .pdf with text, a saved web page (.html), or a .zip of them."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("files"):
            raise forms.ValidationError(_("Paste a report's text or upload its files."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data


class OrgChoiceForm(ScopedForm):
    org = OrgCodeField(label=_("Speaks for (code)"))
