"""Progress queries for supervisors: what is due, what was reported, who is still pending.

An organisation's plan (units, active officers, measures, active assignments)
is loaded in a few set-based queries, then a period's reports in one more;
whether a measure is due in a month is decided by ``ita.cadence``, so the
counting happens in Python over those rows. No query runs per officer, per
measure or per month.

Definitions used throughout:

* an officer–measure *pair* is **due** in a month when the officer is actively
  assigned (and active) and the measure asks for a report that month;
* a due pair is **reported** when a StatusReport exists for that officer,
  measure and month;
* **completion** is reported ÷ due, rounded down to a whole percent (so 100%
  means every report is in);
* a measure's status for the month combines its officers' latest statuses:
  no report from anyone → ``no_report``; anyone blocked → ``blocked``; every
  officer done → ``done``; anyone done or in progress → ``in_progress``;
  otherwise (only "not started" so far) → ``not_started``.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from ita.cadence import is_due
from ita.status import Status
from ita.thai import fiscal_months, fiscal_year, normalize_text
from ita.units import canonical_unit
from models.org import Officer, Organisation, Unit, UnitAlias
from models.plan import Assignment, Measure
from models.reports import ReportVersion, StatusReport, evidence_counts
from models.schedule import OutboxKind, OutboxMessage, OutboxStatus, Schedule

NO_REPORT = "no_report"
BUCKETS = (Status.DONE.value, Status.IN_PROGRESS.value, Status.NOT_STARTED.value, Status.BLOCKED.value, NO_REPORT)
DEFAULT_DEADLINE_DAY = 10
REMINDER_KINDS = (OutboxKind.REMINDER.value, OutboxKind.NUDGE.value)
UNIT_MATCH_CUTOFF = 75
UNIT_MATCH_MARGIN = 5


# -- the organisation's plan ---------------------------------------------------

@dataclass(frozen=True)
class MeasureRow:
    """The columns of a measure that progress needs (no steps, no JSON)."""

    id: int
    ref: str
    title: str
    fiscal_year: int
    period_start: date | None
    period_end: date | None
    cadence: str
    source_line: int | None

    def due_in(self, period: date) -> bool:
        return is_due(period=period, start=self.period_start, end=self.period_end, cadence=self.cadence,
                      fiscal_year_be=self.fiscal_year)


@dataclass(frozen=True)
class OfficerRow:
    id: int
    name: str
    unit_id: int | None


@dataclass(frozen=True)
class Plan:
    """Who answers for what in one organisation, for the fiscal years loaded."""

    organisation_id: int
    units: dict[int, str]
    officers: dict[int, OfficerRow]
    measures: dict[int, MeasureRow]
    assignments: tuple[tuple[int, int], ...]  # (measure_id, officer_id), both active

    def due_pairs(self, period: date, *, unit_id: int | None = None,
                  measure_id: int | None = None) -> list[tuple[int, int]]:
        """The (measure, officer) pairs due in a month, optionally for one unit or measure."""
        due_measures = {m_id for m_id, m in self.measures.items() if m.due_in(period)}
        return [(m_id, o_id) for m_id, o_id in self.assignments
                if m_id in due_measures
                and (measure_id is None or m_id == measure_id)
                and (unit_id is None or self.officers[o_id].unit_id == unit_id)]

    def unit_name(self, unit_id: int | None, unnamed: str) -> str:
        return self.units.get(unit_id, unnamed) if unit_id is not None else unnamed


def load_plan(session: Session, *, organisation_id: int, fiscal_year_be: int) -> Plan:
    """Active officers with their units, and the year's active measures with their active assignments.

    Two queries: officers joined to units, and assignments joined to measures;
    a measure nobody is assigned to is never due for anyone, so it is not needed.
    """
    # A measure of last year whose period runs past September can still be due.
    years = (fiscal_year_be - 1, fiscal_year_be)
    units: dict[int, str] = {}
    officers: dict[int, OfficerRow] = {}
    for o_id, name, unit_id, unit_name in session.exec(
            select(Officer.id, Officer.name, Officer.unit_id, Unit.name)
            .outerjoin(Unit, sa.and_(Unit.id == Officer.unit_id, Unit.organisation_id == organisation_id))
            .where(Officer.organisation_id == organisation_id, Officer.active)).all():
        officers[o_id] = OfficerRow(o_id, name, unit_id)
        if unit_id is not None and unit_name is not None:
            units[unit_id] = unit_name
    measures: dict[int, MeasureRow] = {}
    assignments: list[tuple[int, int]] = []
    for o_id, *columns in session.exec(
            select(Assignment.officer_id, Measure.id, Measure.ref, Measure.title, Measure.fiscal_year,
                   Measure.period_start, Measure.period_end, Measure.cadence, Measure.source_line)
            .join(Measure, Measure.id == Assignment.measure_id)
            .where(Assignment.organisation_id == organisation_id, Assignment.active,
                   Measure.organisation_id == organisation_id, Measure.fiscal_year.in_(years), Measure.active)
            .order_by(Measure.fiscal_year, Measure.source_line, Measure.id, Assignment.officer_id)).all():
        if o_id not in officers:
            continue
        m_id = columns[0]
        if m_id not in measures:
            measures[m_id] = MeasureRow(*columns)
        assignments.append((m_id, o_id))
    return Plan(organisation_id, units, officers, measures, tuple(assignments))


# -- one period ----------------------------------------------------------------------

@dataclass(frozen=True)
class ReportRow:
    status: str
    percent: int | None


def period_reports(session: Session, *, organisation_id: int, period: date) -> dict[tuple[int, int], ReportRow]:
    """Every report of the organisation for a month, keyed by (measure, officer)."""
    rows = session.exec(
        select(StatusReport.measure_id, StatusReport.officer_id, StatusReport.status, StatusReport.percent)
        .where(StatusReport.organisation_id == organisation_id, StatusReport.period == period)).all()
    return {(m_id, o_id): ReportRow(status, percent) for m_id, o_id, status, percent in rows}


def completion(reported: int, due: int) -> int:
    """Whole percent, rounded down so that 100 means complete."""
    return 100 * reported // due if due else 0


def combine_statuses(statuses: Iterable[str | None]) -> str:
    """One status for a measure from its officers' statuses this period (None: no report)."""
    statuses = list(statuses)
    given = [s for s in statuses if s]
    if not given:
        return NO_REPORT
    if Status.BLOCKED.value in given:
        return Status.BLOCKED.value
    if len(given) == len(statuses) and all(s == Status.DONE.value for s in given):
        return Status.DONE.value
    if any(s in (Status.DONE.value, Status.IN_PROGRESS.value) for s in given):
        return Status.IN_PROGRESS.value
    return Status.NOT_STARTED.value


