"""A lagging village's turnaround: identified → being rectified → rectified → verified, one
dated step at a time, and counted by district."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from taizhang.audit.services import Actor
from taizhang.research import services, summaries
from taizhang.research.models import Rectification, RectificationState
from taizhang.testing import LedgerTestCase

D = datetime.date


class RectificationTests(LedgerTestCase):
    def flag(self, village=None, actor=None, **fields):
        return services.identify_lagging_village(
            actor or Actor.web(self.bob),
            campaign=self.campaign,
            village=village or self.xinlian,
            reason=fields.pop("reason", "班子软弱涣散"),
            on=D(2019, 9, 10),
            **fields,
        )

    def test_a_village_goes_through_each_step_dated_and_signed(self):
        bob = Actor.web(self.bob)
        rectification = self.flag()
        with self.assertRaises(ValidationError):
            services.advance_rectification(bob, rectification, on=D(2019, 9, 12))  # no plan
        services.advance_rectification(bob, rectification, plan="调整村两委班子", on=D(2019, 9, 15))
        services.advance_rectification(bob, rectification, on=D(2019, 12, 1))
        services.advance_rectification(Actor.web(self.hank), rectification, on=D(2019, 12, 20))
        rectification.refresh_from_db()
        self.assertEqual(rectification.state, RectificationState.VERIFIED)
        self.assertEqual(
            (rectification.started_on, rectification.rectified_on, rectification.verified_on),
            (D(2019, 9, 15), D(2019, 12, 1), D(2019, 12, 20)),
        )
        self.assertEqual(rectification.verified_by, "hank")
        with self.assertRaises(ValidationError):
            services.advance_rectification(bob, rectification)

    def test_a_step_cannot_be_dated_before_the_last(self):
        rectification = self.flag(plan="整顿")
        with self.assertRaises(ValidationError):
            services.advance_rectification(Actor.web(self.bob), rectification, on=D(2019, 9, 1))
        self.assertEqual(
            Rectification.objects.get(pk=rectification.pk).state, RectificationState.IDENTIFIED
        )

    def test_only_villages_and_communities_once_per_campaign_with_a_reason(self):
        with self.assertRaises(ValidationError):
            self.flag(village=self.shiqi)
        with self.assertRaises(ValidationError):
            self.flag(reason=" ")
        self.flag()
        with self.assertRaises(ValidationError):
            self.flag()
        self.assertEqual(Rectification.objects.count(), 1)

    def test_viewers_and_outsiders_may_not_write(self):
        with self.assertRaises(PermissionDenied):
            self.flag(actor=Actor.web(self.vera))
        with self.assertRaises(PermissionDenied):
            self.flag(actor=Actor.web(self.carol))
        self.assertFalse(Rectification.objects.exists())

    def test_counts_by_district(self):
        bob, carol = Actor.web(self.bob), Actor.web(self.carol)
        done = self.flag(plan="整顿")
        for _step in range(2):
            services.advance_rectification(bob, done, on=D(2019, 11, 1))
        self.flag(village=self.wangjia, actor=carol)
        rows = summaries.rectifications_by_child(self.city, self.campaign)
        self.assertEqual([child.name for child, _c in rows], ["海曙区", "江北区"])
        self.assertEqual(rows[0][1][RectificationState.RECTIFIED], 1)
        self.assertEqual(rows[1][1][RectificationState.IDENTIFIED], 1)
        self.assertEqual(
            [r.village.name for r in Rectification.objects.visible_to(self.dave)], ["新联村"]
        )
