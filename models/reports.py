"""Progress reports on measures, their versions, evidence, and chat flow state."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from models.db import UTCDateTime, utcnow


class StatusReport(SQLModel, table=True):
    """One officer's report on one measure for one period; its content is versioned."""

    __table_args__ = (
        sa.UniqueConstraint("measure_id", "officer_id", "period"),
        sa.Index("ix_status_report_org_period", "organisation_id", "period"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    measure_id: int = Field(foreign_key="measure.id", index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    period: date  # first day of the reporting month
    current_version: int = 0
    status: str = Field(default="", max_length=20)  # mirrors the latest version for fast summaries
    percent: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportVersion(SQLModel, table=True):
    """An immutable version of a report; an edit adds a version."""

    __table_args__ = (sa.UniqueConstraint("report_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="statusreport.id", index=True)
    version: int
    status: str = Field(max_length=20)
    percent: int | None = None
    summary: str = ""
    outcome: str = ""
    obstacles: str = ""
    reported_by_officer_id: int = Field(foreign_key="officer.id")
    webhook_event_id: str | None = Field(default=None, max_length=64)
    via: str = Field(default="chat", max_length=20)  # chat | shortcut | import
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Evidence(SQLModel, table=True):
    """A photo or file sent as evidence, stored under its content hash."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    officer_id: int = Field(foreign_key="officer.id")
    report_version_id: int | None = Field(default=None, foreign_key="reportversion.id", index=True)
    sha256: str = Field(max_length=64, index=True)
    stored_path: str = Field(max_length=300)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    size: int = 0
    original_name: str | None = Field(default=None, max_length=255)
    line_message_id: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """The state of one chat's multi-step flow, kept in the database.

    Gunicorn workers share no memory and processes restart, so the flow's step
    and collected answers live here, keyed by the LINE user.
    """

    line_user_id: str = Field(primary_key=True, max_length=64)
    flow: str = Field(max_length=40)
    step: str = Field(max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
