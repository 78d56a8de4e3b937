"""Progress reports on measures, their versions, evidence and chat flow state; what is due and saving a report.

Who owes a report is decided here, once, by ``responsible_party`` (see
models/summaries.py for the unit of progress it defines): a measure assigned
through a unit is owed once per period by that unit, and any of the unit's
officers may answer for it; a person named on the measure owes it personally.
Supervisors and admins owe nothing through their unit, only when named.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, Session, SQLModel, select

from ita.cadence import is_due
from ita.units import means_everyone
from models.db import UTCDateTime, read_rows, utcnow
from models.org import Officer, Role
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


_OFFICER_ROLE = Role.OFFICER.value  # read once per assignment row of every summary: not an enum lookup each time
Party = tuple[str, int]  # ("unit", unit id) or ("officer", officer id): who owes one report per period


def responsible_party(*, officer_id: int, officer_unit_id: int | None, officer_role: str, source: str,
                      measure_unit_ids: set[int] | frozenset[int], for_everyone: bool) -> Party | None:
    """Who owes the report when this officer is assigned to this measure, or None when nobody does.

    An officer assigned because their unit is responsible (or the measure is
    for everyone) answers for the unit: one report per period covers all of
    its officers. Anyone else was named on the measure and owes it in person.
    Supervisors and admins are assigned with their unit by the import but owe
    nothing through it; an admin's hand-made assignment names them.
    """
    via_unit = officer_unit_id is not None and (for_everyone or officer_unit_id in measure_unit_ids)
    if via_unit:
        if officer_role != _OFFICER_ROLE and source != "manual":
            return None
        return ("unit", officer_unit_id)
    return ("officer", officer_id)


# The statements chat commands run, built once (building a select costs more CPU than running it).
_ASSIGNMENT = select(Assignment.id).where(
    Assignment.measure_id == sa.bindparam("measure_id"), Assignment.officer_id == sa.bindparam("officer_id"),
    Assignment.active)
_REPORT = select(StatusReport).where(
    StatusReport.measure_id == sa.bindparam("measure_id"), StatusReport.officer_id == sa.bindparam("officer_id"),
    StatusReport.period == sa.bindparam("period"))
_OFFICER_REPORTS = select(StatusReport).where(
    StatusReport.officer_id == sa.bindparam("officer_id"), StatusReport.period == sa.bindparam("period"))
_PARTY_REPORTS = (
    select(StatusReport.period, StatusReport.measure_id, StatusReport.officer_id, Officer.unit_id,
           StatusReport.status, StatusReport.percent)
    .join(Officer, Officer.id == StatusReport.officer_id)
    .where(StatusReport.organisation_id == sa.bindparam("organisation_id"),
           StatusReport.period >= sa.bindparam("first"), StatusReport.period <= sa.bindparam("last"))
    .order_by(StatusReport.updated_at, StatusReport.id)
)
_UNIT_LINKS = select(MeasureUnit.measure_id, MeasureUnit.unit_id).where(
    MeasureUnit.measure_id.in_(sa.bindparam("ids", expanding=True)))


def can_report(session: Session, *, officer: Officer, measure: Measure) -> bool:
    """Officers report on measures assigned to them or to their unit."""
    if measure.organisation_id != officer.organisation_id or not measure.active:
        return False
    assigned = session.execute(_ASSIGNMENT, {"measure_id": measure.id, "officer_id": officer.id}).first()
    if assigned is not None:
        return True
    if means_everyone(measure.responsible_text or ""):
        return True
    if officer.unit_id is None:
        return False
    return session.exec(select(MeasureUnit).where(
        MeasureUnit.measure_id == measure.id, MeasureUnit.unit_id == officer.unit_id)).first() is not None


def reports_for_period(session: Session, *, officer_id: int, period: date) -> dict[int, StatusReport]:
    """This period's reports by the officer, keyed by measure id."""
    rows = session.scalars(_OFFICER_REPORTS, {"officer_id": officer_id, "period": period})
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
    report = session.scalars(_REPORT, {"measure_id": draft.measure_id, "officer_id": officer.id,
                                       "period": draft.period}).first()
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
    """One organisation's duties and this period's reports, loaded in a few set-based queries.

    The scheduler builds reminders for thousands of officers from this instead
    of asking the database once per officer. ``measures_by_officer`` holds only
    the measures an officer owes (``responsible_party``); ``statuses`` holds, per
    officer, the latest report of the party they answer for, so an officer
    whose colleague reported the unit's measure is neither reminded nor shown
    it as missing.
    """

    period: date
    measures_by_officer: dict[int, list[Measure]]
    statuses: dict[int, dict[int, tuple[str, int | None]]]  # officer → measure → (status, percent)

    def due(self, officer_id: int) -> list[Measure]:
        return [m for m in self.measures_by_officer.get(officer_id, []) if measure_is_due(m, self.period)]

    def pending(self, officer_id: int) -> list[Measure]:
        reported = self.statuses.get(officer_id, {})
        return [m for m in self.due(officer_id) if m.id not in reported]


