"""The year's results report: DOCX, XLSX and CSV content, the CLI, the chat command and the round trip."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from sqlmodel import select

from ita import annual_report
from ita.annual_report import FONT, HEADERS, NO_REPORT, OBSTACLES_HEADING, TITLE, docx_text, write_report
from ita.plan import read_plan
from line import texts
from models import Evidence, Measure, utcnow
from models.annual import gather_annual_report
from models.plan import find_organisation
from models.reports import Draft, save_report
from tests.factories import make_world, this_fiscal_year

BANGKOK = ZoneInfo("Asia/Bangkok")
YEAR = 2569  # a finished fiscal year: 1 Oct 2025 – 30 Sep 2026
DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
SEED_000 = DOCUMENTS / "report_numbered.txt"
OFFICERS = [
    ("สมชาย ใจดี", "กองคลัง", "officer"),
    ("สมหญิง รักงาน", "สำนักปลัด", "officer"),
    ("สมศรี มีสุข", "สำนักปลัด", "officer"),
    ("ประยุทธ์ หัวหน้า", "สำนักปลัด", "supervisor"),
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BANGKOK).astimezone(UTC)


def report(session, world, ref, name, period, status, percent=None, summary="", outcome="", obstacles="",
           *, by=None, now=None):
    officer = world.officers[name]
    draft = Draft(measure_id=world.measures[ref].id, period=period, status=status, percent=percent,
                  summary=summary, outcome=outcome, obstacles=obstacles)
    _, version = save_report(session, draft=draft, officer=officer, reported_by=world.officers[by or name],
                             webhook_event_id=None, via="chat", evidence_ids=[],
                             now=now or at(period.year, period.month, 20))
    session.commit()
    return version


@pytest.fixture
def world(session):
    """Measure 1 reported by one officer (edited), measure 2 by two officers, measure 3 by nobody."""
    world = make_world(session, year=YEAR, officers=OFFICERS)
    report(session, world, "1", "สมชาย ใจดี", date(2025, 11, 1), "in_progress", 40, "เผยแพร่ข้อมูลเดือนตุลาคมแล้ว",
           obstacles="เว็บไซต์ล่มบ่อย")
    report(session, world, "1", "สมชาย ใจดี", date(2026, 3, 1), "in_progress", 80, "เผยแพร่ครบหกเดือนแรก")
    edited = report(session, world, "1", "สมชาย ใจดี", date(2026, 3, 1), "done", 100,
                    "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างครบทุกเดือน", "ประชาชนเข้าถึงข้อมูลได้สะดวก",
                    now=at(2026, 3, 25))
    session.add(Evidence(organisation_id=world.org.id, officer_id=world.officers["สมชาย ใจดี"].id,
                         report_version_id=edited.id, sha256="a" * 64, stored_path="aa/x.jpg", size=10))
    report(session, world, "2", "สมหญิง รักงาน", date(2026, 2, 1), "done", 100, "จัดประชุมชี้แจงแล้วสองครั้ง",
           "เจ้าหน้าที่เข้าใจมาตรการ")
    report(session, world, "2", "สมศรี มีสุข", date(2026, 2, 1), "blocked", None, "รอห้องประชุม",
           obstacles="ห้องประชุมไม่ว่างตลอดเดือน", by="ประยุทธ์ หัวหน้า")
    session.commit()
    return world


def gather(session, world, **kw):
    return gather_annual_report(session, organisation_id=world.org.id, year_be=YEAR, tz=BANGKOK,
                                now=at(2026, 11, 1), **kw)


def docx_of(session, world, tmp_path, name="report.docx", *, thai_digits=False, **kw):
    path = tmp_path / name
    write_report(gather(session, world, **kw), path, "docx", thai_digits=thai_digits)
    return Document(str(path))


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def row_for(document, title_start: str) -> list[str]:
    for table in document.tables:
        for row in rows_of(table):
            if row[0].startswith(title_start):
                return row
    raise AssertionError(f"no row starting {title_start!r}")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# -- the Word document ----------------------------------------------------------------------


def test_docx_layout_fonts_and_repeated_header(session, world, tmp_path):
    document = docx_of(session, world, tmp_path)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Cm(29.7)) < Cm(0.01) and abs(section.page_height - Cm(21)) < Cm(0.01)

    normal = document.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt for Thai (complex script) text
    first_run = document.paragraphs[0].runs[0]
    assert first_run.font.name == FONT and first_run._r.rPr.find(qn("w:bCs")) is not None

    (table,) = document.tables  # no scores stored: only the measure table
    header = table.rows[0]
    assert [squash(c.text) for c in header.cells] == [squash(h) for h in HEADERS]
    repeat = header._tr.trPr.find(qn("w:tblHeader"))
    assert repeat is not None and repeat.get(qn("w:val")) == "true"
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])


def test_docx_title_intro_results_and_attributions(session, world, tmp_path):
    document = docx_of(session, world, tmp_path)
    lines = [p.text for p in document.paragraphs]
    assert lines[:4] == [TITLE, "ประจำปีงบประมาณ พ.ศ. 2569", "องค์การบริหารส่วนตำบลทดสอบ", "อำเภอเมือง จังหวัดทดสอบ"]
    intro = next(line for line in lines if "ได้กำหนดมาตรการ" in line)
    assert "ระหว่างวันที่ 1 ต.ค. 2568 – 30 ก.ย. 2569" in intro
    assert "มาตรการทั้งหมด 3 มาตรการ มีรายงานผลแล้ว 2 มาตรการ ยังไม่มีรายงานผล 1 มาตรการ" in lines

    first = row_for(document, "1. ")
    assert first[0] == "1. เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์"
    assert first[2] == "กองคลัง" and squash(first[3]) == squash("ต.ค. 2568 – ก.ย. 2569")
    # The latest month's latest version only, attributed, with its evidence.
    assert first[4] == ("เผยแพร่ข้อมูลการจัดซื้อจัดจ้างครบทุกเดือน "
                        "(ดำเนินการแล้ว 100%, สมชาย ใจดี, มี.ค. 2569, หลักฐาน 1 ไฟล์)")
    assert first[5] == "ประชาชนเข้าถึงข้อมูลได้สะดวก"

    second = row_for(document, "2. ")
    assert "• จัดประชุมชี้แจงแล้วสองครั้ง (ดำเนินการแล้ว 100%, สมหญิง รักงาน, ก.พ. 2569)" in second[4]
    assert "• รอห้องประชุม (มีปัญหา-อุปสรรค, สมศรี มีสุข, ก.พ. 2569)" in second[4]
    assert second[5] == "เจ้าหน้าที่เข้าใจมาตรการ (สมหญิง รักงาน)"

    third = row_for(document, "3. ")
    assert third[2] == "ทุกส่วนราชการ"
    assert third[4] == NO_REPORT and third[5] == "-"


def test_docx_obstacles_and_dotted_reporter_block(session, world, tmp_path):
    lines = [p.text for p in docx_of(session, world, tmp_path).paragraphs]
    start = lines.index(OBSTACLES_HEADING)
    obstacles = [line for line in lines[start + 1:] if line.startswith("• ")]
    assert obstacles == [
        "• มาตรการ 1 เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์: เว็บไซต์ล่มบ่อย (สมชาย ใจดี, พ.ย. 2568)",
        "• มาตรการ 2 ประชุมชี้แจงมาตรการป้องกันการทุจริต: ห้องประชุมไม่ว่างตลอดเดือน (สมศรี มีสุข, ก.พ. 2569)",
    ]
    assert [line.split()[0] for line in lines[-3:]] == ["ผู้รายงาน", "ตำแหน่ง", "วันที่"]
    assert all(line.endswith("......") for line in lines[-3:])


def test_docx_thai_digits_everywhere(session, world, tmp_path):
    document = docx_of(session, world, tmp_path, thai_digits=True)
    text = all_text(document)
    assert not re.search(r"[0-9]", text)
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text and "๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙" in text
    assert row_for(document, "๑. ")[4].startswith("เผยแพร่ข้อมูลการจัดซื้อจัดจ้างครบทุกเดือน (ดำเนินการแล้ว ๑๐๐%")


def test_as_of_leaves_out_later_months_and_later_edits(session, world, tmp_path):
    # A version saved after the as-of day does not count, even for an earlier month.
    report(session, world, "2", "สมหญิง รักงาน", date(2026, 2, 1), "done", 100, "แก้ไขภายหลัง",
           now=at(2026, 5, 2))
    document = docx_of(session, world, tmp_path, as_of=date(2026, 2, 28))
    intro = next(p.text for p in document.paragraphs if "ได้กำหนดมาตรการ" in p.text)
    assert "ตั้งแต่วันที่ 1 ต.ค. 2568 ถึงวันที่ 28 ก.พ. 2569" in intro
    first = row_for(document, "1. ")
    assert first[4] == "เผยแพร่ข้อมูลเดือนตุลาคมแล้ว (อยู่ระหว่างดำเนินการ 40%, สมชาย ใจดี, พ.ย. 2568)"
    second = row_for(document, "2. ")
    assert "จัดประชุมชี้แจงแล้วสองครั้ง" in second[4] and "แก้ไขภายหลัง" not in second[4]
    # After the year ends the period covered stops at 30 September; the data date is still said.
    late = gather(session, world, as_of=date(2026, 12, 1))
    assert annual_report.covered_text(late) == (
        "ตั้งแต่วันที่ 1 ต.ค. 2568 ถึงวันที่ 30 ก.ย. 2569 (ข้อมูล ณ วันที่ 1 ธ.ค. 2569)")
    assert any("แก้ไขภายหลัง" in line for line in annual_report.result_lines(late.measures[1]))


def test_organisation_without_reports(session, tmp_path):
    world = make_world(session, year=YEAR, officers=OFFICERS)
    document = docx_of(session, world, tmp_path)
    table = document.tables[0]
    assert [row[4] for row in rows_of(table)[1:]] == [NO_REPORT] * 3
    lines = [p.text for p in document.paragraphs]
    assert "มาตรการทั้งหมด 3 มาตรการ มีรายงานผลแล้ว 0 มาตรการ ยังไม่มีรายงานผล 3 มาตรการ" in lines
    assert lines[lines.index(OBSTACLES_HEADING) + 1] == annual_report.NO_OBSTACLES


def test_score_comparison_table(session, world, tmp_path):
    from ita.scores import YearScores
    from models.scores import save_year_scores

    before = {1: 100.0, 2: 100.0, 3: 100.0, 4: 99.45, 5: 100.0, 6: 92.51, 7: 93.31, 8: 91.36, 9: 100.0, 10: 100.0}
    after = {1: 100.0, 2: 100.0, 3: 100.0, 4: 100.0, 5: 100.0, 6: 99.22, 7: 100.0, 8: 100.0, 9: 97.14, 10: 76.67}
    save_year_scores(session, organisation_id=world.org.id,
                     scores=YearScores(2568, indicators=before, reported_overall=97.72), source="t")
    save_year_scores(session, organisation_id=world.org.id,
                     scores=YearScores(2569, indicators=after, reported_overall=94.69), source="t")
    session.commit()
    document = docx_of(session, world, tmp_path)
    scores = rows_of(document.tables[-1])
    assert scores[0] == ["ลำดับที่", "ตัวชี้วัด", "ปี 2568", "ปี 2569", "เปลี่ยนแปลง (คะแนน)"]
    assert scores[1] == ["1", "การปฏิบัติหน้าที่", "100.00", "100.00", "0.00"]
    assert scores[6] == ["6", "คุณภาพการดำเนินงาน", "92.51", "99.22", "+6.71"]
    assert scores[10] == ["10", "การป้องกันการทุจริต", "100.00", "76.67", "-23.33"]
    assert scores[11][1:] == ["คะแนนภาพรวม", "97.72", "94.69", "-3.03"]
    assert scores[12][1] == "ระดับผลการประเมิน"


def test_scores_module_missing_means_no_table(session, world, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "models.scores", None)  # import fails as if the module were absent
    with pytest.raises(ImportError):
        import models.scores  # noqa: F401
    assert gather(session, world).scores is None


# -- the workbook and the CSV ---------------------------------------------------------------------


def test_xlsx_sheets(session, world, tmp_path):
    path = tmp_path / "report.xlsx"
    write_report(gather(session, world), path, "xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["ผลการดำเนินการ", "รายงานทุกฉบับ", "ความคืบหน้ารายหน่วยงาน"]

    table = book["ผลการดำเนินการ"]
    header_row = next(r for r in range(1, 12) if table.cell(r, 2).value == HEADERS[0])
    assert [table.cell(header_row, c).value for c in range(2, 8)] == list(HEADERS)
    assert table.freeze_panes == f"A{header_row + 1}"
    assert table.cell(header_row + 3, 6).value == NO_REPORT
    assert "สมศรี มีสุข" in table.cell(header_row + 2, 6).value
    assert table.cell(header_row + 1, 6).alignment.wrap_text
    assert table.column_dimensions["F"].width >= 40

    versions = book["รายงานทุกฉบับ"]
    rows = list(versions.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5 and versions.freeze_panes == "C2"
    edited = [r for r in rows if r[0] == "1" and r[4] == "มี.ค. 2569"]
    assert [(r[5], r[6], r[7]) for r in edited] == [(1, "อยู่ระหว่างดำเนินการ", 80), (2, "ดำเนินการแล้ว", 100)]
    assert edited[1][11] == 1  # evidence files
    assert edited[1][14] == "25 มี.ค. 2569 10:00"  # Bangkok time, Buddhist era like every other date
    on_behalf = next(r for r in rows if r[2] == "สมศรี มีสุข")
    assert on_behalf[12] == "ประยุทธ์ หัวหน้า" and on_behalf[10] == "ห้องประชุมไม่ว่างตลอดเดือน"

    progress = book["ความคืบหน้ารายหน่วยงาน"]
    grid = list(progress.iter_rows(values_only=True))
    assert grid[0][:4] == ("หน่วยงาน", "เดือน", "ส่งรายงานแล้ว (มาตรการ)", "ครบกำหนด (มาตรการ)")
    cells = {(row[0], row[1]): row[2:] for row in grid[1:] if row[0] and row[1]}
    # Numbers, not text; measure-periods: a unit's measure counts once a month.
    assert cells[("กองคลัง", "พ.ย. 2568")] == (1, 2, 0.5)  # one of measures 1 and 3 reported
    # Two officers reported measure 2: it counts once; measure 3 still waits.
    assert cells[("สำนักปลัด", "ก.พ. 2569")][:2] == (1, 2)
    # Measures 1, 2 and 3 once each, however many units share them and however many reported.
    assert cells[("ทั้งหน่วยงาน", "ก.พ. 2569")][:2] == (1, 3)
    assert progress.cell(2, 5).number_format == "0%"


def test_csv_is_utf8_with_bom(session, world, tmp_path):
    path = tmp_path / "report.csv"
    write_report(gather(session, world), path, "csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "มาตรการ/แนวทาง,ขั้นตอน/วิธีการดำเนินการ,หน่วยงานผู้รับผิดชอบ" in text
    assert "3. จัดทำคู่มือการปฏิบัติงาน" in text and NO_REPORT in text


def test_failed_write_leaves_no_file(session, world, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.docx"
    target.write_bytes(b"the previous report")

    def broken(report, path, *, thai_digits=False):
        Path(path).write_bytes(b"half a docu")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(annual_report.WRITERS, "docx", broken)
    with pytest.raises(OSError):
        write_report(gather(session, world), target, "docx")
    assert target.read_bytes() == b"the previous report"
    assert sorted(p.name for p in folder.iterdir()) == ["report.docx"]


# -- the round trip ---------------------------------------------------------------------------------


def _measures(session, org_id):
    session.expire_all()
    return {m.key: (m.ref, m.title, m.period_start, m.period_end, m.responsible_text)
            for m in session.exec(select(Measure).where(Measure.organisation_id == org_id))}


@pytest.mark.parametrize("thai_digits", [False, True])
def test_exported_report_imports_back_into_the_same_measures(runner, session, world, tmp_path, thai_digits):
    before = _measures(session, world.org.id)
    docx = tmp_path / "report.docx"
    write_report(gather(session, world), docx, "docx", thai_digits=thai_digits)
    text = tmp_path / "report.txt"
    text.write_text(docx_text(docx), encoding="utf-8")
    assert "มาตรการ/แนวทาง\tขั้นตอน/ วิธีการดำเนินการ\tหน่วยงาน ผู้รับผิดชอบ" in text.read_text()

    plan = read_plan(text)
    assert (plan.org_name, plan.fiscal_year_be, plan.district, plan.province) == (
        "องค์การบริหารส่วนตำบลทดสอบ", YEAR, "เมือง", "ทดสอบ")
    assert [m.key for m in plan.measures] == list(before)
    assert [m.responsible_units for m in plan.measures] == [["กองคลัง"], ["สำนักปลัด"], ["*"]]

    result = runner.invoke(args=["import-plan", str(text)])
    assert result.exit_code == 0, result.output
    assert "0 new" in result.output and "0 new unit(s)" in result.output
    assert _measures(session, world.org.id) == before


def test_seed_report_round_trips_through_docx_and_xlsx(runner, session, tmp_path):
    if not SEED_000.exists():
        pytest.skip("seed documents are not available next to the repository")
    assert runner.invoke(args=["import-plan", str(SEED_000)]).exit_code == 0
    org = find_organisation(session, None)
    before = _measures(session, org.id)
    assert len(before) == 5
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"seed.{fmt}"
        result = runner.invoke(args=["export-report", "--year", "2567", "--output", str(out), "--thai-digits"])
        assert result.exit_code == 0, result.output
        source = out
        if fmt == "docx":
            source = tmp_path / "seed.txt"
            source.write_text(docx_text(out), encoding="utf-8")
        plan = read_plan(source)
        assert [m.key for m in plan.measures] == list(before), fmt
        assert [(m.title, m.period_start, m.period_end) for m in plan.measures] == [
            (title, start, end) for _, title, start, end, _ in before.values()], fmt
        again = runner.invoke(args=["import-plan", str(source)])
        assert again.exit_code == 0 and "0 new" in again.output, again.output
        assert {k: v[:4] for k, v in _measures(session, org.id).items()} == {k: v[:4] for k, v in before.items()}


# -- the command line ---------------------------------------------------------------------------------


def test_cli_writes_each_format(runner, session, world, tmp_path):
    for fmt in ("docx", "xlsx", "csv"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["export-report", "--year", str(YEAR), "--format", fmt, "--output", str(out),
                                     "--as-of", "2026-09-30"])
        assert result.exit_code == 0, result.output
        assert f"Wrote {out} ({fmt})" in result.output and "3 measure(s): 2 with results, 1 without" in result.output
        assert out.stat().st_size > 0
    assert NO_REPORT in docx_text(tmp_path / "out.docx")


@pytest.mark.parametrize("args, message", [
    (["--year", "2571"], "has no measures for fiscal year 2571 (years with measures: 2569)"),
    (["--year", "68"], "--year must be a Buddhist-era year such as 2569"),
    (["--year", str(YEAR), "--as-of", "31/03/2026"], "--as-of must be a date written YYYY-MM-DD"),
    (["--year", str(YEAR), "--as-of", "2025-01-01"], "is before fiscal year 2569 begins (2025-10-01)"),
    (["--year", str(YEAR), "--org", "เทศบาลเมืองอื่น"], "no organisation named 'เทศบาลเมืองอื่น'"),
    (["--year", str(YEAR), "--format", "pdf"], "--format must be one of docx, xlsx, csv"),
    (["--year", str(YEAR), "--output", "{tmp}/missing/report.docx"], "the folder {tmp}/missing does not exist"),
    (["--year", str(YEAR), "--output", "{tmp}"], "it is a folder"),
    (["--year", str(YEAR), "--output", "{tmp}/file.txt/report.docx"], "is not writable"),
])
def test_cli_bad_arguments_give_one_clear_line(runner, session, tmp_path, args, message):
    make_world(session, year=YEAR, officers=OFFICERS)
    (tmp_path / "file.txt").write_text("not a folder")
    args = [a.format(tmp=tmp_path) for a in args]
    if "--output" not in args:
        args += ["--output", str(tmp_path / "report.docx")]
    result = runner.invoke(args=["export-report", *args])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message.format(tmp=tmp_path) in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "report.docx").exists()


# -- the chat command -----------------------------------------------------------------------------------


@pytest.fixture
def chat_world(session):
    world = make_world(session, officers=OFFICERS)
    report(session, world, "1", "สมชาย ใจดี", utcnow().astimezone(BANGKOK).date().replace(day=1), "done", 100,
           "เผยแพร่ข้อมูลแล้ว", now=utcnow())
    return world


@pytest.fixture
def task_futures(services, monkeypatch):
    futures = []
    submit = services.tasks.submit
    monkeypatch.setattr(services.tasks, "submit", lambda *a, **kw: futures.append(submit(*a, **kw)) or futures[-1])
    return futures


def _links(message: dict) -> list[str]:
    """The buttons' links of the year's report message (Word first, then Excel)."""
    assert message["type"] == "flex", message  # buttons to tap, not long links in plain text
    buttons = message["contents"]["footer"]["contents"]
    return [b["action"]["uri"] for b in buttons if b["action"]["uri"].startswith("https://tidtam.example/files/")]


def test_annual_report_from_chat_end_to_end(chat, client, line, session, chat_world, task_futures):
    supervisor = chat_world.officers["ประยุทธ์ หัวหน้า"]
    supervisor.position = "ปลัดองค์การบริหารส่วนตำบล"
    session.add(supervisor)
    session.commit()
    sent = chat.text(supervisor.line_user_id, "รายงานประจำปี")
    year = this_fiscal_year()
    assert texts.ANNUAL_PREPARING.format(year=year).splitlines()[0] in sent.text
    assert len(task_futures) == 1 and task_futures[0].result(timeout=60) is True

    (push,) = line.messages_to(supervisor.line_user_id)
    links = _links(push)
    assert len(links) == 2 and f"พ.ศ. {year} พร้อมแล้ว" in push["altText"]
    assert [b["action"]["label"] for b in push["contents"]["footer"]["contents"]] == [
        texts.ANNUAL_BTN_DOCX, texts.ANNUAL_BTN_XLSX]
    assert "https://" not in push["altText"]
    docx_response = client.get(links[0].removeprefix("https://tidtam.example"))
    assert docx_response.status_code == 200
    assert docx_response.mimetype.endswith("wordprocessingml.document")
    assert ".docx" in docx_response.headers["Content-Disposition"]
    document = Document(BytesIO(docx_response.data))
    lines = [p.text for p in document.paragraphs]
    assert f"ประจำปีงบประมาณ พ.ศ. {year}" in lines
    assert lines[-3:-1] == ["ผู้รายงาน ประยุทธ์ หัวหน้า", "ตำแหน่ง ปลัดองค์การบริหารส่วนตำบล"]
    assert lines[-1].startswith("วันที่ ") and "." not in lines[-1]
    assert "เผยแพร่ข้อมูลแล้ว (ดำเนินการแล้ว 100%, สมชาย ใจดี" in row_for(document, "1. ")[4]

    xlsx_response = client.get(links[1].removeprefix("https://tidtam.example"))
    assert xlsx_response.status_code == 200 and xlsx_response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(BytesIO(xlsx_response.data))
    assert book.sheetnames[0] == "ผลการดำเนินการ"


def test_links_expire_after_a_day_and_refuse_tampering(chat, client, chat_world, task_futures, line):
    user = chat_world.officers["ประยุทธ์ หัวหน้า"].line_user_id
    chat.text(user, "annual report")
    task_futures[0].result(timeout=60)
    link = _links(line.messages_to(user)[0])[0].removeprefix("https://tidtam.example")
    with time_machine.travel(utcnow() + timedelta(hours=23)):
        assert client.get(link).status_code == 200
    with time_machine.travel(utcnow() + timedelta(hours=25)):
        expired = client.get(link)
    assert expired.status_code == 410 and texts.LINK_EXPIRED in expired.get_data(as_text=True)
    tampered = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert tampered.status_code == 404 and texts.LINK_INVALID in tampered.get_data(as_text=True)


def test_officers_cannot_ask_and_unknown_years_are_explained(chat, chat_world, task_futures):
    officer = chat_world.officers["สมชาย ใจดี"].line_user_id
    assert texts.SUPERVISOR_ONLY in chat.text(officer, "รายงานประจำปี").text
    supervisor = chat_world.officers["ประยุทธ์ หัวหน้า"].line_user_id
    answer = chat.text(supervisor, "รายงานประจำปี 2560").text
    assert texts.ANNUAL_NO_MEASURES.format(year=2560) in answer and str(this_fiscal_year()) in answer
    assert task_futures == []

