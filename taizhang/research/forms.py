from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.forms import DATE
from taizhang.orgs.forms import OrgCodeField, PersonCodeField, ScopedForm
from taizhang.orgs.models import LiaisonKind
from taizhang.research.models import RAISED_SOURCES, REPORT_PARTS, ResearchTopic


class ProblemForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[(s.value, s.label) for s in RAISED_SOURCES],
    )
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


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was solved"), widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label=_("Resolved on"), widget=DATE, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why it is reopened"), max_length=200)


class LiaisonForm(ScopedForm):
    person = PersonCodeField(label=_("Leader (person number)"))
    kind = forms.ChoiceField(label=_("Kind"), choices=LiaisonKind.choices)
    org = OrgCodeField(label=_("Organisation guided or town adopted (code)"))
    started_on = forms.DateField(label=_("Since"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = self.user


class TopicForm(ScopedForm):
    title = forms.CharField(label=_("Topic"), max_length=200)
    area = forms.ChoiceField(label=_("Focus area"))
    org = OrgCodeField(label=_("Organisation (code)"))
    leader = PersonCodeField(label=_("Leader who claims it (person number)"))
    claimed_on = forms.DateField(label=_("Claimed on"), widget=DATE)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].user = self.user
        self.fields["area"].choices = [(a, a) for a in campaign.focus_areas]


class ReportForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    org = OrgCodeField(label=_("Author organisation (code)"))
    author = PersonCodeField(label=_("Author (person number)"), required=False)
    topic = forms.ModelChoiceField(label=_("Research topic"), queryset=None, required=False)
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].user = self.user
        self.fields["topic"].queryset = ResearchTopic.objects.visible_to(self.user).filter(
            campaign=campaign
        )
        # The four parts, each required: the service names any that is missing.
        for part, label in REPORT_PARTS.items():
            self.fields[part] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )


class RectificationForm(ScopedForm):
    village = OrgCodeField(label=_("Village or community (code)"))
    reason = forms.CharField(label=_("Why it lags"), widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(
        label=_("Rectification plan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("Identified on"), widget=DATE)


class StepForm(forms.Form):
    plan = forms.CharField(
        label=_("Rectification plan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = forms.DateField(label=_("Date"), widget=DATE)
