"""In a real browser: a district clerk records a lecture through the form and finds it in the
list; a bad upload shows its row errors on the page, and nothing is written."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from taizhang.ledger.imports import headers_for
from taizhang.ledger.models import Activity
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import build_ledger, build_small_ningbo, xlsx_bytes


@pytest.mark.django_db(transaction=True)
def test_a_clerk_records_a_lecture_and_a_bad_upload_shows_row_errors(
    live_server,
    browser,  # noqa: F811
    tmp_path,
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    ARTIFACTS.mkdir(exist_ok=True)
    for size, name in (((1366, 900), "laptop"), ((390, 844), "phone")):
        page = sign_in(browser, live_server, "bob", viewport=size)
        page.goto(live_server.url + "/ledger/new/")
        page.click("a.kind:has-text('专题党课')")
        expect(page.locator("#id_lecturer_role")).to_be_visible()
        # Switching the kind swaps the form in place (htmx): households appear for visits.
        page.select_option("#kind-select", "field_visit")
        expect(page.locator("#id_households")).to_be_visible()
        page.select_option("#kind-select", "party_lecture")
        expect(page.locator("#id_lecturer_role")).to_be_visible()
        expect(page.locator("#id_households")).to_have_count(0)
        title = f"石碶街道专题党课（{name}）"
        page.fill("#id_org", ningbo.shiqi.code)
        page.fill("#id_starts_on", "2019-10-15")
        page.fill("#id_title", title)
        page.fill("#id_count", "2")
        page.select_option("#id_lecturer_role", "leader")
        page.fill("#id_participants", "60")
        page.screenshot(path=str(ARTIFACTS / f"ledger-form-{name}.png"), full_page=True)
        # The live server shares one SQLite connection between its threads: let the code
        # suggestions fetched while typing finish before the form is sent.
        page.wait_for_load_state("networkidle")
        page.click("button.primary")
        expect(page.locator("h1")).to_contain_text(title)
        page.goto(live_server.url + "/ledger/?kind=party_lecture")
        expect(page.locator("table.table")).to_contain_text(title)
        page.screenshot(path=str(ARTIFACTS / f"ledger-list-{name}.png"), full_page=True)
        page.context.close()
    assert Activity.objects.filter(org=ningbo.shiqi, source="form").count() == 2

    bad = tmp_path / "党课.xlsx"
    rows = [
        ["330203009001", "新联村", "2019-09-05", "", "好的一行", 1, 30, "", "党员", "", ""],
        [
            "330203009001",
            "新联村",
            "2019-07-01",
            "",
            "第一批时村里还没开始",
            1,
            30,
            "",
            "党员",
            "",
            "",
        ],
    ]
    bad.write_bytes(xlsx_bytes([headers_for(ningbo.kinds["party_lecture"]), *rows]))
    page = sign_in(browser, live_server, "bob")
    page.goto(live_server.url + "/ledger/import/?kind=party_lecture")
    # The progress script (a static file, allowed by the CSP) has bound the form.
    expect(page.locator("#import-form")).to_have_attribute("data-bound", "1")
    page.set_input_files("input[type=file]", str(bad))
    page.click("button.primary")
    errors = page.locator("#import-result #import-errors")
    expect(errors).to_contain_text("第3行")
    expect(errors).to_contain_text("不参加任何批次")
    page.screenshot(path=str(ARTIFACTS / "ledger-import-errors.png"), full_page=True)
    assert not Activity.objects.filter(source="import").exists()
