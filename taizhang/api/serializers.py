"""What the API reads and writes. Records are named by their database id; the objects
they link to (orgs, people, venues, kinds) by their codes, as in the Excel files."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from taizhang.api.fields import Label, Number, ShownCode, ShownName
from taizhang.bulletins.models import Bulletin
from taizhang.campaigns.models import NUMBER_FIELDS, NUMBER_MAXIMA
from taizhang.ingest.models import Claim
from taizhang.ledger.models import Activity, LecturerRole, Venue
from taizhang.orgs.models import Org, Person
from taizhang.research.models import (
    RAISED_SOURCES,
    Problem,
    ResearchReport,
    ResearchTopic,
)

CODE = {"max_length": 40}


class OrgSerializer(serializers.ModelSerializer):
    kind_label = Label("kind")
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Org
        fields = ["code", "name", "short_name", "kind", "kind_label", "active", "depth", "parent"]

    def get_parent(self, org) -> str | None:
        """The parent's code; null at the top of the reader's scope."""
        parent_path = org.path[: -org.steplen]
        if not parent_path or not self.context["scope"].has_path(parent_path):
            return None
        return getattr(org, "parent_code", None)


class PersonSerializer(serializers.ModelSerializer):
    org = ShownCode()
    rank_label = Label("rank")

    class Meta:
        model = Person
        fields = [
            "code", "name", "org", "title", "rank", "rank_label", "is_party_member",
            "standing_committee", "active",
        ]  # fmt: skip


class VenueSerializer(serializers.ModelSerializer):
    owner = ShownCode()
    kind_label = Label("kind")
    tier_label = Label("tier")

    class Meta:
        model = Venue
        fields = ["code", "name", "kind", "kind_label", "tier", "tier_label", "owner", "address"]
        fields += ["active"]


class ActivitySerializer(serializers.ModelSerializer):
    org = ShownCode()
    org_name = ShownName(source="org")
    kind = serializers.CharField(source="kind.code", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    batch = serializers.IntegerField(source="batch.number", read_only=True)
    venue = ShownCode()
    visited_org = ShownCode()
    leader = ShownCode()

    class Meta:
        model = Activity
        fields = [
            "id", "org", "org_name", "kind", "kind_name", "batch", "starts_on", "ends_on",
            "title", *NUMBER_FIELDS, "venue", "visited_org", "leader", "lecturer_role",
            "topic", "note", "source", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


def _number(name):
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=NUMBER_MAXIMA[name]
    )


class ActivityWriteSerializer(serializers.Serializer):
    """An activity to record: its org, kind, venue, visited org and leader by their codes.
    The kind's rules decide which fields it takes (others are refused)."""

    org = serializers.CharField(**CODE, help_text=_("The code of the org that did the work."))
    kind = serializers.CharField(max_length=60, help_text=_("The activity kind's code."))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    count = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=NUMBER_MAXIMA["count"]
    )
    participants = _number("participants")
    person_times = _number("person_times")
    days = _number("days")
    households = _number("households")
    copies = _number("copies")
    venue = serializers.CharField(**CODE, required=False, allow_null=True, allow_blank=True)
    visited_org = serializers.CharField(**CODE, required=False, allow_null=True, allow_blank=True)
    leader = serializers.CharField(**CODE, required=False, allow_null=True, allow_blank=True)
    lecturer_role = serializers.ChoiceField(
        choices=LecturerRole.choices, required=False, allow_blank=True
    )
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ActivityUpdateSerializer(ActivityWriteSerializer):
    """A change to an activity: any of its fields but its kind."""

    kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class BulkActivitySerializer(serializers.Serializer):
    items = ActivityWriteSerializer(many=True, allow_empty=False, max_length=1000)


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class ProblemSerializer(serializers.ModelSerializer):
    org = ShownCode()
    leader = ShownCode()
    state_label = Label("state")
    source_label = Label("source")

    class Meta:
        model = Problem
        fields = [
            "id", "title", "description", "source", "source_label", "org", "leader",
            "raised_on", "deadline", "state", "state_label", "solved_on_spot", "resolution",
            "resolved_on", "resolved_by", "closed_on", "closed_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProblemWriteSerializer(serializers.Serializer):
    org = serializers.CharField(**CODE)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=[(s.value, s.label) for s in RAISED_SOURCES])
    leader = serializers.CharField(**CODE, required=False, allow_null=True, allow_blank=True)
    raised_on = serializers.DateField(required=False, allow_null=True)
    deadline = serializers.DateField()
    solved_on_spot = serializers.BooleanField(required=False, default=False)
    resolution = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField(max_length=5000)
    on = serializers.DateField(required=False, allow_null=True)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class TopicSerializer(serializers.ModelSerializer):
    org = ShownCode()
    leader = ShownCode()

    class Meta:
        model = ResearchTopic
        fields = ["id", "title", "area", "org", "leader", "claimed_on"]


