"""The plan (/console/plan): upload a document, preview and correct it, import it; edit measures.

The preview saves nothing. Its form carries the parsed measures back signed
(bot.console.imports); the admin's corrections are applied on top, checked,
and written with models.plan.apply_plan in one transaction when นำเข้า is
pressed. Measures are edited and assigned afterwards with the same model
functions the CLI uses (models.plan, models.people).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from flask import flash, g, redirect, render_template, request, url_for
from sqlmodel import select

from bot.console import forms, imports
from bot.console.blueprint import (
    UPLOAD_MAX_BYTES,
    admin_only,
    bp,
    changed_fields,
    db,
    owned,
    record,
    show_recent_audit,
    visitor,
)
from bot.console.dashboard import chosen_period
from ita.plan import PlanDocument, PlanMeasure, PlanWarning
from ita.units import split_responsible
from line import texts
from models import Measure, Officer, Organisation
from models.people import set_assignment
from models.plan import Assignment, apply_plan, assign_automatically, measure_refs, relink_units

# Importer warnings that already say what the preview's own flag would (period assumed, no unit).
_SAYS_PERIOD_ASSUMED = {"plan.no_period", "plan.period_unreadable"}
_SAYS_NO_UNIT = {"plan.no_unit"}


def _flags(doc: PlanDocument) -> tuple[list[list[str]], list[str]]:
    """Each measure's guesses and warnings, and the document's warnings that belong to no measure, in Thai."""
    by_line: dict[int, list[PlanWarning]] = {}
    for warning in doc.warnings:
        if warning.line is not None:
            by_line.setdefault(warning.line, []).append(warning)
    used: set[int] = set()
    flags = []
    for item in doc.measures:
        warnings = by_line.get(item.source_line, [])
        codes = {warning.what.code for warning in warnings}
        row = []
        if item.period_assumed and not codes & _SAYS_PERIOD_ASSUMED:
            row.append("ไม่ระบุระยะเวลา: ถือว่าทั้งปีงบประมาณ")
        if not item.responsible_units and not codes & _SAYS_NO_UNIT:
            row.append("ไม่พบหน่วยงานผู้รับผิดชอบ")
        if warnings:
            row += [warning.what.th() for warning in warnings]
            used.add(item.source_line)
        flags.append(row)
    loose = [w.th() for w in doc.warnings if w.line is None or w.line not in used]
    return flags, loose


@bp.get("/plan")
def plan():
    org_id = visitor().organisation_id
    year, years, _period, _months = chosen_period(org_id)
    measures = list(db().exec(select(Measure).where(Measure.organisation_id == org_id, Measure.fiscal_year == year)
                              .order_by(Measure.source_line, Measure.id)))
    counts = Counter(db().exec(select(Assignment.measure_id).where(Assignment.organisation_id == org_id,
                                                                   Assignment.active)).all())
    show_recent_audit("plan.")
    return render_template("console/plan.html", year=year, years=years, measures=measures, counts=counts,
                           max_bytes=UPLOAD_MAX_BYTES, suffixes=imports.PLAN_SUFFIXES)


# The roles a column may take in the picker, in the order a plan's table usually has them.
COLUMN_CHOICES = (("", "ไม่ใช้"), ("number", "ลำดับ"), ("group", "ประเด็น/กลุ่ม"), ("measure", "มาตรการ"),
                  ("steps", "ขั้นตอน/วิธีการ"), ("unit", "ผู้รับผิดชอบ"), ("period", "ระยะเวลา"),
                  ("result", "ผลการดำเนินการ"), ("outcome", "ผลลัพธ์"), ("indicator", "ตัวชี้วัด"),
                  ("question", "ข้อคำถาม"), ("cadence", "ความถี่การรายงาน"))


@bp.post("/plan/preview")
@admin_only
def plan_preview():
    year = forms.year_be(request.form.get("year"))
    data, name = forms.upload("file", imports.PLAN_SUFFIXES)
    return _preview_upload(data, name, year)


@bp.post("/plan/columns")
@admin_only
def plan_columns():
    """Read the upload again with the table and columns the admin chose."""
    upload = forms.unsealed("plan-upload", "upload")
    table = forms.whole_number(request.form.get("table"))
    columns: dict[str, int] = {}
    for key, role in request.form.items():
        column = forms.whole_number(key.removeprefix(f"t{table}c")) if key.startswith(f"t{table}c") else None
        if column and role in dict(COLUMN_CHOICES) and role:
            columns.setdefault(role, column)
    if "measure" not in columns:
        flash(texts.CONSOLE_COLUMNS_NEED_MEASURE, "error")
        return _ask_columns(upload, upload["candidates"], status=400)
    return _preview_upload(imports.unpack_upload(upload["data"]), upload["file"], upload["year"], columns=columns,
                           table=table)


def _preview_upload(data: bytes, name: str, year: int | None, *, columns: dict[str, int] | None = None,
                    table: int | None = None):
    try:
        doc = imports.read_plan_upload(data, name, fiscal_year_be=year, columns=columns, table=table)
    except imports.ColumnsNeeded as exc:
        candidates = [imports.candidate_to_json(c) for c in exc.candidates]
        upload = {"data": imports.pack_upload(data), "file": name, "year": year, "candidates": candidates}
        return _ask_columns(upload, candidates)
    except imports.UploadError as exc:
        flash(texts.CONSOLE_FILE_UNREADABLE.format(reason=exc.message.th()), "error")
        return redirect(url_for("console.plan"))
    if not doc.measures:
        flash(texts.CONSOLE_PLAN_NO_MEASURES, "error")
        return redirect(url_for("console.plan"))
    flags, loose = _flags(doc)
    org = db().get(Organisation, visitor().organisation_id)
    notes = []
    if doc.org_name and doc.org_name != org.name:
        notes.append(texts.CONSOLE_PLAN_OTHER_ORG.format(name=doc.org_name, org=org.name))
    payload = {"measures": [imports.measure_to_json(m) for m in doc.measures], "flags": flags, "loose": loose,
               "notes": notes, "file": name, "format": doc.source_format}
    return _render_preview(forms.sealed("plan", payload), payload, doc.measures, year or doc.fiscal_year_be, errors=[])


def _ask_columns(upload: dict, candidates: list[dict], *, status: int = 200):
    """The candidate tables, each column with a picker preset to the importer's guess."""
    return render_template("console/plan_columns.html", upload=forms.sealed("plan-upload", upload), file=upload["file"], candidates=candidates,
                           choices=COLUMN_CHOICES), status


