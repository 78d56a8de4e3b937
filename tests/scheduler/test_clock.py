"""The clock's jobs: what runs, and how often."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from models import EventStatus, WebhookEvent, utcnow
from scheduler.clock import build_scheduler, retention_job


def test_the_clock_schedules_reminders_the_sweeper_and_a_nightly_clean_up(services):
    scheduler = build_scheduler(services)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"tick", "sweep", "retention"}
    trigger = str(jobs["retention"].trigger)
    assert "hour='3'" in trigger and "minute='30'" in trigger


def test_the_retention_job_removes_old_finished_events(services):
    with Session(services.engine) as session:
        session.add(WebhookEvent(webhook_event_id="old", event_type="message", payload="{}",
                                 status=EventStatus.DONE.value, received_at=utcnow() - timedelta(days=120)))
        session.commit()
    retention_job(services)
    with Session(services.engine) as session:
        assert session.exec(select(WebhookEvent)).first() is None
