from django.test import override_settings
from django.urls import reverse

from taizhang.testing import PASSWORD, BaseTestCase


class LoginTests(BaseTestCase):
    def login(self, password):
        return self.client.post(
            reverse("login"), {"username": "bob", "password": password}, REMOTE_ADDR="10.0.0.5"
        )

    def test_it_signs_in_and_out(self):
        response = self.login(PASSWORD)
        self.assertRedirects(response, reverse("home"))
        self.assertContains(self.client.get(reverse("home")), "海曙区")
        self.client.post(reverse("logout"))
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_it_locks_out_after_repeated_failures(self):
        for _ in range(2):
            self.assertEqual(self.login("wrong").status_code, 200)
        response = self.login("wrong")
        self.assertContains(response, "登录失败次数过多", status_code=429)
        response = self.login(PASSWORD)  # even the right password, while locked
        self.assertEqual(response.status_code, 429)

    def test_it_speaks_chinese_by_default_and_english_on_request(self):
        response = self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US")
        self.assertContains(response, "登录台账系统")
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        self.assertContains(self.client.get(reverse("login")), "Sign in to Taizhang")
