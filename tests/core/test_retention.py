"""What the clock removes every night, and what it must never remove."""
from __future__ import annotations

import dataclasses
import os
import time
from datetime import timedelta

from sqlmodel import Session, select

from core.links import LINK_MAX_AGE, new_file_path
from core.retention import remove_expired
from models import Conversation, EventStatus, WebhookEvent, utcnow

DAY = timedelta(days=1)


def _event(event_id: str, status: EventStatus, age: timedelta) -> WebhookEvent:
    return WebhookEvent(webhook_event_id=event_id, event_type="message", user_id="U-ret", chat_key="U-ret",
                        payload="{}", status=status.value, received_at=utcnow() - age)


def _ids(services) -> set[str]:
    with Session(services.engine) as session:
        return set(session.exec(select(WebhookEvent.webhook_event_id)))


def test_finished_events_past_retention_go_and_everything_else_stays(services):
    settings = dataclasses.replace(services.settings, webhook_retention_days=90)
    with Session(services.engine) as session:
        session.add_all([
            _event("old-done", EventStatus.DONE, 91 * DAY),
            _event("old-failed", EventStatus.FAILED, 200 * DAY),
            _event("old-skipped", EventStatus.SKIPPED, 91 * DAY),
            _event("recent-done", EventStatus.DONE, 89 * DAY),
            # Still to be handled or answered, however old: never removed.
            _event("old-received", EventStatus.RECEIVED, 300 * DAY),
            _event("old-processing", EventStatus.PROCESSING, 300 * DAY),
            _event("old-answering", EventStatus.ANSWERING, 300 * DAY),
        ])
        session.commit()
    removed = remove_expired(services.engine, settings, batch=2)  # several batches
    assert removed.webhook_events == 3
    assert _ids(services) == {"recent-done", "old-received", "old-processing", "old-answering"}


def test_retention_zero_keeps_every_event(services):
    settings = dataclasses.replace(services.settings, webhook_retention_days=0)
    with Session(services.engine) as session:
        session.add(_event("ancient", EventStatus.DONE, 3000 * DAY))
        session.commit()
    assert remove_expired(services.engine, settings).webhook_events == 0
    assert _ids(services) == {"ancient"}


def test_conversations_expired_more_than_a_day_ago_go(services):
    now = utcnow()
    with Session(services.engine) as session:
        session.add_all([
            Conversation(line_user_id="U-gone", flow="report", step="status", data={}, expires_at=now - 2 * DAY),
            Conversation(line_user_id="U-just", flow="report", step="status", data={},
                         expires_at=now - timedelta(hours=2)),
            Conversation(line_user_id="U-live", flow="report", step="status", data={},
                         expires_at=now + timedelta(minutes=20)),
        ])
        session.commit()
    assert remove_expired(services.engine, services.settings).conversations == 1
    with Session(services.engine) as session:
        assert set(session.exec(select(Conversation.line_user_id))) == {"U-just", "U-live"}


def test_generated_files_go_once_their_links_cannot_open(services):
    settings = services.settings
    expired, fresh = new_file_path(settings, ".png"), new_file_path(settings, ".docx")
    expired.write_bytes(b"old chart")
    fresh.write_bytes(b"today's report")
    old = time.time() - LINK_MAX_AGE - 2 * 3600
    os.utime(expired, (old, old))
    assert remove_expired(services.engine, settings).files == 1
    assert not expired.exists() and fresh.exists()
