"""In a real browser: the education bureau's viewer opens its system on a phone and its
lecture gap list; the city office picks the system from the list on a laptop and narrows
it to its units in one district."""

import datetime
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taizhang.ledger import services as ledger
from taizhang.orgs import sectors
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Role
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import PASSWORD, SYSTEM, build_ledger, build_small_ningbo


@pytest.mark.django_db(transaction=True)
def test_the_department_reads_its_system_on_a_phone(live_server, browser):  # noqa: F811
    t = SimpleNamespace()
    build_small_ningbo(t)
    build_ledger(t)
    bureau = orgs.create_org(
        SYSTEM, parent=t.city, name="市教育局", code="3302U12", kind=OrgKind.CITY_UNIT
    )
    school = orgs.create_org(
        SYSTEM, parent=t.jiangbei, name="江北实验小学党总支", code="330205S01",
        kind=OrgKind.GENERAL_BRANCH,
    )  # fmt: skip
    edu = sectors.create_sector(SYSTEM, code="EDU", name="教育系统", department=bureau)
    for member in (t.xinlian, school):
        sectors.join(SYSTEM, edu, member)
    ledger.create_activity(
        SYSTEM, kind=t.kinds["party_lecture"], org=school, starts_on=datetime.date(2019, 9, 20),
        title="江北实验小学专题党课", lecturer_role="secretary",
    )  # fmt: skip
    orgs.create_user(SYSTEM, username="erin", password=PASSWORD, org=bureau, role=Role.VIEWER)
    ARTIFACTS.mkdir(exist_ok=True)

    page = sign_in(browser, live_server, "erin", viewport=(390, 844))
    page.goto(f"{live_server.url}/stats/sectors/{edu.pk}/")
    expect(page.locator("h1")).to_contain_text("教育系统")
    tile = page.locator('[data-metric="party_lecture_coverage"]')
    expect(tile).to_contain_text("3 个中已有 2 个")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "sector-phone.png"), full_page=True)
    page.locator('[data-metric="party_lecture_coverage"] a').click()
    expect(page.locator("table")).to_contain_text("新联村第一党支部")
    expect(page.locator("table")).not_to_contain_text("江北实验小学")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "sector-gaps-phone.png"), full_page=True)

    office = sign_in(browser, live_server, "alice")
    office.goto(f"{live_server.url}/sectors/")
    office.click('table a:text("教育系统")')
    expect(office.locator("table").first).to_contain_text("江北实验小学党总支")
    office.click("text=统计与未完成名单")
    expect(office.locator("h1")).to_contain_text("教育系统")
    office.select_option("select[name=within]", label="江北的系统单位")
    expect(office.locator("h1")).to_contain_text("江北区")
    expect(office.locator('[data-metric="party_lecture_coverage"]')).to_contain_text("100%")
    office.screenshot(path=str(ARTIFACTS / "sector-laptop.png"), full_page=True)
