"""In a real browser on a phone-sized screen: a village viewer opens a course, plays it to
the end, and their viewing appears in the course's figures."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from taizhang.demo.media import wav
from taizhang.orgs.tests.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401
from taizhang.study import courses
from taizhang.study.models import Viewing
from taizhang.testing import SYSTEM, build_ledger, build_small_ningbo


@pytest.mark.django_db(transaction=True)
def test_a_viewer_plays_a_course_on_a_phone_and_the_figures_follow(
    live_server,
    browser,  # noqa: F811
):
    ningbo = SimpleNamespace()
    build_small_ningbo(ningbo)
    build_ledger(ningbo)
    course = courses.publish(
        SYSTEM, campaign=ningbo.campaign, org=ningbo.haishu, title="张人亚守护党章的故事",
        series="红色故事汇", upload=SimpleUploadedFile("story.wav", wav(seconds=2)),
        lecturer="市委党校", required=True,
    )  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    page = sign_in(browser, live_server, "vera", viewport=(390, 844))
    page.goto(live_server.url + "/courses/")
    page.click("text=张人亚守护党章的故事")
    expect(page.locator("#views")).to_have_text("0")
    player = page.locator("#player")
    page.wait_for_function("() => document.getElementById('player').readyState >= 1")
    player.click()  # a user's gesture, so the browser lets it play
    page.evaluate("() => document.getElementById('player').play()")
    page.wait_for_function("() => document.getElementById('player').ended", timeout=15000)
    page.screenshot(path=str(ARTIFACTS / "course-phone.png"), full_page=True)
    for _ in range(50):
        viewing = Viewing.objects.filter(course=course, user__username="vera").first()
        if viewing and viewing.progress == 100:
            break
        page.wait_for_timeout(100)
    assert viewing is not None and viewing.progress == 100
    page.reload()
    expect(page.locator("#views")).to_have_text("1")
    expect(page.locator("#watched")).to_contain_text("1")
    expect(page.locator("#my-viewing")).to_contain_text("100%")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "course-watched-phone.png"), full_page=True)
