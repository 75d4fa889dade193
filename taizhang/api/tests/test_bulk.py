import datetime

from taizhang.api.tests.base import ApiTestCase
from taizhang.audit.models import Change, Channel
from taizhang.ledger import totals
from taizhang.ledger.models import Activity

URL = "/api/v1/activities/bulk/"


class BulkTests(ApiTestCase):
    def items(self, n=1000):
        start = datetime.date(2019, 9, 2)
        orgs = [self.xinlian, self.branch, self.shiqi]
        return [
            self.lecture_body(
                org=orgs[i % 3],
                starts_on=str(start + datetime.timedelta(days=i % 60)),
                participants=i % 50,
                title=f"党课 {i}",
            )
            for i in range(n)
        ]

    def test_one_bad_item_refuses_all_and_is_named(self):
        items = self.items()
        items[417]["participants"] = -3
        items[800]["starts_on"] = "2018-05-01"
        response = self.post(URL, self.token(self.bob), {"items": items})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        # the field checks come first, and name the item by its place in the list
        self.assertEqual([e["index"] for e in body["items"]], [417])
        self.assertIn("participants", body["items"][0]["errors"])
        self.assertEqual(Activity.objects.count(), 2)

    def test_an_item_refused_by_the_kinds_rules_refuses_all(self):
        items = self.items()
        items[800]["starts_on"] = "2018-05-01"
        items[10]["households"] = 4  # a lecture records no households
        response = self.post(URL, self.token(self.bob), {"items": items})
        self.assertEqual(response.status_code, 400)
        named = {(e["index"], field) for e in response.json()["items"] for field in e["errors"]}
        self.assertEqual(named, {(800, "starts_on"), (10, "households")})
        self.assertEqual(Activity.objects.count(), 2)

    def test_an_item_outside_the_scope_is_404_and_named(self):
        items = self.items(10)
        items[3]["org"] = self.wangjia.code
        response = self.post(URL, self.token(self.bob), {"items": items})
        self.assertEqual(response.status_code, 404)
        self.assertEqual([e["index"] for e in response.json()["items"]], [3])
        self.assertEqual(Activity.objects.count(), 2)

    def test_a_thousand_good_items_are_written_with_totals_and_history(self):
        response = self.post(URL, self.token(self.bob, name="批量"), {"items": self.items()})
        self.assertEqual(response.status_code, 201, response.content[:500])
        body = response.json()
        self.assertEqual(body["created"], 1000)
        self.assertEqual(Activity.objects.filter(pk__in=body["ids"]).count(), 1000)
        self.assertEqual(
            sorted(
                Activity.objects.filter(pk__in=body["ids"]).values_list("participants", flat=True)
            ),
            sorted(i % 50 for i in range(1000)),
        )
        history = Change.objects.filter(
            model="ledger.activity", object_id__in=[str(i) for i in body["ids"]]
        )
        self.assertEqual(history.filter(channel=Channel.API, token_name="批量").count(), 1000)
        self.assertEqual(totals.rebuild()["drift"], 0)

    def test_more_than_a_thousand_is_refused(self):
        response = self.post(URL, self.token(self.bob), {"items": self.items(1001)})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Activity.objects.count(), 2)
