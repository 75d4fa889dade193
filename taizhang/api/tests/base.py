import json

from django.core.cache import cache
from django.test import override_settings

from taizhang.api import tokens
from taizhang.audit.services import Actor
from taizhang.testing import WorkTestCase


@override_settings(AXES_ENABLED=False)
class ApiTestCase(WorkTestCase):
    """The small Ningbo with its work, and a way to call the API with a user's token."""

    def setUp(self):
        super().setUp()
        cache.clear()  # the request-rate counts

    def token(self, user, *, read_only=False, name="区级平台", days=30):
        _token, secret = tokens.create_token(
            Actor.web(user), name=name, read_only=read_only, days=days
        )
        return secret

    def call(self, method, path, secret=None, body=None, **headers):
        if secret is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        kwargs = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(self.client, method)(path, **kwargs, **headers)

    def get(self, path, secret=None, **headers):
        return self.call("get", path, secret, **headers)

    def post(self, path, secret=None, body=None, **headers):
        return self.call("post", path, secret, body if body is not None else {}, **headers)

    def lecture_body(self, org=None, **extra):
        return {
            "org": (org or self.xinlian).code,
            "kind": "party_lecture",
            "starts_on": "2019-09-25",
            "title": "专题党课",
            "lecturer_role": "secretary",
            "participants": 40,
            **extra,
        }
