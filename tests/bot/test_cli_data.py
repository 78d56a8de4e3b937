"""Backups, restore and removing an officer's personal data."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, func, select

from models import EventStatus, Evidence, Measure, Officer, ReportVersion, WebhookEvent, utcnow
from tests.factories import make_world


def test_backup_and_restore_round_trip(runner, session, tmp_path):
    world = make_world(session)
    backup = tmp_path / "snapshot.bak"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.stat().st_size > 0
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 1  # never overwrites
    # Damage the data, then restore.
    measure = session.get(Measure, world.measures["1"].id)
    measure.title = "แก้ไขผิดพลาด"
    session.add(measure)
    session.commit()
    session.close()
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    restored = runner.invoke(args=["restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    session.expire_all()
    assert session.get(Measure, world.measures["1"].id).title == "เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์"


def test_forget_officer_removes_personal_data_keeps_reports(chat, runner, session, settings_overrides):
    from pathlib import Path

    world = make_world(session)
    somchai = world.officers["สมชาย ใจดี"]
    user = somchai.line_user_id
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว ประชุมแล้ว")
    chat.media(user, b"\xff\xd8\xffphoto")
    chat.text(user, "ยืนยัน")
    preview = runner.invoke(args=["forget-officer", "สมชาย", "--with-evidence"])
    assert preview.exit_code == 0 and "Nothing was changed" in preview.output
    result = runner.invoke(args=["forget-officer", "สมชาย", "--with-evidence", "--yes"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    officer = session.get(Officer, somchai.id)
    assert "สมชาย" not in officer.name and officer.line_user_id is None and officer.phone is None
    assert session.exec(select(func.count()).select_from(WebhookEvent).where(WebhookEvent.user_id == user)).one() == 0
    assert session.exec(select(func.count()).select_from(ReportVersion)).one() == 1
    assert session.exec(select(func.count()).select_from(Evidence)).one() == 0
    assert not any(Path(settings_overrides["evidence_dir"]).rglob("*.jpg"))
    # The LINE account is no longer linked: the person is a stranger to the bot now.
    assert "ยังไม่ได้ลงทะเบียน" in chat.text(user, "งานของฉัน").text


def test_remove_expired_removes_old_finished_events_now_and_says_what_it_kept(runner, services):
    with Session(services.engine) as session:
        for event_id, days in (("ancient", 400), ("recent", 3)):
            session.add(WebhookEvent(webhook_event_id=event_id, event_type="message", payload="{}",
                                     status=EventStatus.DONE.value, received_at=utcnow() - timedelta(days=days)))
        session.commit()
    result = runner.invoke(args=["remove-expired"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 webhook event(s)" in result.output and "kept 90 days" in result.output
    with Session(services.engine) as session:
        assert list(session.exec(select(WebhookEvent.webhook_event_id))) == ["recent"]
