from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.forms import DATE
from taizhang.office.models import GroupKind
from taizhang.office.recipients import CODES, GAPS, SUBTREE
from taizhang.orgs.forms import MultipleFileField, OrgCodeField, PersonCodeField, ScopedForm
from taizhang.orgs.models import OrgKind

ITEMS_HELP = _(
    "One item per line. A line in 【】 heads the items below it, for example "
    "【五个始终】 then the five items, 【六个带头】 then the six."
)


class CommitmentForm(ScopedForm):
    org = OrgCodeField(label=_("Leadership team of (code)"))
    title = forms.CharField(label=_("Title"), max_length=200)
    published_on = forms.DateField(label=_("Published on"), widget=DATE)
    items = forms.CharField(
        label=_("Items"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=ITEMS_HELP,
    )


class EvidenceForm(forms.Form):
    record = forms.ChoiceField(label=_("Record that fulfils the item"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "—")] + choices


def codes_of(text):
    import re

    return [c for c in re.split(r"[\s,，、;；]+", text or "") if c]


class GroupForm(ScopedForm):
    org = OrgCodeField(label=_("Set up by (code)"))
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices)
    leader = PersonCodeField(label=_("Group leader (person number)"))
    members = forms.CharField(
        label=_("Members (person numbers)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by spaces, commas or new lines."),
    )
    units = forms.CharField(
        label=_("Units assigned (codes)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by spaces, commas or new lines."),
    )
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DATE)

    def _scoped(self, model, name):
        codes = codes_of(self.cleaned_data.get(name))
        found = {o.code: o for o in model.objects.visible_to(self.user).filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not found in your scope: %(codes)s") % {"codes": "、".join(unknown[:20])}
            )
        return list({found[c].pk: found[c] for c in codes}.values())

    def clean_members(self):
        from taizhang.orgs.models import Person

        return self._scoped(Person, "members")

    def clean_units(self):
        from taizhang.orgs.models import Org

        units = self._scoped(Org, "units")
        if not units:
            raise forms.ValidationError(_("Assign at least one unit."))
        return units


class VisitForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit visited"), coerce=int)
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    checked = forms.CharField(
        label=_("What was checked"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One finding per line; each can then be put on the unit's problem list."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class FindingProblemForm(ScopedForm):
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    leader = PersonCodeField(label=_("Leading cadre (person number)"), required=False)


class NoticeForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Notice text"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    deadline = forms.DateField(label=_("Reply by"), widget=DATE)
    mode = forms.ChoiceField(
        label=_("Send to"),
        widget=forms.RadioSelect,
        choices=[
            (SUBTREE, _("Organisations of some kinds in a subtree")),
            (CODES, _("A list of codes")),
            (GAPS, _("Everyone on a gap list")),
        ],
        initial=SUBTREE,
    )
    under = OrgCodeField(
        label=_("Under (code)"),
        required=False,
        help_text=_("The subtree, or the organisation whose gap list is meant; empty: yours."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        required=False,
        choices=OrgKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every organisation in the subtree."),
    )
    codes = forms.CharField(
        label=_("Codes"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Separated by spaces, commas or new lines."),
    )
    metric = forms.ChoiceField(label=_("Coverage metric"), required=False)
    period = forms.CharField(required=False, widget=forms.HiddenInput)
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, images or text; at most 5 files of 10 MB."),
    )

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—")] + [(m.code, m.name) for m in metrics]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    files = MultipleFileField(label=_("Attachments"), required=False)
