"""CLI commands for plans and people, run through Flask's CLI runner on both databases."""
from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

from models import Assignment, Measure, Officer, Organisation, ReportVersion, StatusReport, Unit
from tests.factories import make_world

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
SEED_003 = DOCUMENTS / "report_numbered.txt"


def _count(session, model, *where):
    session.expire_all()
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _run(runner, *args):
    result = runner.invoke(args=[str(a) for a in args])
    return result


def test_import_seed_then_reimport_changes_nothing(runner, session):
    first = _run(runner, "import-plan", SEED_003)
    assert first.exit_code == 0, first.output
    assert "5 new, 0 updated" in first.output
    assert _count(session, Measure) == 5
    org = session.exec(select(Organisation)).one()
    assert org.name == "องค์การบริหารส่วนตำบลบ้านโพธิ์"
    again = _run(runner, "import-plan", SEED_003)
    assert "0 new, 0 updated, 5 unchanged" in again.output
    assert _count(session, Measure) == 5


def test_dry_run_writes_nothing(runner, session):
    result = _run(runner, "import-plan", SEED_003, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was written" in result.output
    assert "Measures: 5" in result.output
    assert _count(session, Measure) == 0 and _count(session, Organisation) == 0


@pytest.mark.parametrize("seed, measures", [
    ("plan_grouped.txt", 5), ("plan_pages.txt", 5), ("report_numbered.txt", 5)])
def test_each_seed_imports_and_refs_are_unique(runner, session, seed, measures):
    result = _run(runner, "import-plan", DOCUMENTS / seed)
    assert result.exit_code == 0, result.output
    rows = session.exec(select(Measure)).all()
    if measures is not None:
        assert len(rows) == measures
    assert rows and len({m.ref for m in rows}) == len(rows)
    assert all(m.period_start and m.period_end for m in rows)


def test_corrected_file_updates_in_place_and_keeps_reports(runner, session, tmp_path):
    assert _run(runner, "import-plan", SEED_003).exit_code == 0
    measure = session.exec(select(Measure).where(Measure.number == "2")).one()
    officer = Officer(organisation_id=measure.organisation_id, name="ผู้รายงาน")
    session.add(officer)
    session.flush()
    report = StatusReport(organisation_id=measure.organisation_id, measure_id=measure.id, officer_id=officer.id,
                          period=measure.period_start, current_version=1, status="done")
    session.add(report)
    session.flush()
    session.add(ReportVersion(report_id=report.id, version=1, status="done", reported_by_officer_id=officer.id))
    session.commit()
    text = SEED_003.read_text(encoding="utf-8").replace("เปิดเผยข้อมูลพื้นฐาน", "เปิดเผยข้อมูลสำคัญ")
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(text, encoding="utf-8")
    result = _run(runner, "import-plan", corrected)
    assert "0 new, 1 updated, 4 unchanged" in result.output, result.output
    session.expire_all()
    updated = session.get(Measure, measure.id)
    assert updated.title.startswith("เปิดเผยข้อมูลสำคัญ")
    assert _count(session, StatusReport, StatusReport.measure_id == measure.id) == 1


@pytest.mark.parametrize("content, message", [
    (b"\x00\x01\x02\x03binary" * 50, "not"),
    (b"", "empty"),
    ("สวัสดีครับ ไม่มีตารางมาตรการ\nบรรทัดที่สอง\n".encode(), "measure table"),
])
def test_unusable_file_is_one_line_error_and_database_untouched(runner, session, tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    result = _run(runner, "import-plan", path, "--year", "2568", "--org", "อบต.ทดสอบ")
    assert result.exit_code == 1
    error_lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1 and message in error_lines[0].lower()
    assert "Traceback" not in result.output
    assert _count(session, Organisation) == 0


def test_broken_xlsx_and_unknown_format(runner, session, tmp_path):
    broken = tmp_path / "plan.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert _run(runner, "import-plan", broken, "--year", "2568").exit_code == 1
    odd = tmp_path / "plan.pdf"
    odd.write_bytes(b"%PDF-1.4")
    result = _run(runner, "import-plan", odd, "--year", "2568")
    assert result.exit_code == 1 and "Error:" in result.output
    missing = _run(runner, "import-plan", tmp_path / "nope.txt")
    assert missing.exit_code == 1 and "no such file" in missing.output
    assert _count(session, Measure) == 0


def test_template_round_trip(runner, session, tmp_path):
    path = tmp_path / "plan.xlsx"
    assert _run(runner, "plan-template", path).exit_code == 0
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header_row = next(r for r in range(1, 15) if any(
        isinstance(c.value, str) and "มาตรการ/แนวทาง" in c.value for c in sheet[r]))
    headers = [c.value for c in sheet[header_row]]
    values = {
        "มาตรการ": "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี",
        "หน่วยงาน": "กองคลัง",
        "ระยะเวลา": "ตุลาคม 2568 - ธันวาคม 2568",
        "ลำดับ": "7",
    }
    row = [None] * len(headers)
    for index, header in enumerate(headers):
        for key, value in values.items():
            if header and key in str(header) and row[index] is None:
                row[index] = value
    sheet.append(row)
    workbook.save(path)
    result = _run(runner, "import-plan", path, "--org", "อบต.ทดสอบ", "--year", "2569")
    assert result.exit_code == 0, result.output
    measures = session.exec(select(Measure)).all()
    assert [m.title for m in measures] == ["เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี"]
    assert measures[0].responsible_text == "กองคลัง" and measures[0].period_start.month == 10


def test_import_officers_assigns_and_prints_codes(runner, session, tmp_path):
    assert _run(runner, "import-plan", SEED_003).exit_code == 0
    path = tmp_path / "staff.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ชื่อ-สกุล", "ตำแหน่ง", "หน่วยงาน", "บทบาท", "โทรศัพท์"])
        writer.writerow(["นางสาวมาลี ใจงาม", "นักวิชาการเงินและบัญชี", "กองคลัง", "เจ้าหน้าที่", "0812345678"])
        writer.writerow(["นายสมศักดิ์ ปลัด", "ปลัด อบต.", "สำนักงานปลัด", "ผู้บังคับบัญชา", ""])
        writer.writerow(["นายเก่ง ผู้ดูแล", "นักวิชาการคอมพิวเตอร์", "สำนักปลัด", "ผู้ดูแลระบบ", ""])
    result = _run(runner, "import-officers", path)
    assert result.exit_code == 0, result.output
    assert "3 officer(s) read, 3 new" in result.output
    roles = {o.name: o.role for o in session.exec(select(Officer)).all()}
    assert roles == {"นางสาวมาลี ใจงาม": "officer", "นายสมศักดิ์ ปลัด": "supervisor", "นายเก่ง ผู้ดูแล": "admin"}
    # สำนักงานปลัด is the same unit as สำนักปลัด: one unit, not two.
    assert _count(session, Unit, Unit.name.like("%ปลัด%")) == 1
    malee = session.exec(select(Officer).where(Officer.name == "นางสาวมาลี ใจงาม")).one()
    # กองคลัง has measures 3 and 4, plus measure 1 for every unit.
    assert _count(session, Assignment, Assignment.officer_id == malee.id) == 3
    again = _run(runner, "import-officers", path)
    assert "0 new" in again.output


