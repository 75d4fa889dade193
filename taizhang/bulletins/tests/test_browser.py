"""In a real browser: 海曙's clerk generates the district's bulletin, follows a figure to
the records behind it, rewrites a sentence of the draft and issues it, on a laptop and on a
phone."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import build_ledger, build_small_ningbo


@pytest.mark.django_db(transaction=True)
def test_a_district_clerk_generates_edits_and_issues_a_bulletin(
    live_server,
    browser,  # noqa: F811
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    for n, (size, name) in enumerate((((1366, 900), "laptop"), ((390, 844), "phone"))):
        page = sign_in(browser, live_server, "bob", viewport=size)
        page.goto(live_server.url + "/bulletins/")
        page.click("text=生成简报")
        page.wait_for_load_state("networkidle")  # one SQLite connection: no lookup in flight
        page.click("button.primary")
        expect(page.locator(".masthead-name")).to_have_text("主题教育简报")
        figure = page.locator("a.figure", has_text="1场次").first
        expect(figure).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"bulletin-draft-{name}.png"), full_page=True)
        detail = page.url
        figure.click()
        expect(page.locator("main")).to_contain_text("新联村")
        page.goto(detail + "edit/")
        text = page.locator("#id_text")
        text.fill(text.input_value().replace("讲授专题党课", "认真讲授专题党课"))
        page.click("button.primary")
        expect(page.locator(".bulletin")).to_contain_text("认真讲授专题党课1场次")
        page.click("text=签发")
        page.click("button.primary")
        expect(page.locator(".masthead-issue")).to_have_text(f"第{n + 1}期")
        page.screenshot(path=str(ARTIFACTS / f"bulletin-issued-{name}.png"), full_page=True)
        page.context.close()
