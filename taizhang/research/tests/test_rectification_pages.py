"""Lagging-village pages: a clerk takes a village through its steps."""

import datetime

from django.urls import reverse

from taizhang.research.models import (
    RectificationState,
)
from taizhang.testing import WorkTestCase

D = datetime.date


class RectificationPagesTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_a_clerk_takes_a_lagging_village_through_its_steps(self):
        self.client.force_login(self.bob)
        url = reverse("research:rectification-advance", args=[self.rectification.pk])
        self.client.post(url, {"on": "2019-09-10"})  # refused: no plan
        self.rectification.refresh_from_db()
        self.assertEqual(self.rectification.state, RectificationState.IDENTIFIED)
        self.client.post(url, {"on": "2019-09-10", "plan": "选派第一书记"})
        self.client.post(url, {"on": "2019-11-10"})
        self.rectification.refresh_from_db()
        self.assertEqual(self.rectification.state, RectificationState.RECTIFIED)
        page = self.get(self.bob, "research:rectifications")
        self.assertContains(page, "石碶街道")  # counts by child of 海曙
