"""ITA scores (/console/scores): upload a results report, preview with the cross-checks, save; compare years.

Reading is ita.score_text (the CLI's import-scores reader); saving is
models.scores.save_year_scores; totals and levels are computed by
ita.scores.YearScores, never stored.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from bot.console import forms, imports
from bot.console.blueprint import UPLOAD_MAX_BYTES, admin_only, bp, db, record, show_recent_audit, visitor
from ita.scores import INDICATORS, TOLERANCE, TOOL_INDICATORS, TOOLS
from line import texts
from models.scores import available_years, save_year_scores, scores_for_years


def _question_order(code: str) -> tuple[str, int]:
    return ("ieo".index(code[0]) if code[0] in "ieo" else 9, int(code[1:]) if code[1:].isdigit() else 0)


@bp.get("/scores")
def scores():
    org_id = visitor().organisation_id
    years = available_years(db(), organisation_id=org_id)
    data = scores_for_years(db(), organisation_id=org_id, years=years)
    questions = sorted({code for s in data.values() for code in s.questions}, key=_question_order)
    show_recent_audit("scores.")
    return render_template("console/scores.html", years=years, data=data, indicators=INDICATORS, tools=TOOLS,
                           questions=questions, max_bytes=UPLOAD_MAX_BYTES, suffixes=imports.SCORE_SUFFIXES)


@bp.post("/scores/preview")
@admin_only
def scores_preview():
    year = forms.year_be(request.form.get("year"))
    data, name = forms.upload("file", imports.SCORE_SUFFIXES)
    return _preview_scores(data, name, year)


@bp.post("/scores/prefer")
@admin_only
def scores_prefer():
    """Read the upload again, believing the place the admin chose where the document contradicts itself."""
    upload = forms.unsealed("scores-upload", "upload")
    prefer = (request.form.get("prefer") or "").strip()
    if prefer not in upload["choices"]:
        flash(texts.CONSOLE_SCORES_CHOOSE, "error")
        return redirect(url_for("console.scores"))
    return _preview_scores(imports.unpack_upload(upload["data"]), upload["file"], upload["year"], prefer=prefer)


def _preview_scores(data: bytes, name: str, year: int | None, *, prefer: str | None = None):
    try:
        doc = imports.read_scores_upload(data, name, year_be=year, prefer=prefer)
    except imports.ScoresDisagree as exc:
        places = list(dict.fromkeys(place for conflict in exc.conflicts for place, _ in conflict.places))
        upload = {"data": imports.pack_upload(data), "file": name, "year": year,
                  "choices": ["first", "last", *places]}
        return render_template("console/scores_conflict.html", upload=forms.sealed("scores-upload", upload), file=name, conflicts=exc.conflicts,
                               places=places), 200
    except imports.UploadError as exc:
        flash(texts.CONSOLE_FILE_UNREADABLE.format(reason=exc.message.th()), "error")
        return redirect(url_for("console.scores"))
    if not doc.years:
        flash(texts.CONSOLE_SCORES_NONE, "error")
        return redirect(url_for("console.scores"))
    org_id = visitor().organisation_id
    sealed = forms.sealed("scores", {"years": [imports.scores_to_json(s) for s in doc.years.values()], "file": name})
    existing = set(available_years(db(), organisation_id=org_id))
    return render_template("console/scores_preview.html", doc=doc, sealed=sealed, file=name, existing=existing,
                           indicators=INDICATORS, tools=TOOLS, tool_indicators=TOOL_INDICATORS, tolerance=TOLERANCE)


@bp.post("/scores/import")
@admin_only
def scores_import():
    org_id = visitor().organisation_id
    payload = forms.unsealed("scores", "sealed")
    session = db()
    saved = []
    for item in payload["years"]:
        year_scores = imports.scores_from_json(item)
        save_year_scores(session, organisation_id=org_id, scores=year_scores, source=payload.get("file", "")[:300])
        saved.append(year_scores.year_be)
    record("scores.import", f"นำเข้าคะแนน ITA ปี {', '.join(map(str, saved))} จาก {payload.get('file', '')}",
           at=g.now.isoformat())
    session.commit()
    flash(texts.CONSOLE_SCORES_IMPORTED.format(years=", ".join(map(str, saved))))
    return redirect(url_for("console.scores"))
