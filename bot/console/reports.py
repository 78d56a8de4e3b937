"""Reports (/console/reports): the year's results report (DOCX, XLSX, CSV) and every answer as CSV.

The same gathering (models.annual) and writers (ita.annual_report) as the
CLI's export-report and the chat's รายงานประจำปี. Files are written to a
temporary folder and streamed; nothing is kept.
"""
from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from flask import Response, g, render_template, request, send_file

from bot.console.blueprint import bp, db, message_page, services, visitor
from bot.console.dashboard import chosen_period
from ita.annual_report import FORMATS, status_text, write_report
from line import texts
from models.annual import gather_annual_report, measure_years

MIMETYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "csv": "text/csv; charset=utf-8"}
ANSWER_COLUMNS = ("เดือน", "มาตรการ", "ชื่อมาตรการ", "ผู้รายงาน", "หน่วยงาน", "ฉบับที่", "สถานะ",
                  "ผลการดำเนินการ", "ผลลัพธ์", "ปัญหา/อุปสรรค", "หลักฐาน (ไฟล์)", "บันทึกโดย", "ช่องทาง", "บันทึกเมื่อ")


@bp.get("/reports")
def reports():
    year, years, _period, _months = chosen_period(visitor().organisation_id)
    return render_template("console/reports.html", year=year, years=years, formats=FORMATS)


def _report(year: int):
    org_id = visitor().organisation_id
    if year not in measure_years(db(), organisation_id=org_id):
        return None
    return gather_annual_report(db(), organisation_id=org_id, year_be=year, tz=services().settings.tz, now=g.now)


def _year() -> int | None:
    value = request.args.get("year", "")
    return int(value) if value.isdigit() else None


@bp.get("/reports/annual.<fmt>")
def report_file(fmt: str):
    year = _year()
    if fmt not in FORMATS or year is None:
        return message_page(texts.CONSOLE_NOT_FOUND, 404)
    report = _report(year)
    if report is None:
        return message_page(texts.CONSOLE_REPORT_NO_YEAR, 404)
    with tempfile.TemporaryDirectory(prefix="tidtam-report-") as folder:
        path = Path(folder) / f"report.{fmt}"
        write_report(report, path, fmt, thai_digits=request.args.get("thai") == "1")
        data = path.read_bytes()
    name = f"{texts.ANNUAL_FILE_NAME.format(year=year)}.{fmt}"
    return send_file(io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name)


@bp.get("/reports/answers.csv")
def answers_csv():
    year = _year()
    report = _report(year) if year else None
    if report is None:
        return message_page(texts.CONSOLE_REPORT_NO_YEAR, 404)
    tz = services().settings.tz
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Thai correctly only with a BOM
    writer = csv.writer(out)
    writer.writerow(ANSWER_COLUMNS)
    for v in report.versions:
        writer.writerow([v.period.strftime("%Y-%m"), v.measure_ref, v.measure_title, v.officer, v.unit or "",
                         v.version, status_text(v.status, v.percent), v.summary, v.outcome, v.obstacles,
                         v.evidence, v.reported_by, v.via, v.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")])
    name = f"answers-{year}.csv"
    return Response(out.getvalue().encode("utf-8"), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
