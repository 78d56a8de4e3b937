"""Per-organisation reminder schedules, the outbox of pushed messages, and delivery pauses."""
from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from models.db import UTCDateTime, utcnow


class Schedule(SQLModel, table=True):
    """When an organisation's reminders, nudges, deadline and digest fall each month."""

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    enabled: bool = True
    reminder_day: int = 0  # 0: the first working day; N: day N, moved to the next working day
    reminder_time: str = Field(default="09:00", max_length=5)
    nudge_after_days: str = Field(default="3,7", max_length=40)  # working days after the reminder
    deadline_day: int = 10

    @property
    def nudge_offsets(self) -> list[int]:
        return sorted({int(x) for x in self.nudge_after_days.split(",") if x.strip().isdigit()})

    @property
    def hour_minute(self) -> tuple[int, int]:
        hour, _, minute = self.reminder_time.partition(":")
        return int(hour), int(minute or 0)


class OutboxKind(str, enum.Enum):
    REMINDER = "reminder"
    NUDGE = "nudge"
    DIGEST = "digest"
    NOTICE = "notice"
    ANSWER = "answer"  # what a person asked for, sent later: a chart, a report's links


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    DEAD = "dead"  # a 4xx that will not get better, or too many attempts
    EXPIRED = "expired"  # its period closed before it could go out
    HELD = "held"  # more than the quota allows; waiting for an admin's decision


class OutboxMessage(SQLModel, table=True):
    """One push to one person, written before it is sent; the key makes re-runs harmless."""

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "officer_id", "period", "kind", "sequence"),
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    officer_id: int = Field(foreign_key="officer.id", index=True)
    period: date
    kind: str = Field(max_length=12)
    sequence: int = 1
    recipient: str = Field(max_length=64)
    messages: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    retry_key: str = Field(default_factory=lambda: str(uuid.uuid4()), max_length=36)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=10)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class DeliveryPause(SQLModel, table=True):
    """Pushes stopped for the whole channel (the monthly quota is spent) until a time."""

    id: int = Field(default=1, primary_key=True)
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str = Field(default="", max_length=300)
    notice: str = Field(default="", max_length=500)
    notified_officer_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
