"""In a real browser: the city office manager opens the dashboard, drills down to a district
and a town, opens the gap list of lecture coverage and downloads it."""

import datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from taizhang.ledger import services
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import SYSTEM, build_ledger, build_small_ningbo


def record_some_work(ningbo):
    study = ningbo.campaign.kinds.get(code="study_session")
    for n, org in enumerate([ningbo.city, ningbo.haishu, ningbo.jiangbei] * 4):
        services.create_activity(
            SYSTEM,
            kind=study,
            org=org,
            starts_on=datetime.date(2019, 6, 3) + datetime.timedelta(days=9 * n),
            count=2 + n % 3,
            days=2,
            person_times=30 + n,
        )


@pytest.mark.django_db(transaction=True)
def test_the_city_manager_drills_down_and_downloads_a_gap_list(
    live_server,
    browser,  # noqa: F811
    tmp_path,
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    record_some_work(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    for size, name in (((1366, 900), "laptop"), ((390, 844), "phone")):
        page = sign_in(browser, live_server, "alice", viewport=size)
        page.goto(live_server.url + "/stats/")
        expect(page.locator("h1")).to_contain_text("中共宁波市委")
        expect(page.locator("[data-metric=study_sessions] b")).to_contain_text("36")
        # ECharts draws both charts (served by the app itself).
        expect(page.locator("#series-chart svg")).to_have_count(1)
        expect(page.locator("#ranking-chart svg")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / f"dashboard-city-{name}.png"), full_page=True)

        page.click("#children a:text-is('海曙')")
        expect(page.locator("h1")).to_contain_text("海曙区")
        page.click("#children a:text-is('石碶街道')")
        expect(page.locator("h1")).to_contain_text("石碶街道")
        tile = page.locator("[data-metric=party_lecture_coverage]")
        expect(tile).to_contain_text("50%")
        tile.locator("a").click()
        expect(page.locator("h1")).to_contain_text("未完成名单")
        expect(page.locator("table.table")).to_contain_text("新联村第一党支部")
        page.screenshot(path=str(ARTIFACTS / f"gap-list-{name}.png"), full_page=True)
        with page.expect_download() as caught:
            page.click("text=下载名单")
        path = tmp_path / f"gaps-{name}.xlsx"
        caught.value.save_as(path)
        rows = list(load_workbook(path).active.values)
        assert rows[1][1] == "新联村第一党支部"
        assert len(rows) == 2
        page.context.close()
