"""In a real browser (Debian's Chromium): two clerks of sibling districts each see only their
own subtree, and the tree expands in place."""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect, sync_playwright

from taizhang.testing import PASSWORD, build_small_ningbo

CHROMIUM = "/usr/bin/chromium"
# What the browser reported as blocked by the Content-Security-Policy, on any page any
# browser test opened: the pages must work with no inline script.
CSP_VIOLATIONS = []
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    # The sync Playwright API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(browser, live_server, username, viewport=(1366, 900)):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            CSP_VIOLATIONS.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(live_server.url + "/")
    return page


@pytest.mark.django_db(transaction=True)
def test_sibling_district_clerks_each_see_only_their_own_subtree(live_server, browser):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    cases = [
        ("bob", ningbo.haishu, "石碶街道", "新联村", ningbo.jiangbei, "慈城镇"),
        ("carol", ningbo.jiangbei, "慈城镇", "王家村", ningbo.haishu, "石碶街道"),
    ]
    for username, own, town, village, other, other_town in cases:
        page = sign_in(browser, live_server, username)
        expect(page.locator("h1")).to_contain_text(username.title())
        page.goto(live_server.url + "/orgs/")
        tree = page.locator("ul.tree").first
        expect(tree).to_contain_text(own.name)
        expect(tree).to_contain_text(town)
        # Expanding the town loads its villages in place (htmx).
        page.locator("summary", has_text=town).locator("a").evaluate("a => a.parentElement.click()")
        expect(tree).to_contain_text(village)
        assert other.name not in page.content()
        assert other_town not in page.content()
        page.screenshot(path=str(ARTIFACTS / f"tree-{username}.png"), full_page=True)
        # Searching for the sibling's town finds nothing; its page does not exist.
        page.fill("input[name=q]", other_town)
        page.press("input[name=q]", "Enter")
        expect(page.locator("main")).to_contain_text("没有匹配结果")
        response = page.goto(f"{live_server.url}/orgs/{other.pk}/")
        assert response.status == 404
        response = page.goto(f"{live_server.url}/orgs/{own.pk}/")
        assert response.status == 200
        expect(page.locator("h1")).to_contain_text(own.name)
        page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_village_viewer_reads_on_a_phone(live_server, browser):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    page = sign_in(browser, live_server, "vera", viewport=(390, 844))
    expect(page.locator("h1")).to_contain_text("Vera")
    # The menu folds behind a button on a narrow screen.
    expect(page.locator("nav.nav")).to_be_hidden()
    page.click("label.nav-button")
    expect(page.locator("nav.nav")).to_be_visible()
    page.click("nav.nav >> text=组织")
    expect(page.locator("main")).to_contain_text("新联村")
    assert "石碶街道</a>" not in page.content()
    # A viewer is offered no write actions.
    page.goto(f"{live_server.url}/orgs/{ningbo.xinlian.pk}/")
    assert page.locator("text=编辑").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(ARTIFACTS / "village-phone.png"), full_page=True)
    page.context.close()
