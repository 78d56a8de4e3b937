"""The simulator in a real browser: Playwright drives Debian's Chromium through the whole product.

The stack runs as it does for `make run`: a fake LINE API process, the worker, gunicorn
with the development app on a fresh SQLite database with the demo loaded. Screenshots
go to tests/output/browser/ (git-ignored).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "tests" / "output" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed (apt-get install chromium); .ci/run installs it", pytrace=False)
    tmp = tmp_path_factory.mktemp("stack")
    web_port, line_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL", "SIMULATOR"))}
    env.update({
        "TIDTAM_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp}/sim.db",
        "LINE_API_BASE_URL": f"http://127.0.0.1:{line_port}", "LINE_DATA_API_BASE_URL": f"http://127.0.0.1:{line_port}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}", "EVIDENCE_DIR": str(tmp / "evidence"),
        "GENERATED_DIR": str(tmp / "generated"), "PYTHONPATH": str(ROOT),
    })
    bin_dir = Path(sys.executable).parent
    for command in (["init-db"], ["demo-load"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "devkit.app:create_dev_app()", *command], cwd=ROOT,
                       env=env, check=True, capture_output=True)
    procs = [
        subprocess.Popen([sys.executable, "-m", "devkit.fake_line", "--port", str(line_port), "--quiet",
                          "--access-token", "tidtam-development-token", "--allow-local-media"], cwd=ROOT, env=env),
        subprocess.Popen([str(bin_dir / "gunicorn"), "devkit.app:create_dev_app()", "--config", "gunicorn.conf.py",
                          "--workers", "1", "--threads", "8", "--bind", f"127.0.0.1:{web_port}",
                          "--access-logfile", "/dev/null"], cwd=ROOT, env={**env, "EVENT_HANDLERS": "worker"}),
        subprocess.Popen([sys.executable, "-m", "bot.worker"], cwd=ROOT, env=env),
    ]
    try:
        _wait_for_port(line_port)
        _wait_for_port(web_port)
        yield f"http://127.0.0.1:{web_port}"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _no_internet():
    """Playwright talks to Chromium over local pipes and sockets; the network guard stays off here."""
    yield


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _last_bot_text(page) -> str:
    return page.locator(".messages .msg.bot, .messages .bubble").last.inner_text()


def _wait_text(page, text: str, timeout: float = 45_000) -> None:
    page.locator(".messages").get_by_text(text, exact=False).last.wait_for(timeout=timeout)


def _type(page, text: str) -> None:
    page.get_by_test_id("text").fill(text)
    page.get_by_test_id("send").click()


def test_register_remind_report_and_summary(stack, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{stack}/simulator")
    page.get_by_test_id("persona").wait_for()
    page.wait_for_function("document.querySelectorAll('#persona option').length > 5")

    # 1. An admin issues a code for the officer who is not linked yet; a new LINE user registers with it.
    page.locator("details summary").click()
    page.get_by_test_id("unlinked").select_option(label="นางมาลี ศรีสุข")
    page.get_by_test_id("issue-code").click()
    page.get_by_test_id("code").filter(has_text=re.compile(r"[A-Z0-9]{8}")).wait_for()
    code = re.search(r"[A-Z2-9]{8}", page.get_by_test_id("code").inner_text()).group(0)
    page.get_by_test_id("persona").select_option("Udemo-newcomer")
    _type(page, "สวัสดีครับ")
    _wait_text(page, "ยังไม่ได้ลงทะเบียน")
    _type(page, f"ลงทะเบียน {code}")
    _wait_text(page, "ลงทะเบียนเรียบร้อย")
    _shot(page, "1-registered")

    # 2. The reminder goes out through the real reminder path and arrives as a push.
    page.get_by_test_id("send-reminders").click()
    page.get_by_test_id("remind-result").filter(has_text="ส่งแจ้งเตือนแล้ว").wait_for(timeout=60_000)
    _wait_text(page, "ถึงเวลารายงานความคืบหน้า")
    _shot(page, "2-reminder")

    # 3. Report a measure with buttons: the first report button, then status, summary, confirm.
    button = page.locator(".messages .fx-button").first
    button.wait_for(timeout=45_000)
    button.scroll_into_view_if_needed()
    button.click()
    _wait_text(page, "สถานะเป็นอย่างไร")
    page.locator("#quick .chip", has_text="ดำเนินการแล้ว").click()
    _wait_text(page, "สรุปผลการดำเนินการ")
    _type(page, "เผยแพร่ผลการจัดซื้อจัดจ้างบนเว็บไซต์แล้ว")
    _wait_text(page, "ไปยืนยัน")
    # Evidence: a photo attached with the แนบ button is downloaded by the bot through the content API.
    page.get_by_test_id("file").set_input_files(
        {"name": "evidence.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0" + b"0" * 2048})
    _wait_text(page, "ได้รับหลักฐานแล้ว")
    page.locator("#quick .chip", has_text="ไปยืนยัน").click()
    _wait_text(page, "กรุณาตรวจสอบรายงาน")
    _wait_text(page, "หลักฐาน: 1 ไฟล์")
    _shot(page, "3-confirm")
    page.locator("#quick .chip", has_text="ยืนยัน").first.click()
    _wait_text(page, "บันทึกรายงานมาตรการ")

    # 4. Report another measure by typing, in one message.
    _type(page, "งานของฉัน")
    _wait_text(page, "งานของท่าน")
    tasks = _last_bot_text(page)
    refs = re.findall(r"มาตรการ (\S+)", tasks)
    assert refs, tasks
    _type(page, f"รายงาน {refs[-1]} กำลังดำเนินการ 50% เริ่มรวบรวมข้อมูลแล้ว")
    _wait_text(page, "อยู่ระหว่างดำเนินการ 50%")
    _type(page, "ยืนยัน")
    _wait_text(page, f"บันทึกรายงานมาตรการ {refs[-1]}")
    _shot(page, "4-typed-report")

    # 5. The ปลัด asks for the summary and sees the reports counted.
    page.get_by_test_id("persona").select_option("Udemo-palad")
    _type(page, "สรุป")
    page.wait_for_timeout(500)
    page.locator(".messages .msg.bot, .messages .bubble").last.wait_for(timeout=45_000)
    summary = page.locator(".messages").inner_text()
    assert "สรุป" in summary
    _shot(page, "5-summary")
    page.close()


def test_each_persona_keeps_its_whole_chat_and_the_chart_arrives(stack, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{stack}/simulator")
    page.wait_for_function("document.querySelectorAll('#persona option').length > 5")
    # Reminders pushed before anyone picks a persona (as the clock does at start-up) are in the chat.
    page.get_by_test_id("send-reminders").click()
    page.get_by_test_id("remind-result").filter(has_text="ส่งแจ้งเตือนแล้ว").wait_for(timeout=60_000)
    page.get_by_test_id("persona").select_option("Udemo-somchai")
    _wait_text(page, "ถึงเวลารายงานความคืบหน้า")
    _type(page, "ประวัติ")
    _wait_text(page, "ต้องการดูประวัติมาตรการใด")
    # Switching to another persona and back keeps both what was typed and what the bot answered.
    page.get_by_test_id("persona").select_option("Udemo-palad")
    _type(page, "กราฟ")
    _wait_text(page, "กำลังวาดกราฟ")
    page.locator(".messages img").first.wait_for(timeout=60_000)  # the chart, pushed over local http
    _shot(page, "6-chart")
    page.get_by_test_id("persona").select_option("Udemo-somchai")
    _wait_text(page, "ต้องการดูประวัติมาตรการใด")
    assert page.locator(".messages .msg.user", has_text="ประวัติ").count() == 1
    assert page.locator(".messages").get_by_text("ถึงเวลารายงานความคืบหน้า").count() >= 1
    assert page.locator(".messages").get_by_text("กำลังวาดกราฟ").count() == 0  # the ปลัด's chat stays his
    page.close()