class TopicWriteSerializer(serializers.Serializer):
    org = serializers.CharField(**CODE)
    leader = serializers.CharField(**CODE, help_text=_("The leading cadre's person number."))
    title = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=40, help_text=_("One of the campaign's focus areas."))
    claimed_on = serializers.DateField(required=False, allow_null=True)


class ReportWriteSerializer(serializers.Serializer):
    """A research report: all four parts are required, as on the page."""

    org = serializers.CharField(**CODE)
    title = serializers.CharField(max_length=200)
    author = serializers.CharField(**CODE, required=False, allow_null=True, allow_blank=True)
    topic = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    submitted_on = serializers.DateField(required=False, allow_null=True)
    situation = serializers.CharField(max_length=20000, allow_blank=True)
    problems = serializers.CharField(max_length=20000, allow_blank=True)
    analysis = serializers.CharField(max_length=20000, allow_blank=True)
    measures = serializers.CharField(max_length=20000, allow_blank=True)


class ReportSerializer(serializers.ModelSerializer):
    org = ShownCode()
    author = ShownCode()
    topic = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ResearchReport
        fields = [
            "id", "title", "org", "author", "topic", "submitted_on", "situation", "problems",
            "analysis", "measures",
        ]  # fmt: skip


class FigureSerializer(serializers.Serializer):
    metric = serializers.CharField(source="metric.code")
    name = serializers.CharField(source="metric.name")
    aggregate = serializers.CharField(source="metric.aggregate")
    unit = serializers.CharField()
    value = Number()
    display = serializers.CharField()
    covered = serializers.IntegerField(allow_null=True)
    eligible = serializers.IntegerField(allow_null=True)


class PeriodSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class FiguresSerializer(serializers.Serializer):
    org = serializers.CharField(source="org.code")
    campaign = serializers.CharField(source="campaign.code")
    period = PeriodSerializer()
    figures = FigureSerializer(many=True)


class PersonBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField()


class GapSerializer(serializers.Serializer):
    code = serializers.CharField(source="org.code")
    name = serializers.CharField(source="org.name")
    kind = serializers.CharField(source="org.kind")
    under = serializers.CharField()
    responsible = PersonBriefSerializer(allow_null=True)


class BulletinSerializer(serializers.ModelSerializer):
    org = ShownCode()
    state_label = Label("state")
    text = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id", "org", "template", "name", "title", "office", "starts_on", "ends_on",
            "state", "state_label", "year", "number", "issued_on", "created_at", "text",
        ]  # fmt: skip

    def get_text(self, bulletin) -> str:
        from taizhang.bulletins.text import plain

        return plain(bulletin)


class BulletinCreateSerializer(serializers.Serializer):
    org = serializers.CharField(**CODE)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    template = serializers.CharField(max_length=60, required=False)


class ClaimSerializer(serializers.ModelSerializer):
    org = ShownCode()
    report = serializers.PrimaryKeyRelatedField(read_only=True)
    value = Number()
    precision = Number()

    class Meta:
        model = Claim
        fields = [
            "id", "report", "org", "metric", "value", "unit", "approximate", "direction",
            "precision", "phrase", "sentence", "confirmed", "confidence",
        ]  # fmt: skip
