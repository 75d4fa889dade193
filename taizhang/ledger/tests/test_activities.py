"""Recording work: the kind's field rules, dates, batches and scope hold for every write,
and every write is in the history."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.models import Change
from taizhang.audit.services import Actor
from taizhang.ledger import services
from taizhang.ledger.models import Activity
from taizhang.testing import LedgerTestCase

SEPT = datetime.date(2019, 9, 10)


class ActivityRuleTests(LedgerTestCase):
    def create(self, user=None, kind="party_lecture", org=None, **values):
        values.setdefault("starts_on", SEPT)
        if kind == "party_lecture":
            values.setdefault("lecturer_role", "member")
        return services.create_activity(
            Actor.web(user or self.bob), kind=self.kinds[kind], org=org or self.xinlian, **values
        )

    def assertRefused(self, field, fragment="", **kwargs):
        before = (Activity.objects.count(), Change.objects.count())
        with self.assertRaises(ValidationError) as caught:
            self.create(**kwargs)
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(fragment, " ".join(caught.exception.message_dict[field]))
        self.assertEqual((Activity.objects.count(), Change.objects.count()), before)

    def test_a_clerk_records_a_lecture_with_its_batch_and_history(self):
        activity = self.create(title="十月党课", count=3, participants=40)
        self.assertEqual(activity.batch.number, 2)
        self.assertEqual(activity.ends_on, SEPT)
        self.assertEqual(activity.recorded_by, self.bob)
        change = Change.objects.get(model="ledger.activity", object_id=str(activity.pk))
        self.assertEqual(change.after["count"], 3)
        self.assertEqual(change.actor, self.bob)

    def test_a_kind_refuses_fields_it_does_not_record(self):
        self.assertRefused("households", "", households=3)
        self.assertRefused("venue", "", venue=self.base)

    def test_required_fields_are_required(self):
        self.assertRefused("lecturer_role", "", lecturer_role="")
        self.assertRefused("person_times", "", kind="roots_trip")

    def test_counts_are_whole_and_not_negative(self):
        self.assertRefused("participants", "", participants=-1)
        self.assertRefused("count", "", count=0)
        self.assertRefused("participants", "", participants="12")

    def test_dates_lie_inside_the_campaign_and_in_order(self):
        self.assertRefused("starts_on", "", starts_on=datetime.date(2019, 5, 31))
        self.assertRefused("ends_on", "", ends_on=datetime.date(2020, 2, 1))
        self.assertRefused("ends_on", "", ends_on=datetime.date(2019, 9, 1))

    def test_the_org_must_take_part_in_the_batch_of_those_dates(self):
        # Villages are in the second batch only (from September).
        self.assertRefused("starts_on", "第二批", starts_on=datetime.date(2019, 7, 1))
        self.create(org=self.haishu, starts_on=datetime.date(2019, 7, 1), lecturer_role="leader")

    def test_the_org_must_be_of_a_kind_the_activity_is_for(self):
        self.assertRefused("org", "", kind="gap_meeting", org=self.xinlian)

    def test_nobody_records_outside_their_scope(self):
        self.assertRefused("org", "", user=self.carol)
        self.assertRefused(
            "venue", "", kind="roots_trip", person_times=30, venue=self.jiangbei_base
        )
        with self.assertRaises(PermissionDenied):
            self.create(user=self.dave)

    def test_a_village_may_visit_the_citys_red_base(self):
        trip = self.create(kind="roots_trip", person_times=30, venue=self.base)
        self.assertEqual(self.base.visits.get(), trip)

    def test_edit_move_and_delete_are_kept_in_the_history(self):
        activity = self.create()
        services.update_activity(Actor.web(self.bob), activity, participants=50)
        services.update_activity(Actor.web(self.bob), activity, org=self.branch)
        activity.refresh_from_db()
        self.assertEqual((activity.org, activity.participants), (self.branch, 50))
        actions = list(
            Change.objects.filter(model="ledger.activity", object_id=str(activity.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
        self.assertEqual(actions, ["create", "update", "move"])
        with self.assertRaises(PermissionDenied):
            services.delete_activity(Actor.web(self.carol), activity)
        pk = activity.pk
        services.delete_activity(Actor.web(self.bob), activity)
        self.assertFalse(Activity.objects.filter(pk=pk).exists())
        deleted = Change.objects.get(model="ledger.activity", object_id=str(pk), action="delete")
        self.assertEqual(deleted.before["participants"], 50)

    def test_an_edit_cannot_move_a_record_out_of_scope(self):
        activity = self.create()
        with self.assertRaises(ValidationError):
            services.update_activity(Actor.web(self.bob), activity, org=self.wangjia)
        activity.refresh_from_db()
        self.assertEqual(activity.org, self.xinlian)
