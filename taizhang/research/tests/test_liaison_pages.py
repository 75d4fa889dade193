"""Liaison pages: a manager assigns and ends liaisons; the standing committee's members are
checked for their two liaisons."""

import datetime

from django.urls import reverse

from taizhang.orgs.models import Liaison, LiaisonKind
from taizhang.testing import WorkTestCase

D = datetime.date


class LiaisonPagesTests(WorkTestCase):
    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def test_a_manager_assigns_and_ends_a_liaison(self):
        self.client.force_login(self.hank)
        response = self.client.post(
            reverse("research:liaison-create"),
            {
                "person": self.zhang.code,
                "kind": LiaisonKind.GUIDANCE,
                "org": self.shiqi.code,
                "started_on": "2019-06-01",
            },
        )
        liaison = Liaison.objects.get(kind=LiaisonKind.GUIDANCE)
        self.assertRedirects(response, reverse("research:liaison", args=[liaison.pk]))
        refused = self.client.post(
            reverse("research:liaison-create"),
            {
                "person": self.zhang.code,
                "kind": LiaisonKind.ADOPTION,
                "org": self.xinlian.code,
                "started_on": "2019-06-01",
            },
        )
        self.assertContains(refused, "只能包联")
        self.client.post(reverse("research:liaison-end", args=[liaison.pk]))
        self.assertFalse(Liaison.objects.filter(pk=liaison.pk).exists())

    def test_a_member_flagged_on_the_standing_committee_is_checked_for_liaisons(self):
        self.client.force_login(self.hank)
        data = {**self.zhang.snapshot(), "org": self.haishu.code, "standing_committee": "on"}
        data = {k: v for k, v in data.items() if v not in (False, None)}
        self.client.post(reverse("orgs:person-edit", args=[self.zhang.pk]), data)
        self.zhang.refresh_from_db()
        self.assertTrue(self.zhang.standing_committee)
        page = self.get(self.hank, "research:liaisons")
        self.assertContains(page, "未落实两个联系点的常委")
        self.assertContains(page, "联系指导的市直单位")
        self.assertContains(page, self.zhang.name)