@dataclass(frozen=True)
class Tally:
    """Reported and due pairs for one unit, one month or the whole scope."""

    label: str
    reported: int
    due: int

    @property
    def percent(self) -> int:
        return completion(self.reported, self.due)


@dataclass(frozen=True)
class OfficerStatus:
    officer_id: int
    name: str
    unit: str
    status: str  # "" when not reported
    percent: int | None


@dataclass(frozen=True)
class MeasureProgress:
    measure: MeasureRow
    status: str  # one of BUCKETS
    reported: int
    due: int
    officers: tuple[OfficerStatus, ...]


@dataclass(frozen=True)
class PeriodProgress:
    organisation_id: int
    period: date
    total: Tally
    units: tuple[Tally, ...]
    measures: tuple[MeasureProgress, ...]

    @property
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(BUCKETS, 0)
        for item in self.measures:
            counts[item.status] += 1
        return counts


def summarise_period(plan: Plan, reports: dict[tuple[int, int], ReportRow], period: date, *,
                     unit_id: int | None = None, measure_id: int | None = None,
                     unnamed_unit: str = "-") -> PeriodProgress:
    """Count a month's due and reported pairs per unit and per measure."""
    pairs = plan.due_pairs(period, unit_id=unit_id, measure_id=measure_id)
    by_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_measure: dict[int, list[OfficerStatus]] = defaultdict(list)
    for m_id, o_id in pairs:
        officer = plan.officers[o_id]
        unit = plan.unit_name(officer.unit_id, unnamed_unit)
        report = reports.get((m_id, o_id))
        by_unit[unit][1] += 1
        if report is not None:
            by_unit[unit][0] += 1
        by_measure[m_id].append(OfficerStatus(o_id, officer.name, unit, report.status if report else "",
                                              report.percent if report else None))
    units = tuple(Tally(name, r, d) for name, (r, d) in sorted(by_unit.items()))
    measures = []
    for m_id, measure in plan.measures.items():  # plan order
        officers = by_measure.get(m_id)
        if not officers:
            continue
        reported = sum(1 for o in officers if o.status)
        measures.append(MeasureProgress(measure, combine_statuses(o.status or None for o in officers),
                                        reported, len(officers), tuple(officers)))
    total = Tally("", sum(t.reported for t in units), sum(t.due for t in units))
    return PeriodProgress(plan.organisation_id, period, total, units, tuple(measures))


def period_progress(session: Session, *, organisation_id: int, period: date, unit_id: int | None = None,
                    measure_id: int | None = None, unnamed_unit: str = "-") -> PeriodProgress:
    """This month's progress for the organisation, a unit of it, or one measure."""
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=fiscal_year(period))
    reports = period_reports(session, organisation_id=organisation_id, period=period)
    return summarise_period(plan, reports, period, unit_id=unit_id, measure_id=measure_id,
                            unnamed_unit=unnamed_unit)


