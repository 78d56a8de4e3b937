"""Connecting a LINE channel against the fake LINE server: line-check, line-setup, rich menus, set-role."""
from __future__ import annotations

import io
import threading

import pytest
from PIL import Image
from sqlmodel import select
from werkzeug.serving import make_server

from bot import create_app
from handlers.registry import commands
from line.richmenu_images import MAX_BYTES, NO_FONT_MESSAGE, ThaiFontMissing
from line.richmenus import MENUS, MENUS_BY_KEY, LineChannel, webhook_url_problem
from models import Officer
from tests.factories import code_for, make_world

WEBHOOK = "https://tidtam.example/callback"  # PUBLIC_BASE_URL + /callback in the test settings


@pytest.fixture(autouse=True)
def clean_line(line):
    """The session-wide fake keeps rich menus and the webhook between tests: start empty."""
    line.rich_menus.clear()
    line.rich_menu_images.clear()
    line.rich_menu_aliases.clear()
    line.default_rich_menu = None
    line.user_rich_menus.clear()
    line.webhook_endpoint = None
    return line


@pytest.fixture
def channel(services):
    return LineChannel.from_client(services.line)


@pytest.fixture
def live_url(app):
    """The app on a real port, so the fake's webhook test call really reaches /callback."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _run(runner, *args):
    return runner.invoke(args=[str(a) for a in args])


def _menus_by_key(line) -> dict[str, dict]:
    return {m["name"].split(":")[1]: m for m in line.rich_menus.values()}


def _alias(line, key: str) -> str:
    return line.rich_menu_aliases[f"tidtam-{key}"]


def _one_line_error(result, *words):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    error_lines = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(error_lines) == 1, result.output
    for word in words:
        assert word in error_lines[0], result.output


# -- line-check ---------------------------------------------------------------------------------

def test_line_check_happy_path(runner, line, channel):
    channel.install_menus()
    line.webhook_endpoint = WEBHOOK
    line.quota_limit = 300
    line.quota_used = 12
    result = _run(runner, "line-check")
    assert result.exit_code == 0, result.output
    assert "Bot: Tidtam (@tidtam); add it as a friend: https://line.me/R/ti/p/%40tidtam" in result.output
    assert f"Webhook: {WEBHOOK}, in use, matches PUBLIC_BASE_URL." in result.output
    assert "Messages this month: 12 of 300 used, 288 left" in result.output
    assert "Rich menus: installed (unregistered, officer, supervisor)." in result.output
    assert result.output.rstrip().endswith("All good.")


def test_line_check_says_what_to_run_when_nothing_is_set_up(runner, line):
    line.quota_used = 3
    result = _run(runner, "line-check")
    assert "Webhook: not set. Run: flask --app bot line-setup" in result.output
    assert "Messages this month: 3 sent; no monthly limit." in result.output
    assert "Rich menus: not installed. Run: flask --app bot line-setup" in result.output
    _one_line_error(result, "2 thing(s) to fix")


def test_line_check_webhook_mismatch(runner, line, channel):
    channel.install_menus()
    line.webhook_endpoint = "https://old-host.example/callback"
    result = _run(runner, "line-check")
    assert ("Webhook: https://old-host.example/callback, but this service is at "
            f"{WEBHOOK} (PUBLIC_BASE_URL + /callback). Run: flask --app bot line-setup") in result.output
    _one_line_error(result, "1 thing(s) to fix")


def test_line_check_quota_used_up(runner, line, channel):
    channel.install_menus()
    line.webhook_endpoint = WEBHOOK
    line.quota_limit, line.quota_used = 300, 300
    result = _run(runner, "line-check")
    assert "300 of 300 used, 0 left" in result.output
    assert "quota is used up" in result.output
    _one_line_error(result, "1 thing(s) to fix")


def test_line_check_wrong_token_is_one_clear_line(settings_overrides, line):
    app = create_app({**settings_overrides, "line_channel_access_token": "wrong"})
    try:
        result = app.test_cli_runner().invoke(args=["line-check"])
    finally:
        app.extensions["tidtam"].engine.dispose()
    _one_line_error(result, "LINE_CHANNEL_ACCESS_TOKEN", "401")
    checks = [c for c in line.calls if c.method == "GET"]
    assert checks and all(c.status == 401 for c in checks)


def test_line_check_missing_token(settings_overrides):
    app = create_app({**settings_overrides, "line_channel_access_token": ""})
    try:
        result = app.test_cli_runner().invoke(args=["line-check"])
    finally:
        app.extensions["tidtam"].engine.dispose()
    _one_line_error(result, "LINE_CHANNEL_ACCESS_TOKEN is not set")


def test_line_check_unreachable_line_api(settings_overrides):
    app = create_app({**settings_overrides, "line_api_base_url": "http://127.0.0.1:9",
                      "line_data_api_base_url": "http://127.0.0.1:9"})
    try:
        result = app.test_cli_runner().invoke(args=["line-check"])
    finally:
        app.extensions["tidtam"].engine.dispose()
    _one_line_error(result, "cannot reach the LINE API at http://127.0.0.1:9", "connection refused",
                    "LINE_API_BASE_URL")


# -- line-setup ---------------------------------------------------------------------------------

def test_line_setup_sets_webhook_tests_it_and_installs_menus(runner, line, live_url):
    url = f"{live_url}/callback"
    result = _run(runner, "line-setup", "--webhook-url", url)
    assert result.exit_code == 0, result.output
    assert f"Webhook URL set: {url}" in result.output
    assert f"Webhook test: LINE called {url} and got 200 (OK)." in result.output
    assert line.webhook_endpoint == url
    test_calls = [c for c in line.calls if c.path == "/v2/bot/channel/webhook/test"]
    assert len(test_calls) == 1 and test_calls[0].response["success"] is True

    menus = _menus_by_key(line)
    assert sorted(menus) == ["officer", "supervisor", "unregistered"]
    for key, menu in menus.items():
        data, content_type = line.rich_menu_images[menu["richMenuId"]]
        assert content_type == "image/png"
        assert Image.open(io.BytesIO(data)).size == (2500, menu["size"]["height"])
        assert _alias(line, key) == menu["richMenuId"]
        assert menu["selected"] is True
    assert line.default_rich_menu == menus["unregistered"]["richMenuId"]
    assert [a["action"]["text"] for a in menus["officer"]["areas"]] == [
        "งานของฉัน", "รายงาน", "ประวัติ", "คะแนน", "ช่วยเหลือ"]
    assert [a["action"]["text"] for a in menus["supervisor"]["areas"]] == [
        "สรุป", "ค้างส่ง", "เตือน", "รายงานประจำปี", "คะแนน", "เว็บ", "ช่วยเหลือ"]
    assert [a["action"]["text"] for a in menus["unregistered"]["areas"]] == ["ลงทะเบียน", "วิธีใช้"]
    assert menus["unregistered"]["size"] == {"width": 2500, "height": 843}
    assert "Done. Add the bot as a friend: https://line.me/R/ti/p/%40tidtam" in result.output

    ids = {m["richMenuId"] for m in menus.values()}
    again = _run(runner, "line-setup", "--webhook-url", url)
    assert again.exit_code == 0, again.output
    assert again.output.count("unchanged, kept") == 3
    assert set(line.rich_menus) == ids
    assert len(line.rich_menu_aliases) == 3


def test_line_setup_reports_an_unreachable_webhook_and_still_installs_menus(runner, line):
    url = "http://127.0.0.1:9/callback"  # nothing listens there
    result = _run(runner, "line-setup", "--webhook-url", url)
    assert f"Webhook test FAILED: LINE could not reach {url} (COULD_NOT_CONNECT)" in result.output
    assert len(line.rich_menus) == 3 and line.default_rich_menu
    _one_line_error(result, "could not deliver to the webhook")


def test_line_setup_reports_a_refused_signature(settings_overrides, line):
    app = create_app({**settings_overrides, "line_channel_secret": "another-channel-secret"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/callback"
        result = app.test_cli_runner().invoke(args=["line-setup", "--webhook-url", url])
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["tidtam"].engine.dispose()
    assert f"Webhook test FAILED: LINE called {url} and got 400" in result.output
    assert "check LINE_CHANNEL_SECRET" in result.output
    assert result.exit_code == 1


def test_line_setup_refuses_a_webhook_that_is_not_https(runner, line):
    for url in ("http://tidtam.example/callback", "ftp://127.0.0.1/callback", "callback"):
        result = _run(runner, "line-setup", "--webhook-url", url)
        _one_line_error(result, "LINE only calls HTTPS webhooks")
    assert line.calls == []


def test_line_setup_refuses_an_http_public_base_url(settings_overrides, line):
    app = create_app({**settings_overrides, "public_base_url": "http://tidtam.example"})
    try:
        result = app.test_cli_runner().invoke(args=["line-setup"])
    finally:
        app.extensions["tidtam"].engine.dispose()
    _one_line_error(result, "PUBLIC_BASE_URL", "--webhook-url")
    assert line.calls == []


def test_webhook_url_rules():
    assert webhook_url_problem("https://tidtam.example/callback") is None
    assert webhook_url_problem("http://localhost:8000/callback") is None
    assert webhook_url_problem("http://127.0.0.1:8000/callback") is None
    assert webhook_url_problem("http://192.168.1.5/callback")
    assert webhook_url_problem("https:///callback")


def test_line_setup_replaces_stale_menus_and_links_registered_users(runner, line, session, channel):
    world = make_world(session)  # three officers linked to LINE: two officers, one supervisor
    retired = world.officers["สมหญิง รักงาน"]
    retired.active = False
    session.add(retired)
    session.commit()
    old = channel.install_menus()
    # An old Tidtam menu from an earlier version, and a menu the organisation made itself.
    stale = dict(line.rich_menus[old.menus["officer"]], name="tidtam:officer:v0:old")
    line.rich_menus["richmenu-stale"] = {**stale, "richMenuId": "richmenu-stale"}
    line.rich_menu_images["richmenu-stale"] = line.rich_menu_images[old.menus["officer"]]
    line.rich_menus["richmenu-own"] = {**stale, "richMenuId": "richmenu-own", "name": "Our own menu"}
    line.user_rich_menus[retired.line_user_id] = old.menus["officer"]

    result = _run(runner, "line-setup", "--webhook-url", "http://127.0.0.1:9/callback")
    assert "Removed 1 old Tidtam rich menu(s)." in result.output
    assert "Linked menus to 2 registered user(s): 1 officer, 1 supervisor." in result.output
    assert "Unlinked 1 inactive officer(s)" in result.output
    assert set(line.rich_menus) == set(old.menus.values()) | {"richmenu-own"}
    somchai, boss = world.officers["สมชาย ใจดี"], world.officers["ประยุทธ์ หัวหน้า"]
    assert line.user_rich_menus == {somchai.line_user_id: _alias(line, "officer"),
                                    boss.line_user_id: _alias(line, "supervisor")}
    assert any(c.path == "/v2/bot/richmenu/bulk/link" and c.accepted for c in line.calls)


def test_a_changed_menu_definition_is_replaced(runner, line, channel):
    first = channel.install_menus()
    menu = line.rich_menus[first.menus["supervisor"]]
    menu["name"] = menu["name"].rsplit(":", 1)[0] + ":0123456789ab"  # as if drawn by an older version
    second = channel.install_menus()
    assert second.created == ["supervisor"] and second.kept == ["unregistered", "officer"]
    assert second.removed == 1
    assert len(line.rich_menus) == 3
    assert _alias(line, "supervisor") == second.menus["supervisor"] != first.menus["supervisor"]


def test_a_menu_left_without_image_is_replaced(line, channel):
    first = channel.install_menus()
    del line.rich_menu_images[first.menus["officer"]]
    second = channel.install_menus()
    assert second.created == ["officer"]
    assert len(line.rich_menus) == 3 and all(m in line.rich_menu_images for m in line.rich_menus)


def test_line_setup_wrong_token_is_one_clear_line(settings_overrides, line):
    app = create_app({**settings_overrides, "line_channel_access_token": "wrong"})
    try:
        result = app.test_cli_runner().invoke(args=["line-setup", "--webhook-url", "http://127.0.0.1:9/x"])
    finally:
        app.extensions["tidtam"].engine.dispose()
    _one_line_error(result, "LINE_CHANNEL_ACCESS_TOKEN")
    assert line.rich_menus == {}


# -- linking on registration and role change ------------------------------------------------------

def test_registration_links_the_officer_menu(chat, session, line, channel):
    channel.install_menus()
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    sent = chat.text("U-new-officer", f"ลงทะเบียน {code}")
    assert "ลงทะเบียนเรียบร้อย" in sent.text
    officer_menu = _alias(line, "officer")
    assert line.wait_for(lambda f: f.user_rich_menus.get("U-new-officer") == officer_menu, timeout=5)


def test_registration_links_the_supervisor_menu(chat, session, line, channel):
    channel.install_menus()
    world = make_world(session, link=False)
    code = code_for(session, world.officers["ประยุทธ์ หัวหน้า"])
    chat.text("U-new-boss", f"ลงทะเบียน {code}")
    supervisor_menu = _alias(line, "supervisor")
    assert line.wait_for(lambda f: f.user_rich_menus.get("U-new-boss") == supervisor_menu, timeout=5)


def test_registration_before_line_setup_skips_linking_quietly(chat, session, line):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    sent = chat.text("U-early", f"ลงทะเบียน {code}")
    assert "ลงทะเบียนเรียบร้อย" in sent.text
    alias_path = "/v2/bot/richmenu/alias/tidtam-officer"
    assert line.wait_for(lambda f: any(c.path == alias_path for c in f.calls), timeout=5)
    assert [c.status for c in line.calls if c.path == alias_path] == [404]
    assert line.user_rich_menus == {}


def test_set_role_changes_the_role_and_the_menu(runner, session, line, channel):
    channel.install_menus()
    world = make_world(session)
    somchai = world.officers["สมชาย ใจดี"]
    result = _run(runner, "set-role", "สมชาย", "supervisor")
    assert result.exit_code == 0, result.output
    assert "สมชาย ใจดี: role officer → supervisor." in result.output
    assert "Rich menu: linked the supervisor menu to their LINE account." in result.output
    assert line.user_rich_menus[somchai.line_user_id] == _alias(line, "supervisor")
    session.expire_all()
    assert session.get(Officer, somchai.id).role == "supervisor"

    back = _run(runner, "set-role", "สมชาย ใจดี", "officer")
    assert "role supervisor → officer." in back.output
    assert line.user_rich_menus[somchai.line_user_id] == _alias(line, "officer")
    admin = _run(runner, "set-role", "สมชาย ใจดี", "admin")
    assert "linked the supervisor menu" in admin.output


def test_set_role_keeps_the_role_when_line_fails(runner, session, line, channel):
    channel.install_menus()
    world = make_world(session)
    line.fail_next(1, status=500, path="/v2/bot/richmenu/alias/*")
    result = _run(runner, "set-role", "สมหญิง รักงาน", "supervisor")
    assert result.exit_code == 0, result.output
    assert "role officer → supervisor." in result.output
    assert "Warning: the role is saved, but the supervisor rich menu was not linked: LINE answered 500" \
        in result.output
    session.expire_all()
    assert session.get(Officer, world.officers["สมหญิง รักงาน"].id).role == "supervisor"


def test_set_role_before_line_setup_and_before_registration(runner, session, line):
    make_world(session, officers=[("สมชาย ใจดี", "กองคลัง", "officer")])
    result = _run(runner, "set-role", "สมชาย ใจดี", "supervisor")
    assert "Rich menu: none installed yet, nothing linked (run: flask --app bot line-setup)." in result.output
    officer = session.exec(select(Officer)).one()
    officer.line_user_id = None
    session.add(officer)
    session.commit()
    result = _run(runner, "set-role", "สมชาย ใจดี", "officer")
    assert "Rich menu: not linked to LINE yet" in result.output
    assert line.user_rich_menus == {}


def test_set_role_unknown_officer_is_one_line(runner, session):
    make_world(session)
    _one_line_error(_run(runner, "set-role", "ไม่มีคนนี้", "admin"), "no officer named")


# -- the menus themselves -------------------------------------------------------------------------

@pytest.mark.parametrize("spec", MENUS, ids=lambda s: s.key)
def test_menu_images_are_the_size_line_requires(spec):
    data = spec.image()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (2500, spec.height)
    assert len(data) <= MAX_BYTES
    # The buttons cover the whole image, without overlaps.
    assert sum(w * h for _, _, w, h, _ in spec.boxes()) == 2500 * spec.height


def test_buttons_send_typed_commands():
    import handlers.all  # noqa: F401  (registers every command, as create_app does)

    words = {w for c in commands() for w in c.words}
    sent = {b.text for spec in MENUS for b in spec.buttons}
    # Commands other modules add (scores, reminders, the annual report) are sent as typed too.
    assert {"งานของฉัน", "รายงาน", "ประวัติ", "ช่วยเหลือ", "ลงทะเบียน", "วิธีใช้"} <= words & sent
    assert all(len(b.label) <= 20 for spec in MENUS for b in spec.buttons)
    assert MENUS_BY_KEY["unregistered"].height == 843


def test_rich_menu_images_command_writes_three_pngs(runner, tmp_path):
    result = _run(runner, "rich-menu-images", tmp_path / "menus")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "menus").iterdir()) == [
        "officer.png", "supervisor.png", "unregistered.png"]
    assert "Font: " in result.output


def test_missing_thai_font_says_how_to_install_one(monkeypatch):
    import line.richmenu_images as images

    monkeypatch.delenv("TIDTAM_THAI_FONT", raising=False)
    monkeypatch.setattr(images, "_package_font", lambda: None)
    monkeypatch.setattr(images, "_SYSTEM_FONTS", ())
    monkeypatch.setattr(images, "_fontconfig_fonts", lambda: [])
    with pytest.raises(ThaiFontMissing) as info:
        images.thai_font_path.__wrapped__()
    assert str(info.value) == NO_FONT_MESSAGE
    assert "fonts-thai-tlwg" in NO_FONT_MESSAGE and "fontpkg-noto-sans-thai" in NO_FONT_MESSAGE
