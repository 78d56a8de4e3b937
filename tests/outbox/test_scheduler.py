"""Reminders that run themselves: timelines, reconcile, delivery, exactly once, with time travel."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import select

from models import ClosedDay, Officer, OutboxMessage, utcnow
from models.plan import Measure
from models.reports import Draft, save_report
from models.schedule import DeliveryPause, OutboxStatus, Schedule
from outbox.delivery import deliver
from outbox.planning import closed_days, reconcile, timeline
from tests.factories import make_world

BKK = ZoneInfo("Asia/Bangkok")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=BKK)


def _outbox(session, **where):
    session.expire_all()
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [r for r in rows if all(getattr(r, k) == v for k, v in where.items())]


def _accepted_pushes(line, user_id):
    return [c for c in line.pushes() if c.json and c.json.get("to") == user_id]


@pytest.fixture
def world(session):
    # Fiscal year 2569 runs October 2025 – September 2026. Three officers owe reports; the
    # supervisor owes none (a unit's measure is reported by its officers) and gets the digest.
    return make_world(session, year=2569, officers=[
        ("สมชาย ใจดี", "กองคลัง", "officer"),
        ("สมหญิง รักงาน", "สำนักปลัด", "officer"),
        ("สมศักดิ์ ขยัน", "สำนักปลัด", "officer"),
        ("ประยุทธ์ หัวหน้า", "สำนักปลัด", "supervisor"),
    ])


def test_first_working_day_after_a_holiday_weekend():
    # 1 Jan 2026 (Thu) New Year, 2 Jan (Fri) bridge holiday, 3–4 Jan weekend.
    tl = timeline(Schedule(organisation_id=1), date(2026, 1, 1), set(), BKK)
    assert tl.reminder_at == at(2026, 1, 5, 9)
    # Nudges 3 and 7 working days later; the digest on the first working day after day 10 (a Saturday).
    assert [n.date() for n in tl.nudges_at] == [date(2026, 1, 8), date(2026, 1, 14)]
    assert tl.digest_at.date() == date(2026, 1, 12)


def test_closed_days_move_the_reminder(session, world):
    session.add(ClosedDay(organisation_id=world.org.id, day=date(2026, 1, 5), name="วันจัดงาน"))
    session.commit()
    tl = timeline(Schedule(organisation_id=world.org.id), date(2026, 1, 1), closed_days(session, world.org.id), BKK)
    assert tl.reminder_at.date() == date(2026, 1, 6)


def test_nothing_before_the_reminder_time(services, session, world):
    with time_machine.travel(at(2026, 1, 5, 8, 59)):
        reconcile(services)
    assert _outbox(session) == []


def test_reminders_once_per_officer_and_period(services, session, world, line):
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        first = reconcile(services)
        again = reconcile(services)
        deliver(services)
        deliver(services)
    # สมชาย (กองคลัง: measures 1, 3), สมหญิง and สมศักดิ์ (สำนักปลัด: 2, 3) all have due measures.
    assert first.enqueued["reminder"] == 3 and again.enqueued["reminder"] == 0
    for officer in world.officers.values():
        pushes = _accepted_pushes(line, officer.line_user_id)
        if officer.role == "supervisor":  # owes nothing through the unit, so no reminder
            assert pushes == [], officer.name
            continue
        assert len(pushes) == 1, officer.name
        assert "รอบเดือนมกราคม 2569" in pushes[0].json["messages"][0]["text"]
    assert {r.status for r in _outbox(session)} == {OutboxStatus.DELIVERED.value}


def test_catch_up_after_a_clock_outage(services, session, world, line):
    # The clock was down from 1 January until the 20th: reminders still go out, within the period.
    with time_machine.travel(at(2026, 1, 20, 14)):
        result = reconcile(services)
        deliver(services)
    # Reminders go out late; nudges count from them, not from the missed day; the deadline
    # has passed, so the supervisor's digest goes too.
    assert result.enqueued == {"reminder": 3, "nudge": 0, "digest": 1, "notice": 0}
    assert len(line.pushes()) == 4
    with time_machine.travel(at(2026, 1, 23, 9, 30)):
        assert reconcile(services).enqueued["nudge"] == 3  # three working days after the late reminder


def test_no_reminder_for_a_closed_period(services, session, world, line):
    with time_machine.travel(at(2025, 12, 1, 9, 30)):
        assert reconcile(services).enqueued["reminder"] == 3
    # Delivery did not happen in December (LINE down, clock down...). In January they are stale.
    with time_machine.travel(at(2026, 1, 2, 8)):
        result = deliver(services)
    assert result.expired == 3 and line.pushes() == []
    assert {r.status for r in _outbox(session)} == {OutboxStatus.EXPIRED.value}


def test_nudges_only_to_non_responders(services, session, world, line):
    somchai, somying = world.officers["สมชาย ใจดี"], world.officers["สมหญิง รักงาน"]
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        reconcile(services)
        deliver(services)
    # สมชาย reports both of his measures; สมหญิง reports only one of hers.
    for officer, refs in ((somchai, ["1", "3"]), (somying, ["2"])):
        for ref in refs:
            save_report(session, draft=Draft(measure_id=world.measures[ref].id, period=date(2026, 1, 1),
                                             status="done", percent=100), officer=officer, reported_by=officer,
                        webhook_event_id=None, via="chat", evidence_ids=[], now=utcnow())
    session.commit()
    line.reset()
    with time_machine.travel(at(2026, 1, 8, 9, 1)):
        result = reconcile(services)
        deliver(services)
    assert result.enqueued["nudge"] == 2  # สมหญิง and the supervisor
    assert _accepted_pushes(line, somchai.line_user_id) == []
    nudge = _accepted_pushes(line, somying.line_user_id)[0].json["messages"][0]["text"]
    assert "ยังไม่ได้รับรายงาน" in nudge and "จัดทำคู่มือ" in nudge and "ประชุมชี้แจง" not in nudge


def test_on_leave_skipped_and_listed_in_digest(services, session, world, line):
    somying = session.get(Officer, world.officers["สมหญิง รักงาน"].id)
    somying.leave_start, somying.leave_end = date(2026, 1, 1), date(2026, 1, 31)
    session.add(somying)
    session.commit()
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        result = reconcile(services)
        deliver(services)
    assert _accepted_pushes(line, somying.line_user_id) == []
    assert result.skipped[world.org.name] == ["สมหญิง รักงาน"]
    boss = world.officers["ประยุทธ์ หัวหน้า"]
    with time_machine.travel(at(2026, 1, 12, 9, 30)):
        digest = reconcile(services)
        deliver(services)
    assert digest.enqueued["digest"] == 1
    texts = [c.json["messages"][0]["text"] for c in _accepted_pushes(line, boss.line_user_id)]
    digests = [t for t in texts if "สรุปการรายงาน" in t]
    assert len(digests) == 1
    text = digests[0]
    assert "สรุปการรายงาน" in text and "สมหญิง รักงาน (ลา)" in text and "สมชาย ใจดี" in text
    # Officers never get the digest; supervisors get it once.
    with time_machine.travel(at(2026, 1, 13, 9, 30)):
        assert reconcile(services).enqueued["digest"] == 0
    assert not [c for c in line.pushes() if "สรุปการรายงาน" in str(c.json) and
                c.json["to"] == world.officers["สมชาย ใจดี"].line_user_id]


def test_quarterly_measures_only_in_their_months(services, session, world, line):
    for measure in session.exec(select(Measure)).all():
        measure.cadence = "quarterly"
        session.add(measure)
    session.commit()
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        assert reconcile(services).enqueued["reminder"] == 0
    with time_machine.travel(at(2026, 3, 2, 9, 5)):
        assert reconcile(services).enqueued["reminder"] == 3


def test_transient_failures_are_retried_with_the_same_key(services, session, world, line):
    line.fail_next(2, status=500, path="/v2/bot/message/push")
    line.fail_next(1, status=429, path="/v2/bot/message/push", message="Too many requests")
    start = at(2026, 1, 5, 9, 5)
    with time_machine.travel(start, tick=False) as traveller:
        reconcile(services)
        deliver(services, workers=1)
        for _ in range(5):
            traveller.shift(timedelta(minutes=10))
            deliver(services, workers=1)
    for row in _outbox(session):
        assert row.status == OutboxStatus.DELIVERED.value
        keys = {c.retry_key for c in line.calls if c.path.endswith("/push") and c.json["to"] == row.recipient}
        assert keys == {row.retry_key}
    for officer in world.officers.values():
        assert len(_accepted_pushes(line, officer.line_user_id)) == (officer.role != "supervisor")


def test_client_errors_go_to_dead_letter(services, session, world, line, runner):
    line.fail_next(1, status=400, path="/v2/bot/message/push", message="The property, 'to', in the request body is invalid")
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        reconcile(services)
        result = deliver(services, workers=1)
    assert result.dead == 1
    dead = _outbox(session, status=OutboxStatus.DEAD.value)
    assert len(dead) == 1 and "400" in dead[0].last_error
    listing = runner.invoke(args=["outbox", "--failed"])
    assert "dead" in listing.output and "invalid" in listing.output


def test_monthly_quota_pauses_and_tells_the_admin(services, session, world, line, chat):
    admin = Officer(organisation_id=world.org.id, name="ผู้ดูแล ระบบ", role="admin", line_user_id="U-admin")
    session.add(admin)
    session.commit()
    line.quota_limit = 2
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        reconcile(services)
        result = deliver(services, workers=1)
        assert result.paused and result.delivered == 2
        assert deliver(services).paused  # stays paused
        pause = session.get(DeliveryPause, 1)
        assert pause.paused_until.astimezone(BKK) == at(2026, 2, 1, 0)
        reply = chat.text("U-admin", "ช่วยเหลือ")
        assert any("โควตา" in t for t in reply.texts)
        assert not any("โควตา" in t for t in chat.text("U-admin", "ช่วยเหลือ").texts)  # told once
    assert len(line.pushes()) == 2


def test_large_send_over_the_remaining_quota_is_held_not_half_done(services, session, line, runner):
    officers = [(f"เจ้าหน้าที่ {i:02d}", "กองคลัง", "officer") for i in range(25)]
    make_world(session, year=2569, officers=officers, measures=[("1", "มาตรการ", "กองคลัง")])
    line.quota_limit = 10
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        reconcile(services)
        result = deliver(services)
        assert result.held == 25 and line.pushes() == []
        assert "โควตา LINE เหลือ 10" in result.notes[0]
        line.quota_limit = 100
        released = runner.invoke(args=["send-reminders", "--send-anyway"])
    assert released.exit_code == 0, released.output
    assert "Delivered 25" in released.output
    assert len(line.pushes()) == 25


def test_one_organisation_failing_does_not_stop_others(services, session, line, monkeypatch):
    make_world(session, year=2569, name="อบต.หนึ่ง")
    make_world(session, year=2569, name="อบต.สอง")
    import outbox.planning as planning

    real = planning._reconcile_org

    def flaky(session, org, *args):
        if org.name == "อบต.หนึ่ง":
            raise RuntimeError("bad data")
        return real(session, org, *args)

    monkeypatch.setattr(planning, "_reconcile_org", flaky)
    with time_machine.travel(at(2026, 1, 5, 9, 5)):
        result = reconcile(services)
    assert result.enqueued["reminder"] == 2  # อบต.สอง's two officers; its supervisor owes nothing


def test_send_reminders_cli_dry_run_and_refusals(runner, session, world, line):
    dry = runner.invoke(args=["send-reminders", "--dry-run"])
    assert dry.exit_code == 0 and "would be enqueued" in dry.output and line.pushes() == []
    assert _outbox(session) == []
    closed = runner.invoke(args=["send-reminders", "--period", "2020-01"])
    assert closed.exit_code == 1 and "never reminded late" in closed.output
    bad = runner.invoke(args=["send-reminders", "--period", "January"])
    assert bad.exit_code == 1 and "2026-11" in bad.output or "YYYY" in bad.output or "look like" in bad.output


def test_schedule_and_holiday_commands(runner, session, world):
    added = runner.invoke(args=["holiday", "add", "2026-12-30", "วันหยุดของหน่วยงาน"])
    assert added.exit_code == 0 and "30 ธ.ค. 2569" in added.output
    assert "วันหยุดของหน่วยงาน" in runner.invoke(args=["holiday", "list"]).output
    assert runner.invoke(args=["holiday", "add", "30/12/2026", "x"]).exit_code == 1
    changed = runner.invoke(args=["set-schedule", "--time", "08:30", "--nudges", "2,5", "--deadline-day", "15"])
    assert changed.exit_code == 0, changed.output
    shown = runner.invoke(args=["schedule"])
    assert "08:30" in shown.output and world.org.name in shown.output


def test_supervisor_nudge_command_once_a_day(chat, services, session, world, line):
    boss = world.officers["ประยุทธ์ หัวหน้า"].line_user_id
    with time_machine.travel(at(2026, 1, 6, 10)):
        sent = chat.text(boss, "เตือน")
        assert "ส่งแจ้งเตือนผู้ที่ยังไม่รายงานแล้ว 3 คน" in sent.text
        services.tasks.submit(lambda: None).result(timeout=10)
        assert line.wait_for(lambda fake: len(fake.pushes()) >= 3, timeout=10)
        assert "ส่งได้วันละครั้ง" in chat.text(boss, "เตือน").text
    assert "ผู้บังคับบัญชา" in chat.text(world.officers["สมชาย ใจดี"].line_user_id, "เตือน").text
    assert len(line.pushes()) == 3


def test_a_second_clock_is_kept_out(services):
    from outbox.lock import clock_lock

    with clock_lock(services.engine) as first:
        assert first
        other_engine = __import__("models").make_engine(services.engine.url.render_as_string(hide_password=False))
        with clock_lock(other_engine) as second:
            assert second is False
        other_engine.dispose()
    with clock_lock(services.engine) as again:
        assert again  # released when the first clock finished
