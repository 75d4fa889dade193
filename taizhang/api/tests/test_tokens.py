import datetime
import re

from django.utils import timezone

from taizhang.api.models import Token, digest
from taizhang.api.tests.base import ApiTestCase
from taizhang.audit.models import Change

PAGE = "/account/tokens/"
ORGS = "/api/v1/orgs/"


class TokenPageTests(ApiTestCase):
    def test_a_token_is_shown_once_and_stored_as_a_hash(self):
        self.client.force_login(self.bob)
        response = self.client.post(PAGE, {"name": "海曙党建平台", "access": "write", "days": "90"})
        self.assertEqual(response.status_code, 200)
        secret = re.search(r'value="(tz_[\w-]+)"', response.content.decode())[1]
        token = Token.objects.get(user=self.bob)
        self.assertEqual(token.digest, digest(secret))
        self.assertNotIn(secret, str(Token.objects.values().get()))
        self.assertFalse(token.read_only)
        self.assertEqual(token.name, "海曙党建平台")
        again = self.client.get(PAGE).content.decode()
        self.assertNotIn(secret, again)
        self.assertIn(token.hint, again)
        self.assertEqual(Change.objects.of(token).count(), 1)

    def test_a_viewer_can_only_make_read_only_tokens(self):
        self.client.force_login(self.dave)
        self.client.post(PAGE, {"name": "看板", "access": "write", "days": "30"})
        self.assertFalse(Token.objects.filter(user=self.dave).exists())  # not a choice
        self.client.post(PAGE, {"name": "看板", "access": "read", "days": "30"})
        self.assertTrue(Token.objects.get(user=self.dave).read_only)

    def test_a_bad_form_writes_nothing(self):
        self.client.force_login(self.bob)
        response = self.client.post(PAGE, {"name": "", "access": "write", "days": "9999"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Token.objects.exists())

    def test_the_owner_and_a_manager_above_may_revoke_and_nobody_else(self):
        self.token(self.bob)
        token = Token.objects.get(user=self.bob)
        url = f"/account/tokens/{token.pk}/revoke/"
        self.client.force_login(self.jill)  # the sibling district's manager
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.dave)  # below bob
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.hank)  # 海曙's manager sees and revokes it
        self.assertIn(token.name, self.client.get(PAGE).content.decode())
        self.assertEqual(self.client.post(url).status_code, 302)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(token.revoked_by, "hank")

    def test_a_manager_does_not_see_tokens_outside_the_scope(self):
        self.token(self.carol, name="江北平台")
        self.client.force_login(self.hank)
        self.assertNotIn("江北平台", self.client.get(PAGE).content.decode())


class TokenUseTests(ApiTestCase):
    def test_a_token_acts_as_its_user(self):
        secret = self.token(self.dave)
        codes = [o["code"] for o in self.get(ORGS, secret).json()["results"]]
        self.assertEqual(codes, ["330203009", "330203009001", "33020300900101"])
        self.assertEqual(self.get(f"{ORGS}330203/", secret).status_code, 404)

    def test_revoked_and_expired_tokens_get_401(self):
        secret = self.token(self.bob)
        token = Token.objects.get(user=self.bob)
        self.assertEqual(self.get(ORGS, secret).status_code, 200)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)
        Token.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        self.assertEqual(self.get(ORGS, secret).status_code, 401)
        Token.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() + datetime.timedelta(days=1), revoked_at=timezone.now()
        )
        response = self.get(ORGS, secret)
        self.assertEqual(response.status_code, 401)
        self.assertIn("Bearer", response["WWW-Authenticate"])
        self.assertEqual(self.get(ORGS, "tz_nonsense").status_code, 401)
        self.assertEqual(self.get(ORGS).status_code, 401)

    def test_a_deactivated_users_token_stops_working(self):
        secret = self.token(self.bob)
        self.bob.is_active = False
        self.bob.save()
        self.assertEqual(self.get(ORGS, secret).status_code, 401)
