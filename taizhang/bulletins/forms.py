from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang import params
from taizhang.bulletins.models import Bulletin, BulletinState
from taizhang.bulletins.services import period_problem
from taizhang.ledger.forms import DATE
from taizhang.orgs.forms import OrgCodeField, ScopedForm
from taizhang.orgs.models import Sector
from taizhang.orgs.scope import Scope


class GenerateForm(ScopedForm):
    org = OrgCodeField(label=_("For organisation (code)"), required=False)
    sector = forms.ModelChoiceField(
        label=_("Or for a sector system"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=_("— none: the organisation above —"),
        help_text=_("A system's bulletin counts its members' work, in its department's name."),
    )
    template = forms.ChoiceField(label=_("Template"))
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)

    def __init__(self, *args, templates, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["template"].choices = [(code, code) for code in templates]
        sectors = Sector.objects.filter(Scope.of(self.user).q_own("department__path"))
        self.fields["sector"].queryset = sectors.select_related("department")
        if not sectors.exists():
            del self.fields["sector"]

    def clean(self):
        data = super().clean()
        if data.get("sector") is not None:
            data["org"] = data["sector"].department
        elif not data.get("org") and "org" not in self.errors:
            self.add_error("org", _("Name the organisation, or choose a sector system."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and (problem := period_problem(self.campaign, start, end)):
            self.add_error(*problem)
        return data


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text of the bulletin"),
        max_length=200000,
        widget=forms.Textarea(attrs={"rows": 24, "class": "bulletin-text"}),
        help_text=_(
            "A line starting with “# ” is a section heading, one starting with “## ” a "
            "sub-heading; a blank line separates paragraphs; {{…}} marks a figure, which "
            "stays linked to its records."
        ),
    )


class IssueForm(forms.Form):
    corrects = forms.ModelChoiceField(
        label=_("Corrects an earlier issue"), queryset=Bulletin.objects.none(), required=False
    )
    issued_on = forms.DateField(label=_("Date of issue"), widget=DATE)

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if not params.in_range(day):
            raise forms.ValidationError(
                _("between %(first)s and %(last)s")
                % {"first": params.FIRST_DAY, "last": params.LAST_DAY}
            )
        return day

    def __init__(self, *args, bulletin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corrects"].queryset = Bulletin.objects.filter(
            org=bulletin.org, state=BulletinState.ISSUED
        )


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Issuing office"), max_length=100)
    report_to = forms.CharField(label=_("报 (reported to)"), max_length=300, required=False)
    send_to = forms.CharField(label=_("送 (sent to)"), max_length=300, required=False)
    issue_to = forms.CharField(label=_("发 (issued to)"), max_length=300, required=False)
    copies = forms.IntegerField(label=_("Copies printed"), min_value=1, max_value=100000)