PartyReports = dict[tuple[int, Party], tuple[str, int | None, int]]  # (measure, party) → (status, %, officer)


def latest_by_party(rows) -> dict[date, PartyReports]:
    """Each period's latest report per (measure, party it counts for), from rows oldest first.

    ``rows`` are (period, measure id, officer id, officer's unit id, status,
    percent). A report counts for its officer in person and for the officer's
    unit, so a unit's measure is reported by any member's report.
    """
    result: dict[date, PartyReports] = {}
    for period, measure_id, officer_id, unit_id, status, percent in rows:
        latest = result.setdefault(period, {})
        latest[(measure_id, ("officer", officer_id))] = (status, percent, officer_id)
        if unit_id is not None:
            latest[(measure_id, ("unit", unit_id))] = (status, percent, officer_id)
    return result


def party_reports_between(session: Session, *, organisation_id: int, first: date, last: date
                          ) -> dict[date, PartyReports]:
    """The latest report per (measure, party) of each period from ``first`` to ``last``, in one query."""
    rows = read_rows(session, _PARTY_REPORTS, {"organisation_id": organisation_id, "first": first, "last": last})
    return latest_by_party(rows)


def party_reports(session: Session, *, organisation_id: int, period: date) -> PartyReports:
    """This period's latest report per (measure, party it counts for): (status, percent, officer id)."""
    return party_reports_between(session, organisation_id=organisation_id, first=period, last=period).get(period, {})


def measure_unit_links(session: Session, measure_ids: list[int]) -> dict[int, set[int]]:
    """The units each measure names as responsible."""
    links: dict[int, set[int]] = {}
    for start in range(0, len(measure_ids), 500):
        for measure_id, unit_id in read_rows(session, _UNIT_LINKS, {"ids": measure_ids[start:start + 500]}):
            links.setdefault(measure_id, set()).add(unit_id)
    return links


def reporting_snapshot(session: Session, *, organisation_id: int, period: date) -> ReportingSnapshot:
    rows = session.exec(
        select(Assignment.officer_id, Assignment.source, Officer.unit_id, Officer.role, Measure)
        .join(Measure, Measure.id == Assignment.measure_id)
        .join(Officer, Officer.id == Assignment.officer_id)
        .where(Assignment.organisation_id == organisation_id, Assignment.active, Measure.active)
        .order_by(Measure.fiscal_year, Measure.source_line, Measure.id)
    ).all()
    links = measure_unit_links(session, sorted({m.id for *_, m in rows}))
    everyone: dict[int, bool] = {}
    measures_by_officer: dict[int, list[Measure]] = {}
    party_of: dict[tuple[int, int], Party] = {}
    for officer_id, source, unit_id, role, measure in rows:
        if measure.id not in everyone:
            everyone[measure.id] = means_everyone(measure.responsible_text or "")
        party = responsible_party(officer_id=officer_id, officer_unit_id=unit_id, officer_role=role, source=source,
                                  measure_unit_ids=links.get(measure.id, set()), for_everyone=everyone[measure.id])
        if party is None:
            continue
        party_of[(officer_id, measure.id)] = party
        measures_by_officer.setdefault(officer_id, []).append(measure)
    reports = party_reports(session, organisation_id=organisation_id, period=period)
    statuses: dict[int, dict[int, tuple[str, int | None]]] = {}
    for (officer_id, measure_id), party in party_of.items():
        found = reports.get((measure_id, party)) or reports.get((measure_id, ("officer", officer_id)))
        if found is not None:
            statuses.setdefault(officer_id, {})[measure_id] = found[:2]
    return ReportingSnapshot(period, measures_by_officer, statuses)
