"""Progress reports on measures, their versions, evidence and chat flow state; what is due and saving a report."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, Session, SQLModel, select

from ita.cadence import is_due
from ita.units import EVERYONE, split_responsible
from models.db import UTCDateTime, utcnow
from models.org import Officer
from models.plan import Assignment, Measure, MeasureUnit, assigned_measures


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


# -- queries ------------------------------------------------------------------------------------

def current_period(now: datetime, tz: ZoneInfo) -> date:
    """The reporting month (its first day) at this moment in the bot's time zone."""
    return now.astimezone(tz).date().replace(day=1)


def measure_is_due(measure: Measure, period: date) -> bool:
    return is_due(period=period, start=measure.period_start, end=measure.period_end,
                  cadence=measure.cadence, fiscal_year_be=measure.fiscal_year)


def due_measures(session: Session, *, officer_id: int, period: date) -> list[Measure]:
    """The officer's measures that ask for a report in this period."""
    return [m for m in assigned_measures(session, officer_id=officer_id) if measure_is_due(m, period)]


def can_report(session: Session, *, officer: Officer, measure: Measure) -> bool:
    """Officers report on measures assigned to them or to their unit."""
    if measure.organisation_id != officer.organisation_id or not measure.active:
        return False
    assigned = session.exec(select(Assignment.id).where(
        Assignment.measure_id == measure.id, Assignment.officer_id == officer.id, Assignment.active)).first()
    if assigned is not None:
        return True
    if EVERYONE in split_responsible(measure.responsible_text):
        return True
    if officer.unit_id is None:
        return False
    return session.exec(select(MeasureUnit).where(
        MeasureUnit.measure_id == measure.id, MeasureUnit.unit_id == officer.unit_id)).first() is not None


def reports_for_period(session: Session, *, officer_id: int, period: date) -> dict[int, StatusReport]:
    """This period's reports by the officer, keyed by measure id."""
    rows = session.exec(select(StatusReport).where(
        StatusReport.officer_id == officer_id, StatusReport.period == period)).all()
    return {r.measure_id: r for r in rows}


@dataclass(frozen=True)
class Draft:
    """What an officer is about to confirm."""

    measure_id: int
    period: date
    status: str
    percent: int | None = None
    summary: str = ""
    outcome: str = ""
    obstacles: str = ""


def save_report(session: Session, *, draft: Draft, officer: Officer, reported_by: Officer,
                webhook_event_id: str | None, via: str, evidence_ids: list[int], now: datetime
                ) -> tuple[StatusReport, ReportVersion]:
    """Add a version to the officer's report for the period; nothing is overwritten."""
    report = session.exec(select(StatusReport).where(
        StatusReport.measure_id == draft.measure_id, StatusReport.officer_id == officer.id,
        StatusReport.period == draft.period)).first()
    if report is None:
        report = StatusReport(organisation_id=officer.organisation_id, measure_id=draft.measure_id,
                              officer_id=officer.id, period=draft.period, created_at=now)
    report.current_version += 1
    report.status, report.percent, report.updated_at = draft.status, draft.percent, now
    session.add(report)
    session.flush()
    version = ReportVersion(
        report_id=report.id, version=report.current_version, status=draft.status, percent=draft.percent,
        summary=draft.summary, outcome=draft.outcome, obstacles=draft.obstacles,
        reported_by_officer_id=reported_by.id, webhook_event_id=webhook_event_id, via=via, created_at=now,
    )
    session.add(version)
    session.flush()
    if evidence_ids:
        session.execute(sa.update(Evidence).where(Evidence.id.in_(evidence_ids), Evidence.officer_id.in_(
            {officer.id, reported_by.id})).values(report_version_id=version.id))
    return report, version


def evidence_counts(session: Session, version_ids: list[int]) -> dict[int, int]:
    """How many evidence files each report version has (versions without any are absent)."""
    counts: dict[int, int] = {}
    for start in range(0, len(version_ids), 500):  # keeps the IN list within every database's limits
        chunk = version_ids[start:start + 500]
        rows = session.exec(select(Evidence.report_version_id, sa.func.count()).where(
            Evidence.report_version_id.in_(chunk)).group_by(Evidence.report_version_id)).all()
        counts.update(dict(rows))
    return counts


def report_history(session: Session, *, officer_id: int, measure_id: int, limit: int = 12
                   ) -> list[tuple[StatusReport, ReportVersion]]:
    """The officer's versions on one measure, newest first."""
    rows = session.exec(
        select(StatusReport, ReportVersion)
        .join(ReportVersion, ReportVersion.report_id == StatusReport.id)
        .where(StatusReport.officer_id == officer_id, StatusReport.measure_id == measure_id)
        .order_by(StatusReport.period.desc(), ReportVersion.version.desc())
        .limit(limit)
    ).all()
    return list(rows)


@dataclass
class ReportingSnapshot:
    """One organisation's assignments and this period's reports, loaded in two queries.

    The scheduler builds reminders for thousands of officers from this instead
    of asking the database once per officer.
    """

    period: date
    measures_by_officer: dict[int, list[Measure]]
    statuses: dict[int, dict[int, tuple[str, int | None]]]  # officer → measure → (status, percent)

    def due(self, officer_id: int) -> list[Measure]:
        return [m for m in self.measures_by_officer.get(officer_id, []) if measure_is_due(m, self.period)]

    def pending(self, officer_id: int) -> list[Measure]:
        reported = self.statuses.get(officer_id, {})
        return [m for m in self.due(officer_id) if m.id not in reported]


def reporting_snapshot(session: Session, *, organisation_id: int, period: date) -> ReportingSnapshot:
    rows = session.exec(
        select(Assignment.officer_id, Measure)
        .join(Measure, Measure.id == Assignment.measure_id)
        .where(Assignment.organisation_id == organisation_id, Assignment.active, Measure.active)
        .order_by(Measure.fiscal_year, Measure.source_line, Measure.id)
    ).all()
    measures_by_officer: dict[int, list[Measure]] = {}
    for officer_id, measure in rows:
        measures_by_officer.setdefault(officer_id, []).append(measure)
    statuses: dict[int, dict[int, tuple[str, int | None]]] = {}
    for report in session.exec(select(StatusReport).where(
            StatusReport.organisation_id == organisation_id, StatusReport.period == period)).all():
        statuses.setdefault(report.officer_id, {})[report.measure_id] = (report.status, report.percent)
    return ReportingSnapshot(period, measures_by_officer, statuses)