def latest_summaries(session: Session, *, measure_id: int, period: date) -> dict[int, str]:
    """The free-text summary of each officer's latest version on a measure this month."""
    rows = session.exec(
        select(StatusReport.officer_id, ReportVersion.summary)
        .join(ReportVersion, sa.and_(ReportVersion.report_id == StatusReport.id,
                                     ReportVersion.version == StatusReport.current_version))
        .where(StatusReport.measure_id == measure_id, StatusReport.period == period)).all()
    return {officer_id: summary for officer_id, summary in rows if summary}


# -- the fiscal year so far --------------------------------------------------------------

@dataclass(frozen=True)
class YearProgress:
    organisation_id: int
    fiscal_year: int
    period: date
    months: tuple[tuple[date, Tally], ...]  # October .. this month
    units_year: tuple[Tally, ...]  # fiscal year so far
    units_period: tuple[Tally, ...]  # this month only
    total: Tally


def year_progress(session: Session, *, organisation_id: int, period: date, unit_id: int | None = None,
                  measure_id: int | None = None, unnamed_unit: str = "-") -> YearProgress:
    """Month by month from October to this month: reported / due, overall and per unit."""
    year = fiscal_year(period)
    months = [m for m in fiscal_months(year) if m <= period]
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=year)
    reported = set(session.exec(
        select(StatusReport.measure_id, StatusReport.officer_id, StatusReport.period)
        .where(StatusReport.organisation_id == organisation_id,
               StatusReport.period >= months[0], StatusReport.period <= period)).all())
    month_tallies = []
    unit_year: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unit_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for month in months:
        done = due = 0
        for m_id, o_id in plan.due_pairs(month, unit_id=unit_id, measure_id=measure_id):
            unit = plan.unit_name(plan.officers[o_id].unit_id, unnamed_unit)
            hit = (m_id, o_id, month) in reported
            due += 1
            done += hit
            unit_year[unit][0] += hit
            unit_year[unit][1] += 1
            if month == period:
                unit_month[unit][0] += hit
                unit_month[unit][1] += 1
        month_tallies.append((month, Tally("", done, due)))
    total = Tally("", sum(t.reported for _, t in month_tallies), sum(t.due for _, t in month_tallies))
    return YearProgress(
        organisation_id, year, period, tuple(month_tallies),
        tuple(Tally(name, r, d) for name, (r, d) in sorted(unit_year.items())),
        tuple(Tally(name, r, d) for name, (r, d) in sorted(unit_month.items())),
        total)


# -- who has not reported -----------------------------------------------------------------

@dataclass(frozen=True)
class PendingOfficer:
    officer_id: int
    name: str
    unit: str
    measure_refs: tuple[str, ...]
    reminders: int


def reminder_counts(session: Session, *, organisation_id: int, period: date) -> dict[int, int]:
    """Reminders and nudges delivered to each officer for a month."""
    rows = session.exec(
        select(OutboxMessage.officer_id, sa.func.count())
        .where(OutboxMessage.organisation_id == organisation_id, OutboxMessage.period == period,
               OutboxMessage.status == OutboxStatus.DELIVERED.value, OutboxMessage.kind.in_(REMINDER_KINDS))
        .group_by(OutboxMessage.officer_id)).all()
    return dict(rows)


def pending_officers(session: Session, *, organisation_id: int, period: date,
                     unnamed_unit: str = "-") -> tuple[list[PendingOfficer], int]:
    """Officers with due reports missing this month, by unit then name; and the number of due pairs."""
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=fiscal_year(period))
    reports = period_reports(session, organisation_id=organisation_id, period=period)
    pairs = plan.due_pairs(period)
    missing: dict[int, list[str]] = defaultdict(list)
    for m_id, o_id in pairs:
        if (m_id, o_id) not in reports:
            missing[o_id].append(m_id)
    if not missing:
        return [], len(pairs)
    reminders = reminder_counts(session, organisation_id=organisation_id, period=period)
    order = {m_id: i for i, m_id in enumerate(plan.measures)}
    result = []
    for o_id, measure_ids in missing.items():
        officer = plan.officers[o_id]
        refs = tuple(plan.measures[m].ref for m in sorted(measure_ids, key=order.__getitem__))
        result.append(PendingOfficer(o_id, officer.name, plan.unit_name(officer.unit_id, unnamed_unit), refs,
                                     reminders.get(o_id, 0)))
    result.sort(key=lambda p: (p.unit, p.name))
    return result, len(pairs)


# -- one measure in full ------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryEntry:
    period: date
    officer_id: int
    name: str
    status: str
    percent: int | None
    versions: int
    evidence: int


