"""The dashboard (/console) and one measure's history (/console/measures/<id>), with evidence photos.

Every figure comes from models.summaries (the same queries the chat's สรุป
and ค้างส่ง use); this module only chooses the period and the unit.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import abort, g, render_template, request, send_file
from sqlmodel import select

from bot.console.blueprint import bp, db, owned, services, visitor
from ita.thai import fiscal_months, fiscal_year
from line import texts
from models import Evidence, Measure, Officer, ReportVersion, StatusReport, Unit
from models.annual import measure_years
from models.reports import current_period, report_history
from models.summaries import measure_detail, pending_parties, period_progress, year_progress

CHART_HEIGHT = 160


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def chosen_period(organisation_id: int) -> tuple[int, list[int], date, list[date]]:
    """The fiscal year and month the filters ask for, kept within what exists."""
    today = current_period(g.now, services().settings.tz)
    this_year = fiscal_year(today)
    years = sorted(set(measure_years(db(), organisation_id=organisation_id)) | {this_year})
    year = _int_arg("year")
    year = year if year in years else this_year
    months = [m for m in fiscal_months(year) if m <= today] or fiscal_months(year)[:1]
    wanted = request.args.get("month", "")
    period = next((m for m in months if m.strftime("%Y-%m") == wanted), None)
    if period is None:
        period = today if today in months else months[-1]
    return year, years, period, months


@bp.get("/")
def dashboard():
    org_id = visitor().organisation_id
    session = db()
    year, years, period, months = chosen_period(org_id)
    units = list(session.exec(select(Unit).where(Unit.organisation_id == org_id).order_by(Unit.name)))
    unit_id = _int_arg("unit")
    unit = next((u for u in units if u.id == unit_id), None)
    unit_id = unit.id if unit else None
    progress = period_progress(session, organisation_id=org_id, period=period, unit_id=unit_id)
    pending, _due = pending_parties(session, organisation_id=org_id, period=period, unit_id=unit_id,
                                    unnamed_unit=texts.SUM_NO_UNIT)
    trend = year_progress(session, organisation_id=org_id, period=period, unit_id=unit_id)
    return render_template("console/dashboard.html", year=year, years=years, period=period, months=months,
                           units=units, unit=unit, progress=progress, pending=pending, trend=trend,
                           chart_height=CHART_HEIGHT)


@bp.get("/measures/<int:measure_id>")
def measure(measure_id: int):
    session = db()
    item = owned(Measure, measure_id)
    detail = measure_detail(session, measure=item)
    officer_ids = list(dict.fromkeys([o.officer_id for o in detail.officers] + [h.officer_id for h in detail.history]))
    names = {o.officer_id: o.name for o in detail.officers} | {h.officer_id: h.name for h in detail.history}
    history = []
    for officer_id in officer_ids:
        for report, version in report_history(session, officer_id=officer_id, measure_id=item.id, limit=24):
            history.append((report, version, names.get(officer_id, "-")))
    history.sort(key=lambda row: (row[0].period, row[1].created_at), reverse=True)
    evidence: dict[int, list[Evidence]] = {}
    for row in session.exec(select(Evidence).join(ReportVersion, ReportVersion.id == Evidence.report_version_id)
                            .join(StatusReport, StatusReport.id == ReportVersion.report_id)
                            .where(StatusReport.measure_id == item.id,
                                   Evidence.organisation_id == item.organisation_id)):
        evidence.setdefault(row.report_version_id, []).append(row)
    officers = list(session.exec(select(Officer).where(Officer.organisation_id == item.organisation_id,
                                                       Officer.active).order_by(Officer.name)))
    assigned = {o.officer_id for o in detail.officers}
    return render_template("console/measure.html", measure=item, detail=detail, history=history,
                           evidence=evidence, officers=officers, assigned=assigned)


@bp.get("/evidence/<int:evidence_id>")
def evidence_file(evidence_id: int):
    """An evidence photo or file of the visitor's organisation (never another's)."""
    row = owned(Evidence, evidence_id)
    root = services().settings.evidence_dir
    path = (Path(root) / row.stored_path).resolve()
    if Path(root).resolve() not in path.parents or not path.is_file():
        abort(404)
    inline = row.content_type.startswith("image/")
    return send_file(path, mimetype=row.content_type, as_attachment=not inline,
                     download_name=row.original_name or path.name, max_age=3600)
