from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.campaigns.models import ACTIVITY_FIELDS, NUMBER_FIELDS, NUMBER_MAXIMA
from taizhang.ledger.models import LecturerRole, Venue, VenueKind, VenueTier
from taizhang.orgs.forms import OrgCodeField, PersonCodeField, ScopedForm, unique_code

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(ScopedForm):
    """The form shows the base fields and only the fields the kind records."""

    org = OrgCodeField(label=_("Organisation (code)"))
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(
        label=_("End date"), widget=DATE, required=False, help_text=_("Empty: the same day.")
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in kind.field_names():
            self.fields[name] = self._field(name)
        self.fields["note"] = forms.CharField(
            label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def _field(self, name):
        kind, user = self.kind, self.user
        label = ACTIVITY_FIELDS[name]
        required = kind.requires(name) and name != "count"
        if name == "count":
            return forms.IntegerField(
                label=_("Count (%(unit)s)") % {"unit": kind.unit},
                min_value=1,
                max_value=NUMBER_MAXIMA["count"],
                initial=1,
                help_text=_("One row may stand for several, e.g. a month's lectures."),
            )
        if name in NUMBER_FIELDS:
            return forms.IntegerField(
                label=label, min_value=0, max_value=NUMBER_MAXIMA[name], required=required
            )
        if name == "venue":
            venues = Venue.objects.visible_to(user).filter(
                active=True, kind__in=[VenueKind.RED_BASE, VenueKind.LECTURE_HALL]
            )
            return forms.ModelChoiceField(
                label=label, queryset=venues.order_by("kind", "tier", "code"), required=required
            )
        if name == "visited_org":
            field = OrgCodeField(label=_("Visited organisation (code)"), required=required)
            field.user = user
            return field
        if name == "leader":
            field = PersonCodeField(label=_("Leading cadre (person number)"), required=required)
            field.user = user
            return field
        if name == "lecturer_role":
            return forms.ChoiceField(
                label=label, choices=[("", "—")] + LecturerRole.choices, required=required
            )
        return forms.CharField(label=label, max_length=200, required=required)

    def values(self):
        data = dict(self.cleaned_data)
        data.pop("org", None)
        return data


class VenueForm(ScopedForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    tier = forms.ChoiceField(label=_("Tier"), choices=VenueTier.choices)
    owner = OrgCodeField(label=_("Owning organisation (code)"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_code(self):
        return unique_code(
            Venue, self.cleaned_data["code"], self.instance, _("This code is already in use.")
        )
