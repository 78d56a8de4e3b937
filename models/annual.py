"""Gathering one organisation's year from the database into an `ita.annual_report.AnnualReport`.

Progress per unit and month counts measure-periods exactly as สรุป does
(models.summaries). A measure's result is each officer's latest report within the period covered:
the highest reporting month up to the as-of date, in its latest version saved
by then. Several officers' results stay separate so the report can attribute
each. Without an as-of date everything saved so far counts (a September
report filed in October is still the year's result).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from ita.annual_report import (
    NO_UNIT,
    SCORE_OVERALL,
    AnnualReport,
    MeasureResult,
    Obstacle,
    OfficerResult,
    Reporter,
    ScoreComparison,
    ScoreLine,
    UnitMonth,
    UnitProgress,
    VersionRecord,
)
from ita.scores import INDICATORS
from ita.thai import fiscal_months, fiscal_year_bounds
from models import scores as score_store
from models.org import Officer, Organisation, Unit
from models.plan import Measure
from models.reports import ReportVersion, StatusReport, evidence_counts, latest_by_party
from models.summaries import Tally, load_plan, period_duties, summarise_duties


def measure_years(session: Session, *, organisation_id: int) -> list[int]:
    """Fiscal years (BE) that have active measures, oldest first."""
    return sorted(session.exec(select(Measure.fiscal_year).where(
        Measure.organisation_id == organisation_id, Measure.active).distinct()).all())


def gather_annual_report(session: Session, *, organisation_id: int, year_be: int, tz: ZoneInfo, now: datetime,
                         as_of: date | None = None, reporter: Reporter | None = None) -> AnnualReport:
    """Everything the year's results report says, as plain data."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise LookupError(f"no organisation with id {organisation_id}")
    year_start, year_end = fiscal_year_bounds(year_be)
    today = now.astimezone(tz).date()
    # Versions saved after the as-of day do not count; without one, everything saved so far does.
    cutoff = datetime.combine(as_of + timedelta(days=1), time(0), tz).astimezone(UTC) if as_of else None
    last_period = as_of.replace(day=1) if as_of else None
    covered_end = min(max(as_of or today, year_start), year_end)

    measures = list(session.exec(select(Measure).where(
        Measure.organisation_id == organisation_id, Measure.fiscal_year == year_be, Measure.active)
        .order_by(Measure.source_line, Measure.id)).all())
    measure_ids = [m.id for m in measures]
    officers = {o.id: o for o in session.exec(select(Officer).where(Officer.organisation_id == organisation_id))}
    units = {u.id: u.name for u in session.exec(select(Unit).where(Unit.organisation_id == organisation_id))}

    reports: list[StatusReport] = []
    versions: dict[int, list[ReportVersion]] = defaultdict(list)
    if measure_ids:
        query = select(StatusReport).where(StatusReport.measure_id.in_(measure_ids))
        if last_period is not None:
            query = query.where(StatusReport.period <= last_period)
        reports = list(session.exec(query.order_by(StatusReport.period, StatusReport.id)).all())
    if reports:
        version_query = select(ReportVersion).where(ReportVersion.report_id.in_([r.id for r in reports]))
        for version in session.exec(version_query.order_by(ReportVersion.report_id, ReportVersion.version)):
            if cutoff is None or version.created_at < cutoff:
                versions[version.report_id].append(version)
    evidence = evidence_counts(session, [v.id for vs in versions.values() for v in vs])

    def unit_of(officer_id: int) -> str | None:
        officer = officers.get(officer_id)
        return units.get(officer.unit_id) if officer and officer.unit_id else None

    def name_of(officer_id: int) -> str:
        officer = officers.get(officer_id)
        return officer.name if officer else f"#{officer_id}"

    # Each officer's effective report per measure: the latest month with a version saved in time.
    effective: dict[int, StatusReport] = {}
    for report in reports:
        if versions.get(report.id):
            effective[report.id] = report
    latest: dict[tuple[int, int], StatusReport] = {}
    for report in effective.values():
        pair = (report.measure_id, report.officer_id)
        if pair not in latest or report.period > latest[pair].period:
            latest[pair] = report

    by_measure: dict[int, list[OfficerResult]] = defaultdict(list)
    for (measure_id, officer_id), report in latest.items():
        version = versions[report.id][-1]
        by_measure[measure_id].append(OfficerResult(
            officer=name_of(officer_id), unit=unit_of(officer_id), period=report.period,
            version=version.version, status=version.status, percent=version.percent, summary=version.summary,
            outcome=version.outcome, obstacles=version.obstacles, evidence=evidence.get(version.id, 0)))
    for results in by_measure.values():
        results.sort(key=lambda r: (r.unit or "", r.officer))

    results = [MeasureResult(
        ref=m.ref, key=m.key, number=m.number, title=m.title, section_path=list(m.section_path or []),
        steps=m.steps, responsible=m.responsible_text, period_start=m.period_start, period_end=m.period_end,
        period_assumed=m.period_assumed, imported_result=m.imported_result, imported_outcome=m.imported_outcome,
        results=by_measure.get(m.id, [])) for m in measures]

    order = {m.id: index for index, m in enumerate(measures)}
    by_id = {m.id: m for m in measures}
    records: list[VersionRecord] = []
    obstacles: list[tuple[int, date, Obstacle]] = []
    seen_obstacles: set[tuple[int, str]] = set()
    for report in sorted(effective.values(), key=lambda r: (order[r.measure_id], name_of(r.officer_id), r.period)):
        measure = by_id[report.measure_id]
        for version in versions[report.id]:
            records.append(VersionRecord(
                measure_ref=measure.ref, measure_title=measure.title, officer=name_of(report.officer_id),
                unit=unit_of(report.officer_id), period=report.period, version=version.version,
                status=version.status, percent=version.percent, summary=version.summary, outcome=version.outcome,
                obstacles=version.obstacles, evidence=evidence.get(version.id, 0),
                reported_by=name_of(version.reported_by_officer_id), via=version.via,
                created_at=version.created_at))
        # A report's superseded versions are edits, not separate obstacles.
        text = " ".join(versions[report.id][-1].obstacles.split())
        if text and (report.measure_id, text) not in seen_obstacles:
            seen_obstacles.add((report.measure_id, text))
            obstacles.append((order[measure.id], report.period, Obstacle(
                measure_ref=measure.ref, measure_title=measure.title, text=text,
                officer=name_of(report.officer_id), period=report.period)))
    obstacles.sort(key=lambda item: item[:2])

    months = [m for m in fiscal_months(year_be) if m <= covered_end.replace(day=1)]
    progress, progress_total = _unit_progress(session, organisation_id, year_be, months, effective.values(), officers)
    return AnnualReport(
        org_name=org.name, district=org.district, province=org.province, fiscal_year=year_be,
        covered_start=year_start, covered_end=covered_end, as_of=as_of, measures=results, versions=records,
        progress=progress, progress_total=progress_total, scores=year_score_comparison(session, organisation_id=organisation_id, year_be=year_be),
        obstacles=[item[2] for item in obstacles], reporter=reporter or Reporter(), timezone=str(tz))


