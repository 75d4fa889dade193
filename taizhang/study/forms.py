import re

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.ledger.forms import DATE
from taizhang.orgs.forms import OrgCodeField, PersonCodeField, ScopedForm
from taizhang.orgs.models import Person


class RoleModelForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    org = OrgCodeField(label=_("Presented by (code)"))
    person = PersonCodeField(label=_("A person (person number)"), required=False)
    honoured_org = OrgCodeField(label=_("Or an organisation (code)"), required=False)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 4}))
    shared_on = forms.DateField(label=_("Shared on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = self.user


class ReadingForm(ScopedForm):
    person = PersonCodeField(label=_("Cadre (person number)"))
    reading = forms.ModelChoiceField(label=_("Title"), queryset=None)
    finished_on = forms.DateField(label=_("Finished on"), widget=DATE)
    notes = forms.CharField(
        label=_("Reading notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].user = self.user
        self.fields["reading"].queryset = campaign.readings.all()


class TraineesForm(ScopedForm):
    trainees = forms.CharField(
        label=_("Trainees (person numbers)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Person numbers separated by spaces, commas or new lines."),
    )

    def clean_trainees(self):
        codes = {c for c in re.split(r"[\s,，、;；]+", self.cleaned_data["trainees"]) if c}
        people = list(Person.objects.visible_to(self.user).filter(code__in=codes))
        unknown = sorted(codes - {p.code for p in people})
        if unknown:
            raise forms.ValidationError(
                _("No person with these numbers in your scope: %(codes)s")
                % {"codes": "、".join(unknown[:10])}
            )
        return people


class ReadingClassForm(TraineesForm):
    field_order = ["org", "number", "name", "starts_on", "ends_on", "topics", "trainees"]
    org = OrgCodeField(label=_("Organised by (code)"))
    number = forms.IntegerField(label=_("Session number"), min_value=1, max_value=99)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One topic per line, or separated by 、"),
    )

    def clean_topics(self):
        text = self.cleaned_data["topics"].replace("、", "\n")
        return [t.strip() for t in text.splitlines() if t.strip()]


SERIES = ["红色故事汇", "名师微课"]


class CourseForm(ScopedForm):
    org = OrgCodeField(label=_("Published for (code)"))
    title = forms.CharField(label=_("Title"), max_length=200)
    series = forms.CharField(
        label=_("Series"), max_length=40,
        widget=forms.TextInput(attrs={"list": "series-options"}),
        help_text=_("For example 红色故事汇 or 名师微课."),
    )  # fmt: skip
    lecturer = forms.CharField(label=_("Lecturer"), max_length=60, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    required = forms.BooleanField(label=_("Required of every member"), required=False)
    file = forms.FileField(
        label=_("Video, audio or PDF"),
        help_text=_("mp4, m4v, webm, mp3, m4a, ogg, wav or pdf; kept and served by Taizhang."),
    )


class GroupViewingForm(ScopedForm):
    org = OrgCodeField(label=_("Organisation (code)"))
    viewed_on = forms.DateField(label=_("Viewed on"), widget=DATE)
    person_times = forms.IntegerField(label=_("Person-times"), min_value=1, max_value=100_000)
