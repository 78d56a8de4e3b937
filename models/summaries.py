"""Progress for supervisors: what is due, what was reported, who is still pending.

The unit of progress
--------------------
Progress is counted in **measure-periods**: a measure that asks for a report
in a month counts once for that month, however many people work on it.

* Who owes it (``models.reports.responsible_party``): a measure assigned to a
  unit (or to everyone, ทุกส่วนราชการ) is owed **once per period by each
  responsible unit**; any of the unit's officers may report it, and the first
  report covers the unit. A person named on the measure (in the plan's text or
  by an admin's assignment) owes it in person. Supervisors and admins owe
  nothing through their unit, only when named.
* A measure-period is **reported** when every party that owes it has at least
  one report for the month; **completion** is reported ÷ due measure-periods,
  rounded down (100% means every report is in).
* A unit's row counts the measure-periods that unit owes (a measure shared by
  two units appears in both rows, so unit rows may add up to more than the
  total).
* A measure's status for the month combines its parties' latest statuses: no
  report from anyone → ``no_report``; anyone blocked → ``blocked``; every party
  done → ``done``; anyone done or in progress → ``in_progress``; otherwise
  (only "not started" so far) → ``not_started``.

The same denominator is used by สรุป, สรุปปี, ค้างส่ง, the chart and the year's
report: every count goes through ``period_duties`` (one month) and
``year_progress`` (the fiscal year so far), which the admin console can call.

An organisation's plan (units, active officers, measures, active assignments,
the units each measure names) is loaded in a few set-based queries, then the
reports of the months asked in one more; no query runs per officer, per
measure or per month.
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
from ita.units import canonical_unit, means_everyone
from models.db import read_rows
from models.org import Officer, Organisation, Unit, UnitAlias
from models.plan import Assignment, Measure
from models.reports import (
    Party,
    PartyReports,
    ReportVersion,
    StatusReport,
    evidence_counts,
    measure_unit_links,
    party_reports,
    party_reports_between,
    responsible_party,
)
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
    """Who owes what in one organisation, for the fiscal years loaded."""

    organisation_id: int
    units: dict[int, str]
    officers: dict[int, OfficerRow]
    measures: dict[int, MeasureRow]  # plan order
    parties: dict[int, dict[Party, tuple[int, ...]]]  # measure → party → the officers who owe it

    def unit_name(self, unit_id: int | None, unnamed: str) -> str:
        return self.units.get(unit_id, unnamed) if unit_id is not None else unnamed

    def party_unit_id(self, party: Party) -> int | None:
        kind, ident = party
        return ident if kind == "unit" else self.officers[ident].unit_id


# Built once: every supervisor command runs them (building a select costs more CPU than running it).
_ACTIVE_OFFICERS = (
    select(Officer.id, Officer.name, Officer.unit_id, Officer.role, Unit.name)
    .outerjoin(Unit, sa.and_(Unit.id == Officer.unit_id, Unit.organisation_id == sa.bindparam("org")))
    .where(Officer.organisation_id == sa.bindparam("org"), Officer.active)
)
_ASSIGNMENTS = (
    select(Assignment.officer_id, Assignment.source, Measure.responsible_text, Measure.id, Measure.ref,
           Measure.title, Measure.fiscal_year, Measure.period_start, Measure.period_end, Measure.cadence,
           Measure.source_line)
    .join(Measure, Measure.id == Assignment.measure_id)
    .where(Assignment.organisation_id == sa.bindparam("org"), Assignment.active,
           Measure.organisation_id == sa.bindparam("org"),
           Measure.fiscal_year.in_([sa.bindparam("last_year", type_=sa.Integer),
                                    sa.bindparam("year", type_=sa.Integer)]), Measure.active)
    .order_by(Measure.fiscal_year, Measure.source_line, Measure.id, Assignment.officer_id)
)
_NAME_AND_DEADLINE = (
    select(Organisation.name, Schedule.deadline_day)
    .outerjoin(Schedule, Schedule.organisation_id == Organisation.id)
    .where(Organisation.id == sa.bindparam("org"))
)


def load_plan(session: Session, *, organisation_id: int, fiscal_year_be: int) -> Plan:
    """Active officers with their units, the year's active measures and who owes each of them.

    Three queries: officers joined to units, assignments joined to measures,
    and the units each measure names.
    """
    units: dict[int, str] = {}
    officers: dict[int, OfficerRow] = {}
    roles: dict[int, str] = {}
    for o_id, name, unit_id, role, unit_name in read_rows(session, _ACTIVE_OFFICERS, {"org": organisation_id}):
        officers[o_id] = OfficerRow(o_id, name, unit_id)
        roles[o_id] = role
        if unit_id is not None and unit_name is not None:
            units[unit_id] = unit_name
    # A measure of last year whose period runs past September can still be due.
    rows = read_rows(session, _ASSIGNMENTS, {"org": organisation_id, "last_year": fiscal_year_be - 1,
                                             "year": fiscal_year_be})
    links = measure_unit_links(session, sorted({row[3] for row in rows}))
    measures: dict[int, MeasureRow] = {}
    everyone: dict[int, bool] = {}
    parties: dict[int, dict[Party, list[int]]] = defaultdict(lambda: defaultdict(list))
    for o_id, source, responsible_text, *columns in rows:
        if o_id not in officers:
            continue
        m_id = columns[0]
        if m_id not in everyone:
            everyone[m_id] = means_everyone(responsible_text or "")
        party = responsible_party(officer_id=o_id, officer_unit_id=officers[o_id].unit_id, officer_role=roles[o_id],
                                  source=source, measure_unit_ids=links.get(m_id, set()),
                                  for_everyone=everyone[m_id])
        if party is None:
            continue
        if m_id not in measures:
            measures[m_id] = MeasureRow(*columns)
        parties[m_id][party].append(o_id)
    return Plan(organisation_id, units, officers, measures,
                {m_id: {party: tuple(ids) for party, ids in owed.items()} for m_id, owed in parties.items()})


# -- one period: the one place progress is counted ---------------------------------------

@dataclass(frozen=True)
class Duty:
    """One party's report owed on one measure for one period, and what it reported."""

    measure_id: int
    party: Party
    label: str  # what a supervisor reads: the unit's name, or the named person's name
    unit: str  # the unit's name (a named person's own unit)
    owed_by: tuple[int, ...]  # officer ids
    status: str  # "" while not reported
    percent: int | None
    reporter_id: int | None
    reporter: str = ""  # the name of who reported it, when an active officer


