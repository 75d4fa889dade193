"""In a real browser: 海曙's clerk makes a read-write token on their page, copies it once,
and a district system records a lecture with it; the record's history names the token.
The API's Swagger UI is served by the app alone, on a laptop and on a phone."""

import json
import urllib.request
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from taizhang.ledger.models import Activity
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import build_ledger, build_small_ningbo


def post(url, secret, body):
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return response.status, json.loads(response.read())


@pytest.mark.django_db(transaction=True)
def test_a_clerk_makes_a_token_and_a_district_system_records_with_it(
    live_server,
    browser,  # noqa: F811
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    host = urlparse(live_server.url).netloc
    for n, (size, name) in enumerate((((1366, 900), "laptop"), ((390, 844), "phone"))):
        page = sign_in(browser, live_server, "bob", viewport=size)
        page.goto(live_server.url + "/account/tokens/")
        page.fill("input[name=name]", f"海曙区党建平台 {n}")
        page.select_option("select[name=access]", "write")
        page.click("form.inline-form button.primary")
        secret = page.input_value("input.secret")
        page.screenshot(path=str(ARTIFACTS / f"api-tokens-{name}.png"), full_page=True)
        page.reload()
        expect(page.locator("main")).not_to_contain_text(secret)

        status, data = post(
            live_server.url + "/api/v1/activities/",
            secret,
            {
                "org": "330203009001", "kind": "party_lecture", "starts_on": "2019-09-25",
                "title": f"接口录入的党课 {n}", "lecturer_role": "secretary", "participants": 30,
            },
        )  # fmt: skip
        assert status == 201
        assert Activity.objects.get(pk=data["id"]).title == f"接口录入的党课 {n}"
        page.goto(live_server.url + f"/ledger/{data['id']}/")
        expect(page.locator("main")).to_contain_text(f"海曙区党建平台 {n}")

        outside = []

        def leaving(request, outside=outside):
            if urlparse(request.url).netloc != host:
                outside.append(request.url)

        page.on("request", leaving)
        page.goto(live_server.url + "/api/v1/docs/")
        expect(page.locator(".swagger-ui")).to_contain_text("/api/v1/activities/bulk/")
        page.screenshot(path=str(ARTIFACTS / f"api-docs-{name}.png"))
        assert outside == [], outside
        page.context.close()
