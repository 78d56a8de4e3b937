"""import-scores and score-template through Flask's CLI runner, and the score tables, on both databases."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

from ita.scores import YearScores
from models import Organisation
from models.scores import ScoreValue, ScoreYear, available_years, save_year_scores, year_scores

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
SEED_000 = DOCUMENTS / "scores_sentences.txt"
SEED_001 = DOCUMENTS / "scores_two_years.txt"
SEED_003 = DOCUMENTS / "report_numbered.txt"


def _run(runner, *args):
    return runner.invoke(args=[str(a) for a in args])


def _count(session, model) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model)).one()


def _org(session, name: str) -> Organisation:
    session.expire_all()
    return session.exec(select(Organisation).where(Organisation.name == name)).one()


def test_seed_001_imports_both_years_with_sources(runner, session):
    result = _run(runner, "import-scores", SEED_001)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Organisation: องค์การบริหารส่วนตำบลป่าแดงงาม" in out
    assert "Year 2566" in out and "Year 2567" in out and "Indicators: 10 of 10" in out
    assert "Total: 97.68 computed, 97.72 reported - they differ; both are kept" in out
    assert "Total: 94.69 computed, 94.69 reported\n" in out
    assert "Level: ผ่านดี computed, ผ่านดี reported" in out
    assert "OIT 86.91 (from indicators) [the file says 97.14]" in out
    assert "line 18: 2566: the reported overall score 97.72 differs from 97.68" in out
    assert "2566 new, 2567 new." in out and "Imported." in out

    org = _org(session, "องค์การบริหารส่วนตำบลป่าแดงงาม")
    assert available_years(session, organisation_id=org.id) == [2566, 2567]
    y2567 = year_scores(session, organisation_id=org.id, year_be=2567)
    assert y2567.indicators == {1: 100.0, 2: 100.0, 3: 100.0, 4: 100.0, 5: 100.0, 6: 99.22, 7: 100.0, 8: 100.0,
                                9: 97.14, 10: 76.67}
    assert (y2567.reported_overall, y2567.reported_level) == (94.69, "ผ่านดี")
    assert (y2567.computed_overall, y2567.computed_level) == (94.69, "ผ่านดี")
    assert y2567.sources["indicator:10"] == "scores_two_years.txt line 17"
    y2566 = year_scores(session, organisation_id=org.id, year_be=2566)
    assert (y2566.reported_overall, y2566.computed_overall, y2566.display_overall) == (97.72, 97.68, 97.72)
    assert y2566.indicators[4] == 99.45 and y2566.tools == {"EIT": 92.51, "OIT": 100.0}
    assert y2566.sources["overall"] == "scores_two_years.txt line 18"
    assert year_scores(session, organisation_id=org.id, year_be=2565) is None

    rows = _count(session, ScoreValue)
    again = _run(runner, "import-scores", SEED_001)
    assert again.exit_code == 0 and "2566 unchanged, 2567 unchanged." in again.output
    assert _count(session, ScoreValue) == rows and _count(session, ScoreYear) == 2


def test_seed_000_keeps_partial_years_without_a_total(runner, session):
    result = _run(runner, "import-scores", SEED_000)
    assert result.exit_code == 0, result.output
    assert "Indicators: 7 of 10" in result.output
    assert "Total: not computable (missing indicator(s) 3, 9, 10)" in result.output
    assert "line 17: 2567 score 80.85 belongs to a question without a code; skipped" in result.output
    org = _org(session, "องค์การบริหารส่วนตำบลเขาแก้วทอง")
    y2567 = year_scores(session, organisation_id=org.id, year_be=2567)
    assert y2567.indicators == {1: 91.07, 2: 89.07, 4: 68.83, 5: 89.07, 6: 91.94, 7: 86.49, 8: 71.38}
    assert y2567.computed_tools() == {"EIT": 83.27} and y2567.computed_overall is None
    assert year_scores(session, organisation_id=org.id, year_be=2566).indicators[8] == 84.11


def test_dry_run_writes_nothing(runner, session):
    result = _run(runner, "import-scores", SEED_001, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2566 new, 2567 new." in result.output and "Dry run: nothing was written." in result.output
    assert _count(session, ScoreValue) == 0 and _count(session, ScoreYear) == 0
    assert _count(session, Organisation) == 0


def test_file_without_scores_and_bad_files_fail_in_one_line(runner, session, tmp_path):
    cases = {
        SEED_003: "report_numbered.txt: no ITA scores found",
        tmp_path / "missing.txt": "no such file",
        tmp_path / "scores.pdf": "scores.pdf could not be opened as a PDF",
        tmp_path / "binary.txt": "not readable text",
        tmp_path / "broken.xlsx": "broken.xlsx is not a readable Excel workbook",
    }
    (tmp_path / "scores.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    for path, message in cases.items():
        result = _run(runner, "import-scores", path)
        assert result.exit_code == 1, (path, result.output)
        error = result.output.strip().splitlines()[-1]
        assert error.startswith("Error: ") and message in error, error
        assert "Traceback" not in result.output
    assert _count(session, ScoreYear) == 0


def test_year_option_reads_a_table_that_names_no_year(runner, session, tmp_path):
    path = tmp_path / "scores.txt"
    path.write_text("ผลการประเมิน ITA\nตัวชี้วัด\tคะแนน\nการปฏิบัติหน้าที่\t90.00\nการใช้งบประมาณ\t๘๕.๕๐\n",
                    encoding="utf-8")
    _run(runner, "import-scores", SEED_001)
    without = _run(runner, "import-scores", path)
    assert without.exit_code == 1
    assert "names no year" in without.output and "pass --year" in without.output
    result = _run(runner, "import-scores", path, "--year", "2568")
    assert result.exit_code == 0, result.output
    assert "Year 2568" in result.output and "Indicators: 2 of 10" in result.output
    assert "2568 new." in result.output
    assert "Note: year(s) 2566, 2567 in the database are not in this file; they were kept." in result.output
    org = _org(session, "องค์การบริหารส่วนตำบลป่าแดงงาม")
    assert year_scores(session, organisation_id=org.id, year_be=2568).indicators == {1: 90.0, 2: 85.5}
    assert available_years(session, organisation_id=org.id) == [2566, 2567, 2568]


def test_organisation_is_chosen_by_name_or_the_only_one(runner, session):
    assert _run(runner, "import-scores", SEED_001).exit_code == 0
    other = _run(runner, "import-scores", SEED_000)
    assert other.exit_code == 1
    assert "the file names 'องค์การบริหารส่วนตำบลเขาแก้วทอง', which is not in the database" in other.output
    assert "pass --org NAME" in other.output
    forced = _run(runner, "import-scores", SEED_000, "--org", "องค์การบริหารส่วนตำบลเขาแก้วทอง")
    assert forced.exit_code == 0, forced.output
    assert _count(session, Organisation) == 2
    khao = _org(session, "องค์การบริหารส่วนตำบลเขาแก้วทอง")
    muang = _org(session, "องค์การบริหารส่วนตำบลป่าแดงงาม")
    assert year_scores(session, organisation_id=khao.id, year_be=2567).indicators[1] == 91.07
    assert year_scores(session, organisation_id=muang.id, year_be=2567).indicators[1] == 100.0


def test_template_round_trip(runner, session, tmp_path):
    path = tmp_path / "scores.xlsx"
    written = _run(runner, "score-template", path)
    assert written.exit_code == 0 and path.exists(), written.output
    book = openpyxl.load_workbook(path)
    sheet = book["คะแนน"]
    rows = [[2568, "ตัวชี้วัด", n, "", score, "ITAS"] for n, score in
            zip(range(1, 11), (96.5, 95, 97.25, 98, 94.75, 88.4, 86.1, 83.55, 91.43, 80), strict=True)]
    rows += [[2568, "ข้อคำถาม", "O12", "", 50, "ITAS"], [2568, "คะแนนรวม", "", "", 88.98, "ITAS"],
             [2568, "ระดับ", "", "", "ผ่าน", "ITAS"]]
    for row in rows:
        sheet.append(row)
    book.save(path)

    empty = _run(runner, "import-scores", path)
    assert empty.exit_code == 1 and "there is no organisation yet; pass --org NAME" in empty.output
    result = _run(runner, "import-scores", path, "--org", "เทศบาลตำบลทดสอบ")
    assert result.exit_code == 0, result.output
    assert "Total: 88.98 computed, 88.98 reported" in result.output
    assert "Level: ผ่านดี computed, ผ่าน reported - they differ; both are kept" in result.output
    assert "Questions: 1 (o12 50.00)" in result.output
    org = _org(session, "เทศบาลตำบลทดสอบ")
    scores = year_scores(session, organisation_id=org.id, year_be=2568)
    assert scores.questions == {"o12": 50.0} and scores.indicators[8] == 83.55
    assert (scores.reported_level, scores.computed_level) == ("ผ่าน", "ผ่านดี")
    assert scores.sources["question:o12"].startswith("scores.xlsx row ")


def test_template_path_must_be_a_spreadsheet(runner, tmp_path):
    result = _run(runner, "score-template", tmp_path / "scores.txt")
    assert result.exit_code == 1 and "must end in .xlsx or .csv" in result.output
    csv_result = _run(runner, "score-template", tmp_path / "scores.csv")
    assert csv_result.exit_code == 0 and (tmp_path / "scores.csv").read_text(encoding="utf-8-sig").startswith("ปี")


@pytest.fixture
def org(session):
    organisation = Organisation(name="องค์การบริหารส่วนตำบลทดสอบ")
    session.add(organisation)
    session.commit()
    return organisation


def test_saving_a_year_replaces_the_kinds_it_gives_in_place_and_keeps_the_others(session, org):
    first = YearScores(year_be=2568, indicators={1: 90.0, 2: 80.0}, tools={"EIT": 70.0}, questions={"o1": 100.0},
                       eit_parts={"1": 88.0}, reported_overall=85.5, reported_level="ผ่าน",
                       sources={"indicator:1": "a.txt line 3", "overall": "a.txt line 9"})
    save_year_scores(session, organisation_id=org.id, scores=first, source="a.txt")
    session.commit()
    ids = {row.kind + row.key: row.id for row in session.exec(select(ScoreValue))}
    save_year_scores(session, organisation_id=org.id, scores=first, source="a.txt")
    session.commit()
    assert {row.kind + row.key: row.id for row in session.exec(select(ScoreValue))} == ids

    second = YearScores(year_be=2568, indicators={1: 91.0}, reported_overall=None)
    kept = save_year_scores(session, organisation_id=org.id, scores=second, source="b.txt")
    session.commit()
    stored = year_scores(session, organisation_id=org.id, year_be=2568)
    assert stored.indicators == {1: 91.0}  # the kind b.txt gives is replaced (indicator 2 is gone)
    # the kinds b.txt gives none of are kept from a.txt
    assert kept == {"tool": 1, "question": 1, "eit_part": 1}
    assert (stored.tools, stored.questions, stored.eit_parts) == ({"EIT": 70.0}, {"o1": 100.0}, {"1": 88.0})
    assert stored.reported_overall is None and stored.reported_level is None
    assert stored.sources["indicator:1"] == "b.txt"
    indicator = session.exec(select(ScoreValue).where(ScoreValue.kind == "indicator")).one()
    assert indicator.id == ids["indicator1"]  # updated in place
    assert session.exec(select(ScoreYear)).one().source == "b.txt"


def test_years_are_kept_per_organisation(session, org):
    other = Organisation(name="เทศบาลอื่น")
    session.add(other)
    session.commit()
    for year in (2567, 2565, 2566):
        save_year_scores(session, organisation_id=org.id, scores=YearScores(year_be=year, indicators={9: 90.0}),
                         source="x")
    save_year_scores(session, organisation_id=other.id, scores=YearScores(year_be=2568, indicators={9: 50.0}),
                     source="y")
    session.commit()
    assert available_years(session, organisation_id=org.id) == [2565, 2566, 2567]
    assert available_years(session, organisation_id=other.id) == [2568]
    assert year_scores(session, organisation_id=org.id, year_be=2568) is None
    assert year_scores(session, organisation_id=other.id, year_be=2568).indicators == {9: 50.0}
