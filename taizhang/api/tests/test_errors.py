from django.conf import settings
from django.test import override_settings

from taizhang.api.tests.base import ApiTestCase

URL = "/api/v1/activities/"


class ErrorTests(ApiTestCase):
    def test_errors_speak_the_language_asked_for(self):
        secret = self.token(self.bob, read_only=True)
        chinese = self.post(URL, secret, self.lecture_body()).json()["detail"]
        english = self.post(URL, secret, self.lecture_body(), HTTP_ACCEPT_LANGUAGE="en").json()
        self.assertEqual(english["detail"], "This token is read-only.")
        self.assertNotEqual(chinese, english["detail"])
        self.assertRegex(chinese, r"[\u4e00-\u9fff]")
        writer = self.token(self.bob)
        body = self.lecture_body(starts_on="2018-01-01")
        refused = self.post(URL, writer, body, HTTP_ACCEPT_LANGUAGE="en").json()
        self.assertIn("outside the campaign", refused["starts_on"][0])
        self.assertRegex(self.post(URL, writer, body).json()["starts_on"][0], r"活动")

    def test_malformed_json_is_a_clear_400(self):
        secret = self.token(self.bob)
        response = self.client.post(
            URL, data="{not json", content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertIn("detail", response.json())

    def test_pages_have_a_maximum_size(self):
        secret = self.token(self.alice)
        response = self.get("/api/v1/orgs/?page_size=100000", secret).json()
        self.assertEqual(response["count"], 8)
        self.assertEqual(self.get("/api/v1/orgs/?page=99", secret).status_code, 404)
        self.assertEqual(len(self.get("/api/v1/orgs/?page_size=3", secret).json()["results"]), 3)

    @override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    )
    def test_too_many_requests_get_429_with_retry_after(self):
        secret, other = self.token(self.bob), self.token(self.bob, name="另一个")
        statuses = [self.get("/api/v1/orgs/", secret).status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 429])
        response = self.get("/api/v1/orgs/", secret)
        self.assertGreater(int(response["Retry-After"]), 0)
        self.assertEqual(self.get("/api/v1/orgs/", other).status_code, 200)  # per token
