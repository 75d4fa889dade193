from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.forms import DATE, PersonCodeField
from taizhang.orgs.forms import OrgCodeField, ScopedForm
from taizhang.research.models import ProblemSource, ProblemState


class ProblemForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(label=_("Source"), choices=ProblemSource.choices)
    org = OrgCodeField(label=_("Organisation responsible (code)"))
    leader = PersonCodeField(label=_("Leading cadre (person number)"), required=False)
    raised_on = forms.DateField(label=_("Raised on"), widget=DATE)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    solved_on_spot = forms.BooleanField(label=_("Solved on the spot"), required=False)
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the problem was solved on the spot."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].user = self.user


class ProblemFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *ProblemState.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    leader = forms.CharField(label=_("Leading cadre"), required=False, max_length=50)
    q = forms.CharField(label=_("Title"), required=False, max_length=100)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was solved"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("Resolved on"), widget=DATE, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why it is reopened"), max_length=200)
