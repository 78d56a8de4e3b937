"""Who may use the console: one-time links, sessions, CSRF, roles and organisations."""
from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlmodel import select

from bot import create_app
from line import texts
from models import Measure, Officer, utcnow
from models.console import AuditEntry, ConsoleSignIn, issue_sign_in
from tests.console.conftest import csrf_of, link_path, sign_in
from tests.factories import make_world


def test_chat_web_gives_an_admin_a_one_time_link_button(chat, world, session):
    admin = world.officers["นางอรุณี ผู้ดูแล"]
    sent = chat.text(admin.line_user_id, "เว็บ")
    flex = sent.flex()
    button = flex["contents"]["footer"]["contents"][0]["action"]
    assert button["type"] == "uri" and "/console/login/" in button["uri"]
    assert session.exec(select(ConsoleSignIn).where(ConsoleSignIn.officer_id == admin.id)).one().used_at is None


def test_chat_web_refuses_an_officer_politely(chat, world, session):
    sent = chat.text(world.officers["นายสมชาย ใจดี"].line_user_id, "เว็บ")
    assert sent.text == texts.CONSOLE_OFFICERS_REFUSED
    assert session.exec(select(ConsoleSignIn)).all() == []


def test_login_link_prints_the_link_last(runner, world):
    result = runner.invoke(args=["login-link", "--org", world.org.name, "--name", "นางอรุณี ผู้ดูแล"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("https://tidtam.example/console/login/")


def test_login_link_refuses_an_officer_with_one_line(runner, world):
    result = runner.invoke(args=["login-link", "--org", world.org.name, "--name", "นายสมชาย ใจดี"])
    assert result.exit_code != 0
    assert "officer" in result.output and len(result.output.strip().splitlines()) == 1


def test_add_officer_creates_the_organisation_for_the_first_admin(runner, session):
    result = runner.invoke(args=["add-officer", "--name", "นางใหม่ ตั้งต้น", "--unit", "สำนักปลัด", "--role", "admin",
                                 "--org", "เทศบาลตำบลตั้งต้นทดลอง"])
    assert result.exit_code == 0, result.output
    assert "Created the organisation เทศบาลตำบลตั้งต้นทดลอง" in result.output
    link = runner.invoke(args=["login-link", "--org", "เทศบาลตำบลตั้งต้นทดลอง", "--name", "นางใหม่ ตั้งต้น"])
    assert link.exit_code == 0 and "/console/login/" in link.output


def test_a_link_signs_in_once(client, services, world):
    path = link_path(services, world.officers["นางอรุณี ผู้ดูแล"])
    token = csrf_of(client.get(path).text)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert "นางอรุณี ผู้ดูแล" in client.get("/console/").text
    again = client.post(path, data={"csrf_token": token})
    assert again.status_code == 410 and texts.CONSOLE_SIGN_IN_USED in again.text


def test_an_expired_link_is_refused(client, services, world):
    path = link_path(services, world.officers["นางอรุณี ผู้ดูแล"])
    token = csrf_of(client.get(path).text)
    with time_machine.travel(utcnow() + timedelta(minutes=11)):
        response = client.post(path, data={"csrf_token": token})
    assert response.status_code == 410 and texts.CONSOLE_SIGN_IN_EXPIRED in response.text
    assert client.get("/console/").status_code == 401


def test_a_tampered_link_is_refused(client, services, world):
    path = link_path(services, world.officers["นางอรุณี ผู้ดูแล"]) + "x"
    response = client.post(path, data={"csrf_token": csrf_of(client.get(path).text)})
    assert response.status_code == 410 and texts.CONSOLE_SIGN_IN_INVALID in response.text


def test_an_officer_gets_no_link_and_a_demoted_supervisors_link_is_refused(client, services, world, session):
    officer = session.get(Officer, world.officers["นายสมชาย ใจดี"].id)
    try:
        issue_sign_in(session, officer=officer, signing_key="k", now=utcnow())
    except PermissionError:
        pass
    else:
        raise AssertionError("an officer got a sign-in link")
    supervisor = world.officers["นายปรีชา ปลัดทดลอง"]
    path = link_path(services, supervisor)
    row = session.get(Officer, supervisor.id)
    row.role = "officer"
    session.add(row)
    session.commit()
    response = client.post(path, data={"csrf_token": csrf_of(client.get(path).text)})
    assert response.status_code == 403 and texts.CONSOLE_SIGN_IN_REFUSED in response.text


def test_no_session_gets_a_thai_page_not_a_traceback(client, world):
    response = client.get("/console/people")
    assert response.status_code == 401
    assert texts.CONSOLE_NO_SESSION in response.text and "Traceback" not in response.text


def test_another_organisations_measure_is_refused(client, services, world, session):
    other = make_world(session, name="เทศบาลตำบลอื่นทดลอง", officers=[("นายอื่น ทดลอง", "กองคลัง", "admin")])
    foreign = other.measures["1"]
    csrf = sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])
    page = client.get(f"/console/measures/{foreign.id}")
    assert page.status_code == 404 and texts.CONSOLE_NOT_FOUND in page.text
    post = client.post(f"/console/plan/measures/{foreign.id}", data={
        "csrf_token": csrf, "title": "ถูกแก้", "cadence": "monthly", "responsible": "กองคลัง"})
    assert post.status_code == 404
    session.expire_all()
    assert session.get(Measure, foreign.id).title != "ถูกแก้"
    evidence = client.get(f"/console/people/{other.officers['นายอื่น ทดลอง'].id}")
    assert evidence.status_code == 404


