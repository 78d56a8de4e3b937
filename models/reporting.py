"""Queries over progress reports: what is due, what was said, and saving a new version."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from ita.cadence import is_due
from ita.units import EVERYONE, split_responsible
from models.org import Officer
from models.plan import Assignment, Measure, MeasureUnit
from models.reports import Evidence, ReportVersion, StatusReport


def current_period(now: datetime, tz: ZoneInfo) -> date:
    """The reporting month (its first day) at this moment in the bot's time zone."""
    return now.astimezone(tz).date().replace(day=1)


def measure_is_due(measure: Measure, period: date) -> bool:
    return is_due(period=period, start=measure.period_start, end=measure.period_end,
                  cadence=measure.cadence, fiscal_year_be=measure.fiscal_year)


def assigned_measures(session: Session, *, officer_id: int) -> list[Measure]:
    """Every active measure actively assigned to the officer, in plan order."""
    return list(session.exec(
        select(Measure)
        .join(Assignment, Assignment.measure_id == Measure.id)
        .where(Assignment.officer_id == officer_id, Assignment.active, Measure.active)
        .order_by(Measure.fiscal_year, Measure.source_line, Measure.id)
    ).all())


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
    if not version_ids:
        return {}
    rows = session.exec(select(Evidence.report_version_id, sa.func.count()).where(
        Evidence.report_version_id.in_(version_ids)).group_by(Evidence.report_version_id)).all()
    return dict(rows)


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