def test_add_officer_prints_code_last(runner, session):
    make_world(session, officers=[], measures=[("1", "มาตรการกองคลัง", "กองคลัง")])
    result = _run(runner, "add-officer", "--name", "สมปอง ทดลอง", "--unit", "กองคลัง", "--role", "officer")
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert len(last) == 8 and last.isalnum()
    assert "1 new assignment" in result.output
    new_code = _run(runner, "registration-code", "สมปอง")
    assert new_code.exit_code == 0 and new_code.output.strip().splitlines()[-1] != last


def test_assign_unassign_and_listings(runner, session):
    world = make_world(session)
    somchai = world.officers["สมชาย ใจดี"]
    result = _run(runner, "assign", "--measure", "2", "--officer", "สมชาย")
    assert result.exit_code == 0 and "assigned to measure 2" in result.output
    result = _run(runner, "unassign", "--measure", "1", "--officer", "สมชาย ใจดี")
    assert "unassigned" in result.output
    active = {a.measure_id for a in session.exec(select(Assignment).where(
        Assignment.officer_id == somchai.id, Assignment.active))}
    assert active == {world.measures["2"].id, world.measures["3"].id}
    # An automatic refresh does not undo the hand-made removal.
    _run(runner, "add-officer", "--name", "คนใหม่", "--unit", "กองคลัง")
    session.expire_all()
    assert not session.exec(select(Assignment).where(
        Assignment.officer_id == somchai.id, Assignment.measure_id == world.measures["1"].id)).one().active
    listing = _run(runner, "officers")
    assert "สมชาย ใจดี" in listing.output and "linked" in listing.output
    measures = _run(runner, "measures")
    assert "ประชุมชี้แจงมาตรการ" in measures.output
    assert _run(runner, "assign", "--measure", "99", "--officer", "สมชาย").exit_code == 1
    assert "no officer" in _run(runner, "assign", "--measure", "1", "--officer", "ไม่มีตัวตน").output


def test_org_must_be_named_when_several(runner, session):
    make_world(session, name="อบต.หนึ่ง")
    make_world(session, name="อบต.สอง")
    result = _run(runner, "officers")
    assert result.exit_code == 1 and "--org" in result.output
    assert _run(runner, "officers", "--org", "อบต.สอง").exit_code == 0


def test_a_plan_whose_columns_are_unclear_stops_and_lists_them_then_imports_with_columns(runner, session):
    ambiguous = DOCUMENTS / "plan_ambiguous.txt"
    stopped = _run(runner, "import-plan", ambiguous)
    assert stopped.exit_code == 1
    assert "--columns" in stopped.output and "column 3" in stopped.output  # the candidates, then one line
    assert "Traceback" not in stopped.output
    assert _count(session, Measure) == 0  # nothing half-imported
    chosen = _run(runner, "import-plan", ambiguous, "--columns", "measure=1,steps=2,outcome=3")
    assert chosen.exit_code == 0, chosen.output
    assert _count(session, Measure) == 3


def test_a_scanned_pdf_is_one_clear_line(runner, session):
    result = _run(runner, "import-plan", DOCUMENTS / "scan.pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "scan" in result.output.lower() and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("short", ["บ้านตัวอย่าง", "อบต.บ้านตัวอย่าง", "อบต. บ้านตัวอย่าง"])
def test_an_organisation_is_found_by_its_short_name(session, short):
    from models.plan import find_organisation

    org = Organisation(name="องค์การบริหารส่วนตำบลบ้านตัวอย่าง")
    other = Organisation(name="เทศบาลตำบลบ้านอื่น")
    session.add_all([org, other])
    session.commit()
    assert find_organisation(session, short).id == org.id