def _render_preview(sealed: str, payload: dict, measures: list[PlanMeasure], year: int | None, *,
                    errors: list[str], skipped: set[int] = frozenset(), status: int = 200):
    refs = measure_refs(measures)
    return render_template("console/plan_preview.html", sealed=sealed, payload=payload, measures=measures,
                           refs=[refs[m.key] for m in measures], year=year, errors=errors,
                           skipped=skipped), status


def _corrected(items: list[PlanMeasure], form) -> tuple[list[PlanMeasure], set[int], list[str]]:
    """Apply the admin's corrections to the parsed measures; collect every problem, row by row."""
    result, skipped, errors = [], set(), []
    for index, item in enumerate(items):
        prefix = f"m-{index}-"
        if form.get(prefix + "skip"):
            skipped.add(index)
        changes: dict = {}
        try:
            title = " ".join(form.get(prefix + "title", item.title).split())
            if not title:
                raise forms.FormError(texts.CONSOLE_BAD_TITLE)
            changes["title"] = title
            responsible = " ".join(form.get(prefix + "responsible", item.responsible_text).split())
            if responsible != item.responsible_text:
                changes["responsible_text"] = responsible
                changes["responsible_units"] = split_responsible(responsible)
            start, end = forms.period(forms.month(form.get(prefix + "start")), forms.month(form.get(prefix + "end")))
            if (start, end) != (item.period_start, item.period_end):
                changes.update(period_start=start, period_end=end, period_assumed=False)
            changes["cadence"] = forms.cadence(form.get(prefix + "cadence", item.cadence))
            changes["indicator_numbers"] = forms.indicators(form.get(prefix + "indicators", ""))
        except forms.FormError as exc:
            errors.append(texts.CONSOLE_BAD_ROW.format(row=index + 1, problem=exc))
        result.append(replace(item, **changes))
    return result, skipped, errors


