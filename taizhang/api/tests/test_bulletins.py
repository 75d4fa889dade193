from taizhang.api.tests.base import ApiTestCase
from taizhang.bulletins.models import Bulletin, BulletinState

URL = "/api/v1/bulletins/"


class BulletinTests(ApiTestCase):
    def test_a_clerk_generates_a_draft_and_downloads_it(self):
        secret = self.token(self.bob)
        body = {"org": self.haishu.code, "starts_on": "2019-09-01", "ends_on": "2019-09-30"}
        response = self.post(URL, secret, body)
        self.assertEqual(response.status_code, 201, response.content)
        draft = Bulletin.objects.get(pk=response.json()["id"])
        self.assertEqual((draft.org, draft.state), (self.haishu, BulletinState.DRAFT))
        text = self.get(f"{URL}{draft.pk}/download/txt/", secret)
        self.assertEqual(text.status_code, 200)
        self.assertIn(draft.title, text.content.decode())
        self.assertEqual(self.get(f"{URL}{draft.pk}/download/exe/", secret).status_code, 404)

    def test_the_pages_period_rule_holds(self):
        secret = self.token(self.bob)
        outside = {"org": self.haishu.code, "starts_on": "2030-01-01", "ends_on": "2030-02-01"}
        backwards = {"org": self.haishu.code, "starts_on": "2019-10-01", "ends_on": "2019-09-01"}
        self.assertIn("starts_on", self.post(URL, secret, outside).json())
        self.assertIn("ends_on", self.post(URL, secret, backwards).json())
        self.assertFalse(Bulletin.objects.exists())

    def test_a_viewer_reads_issued_bulletins_only(self):
        self.post(
            URL,
            self.token(self.bob),
            {"org": self.haishu.code, "starts_on": "2019-09-01", "ends_on": "2019-09-30"},
        )
        self.assertEqual(self.get(URL, self.token(self.bob)).json()["count"], 1)
        self.assertEqual(self.get(URL, self.token(self.dave)).json()["count"], 0)
