"""In a real browser: a district clerk uploads a 20,000-row lecture file, is taken to the
job's page and sees its progress advance, leaves for the dashboard, comes back through
“后台任务” and finds the result; the page read on a laptop and on a phone."""

import io
import threading
import time
from types import SimpleNamespace

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from openpyxl import Workbook
from playwright.sync_api import expect

from taizhang.jobs import services
from taizhang.ledger.imports import headers_for
from taizhang.ledger.models import Activity
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.testing import build_ledger, build_small_ningbo

ROWS = 20_000


def lecture_file(kind, orgs):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    sheet.append(headers_for(kind))
    for n in range(ROWS):
        org = orgs[n % len(orgs)]
        day = f"2019-{9 + n % 4:02d}-{n % 28 + 1:02d}"
        sheet.append([org.code, org.name, day, "", f"党课{n}", 1, 30, "", "党员", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def worker(transactional_db):
    """A worker in this process, as `taizhang worker` runs one."""
    services.beat()
    runner = Worker(
        queue_names=["default"], interval=0.1, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="browser-test", excluded_queue_names=[],
    )  # fmt: skip
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    yield runner
    runner.running = False
    thread.join(timeout=60)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_clerk_uploads_a_large_file_leaves_and_comes_back_to_the_result(
    live_server,
    browser,  # noqa: F811
    worker,
    tmp_path,
):
    world = SimpleNamespace()
    build_small_ningbo(world)
    build_ledger(world)
    kind = world.kinds["party_lecture"]
    path = tmp_path / "党课台账.xlsx"
    path.write_bytes(lecture_file(kind, [world.haishu, world.shiqi, world.xinlian]))
    before = Activity.objects.count()
    ARTIFACTS.mkdir(exist_ok=True)

    page = sign_in(browser, live_server, "bob")
    page.goto(f"{live_server.url}/ledger/import/?kind=party_lecture")
    page.set_input_files("input[name=file]", str(path))
    page.click("#import-form button.primary")
    page.wait_for_url(f"{live_server.url}/jobs/*/")
    job_url = page.url
    expect(page.locator("h1")).to_contain_text("党课台账.xlsx")

    # The page follows the job while it runs.
    seen, shot = [], False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = page.locator("#job-progress").inner_text()
        if not seen or seen[-1] != text:
            seen.append(text)
            if "进行中" in text and "已校验" in text and not shot:
                shot = True
                page.screenshot(path=str(ARTIFACTS / "job-running.png"), full_page=True)
        if "进行中" in text and ("正在写入" in text or len(seen) >= 3):
            break
        time.sleep(0.05)
    # Waiting, then running with its counts (and, on a slow machine, more readings between):
    # the page moved on by itself at least once.
    running = [t for t in seen if "进行中" in t]
    assert len(seen) >= 2 and running, seen
    assert any("逐行校验" in t or "正在写入" in t for t in running), seen
    assert any("20000 / 20000" in t or "/ 20000" in t for t in running), seen

    # The clerk leaves for the dashboard while it runs, and comes back from the menu.
    page.goto(f"{live_server.url}/stats/")
    page.click("nav >> text=后台任务")
    expect(page.locator("h1")).to_have_text("后台任务")
    page.click("table >> text=党课台账.xlsx")
    assert page.url == job_url
    expect(page.locator("#job-result")).to_contain_text("已创建：20000", timeout=120_000)
    expect(page.locator("#job-result")).to_contain_text("文件行数：20000")
    assert Activity.objects.count() == before + ROWS
    page.screenshot(path=str(ARTIFACTS / "job-done.png"), full_page=True)

    phone = sign_in(browser, live_server, "bob", viewport=(390, 844))
    phone.goto(job_url)
    expect(phone.locator("#job-result")).to_be_visible()
    phone.screenshot(path=str(ARTIFACTS / "job-done-phone.png"), full_page=True)
    phone.goto(f"{live_server.url}/jobs/")
    phone.screenshot(path=str(ARTIFACTS / "job-list-phone.png"), full_page=True)