def period_duties(plan: Plan, reports: PartyReports, period: date, *, unit_id: int | None = None,
                  measure_id: int | None = None, unnamed_unit: str = "-") -> list[Duty]:
    """Every report owed for a month, optionally for one unit or one measure, in plan order."""
    duties = []
    for m_id, measure in plan.measures.items():
        if (measure_id is not None and m_id != measure_id) or not measure.due_in(period):
            continue
        for party, owed_by in sorted(plan.parties.get(m_id, {}).items()):
            party_unit = plan.party_unit_id(party)
            if unit_id is not None and party_unit != unit_id:
                continue
            unit = plan.unit_name(party_unit, unnamed_unit)
            label = unit if party[0] == "unit" else plan.officers[party[1]].name
            status, percent, reporter = reports.get((m_id, party), ("", None, None))
            name = plan.officers[reporter].name if reporter in plan.officers else ""
            duties.append(Duty(m_id, party, label, unit, owed_by, status, percent, reporter, name))
    return duties


def completion(reported: int, due: int) -> int:
    """Whole percent, rounded down so that 100 means complete."""
    return 100 * reported // due if due else 0


def combine_statuses(statuses: Iterable[str | None]) -> str:
    """One status for a measure from its parties' statuses this period (None: no report)."""
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
    """Reported and due measure-periods for one unit, one month or the whole scope."""

    label: str
    reported: int
    due: int

    @property
    def percent(self) -> int:
        return completion(self.reported, self.due)


@dataclass(frozen=True)
class MeasureProgress:
    measure: MeasureRow
    status: str  # one of BUCKETS
    reported: int  # parties that reported
    due: int  # parties that owe it
    parties: tuple[Duty, ...]

    @property
    def complete(self) -> bool:
        return self.reported == self.due


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


def summarise_duties(plan: Plan, duties: list[Duty], period: date) -> PeriodProgress:
    """Count a month's duties as measure-periods: in all, per unit, per measure."""
    by_measure: dict[int, list[Duty]] = defaultdict(list)
    by_unit: dict[str, dict[int, bool]] = defaultdict(dict)  # unit → measure → all its parties there reported
    for duty in duties:
        by_measure[duty.measure_id].append(duty)
        done = by_unit[duty.unit].get(duty.measure_id, True)
        by_unit[duty.unit][duty.measure_id] = done and bool(duty.status)
    measures = tuple(
        MeasureProgress(plan.measures[m_id], combine_statuses(d.status or None for d in items),
                        sum(1 for d in items if d.status), len(items), tuple(items))
        for m_id, items in by_measure.items())
    units = tuple(Tally(name, sum(flags.values()), len(flags)) for name, flags in sorted(by_unit.items()))
    total = Tally("", sum(1 for m in measures if m.complete), len(measures))
    return PeriodProgress(plan.organisation_id, period, total, units, measures)


