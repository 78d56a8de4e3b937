"""Every fixture document, in every format it is written in, gives the result written beside it.

The fixtures (tests/fixtures/documents, made by make_fixtures.py from
specs.py) are invented organisations' plans, results reports and score
reports in the layouts real offices use; the expected results were written by
hand from the documents.  One format of a document must give exactly what
another gives.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ita.documents import DocumentReadError, read_document
from ita.plan import PlanImportError, PlanTableChoiceError, read_plan
from ita.score_text import ScoreConflictError, ScoreImportError, read_scores
from ita.staff import read_staff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
EXPECTED = {path.name.split(".")[0]: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(FIXTURES.glob("*.expected.json"))}
FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in {".txt", ".md", ".html", ".docx", ".xlsx", ".csv", ".pdf"}
               and p.name.split(".")[0] in EXPECTED)


def _ids(path: Path) -> str:
    return path.name


def _check_plan(document, expected: dict) -> None:
    assert document.org_name == expected["org"]
    assert document.fiscal_year_be == expected["year"]
    assert len(document.measures) == len(expected["measures"]), [m.title for m in document.measures]
    for measure, want in zip(document.measures, expected["measures"]):
        assert measure.title.startswith(want["title"]), (measure.title, want["title"])
        if "contains" in want:
            assert want["contains"] in measure.title
        if "whole_title" in want:
            assert measure.title == want["whole_title"]
        assert measure.responsible_units == want["units"], measure.title
        start, end = (date.fromisoformat(d) for d in want["period"])
        assert (measure.period_start, measure.period_end) == (start, end), measure.title
        assert measure.period_assumed == want.get("assumed", False), measure.title
        if "indicators" in want:
            assert measure.indicator_numbers == want["indicators"], measure.title
        assert measure.question_codes == want.get("questions", measure.question_codes), measure.title
        if "result" in want:
            assert want["result"] in measure.result_text


@pytest.mark.parametrize("path", [p for p in FILES if EXPECTED[p.name.split(".")[0]]["kind"] == "plan"], ids=_ids)
def test_plan_fixture(path: Path) -> None:
    expected = EXPECTED[path.name.split(".")[0]]
    if "stop" in expected:
        with pytest.raises(PlanTableChoiceError, match=expected["stop"]) as caught:
            read_plan(path)
        assert caught.value.candidates and "column 1" in caught.value.describe()
        assert "\n" not in str(caught.value)
        document = read_plan(path, columns=expected["columns"])
    else:
        document = read_plan(path)
    _check_plan(document, expected)


@pytest.mark.parametrize("path", [p for p in FILES if EXPECTED[p.name.split(".")[0]]["kind"] == "scores"], ids=_ids)
def test_score_fixture(path: Path) -> None:
    expected = EXPECTED[path.name.split(".")[0]]
    if "stop" in expected:
        with pytest.raises(ScoreConflictError, match=expected["stop"]) as caught:
            read_scores(path)
        assert expected["conflict"] in str(caught.value) and "\n" not in str(caught.value)
        assert len(caught.value.conflicts[0].places) == 2
        chosen = read_scores(path, prefer="first")
        for year, values in expected["prefer_first"].items():
            for number, value in values.items():
                assert chosen.years[int(year)].indicators[int(number)] == value
        return
    document = read_scores(path)
    assert document.org_name == expected["org"]
    assert sorted(document.years) == sorted(int(y) for y in expected["years"])
    for year, want in expected["years"].items():
        _check_year(document.years[int(year)], want)
    messages = [str(w) for w in document.warnings]
    for fragment in expected["warnings"]:
        assert any(fragment in m for m in messages), messages
    for fragment in expected.get("absent_warnings", []):
        assert not any(fragment in m for m in messages), messages


@pytest.mark.parametrize("path", [p for p in FILES if EXPECTED[p.name.split(".")[0]]["kind"] == "staff"], ids=_ids)
def test_staff_fixture(path: Path) -> None:
    staff, _ = read_staff(path)
    got = [[row.name, row.position, row.unit, row.phone] for row in staff]
    assert got == EXPECTED[path.name.split(".")[0]]["staff"]


def _check_year(got, want: dict) -> None:
    """Every figure the expected result names, exactly; figures it leaves out are not checked."""
    assert {str(k): v for k, v in got.indicators.items()} == want["indicators"]
    if "tools" in want:
        assert got.tools == want["tools"]
        if got.indicators:
            assert got.computed_tools() == want["tools"]
    if "eit_parts" in want:
        assert got.eit_parts == want["eit_parts"]
    if "overall" in want:
        assert got.reported_overall == want["overall"]
    if "computed_overall" in want:
        assert got.computed_overall == want["computed_overall"]
    if "level" in want:
        assert got.reported_level == want["level"]
        if got.computed_level is not None:
            assert got.computed_level == want["level"]
    if "questions" in want:
        assert got.questions == want["questions"]
    for code, text in want.get("question_texts", {}).items():
        assert got.question_texts[code] == text
    for code, text in want.get("question_advice", {}).items():
        assert got.question_advice[code] == text
    for code in want.get("question_no_advice", []):
        assert code not in got.question_advice, got.question_advice[code]


def test_same_plan_in_every_format_gives_the_same_measures() -> None:
    def summary(path: Path) -> list[tuple]:
        document = read_plan(path)
        # A PDF line wrap at a real space cannot be told from one inside a Thai phrase: compare without spaces.
        return [(m.key, "".join(m.title.split()), tuple(m.responsible_units), m.period_start, m.period_end,
                 tuple(m.indicator_numbers)) for m in document.measures]

    for name in ("plan_grouped", "plan_pages", "plan_no_header", "plan_word_pdf"):
        results = {p.suffix: summary(p) for p in FILES if p.name.split(".")[0] == name}
        first = next(iter(results.values()))
        assert all(result == first for result in results.values()), {k: v[:2] for k, v in results.items()}


def test_pdf_thai_comes_out_in_reading_order() -> None:
    document = read_document(FIXTURES / "plan_grouped.pdf")
    text = "\n".join(cell for table in document.tables() for row in table.rows for cell in row.cells)
    # Shaped Thai: sara am, tone marks over above-vowels, marks attached to their letter.
    for word in ("ผู้รับผิดชอบ", "ดำเนินการ", "ปรับปรุงข้อมูลพื้นฐาน", "ประกาศเจตจำนงสุจริต", "กองคลัง"):
        assert word in text


def test_scanned_pdf_stops_with_one_line() -> None:
    with pytest.raises(DocumentReadError, match="scanned image with no text") as caught:
        read_document(FIXTURES / "scan.pdf")
    assert "\n" not in str(caught.value)
    with pytest.raises(PlanImportError, match="OCR"):
        read_plan(FIXTURES / "scan.pdf")
    with pytest.raises(ScoreImportError, match="scanned"):
        read_scores(FIXTURES / "scan.pdf")


def test_column_choice_errors_are_one_line() -> None:
    path = FIXTURES / "plan_ambiguous.txt"
    for bad, message in (("unit=3", "measure column"), ("measure=x", "column number"), ("title=1,what=2", "unknown"),
                         ("measure=9", "columns do not fit")):
        with pytest.raises(PlanImportError, match=message):
            read_plan(path, columns=bad)