@bp.post("/plan/import")
@admin_only
def plan_import():
    org_id = visitor().organisation_id
    sealed = request.form.get("sealed", "")
    payload = forms.unsealed("plan", "sealed")
    items = [imports.measure_from_json(m) for m in payload["measures"]]
    measures, skipped, errors = _corrected(items, request.form)
    try:
        year = forms.year_be(request.form.get("year"))
    except forms.FormError as exc:
        errors.insert(0, str(exc))
        year = None
    if year is None and not errors:
        errors.insert(0, texts.CONSOLE_PLAN_NO_YEAR)
    if errors:
        return _render_preview(sealed, payload, measures, year, errors=errors, skipped=skipped, status=400)
    chosen = [m for i, m in enumerate(measures) if i not in skipped]
    session = db()
    org = session.get(Organisation, org_id)
    result = apply_plan(session, imports.plan_document(chosen, source_format=payload.get("format", "console")),
                        organisation=org, fiscal_year=year, now=g.now)
    record("plan.import", f"นำเข้าแผนปีงบประมาณ {year} จาก {payload.get('file', '')}", created=result.created,
           updated=result.updated, unchanged=result.unchanged, units=result.units_created,
           skipped=len(skipped))
    session.commit()
    flash(texts.CONSOLE_PLAN_IMPORTED.format(created=result.created, updated=result.updated,
                                             unchanged=result.unchanged, units=len(result.units_created),
                                             assigned=result.assignments_created))
    if result.not_in_file:
        flash(texts.CONSOLE_PLAN_KEPT.format(year=year, count=result.not_in_file), "warn")
    return redirect(url_for("console.plan", year=year))


@bp.post("/plan/measures/<int:measure_id>")
@admin_only
def plan_measure_save(measure_id: int):
    session = db()
    item = owned(Measure, measure_id)
    form = request.form
    try:
        title = " ".join(form.get("title", "").split())
        if not title:
            raise forms.FormError(texts.CONSOLE_BAD_TITLE)
        start, end = forms.period(forms.month(form.get("start")), forms.month(form.get("end")))
        cadence = forms.cadence(form.get("cadence"))
        numbers = forms.indicators(form.get("indicators"))
    except forms.FormError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.measure", measure_id=item.id))
    responsible = " ".join(form.get("responsible", "").split())
    before = {"title": item.title, "responsible_text": item.responsible_text, "cadence": item.cadence,
              "indicator_numbers": list(item.indicator_numbers), "active": item.active,
              "period": [str(item.period_start), str(item.period_end)]}
    if (start, end) != (item.period_start, item.period_end):
        item.period_start, item.period_end, item.period_assumed = start, end, False
    item.title, item.cadence, item.indicator_numbers = title, cadence, numbers
    item.active = bool(form.get("active"))
    item.updated_at = g.now
    relinked = responsible != item.responsible_text
    item.responsible_text = responsible
    session.add(item)
    session.flush()
    if relinked:
        relink_units(session, item)
        assign_automatically(session, organisation_id=item.organisation_id, fiscal_year=item.fiscal_year,
                             now=g.now)
    after = {"title": item.title, "responsible_text": item.responsible_text, "cadence": item.cadence,
             "indicator_numbers": list(item.indicator_numbers), "active": item.active,
             "period": [str(item.period_start), str(item.period_end)]}
    record("plan.measure", f"แก้ไขมาตรการ {item.ref}", changes=changed_fields(before, after))
    session.commit()
    flash(texts.CONSOLE_MEASURE_SAVED.format(ref=item.ref))
    return redirect(url_for("console.measure", measure_id=item.id))


@bp.post("/plan/measures/<int:measure_id>/assignments")
@admin_only
def plan_assignments_save(measure_id: int):
    session = db()
    item = owned(Measure, measure_id)
    wanted = {int(v) for v in request.form.getlist("officer") if v.isdigit()}
    officers = list(session.exec(select(Officer).where(Officer.organisation_id == item.organisation_id,
                                                       Officer.active)))
    current = set(session.exec(select(Assignment.officer_id).where(Assignment.measure_id == item.id,
                                                                   Assignment.active)).all())
    added, removed = [], []
    for officer in officers:  # only this organisation's officers can be chosen
        active = officer.id in wanted
        if active != (officer.id in current) and set_assignment(session, measure=item, officer=officer,
                                                                active=active, now=g.now):
            (added if active else removed).append(officer.name)
    record("plan.assign", f"ผู้รับผิดชอบมาตรการ {item.ref}", added=added, removed=removed)
    session.commit()
    flash(texts.CONSOLE_ASSIGNMENTS_SAVED.format(ref=item.ref))
    return redirect(url_for("console.measure", measure_id=item.id))
