"""The reader over a bulletin draft: with one number typed by hand, that number is flagged
and nothing else (its slots, 各地动态 and role models' stories are traced to records)."""

from django.urls import reverse

from taizhang.bulletins import services
from taizhang.bulletins.template import load, templates_of
from taizhang.ingest.bulletin_check import hand_typed
from taizhang.stats.periods import whole
from taizhang.testing import SYSTEM, WorkTestCase


class BulletinCheckTests(WorkTestCase):
    def test_one_number_typed_by_hand_is_flagged_and_nothing_else(self):
        template = load(templates_of(self.campaign)["bulletin"])
        draft = services.generate(
            SYSTEM, template, campaign=self.campaign, org=self.haishu, period=whole(self.campaign)
        )
        self.assertTrue(draft.figures.count() >= 5)
        self.assertEqual(hand_typed(draft), [])
        text = services.editable_text(draft).replace(
            "讲授专题党课", "共走访群众1200户，讲授专题党课", 1
        )
        services.edit(SYSTEM, draft, title=draft.title, text=text)
        draft.refresh_from_db()
        typed = hand_typed(draft)
        self.assertEqual([t.text for t in typed], ["1200户"])
        self.client.force_login(self.bob)
        page = self.client.get(reverse("ingest:bulletin-check", args=[draft.pk]))
        self.assertContains(page, "1200户")
        self.client.force_login(self.carol)
        page = self.client.get(reverse("ingest:bulletin-check", args=[draft.pk]))
        self.assertEqual(page.status_code, 404)
