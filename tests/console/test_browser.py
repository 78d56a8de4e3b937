"""The console in Chromium: sign in from the chat's เว็บ, import a plan through its preview, add an officer
and print the cards, import scores, download the report (the dashboard moving after a chat report is
tested through the real webhook in test_pages).

Runs on the same stack as the simulator's browser test (gunicorn, worker, fake LINE, the demo on SQLite).
Screenshots of every page at laptop and phone width go to tests/output/browser/ (with
TIDTAM_SCREENSHOTS=docs to docs/screenshots/console-*.png, the committed ones).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_simulator import _type, _wait_text, browser, stack  # noqa: F401  (shared fixtures)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
# Test runs write to the ignored output folder; TIDTAM_SCREENSHOTS=docs refreshes the committed ones.
SCREENSHOTS = ROOT / "docs" / "screenshots" if os.environ.get("TIDTAM_SCREENSHOTS") == "docs" \
    else ROOT / "tests" / "output" / "browser"
LAPTOP, PHONE = {"width": 1280, "height": 860}, {"width": 390, "height": 844}

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(autouse=True)
def _no_internet():
    """Playwright talks to Chromium over local pipes and sockets; the network guard stays off here."""
    yield


def _shots(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(LAPTOP)
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}-laptop.png"), full_page=False)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}-phone.png"), full_page=False)
    page.set_viewport_size(LAPTOP)


def _sign_in_from_chat(browser, stack):  # noqa: F811
    chat = browser.new_page(viewport={"width": 1100, "height": 900})
    chat.goto(f"{stack}/simulator")
    chat.wait_for_function("document.querySelectorAll('#persona option').length > 5")
    chat.get_by_test_id("persona").select_option("Udemo-admin")
    _type(chat, "เว็บ")
    _wait_text(chat, "เข้าสู่ระบบหน้าเว็บ")
    with chat.expect_popup() as popup:
        chat.locator(".messages").get_by_text("เปิดหน้าเว็บ").last.click()
    console = popup.value
    console.wait_for_url("**/console/")
    return chat, console


def test_console_from_sign_in_to_the_years_report(stack, browser, tmp_path):  # noqa: F811
    chat, page = _sign_in_from_chat(browser, stack)
    page.get_by_text("ออกจากระบบ").wait_for()
    page.get_by_test_id("trend-chart").wait_for()
    _shots(page, "dashboard")

    # The plan: upload, preview (nothing saved), correct a cell, import.
    page.goto(f"{stack}/console/plan")
    _shots(page, "plan")
    page.set_input_files("#file", str(FIXTURES / "plan-ban-nong-kham.csv"))
    page.get_by_role("button", name="แสดงตัวอย่าง").click()
    page.get_by_test_id("preview").wait_for()
    page.locator("textarea[name=m-0-title]").fill("เผยแพร่รายงานจัดซื้อจัดจ้างรายเดือน (แก้ในหน้าเว็บ)")
    _shots(page, "plan-preview")
    page.get_by_test_id("import").click()
    page.get_by_text("นำเข้าแล้วค่ะ").wait_for()
    page.goto(f"{stack}/console/plan?year=2568")
    page.get_by_text("(แก้ในหน้าเว็บ)").wait_for()

    # People: add an officer, print the registration cards (a QR code and the code).
    page.goto(f"{stack}/console/people")
    page.fill("#name", "นางสาวทดลอง หน้าเว็บ")
    page.fill("#unit", "กองคลัง")
    page.get_by_test_id("add-officer").click()
    page.get_by_text("เพิ่ม นางสาวทดลอง หน้าเว็บ แล้วค่ะ").wait_for()
    _shots(page, "people")
    with page.expect_popup() as popup:
        page.get_by_test_id("cards").click()
    cards = popup.value
    cards.get_by_text("นางสาวทดลอง หน้าเว็บ").wait_for()
    assert cards.locator(".reg-card svg").count() >= 1
    _shots(cards, "cards")
    cards.close()

    # Scores: upload, see the cross-checks, import, compare.
    page.goto(f"{stack}/console/scores")
    page.set_input_files("#file", str(FIXTURES / "scores-ban-nong-kham.csv"))
    page.get_by_role("button", name="แสดงตัวอย่าง").click()
    page.get_by_test_id("import-scores").wait_for()
    _shots(page, "scores-preview")
    page.get_by_test_id("import-scores").click()
    page.get_by_test_id("score-compare").wait_for()
    _shots(page, "scores")

    page.goto(f"{stack}/console/reminders")
    page.get_by_test_id("forecast").wait_for()
    _shots(page, "reminders")

    # The year's report downloads.
    page.goto(f"{stack}/console/reports")
    _shots(page, "reports")
    with page.expect_download() as download:
        page.get_by_test_id("download-docx").click()
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    assert saved.stat().st_size > 5000
    page.goto(f"{stack}/console/audit")
    page.get_by_text("นำเข้าแผนปีงบประมาณ 2568").wait_for()
    _shots(page, "audit")
    page.get_by_test_id("sign-out").click()
    page.get_by_text("ออกจากระบบแล้วค่ะ").wait_for()
