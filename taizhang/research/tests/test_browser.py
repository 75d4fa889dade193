"""In a real browser: a district clerk records a problem raised at a seminar, moves it
through to closed, and sees the district's problem counts change on the dashboard."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import build_ledger, build_small_ningbo


@pytest.mark.django_db(transaction=True)
def test_a_district_clerk_closes_a_problem_and_the_dashboard_follows(
    live_server,
    browser,  # noqa: F811
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    dashboard = f"{live_server.url}/stats/orgs/{ningbo.haishu.pk}/"
    for n, (size, name) in enumerate((((1366, 900), "laptop"), ((390, 844), "phone"))):
        page = sign_in(browser, live_server, "bob", viewport=size)
        page.goto(dashboard)
        closed = page.locator("#problems dd[data-state=closed]")
        if n == 0:
            expect(page.locator("#problems")).to_contain_text("还没有登记问题")
        else:
            expect(closed).to_have_text("1")

        page.goto(live_server.url + "/problems/new/")
        page.fill("#id_title", f"农贸市场周边停车难（{name}）")
        page.select_option("#id_source", label="座谈会")
        page.fill("#id_org", ningbo.shiqi.code)
        page.fill("#id_leader", ningbo.zhang.code)
        page.fill("#id_raised_on", "2019-10-08")
        page.fill("#id_deadline", "2019-12-31")
        page.wait_for_load_state("networkidle")  # one SQLite connection: no lookup in flight
        page.click("button.primary")
        expect(page.locator(".state").first).to_contain_text("待办")
        page.click("text=开始整改")
        expect(page.locator(".state").first).to_contain_text("整改中")
        page.fill("#id_resolution", "增设临时停车泊位 60 个")
        page.click("text=标记为已解决")
        expect(page.locator(".state").first).to_contain_text("已解决")
        page.click("button:text-is('销号')")
        expect(page.locator(".state").first).to_contain_text("已销号")
        page.screenshot(path=str(ARTIFACTS / f"problem-closed-{name}.png"), full_page=True)

        page.goto(dashboard)
        expect(page.locator("#problems dd[data-state=closed]")).to_have_text(str(n + 1))
        page.locator("#problems").screenshot(path=str(ARTIFACTS / f"problem-card-{name}.png"))
        page.context.close()