def _unit_progress(session: Session, organisation_id: int, year_be: int, months: list[date], reports,
                   officers: dict) -> tuple[list[UnitProgress], list[UnitMonth]]:
    """Per unit and month, and for the whole organisation: measure-periods reported out of those due.

    The same counting as สรุป and สรุปปี (models.summaries).
    """
    if not months:
        return [], []
    plan = load_plan(session, organisation_id=organisation_id, fiscal_year_be=year_be)
    # Only this year's measures belong in this year's report.
    plan = replace(plan, measures={m_id: m for m_id, m in plan.measures.items() if m.fiscal_year == year_be})
    rows = [(r.period, r.measure_id, r.officer_id, getattr(officers.get(r.officer_id), "unit_id", None), r.status,
             r.percent) for r in sorted(reports, key=lambda r: (r.updated_at, r.id))]
    by_party = latest_by_party(rows)
    counts: dict[str, dict[date, Tally]] = defaultdict(dict)
    total = []
    for month in months:
        progress = summarise_duties(plan, period_duties(plan, by_party.get(month, {}), month, unnamed_unit=NO_UNIT),
                                    month)
        total.append(UnitMonth(month, progress.total.reported, progress.total.due))
        for unit in progress.units:
            counts[unit.label][month] = unit
    return [UnitProgress(unit=name, months=[UnitMonth(month, counts[name][month].reported, counts[name][month].due)
                                            if month in counts[name] else UnitMonth(month, 0, 0)
                                            for month in months])
            for name in sorted(counts, key=lambda n: (n == NO_UNIT, n))], total


def year_score_comparison(session: Session, *, organisation_id: int, year_be: int) -> ScoreComparison | None:
    """The latest assessment year up to ``year_be`` against the one before it, or None without scores."""
    years = [y for y in score_store.available_years(session, organisation_id=organisation_id) if y <= year_be]
    if not years:
        return None
    current_year = max(years)
    previous_year = max((y for y in years if y < current_year), default=None)
    current = score_store.year_scores(session, organisation_id=organisation_id, year_be=current_year)
    previous = (score_store.year_scores(session, organisation_id=organisation_id, year_be=previous_year)
                if previous_year is not None else None)
    if current is None:
        return None
    lines = [ScoreLine(number, indicator.name,
                       previous.indicators.get(number) if previous else None, current.indicators.get(number))
             for number, indicator in sorted(INDICATORS.items())]
    overall = ScoreLine(0, SCORE_OVERALL, previous.display_overall if previous else None, current.display_overall)
    return ScoreComparison(current_year=current_year, previous_year=previous_year, lines=lines, overall=overall,
                           current_level=current.display_level,
                           previous_level=previous.display_level if previous else None)
