"""Access control: every refusal is tested (signed links, other organisations, roles)."""
from __future__ import annotations

from datetime import timedelta

import time_machine

from core.links import new_file_path, signed_url
from models import utcnow
from tests.factories import make_world


def _path_of(url: str) -> str:
    return url.split("https://tidtam.example", 1)[1]


def test_signed_link_serves_the_file(client, services):
    path = new_file_path(services.settings, ".png")
    path.write_bytes(b"\x89PNG\r\n\x1a\nchart")
    response = client.get(_path_of(signed_url(services.settings, path)))
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")


def test_tampered_link_gets_a_clear_page(client, services):
    path = new_file_path(services.settings, ".xlsx")
    path.write_bytes(b"PK")
    url = _path_of(signed_url(services.settings, path))
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    response = client.get(tampered)
    assert response.status_code == 404 and "ลิงก์นี้ไม่ถูกต้อง" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_expired_link_gets_a_clear_page(client, services):
    path = new_file_path(services.settings, ".docx")
    path.write_bytes(b"PK")
    url = _path_of(signed_url(services.settings, path))
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        response = client.get(url)
    assert response.status_code == 410 and "หมดอายุ" in response.get_data(as_text=True)


def test_a_signed_name_cannot_leave_the_generated_folder(client, services):
    from itsdangerous import URLSafeTimedSerializer

    from core.links import SALT

    token = URLSafeTimedSerializer(services.settings.signing_key, salt=SALT).dumps(
        {"f": "../../pyproject.toml", "n": "x"})
    assert client.get(f"/files/{token}").status_code == 404


def test_another_organisations_measure_cannot_be_reported(chat, session):
    a = make_world(session, name="อบต.เอ")
    b = make_world(session, name="อบต.บี")
    user_a = a.officers["สมชาย ใจดี"].line_user_id
    foreign = b.measures["1"]
    sent = chat.postback(user_a, f"a=rep&m={foreign.id}")
    assert "ไม่ได้อยู่ในความรับผิดชอบ" in sent.text


def test_officer_cannot_use_supervisor_commands(chat, session):
    world = make_world(session)
    user = world.officers["สมชาย ใจดี"].line_user_id
    for command in ("เตือน", "รายงานแทน สมหญิง 2 ดำเนินการแล้ว"):
        assert "สำหรับผู้บังคับบัญชา" in chat.text(user, command).text


def test_inactive_officer_is_refused(chat, session):
    world = make_world(session)
    officer = world.officers["สมชาย ใจดี"]
    officer.active = False
    session.add(officer)
    session.commit()
    assert "ถูกระงับ" in chat.text(officer.line_user_id, "งานของฉัน").text
