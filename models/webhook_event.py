"""Webhook events as received: the queue the handlers drain, deduplication and a record of failures.

``chat_key`` names the conversation an event belongs to (the group or room, or
else the user): events of one chat are handled one at a time, oldest first.
The partial index covers only events still to be handled, so finding a chat's
next event stays one index probe however many events are kept.
"""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.db import UTCDateTime, utcnow


class EventStatus(str, enum.Enum):
    RECEIVED = "received"
    PROCESSING = "processing"
    ANSWERING = "answering"  # handled and saved; its answer is on its way to LINE
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


class WebhookEvent(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_webhookevent_open_chat", "chat_key", "id",
                 postgresql_where=sa.text("status IN ('received', 'processing', 'answering')"),
                 sqlite_where=sa.text("status IN ('received', 'processing', 'answering')")),
    )

    id: int | None = Field(default=None, primary_key=True)
    webhook_event_id: str = Field(max_length=64, unique=True)
    event_type: str = Field(max_length=40)
    source_type: str | None = Field(default=None, max_length=10)
    user_id: str | None = Field(default=None, max_length=64, index=True)
    group_id: str | None = Field(default=None, max_length=64)
    chat_key: str | None = Field(default=None, max_length=64)
    payload: str  # the event's JSON as LINE sent it
    is_redelivery: bool = False
    status: str = Field(default=EventStatus.RECEIVED.value, max_length=12, index=True)
    attempts: int = 0
    error: str | None = None
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