def period_progress(session: Session, *, organisation_id: int, period: date, unit_id: int | None = None,
                    measure_id: int | None = None, unnamed_unit: str = "-") -> PeriodProgress:
    """A month's progress for the organisation, a unit of it, or one measure."""
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=fiscal_year(period))
    reports = party_reports(session, organisation_id=organisation_id, period=period)
    duties = period_duties(plan, reports, period, unit_id=unit_id, measure_id=measure_id, unnamed_unit=unnamed_unit)
    return summarise_duties(plan, duties, period)


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


def summarise_year(plan: Plan, reports: dict[date, PartyReports], months: list[date], period: date, *,
                   unit_id: int | None = None, measure_id: int | None = None,
                   unnamed_unit: str = "-") -> YearProgress:
    """Months from October to ``period`` counted as measure-periods, overall and per unit."""
    month_tallies = []
    unit_year: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    units_period: tuple[Tally, ...] = ()
    for month in months:
        progress = summarise_duties(plan, period_duties(plan, reports.get(month, {}), month, unit_id=unit_id,
                                                        measure_id=measure_id, unnamed_unit=unnamed_unit), month)
        month_tallies.append((month, progress.total))
        for unit in progress.units:
            unit_year[unit.label][0] += unit.reported
            unit_year[unit.label][1] += unit.due
        if month == period:
            units_period = progress.units
    total = Tally("", sum(t.reported for _, t in month_tallies), sum(t.due for _, t in month_tallies))
    return YearProgress(plan.organisation_id, fiscal_year(period), period, tuple(month_tallies),
                        tuple(Tally(name, r, d) for name, (r, d) in sorted(unit_year.items())), units_period, total)


def year_progress(session: Session, *, organisation_id: int, period: date, unit_id: int | None = None,
                  measure_id: int | None = None, unnamed_unit: str = "-") -> YearProgress:
    """Month by month from October to this month: reported / due measure-periods, overall and per unit."""
    year = fiscal_year(period)
    months = [m for m in fiscal_months(year) if m <= period]
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=year)
    reports = party_reports_between(session, organisation_id=organisation_id, first=months[0], last=period)
    return summarise_year(plan, reports, months, period, unit_id=unit_id, measure_id=measure_id,
                          unnamed_unit=unnamed_unit)


# -- who has not reported -----------------------------------------------------------------

@dataclass(frozen=True)
class PendingParty:
    """A unit (or a named person) with reports still owed this month."""

    label: str
    unit: str
    is_unit: bool
    measure_refs: tuple[str, ...]
    names: tuple[str, ...]  # who may report it
    reminders: int  # reminders delivered to the most reminded of them


def reminder_counts(session: Session, *, organisation_id: int, period: date) -> dict[int, int]:
    """Reminders and nudges delivered to each officer for a month."""
    rows = session.exec(
        select(OutboxMessage.officer_id, sa.func.count())
        .where(OutboxMessage.organisation_id == organisation_id, OutboxMessage.period == period,
               OutboxMessage.status == OutboxStatus.DELIVERED.value, OutboxMessage.kind.in_(REMINDER_KINDS))
        .group_by(OutboxMessage.officer_id)).all()
    return dict(rows)


def pending_parties(session: Session, *, organisation_id: int, period: date, unit_id: int | None = None,
                    measure_id: int | None = None, unnamed_unit: str = "-") -> tuple[list[PendingParty], int]:
    """Units and named people with reports still owed this month, by unit; and the due measure-periods."""
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=fiscal_year(period))
    reports = party_reports(session, organisation_id=organisation_id, period=period)
    duties = period_duties(plan, reports, period, unit_id=unit_id, measure_id=measure_id, unnamed_unit=unnamed_unit)
    due = len({d.measure_id for d in duties})
    missing: dict[Party, list[Duty]] = defaultdict(list)
    for duty in duties:
        if not duty.status:
            missing[duty.party].append(duty)
    if not missing:
        return [], due
    reminders = reminder_counts(session, organisation_id=organisation_id, period=period)
    result = []
    for party, items in missing.items():
        owed_by = sorted({o for d in items for o in d.owed_by})
        result.append(PendingParty(items[0].label, items[0].unit, party[0] == "unit",
                                   tuple(plan.measures[d.measure_id].ref for d in items),
                                   tuple(sorted(plan.officers[o].name for o in owed_by)),
                                   max((reminders.get(o, 0) for o in owed_by), default=0)))
    result.sort(key=lambda p: (p.unit, not p.is_unit, p.label))
    return result, due


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
class OfficerStatus:
    officer_id: int
    name: str
    unit: str
    status: str  # "" when not reported
    percent: int | None


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
    found = read_rows(session, _NAME_AND_DEADLINE, {"org": organisation_id})
    row = found[0] if found else None
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
