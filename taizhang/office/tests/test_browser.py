"""In a real browser: the city office sends a notice to everyone on a gap list; a village
clerk reads it and replies on a phone; the office sees the receipt table change."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taizhang.office.models import Notice
from taizhang.orgs import services as orgs
from taizhang.orgs.models import OrgKind, Role
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import PASSWORD, SYSTEM, build_ledger, build_small_ningbo


@pytest.mark.django_db(transaction=True)
def test_a_notice_to_a_gap_list_is_read_and_answered_on_a_phone(
    live_server,
    browser,  # noqa: F811
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    xinguang = orgs.create_org(
        SYSTEM, parent=ningbo.shiqi, name="新光村", code="330203009002", kind=OrgKind.VILLAGE
    )
    orgs.create_user(
        SYSTEM, username="xg", password=PASSWORD, org=xinguang, role=Role.REPORTER,
        display_name="新光村文书",
    )  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)

    office = sign_in(browser, live_server, "alice")
    office.goto(f"{live_server.url}/stats/orgs/{ningbo.city.pk}/gaps/party_lecture_coverage/")
    expect(office.locator("table")).to_contain_text("新光村")
    office.click("#notify-gaps")
    expect(office.locator("h1")).to_have_text("发通知")
    expect(office.locator("input[name=mode][value=gaps]")).to_be_checked()
    office.fill("#id_title", "请尚未开展专题党课的单位抓紧开展")
    office.fill("#id_body", "请于回执期限前开展专题党课，并报送开展情况。")
    office.screenshot(path=str(ARTIFACTS / "notice-form.png"), full_page=True)
    office.click("button.primary")
    expect(office.locator("h1")).to_have_text("请尚未开展专题党课的单位抓紧开展")
    notice = Notice.objects.get()
    assert set(notice.receipts.values_list("org__name", flat=True)) == {
        "新光村",
        "新联村第一党支部",
    }
    row = office.locator("#receipts tr[data-org='330203009002']")
    expect(row).to_contain_text("未读")

    clerk = sign_in(browser, live_server, "xg", viewport=(390, 844))
    expect(clerk.locator("#inbox")).to_contain_text("请尚未开展专题党课的单位抓紧开展")
    expect(clerk.locator("#inbox .badge")).to_have_text("1")
    clerk.screenshot(path=str(ARTIFACTS / "notice-inbox-phone.png"), full_page=True)
    clerk.locator("#inbox a", has_text="请尚未开展专题党课").click()
    expect(clerk.locator(".notice-body").first).to_contain_text("请于回执期限前开展专题党课")
    clerk.fill("#id_text", "已于本周召开支部党员大会，讲授专题党课一场。")
    clerk.screenshot(path=str(ARTIFACTS / "notice-reply-phone.png"), full_page=True)
    clerk.click("#reply button.primary")
    expect(clerk.locator("#reply")).to_contain_text("已于本周召开支部党员大会")
    assert clerk.evaluate("document.documentElement.scrollWidth") <= 390

    office.reload()
    expect(row).to_contain_text("已回执")
    expect(row).to_contain_text("已于本周召开支部党员大会")
    expect(office.locator("#receipts tr[data-org='33020300900101']")).to_contain_text("未读")
    office.screenshot(path=str(ARTIFACTS / "notice-receipts.png"), full_page=True)