def test_a_form_without_its_csrf_token_is_refused(client, services, world, session):
    sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])
    response = client.post("/console/people/add", data={"name": "นายไม่มีโทเคน", "unit": "กองคลัง"})
    assert response.status_code == 400 and texts.CONSOLE_BAD_FORM in response.text
    assert session.exec(select(Officer).where(Officer.name == "นายไม่มีโทเคน")).first() is None


def test_a_20_mb_upload_is_refused_with_a_clear_message(client, services, world):
    import io

    csrf = sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])
    big = io.BytesIO(b"x" * (20 * 1024 * 1024))
    response = client.post("/console/plan/preview", data={"csrf_token": csrf, "file": (big, "plan.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert texts.CONSOLE_TOO_LARGE.format(mb=10) in response.text


def test_a_supervisor_reads_but_cannot_write(client, services, world, session):
    csrf = sign_in(client, services, world.officers["นายปรีชา ปลัดทดลอง"])
    assert client.get("/console/people").status_code == 200
    response = client.post("/console/people/add", data={"csrf_token": csrf, "name": "นายแอบเพิ่ม", "unit": "กองคลัง"})
    assert response.status_code == 403 and texts.CONSOLE_ADMIN_ONLY in response.text
    assert session.exec(select(Officer).where(Officer.name == "นายแอบเพิ่ม")).first() is None


def test_a_role_change_signs_the_person_out(client, services, world, session):
    sign_in(client, services, world.officers["นายปรีชา ปลัดทดลอง"])
    row = session.get(Officer, world.officers["นายปรีชา ปลัดทดลอง"].id)
    row.role = "admin"
    session.add(row)
    session.commit()
    response = client.get("/console/")
    assert response.status_code == 401 and texts.CONSOLE_SESSION_ENDED in response.text


def test_signing_out_ends_the_session_on_the_server(client, services, world):
    csrf = sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])
    cookie = client.get_cookie("tidtam_console", path="/console")
    assert client.post("/console/logout", data={"csrf_token": csrf}).status_code == 302
    client.set_cookie("tidtam_console", cookie.value, path="/console")  # a copied cookie is worthless now
    assert client.get("/console/").status_code == 401


def test_cookie_flags_and_a_webhook_without_cookies(client, services, world, settings_overrides):
    path = link_path(services, world.officers["นางอรุณี ผู้ดูแล"])
    response = client.post(path, data={"csrf_token": csrf_of(client.get(path).text)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # development and tests run on http://
    assert "Set-Cookie" not in client.get("/healthz").headers
    production = create_app({**settings_overrides, "env": "production", "secret_key": "s" * 40})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.permanent_session_lifetime == timedelta(hours=8)
    production.extensions["tidtam"].tasks.shutdown()
    production.extensions["tidtam"].dispose()


def test_writes_are_audited(client, services, world, session):
    csrf = sign_in(client, services, world.officers["นางอรุณี ผู้ดูแล"])
    client.post("/console/people/add", data={"csrf_token": csrf, "name": "นายใหม่ ทดลอง", "unit": "กองคลัง",
                                             "role": "officer"})
    entry = session.exec(select(AuditEntry)).one()
    assert (entry.actor, entry.action) == ("นางอรุณี ผู้ดูแล", "people.add")
    assert "นายใหม่ ทดลอง" in client.get("/console/audit").text


def test_the_bare_address_leads_a_stranger_to_the_console_and_its_sign_in_help(client):
    root = client.get("/")
    assert root.status_code == 302 and root.headers["Location"].endswith("/console/")
    page = client.get("/console/", follow_redirects=True)
    assert page.status_code == 401 and "พิมพ์ เว็บ" in page.text  # how to get a sign-in link, in Thai