@dataclass(frozen=True)
class MeasureDetail:
    measure: Measure
    officers: tuple[OfficerStatus, ...]  # responsible now (status fields empty)
    history: tuple[HistoryEntry, ...]  # newest period first, then by name


def measure_detail(session: Session, *, measure: Measure, unnamed_unit: str = "-") -> MeasureDetail:
    """A measure's responsible officers and its report history with version and evidence counts."""
    responsible = session.exec(
        select(Officer.id, Officer.name, Unit.name)
        .join(Assignment, Assignment.officer_id == Officer.id)
        .outerjoin(Unit, Unit.id == Officer.unit_id)
        .where(Assignment.measure_id == measure.id, Assignment.active, Officer.active)
        .order_by(Unit.name, Officer.name)).all()
    officers = tuple(OfficerStatus(o_id, name, unit or unnamed_unit, "", None) for o_id, name, unit in responsible)
    reports = session.exec(
        select(StatusReport.id, StatusReport.period, StatusReport.officer_id, StatusReport.status,
               StatusReport.percent, Officer.name)
        .join(Officer, sa.and_(Officer.id == StatusReport.officer_id,
                               Officer.organisation_id == measure.organisation_id))
        .where(StatusReport.measure_id == measure.id)
        .order_by(StatusReport.period.desc(), Officer.name)).all()
    versions = session.exec(
        select(ReportVersion.id, ReportVersion.report_id)
        .where(ReportVersion.report_id.in_([r[0] for r in reports]))).all() if reports else []
    evidence = evidence_counts(session, [v_id for v_id, _ in versions])
    version_count: dict[int, int] = defaultdict(int)
    evidence_count: dict[int, int] = defaultdict(int)
    for v_id, report_id in versions:
        version_count[report_id] += 1
        evidence_count[report_id] += evidence.get(v_id, 0)
    history = tuple(HistoryEntry(period, o_id, name, status, percent, version_count[r_id], evidence_count[r_id])
                    for r_id, period, o_id, status, percent, name in reports)
    return MeasureDetail(measure, officers, history)


# -- helpers for the commands --------------------------------------------------------------------

def organisation_name(session: Session, organisation_id: int) -> str:
    org = session.get(Organisation, organisation_id)
    return org.name if org else ""


def organisation_and_deadline_day(session: Session, organisation_id: int) -> tuple[str, int]:
    """The organisation's name and its schedule's deadline day (10 without a schedule), in one query."""
    row = session.exec(
        select(Organisation.name, Schedule.deadline_day)
        .outerjoin(Schedule, Schedule.organisation_id == Organisation.id)
        .where(Organisation.id == organisation_id)).first()
    if row is None:
        return "", DEFAULT_DEADLINE_DAY
    return row[0], row[1] if row[1] is not None else DEFAULT_DEADLINE_DAY


def deadline_date(period: date, deadline_day: int) -> date:
    """The day reports for a month are due, kept inside the month."""
    last = calendar.monthrange(period.year, period.month)[1]
    return period.replace(day=min(max(deadline_day, 1), last))


def _squash(text: str) -> str:
    return "".join(normalize_text(text).split()).lower()


def find_unit(session: Session, *, organisation_id: int, text: str) -> tuple[Unit | None, list[Unit]]:
    """The organisation's unit a typed name means (names and aliases, tolerating typos).

    Returns (unit, []) when one unit fits, (None, candidates) when several fit
    about equally, and (None, []) when none does.
    """
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.organisation_id == organisation_id)).all()}
    if not units:
        return None, []
    names: dict[str, int] = {}
    for unit in units.values():
        names.setdefault(_squash(unit.name), unit.id)
    for alias, unit_id in session.exec(select(UnitAlias.alias, UnitAlias.unit_id)
                                       .where(UnitAlias.organisation_id == organisation_id)).all():
        if unit_id in units:
            names.setdefault(_squash(alias), unit_id)
    wanted = _squash(text)
    for candidate in (wanted, _squash(canonical_unit(text))):
        if candidate in names:
            return units[names[candidate]], []
    best: dict[int, float] = {}
    for name, score, _ in process.extract(wanted, list(names), scorer=fuzz.WRatio, limit=None,
                                          score_cutoff=UNIT_MATCH_CUTOFF):
        unit_id = names[name]
        best[unit_id] = max(best.get(unit_id, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if not ranked:
        return None, []
    if len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= UNIT_MATCH_MARGIN:
        return units[ranked[0][0]], []
    top = ranked[0][1]
    return None, [units[u_id] for u_id, score in ranked if top - score < UNIT_MATCH_MARGIN]


def unit_names(session: Session, *, organisation_id: int) -> list[str]:
    return sorted(session.exec(select(Unit.name).where(Unit.organisation_id == organisation_id)).all())
