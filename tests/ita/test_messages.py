"""The importers' sentences: every code in English and Thai, and no English-only sentence in the importers."""
from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from ita.documents import DocumentReadError
from ita.messages import TEXTS, Message, joined, msg, thai_place
from ita.plan_model import PlanImportError, PlanTableChoiceError, PlanWarning
from ita.score_text import ScoreImportError, ScoreWarning
from ita.staff import StaffImportError
from ita.tables import COLUMN_ROLES, ROLE_OF_FIELD, column_label
from ita.vocab import plan as plan_vocab

ITA = Path(__file__).resolve().parents[2] / "ita"
THAI = re.compile(r"[\u0e00-\u0e7f]")
# Latin words a Thai sentence may keep: names of formats, programs and the assessment's tools.
TECHNICAL_WORDS = {
    "PDF", "Word", "Excel", "OCR", "UTF", "TIS", "Windows", "Office", "CSV", "TAB", "Tidtam", "ITA",
    "IIT", "EIT", "OIT", "cp", "doc", "docx", "xls", "xlsx", "txt", "md", "html", "pdf", "csv", "export",
}
# The importers' exceptions and warnings: each takes a Message, never a sentence.
MESSAGE_TAKERS = {
    "PlanImportError", "PlanTableChoiceError", "StaffImportError", "ScoreImportError", "DocumentReadError",
    "MessageError", "UploadError", "PlanWarning", "ScoreWarning", "warn",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _words_outside_placeholders(template: str) -> list[str]:
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    return re.findall(r"[A-Za-z]+", literal)


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_every_code_says_it_in_english_and_thai_with_the_same_placeholders(code):
    english, thai = TEXTS[code]
    assert english.strip() and thai.strip()
    assert _fields(english) == _fields(thai), code


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_the_thai_is_thai(code):
    """No English sentence hides in a Thai template: Latin words are only names of formats and tools."""
    english, thai = TEXTS[code]
    english_words = [word for word in _words_outside_placeholders(english) if word not in TECHNICAL_WORDS]
    foreign = [word for word in _words_outside_placeholders(thai) if word not in TECHNICAL_WORDS]
    assert not foreign, f"{code}: {foreign}"
    if english_words:  # a template of placeholders and symbols only ("{where}: {note}") has nothing to translate
        assert THAI.search(thai), code
    assert "--" not in thai, f"{code}: the console has no command-line options"


@pytest.mark.parametrize("code", sorted(code for code, (_, thai) in TEXTS.items() if "กรุณา" in thai))
def test_a_request_to_the_admin_is_polite(code):
    assert "ค่ะ" in TEXTS[code][1], code


def _message_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            yield name, node


def _is_text(node: ast.AST) -> bool:
    """A string built in place: a literal, an f-string, a concatenation, str(…), "…".format(…) or "…".join(…)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) or isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "str":
            return True
        if isinstance(func, ast.Attribute) and (func.attr == "format" or func.attr == "join" and _is_text(func.value)):
            return True
    return False


def _sources() -> list[Path]:
    return sorted(ITA.rglob("*.py")) + sorted((ITA.parent / "bot" / "console").glob("*.py"))


def test_no_importer_error_or_warning_is_given_a_bare_sentence():
    """A new English-only error or warning fails here: they take msg("code", …) from ita.messages."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, call in _message_calls(tree):
            if name not in MESSAGE_TAKERS:
                continue
            args = list(call.args) + [keyword.value for keyword in call.keywords]
            if any(_is_text(arg) for arg in args):
                found.append(f"{path.relative_to(ITA.parent)}:{call.lineno} {name}(…) is given a string")
    assert not found, "\n".join(found)


def test_every_message_written_in_the_code_exists_with_its_placeholders():
    """msg("code", name=…) anywhere in ita/ and bot/: the code is in TEXTS and the names are its placeholders."""
    wrong, seen = [], 0
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, call in _message_calls(tree):
            if name != "msg" or not call.args or not isinstance(call.args[0], ast.Constant):
                continue
            seen += 1
            code = call.args[0].value
            where = f"{path.relative_to(ITA.parent)}:{call.lineno}"
            if code not in TEXTS:
                wrong.append(f"{where}: no message {code!r}")
            elif {k.arg for k in call.keywords} != _fields(TEXTS[code][0]):
                wrong.append(f"{where}: {code!r} takes {sorted(_fields(TEXTS[code][0]))}")
    assert seen > 70 and not wrong, "\n".join(wrong)


@pytest.mark.parametrize("error", [PlanImportError, StaffImportError, ScoreImportError, DocumentReadError])
def test_the_importer_errors_refuse_a_sentence(error):
    with pytest.raises(TypeError):
        error("The document is empty.")
    stop = error(msg("plan.empty"))
    assert str(stop) == "The document is empty." and stop.message.th() == TEXTS["plan.empty"][1]


def test_the_warnings_refuse_a_sentence_and_keep_their_english():
    with pytest.raises(TypeError):
        PlanWarning(3, "No period given")
    with pytest.raises(TypeError):
        ScoreWarning(3, "no year on this row; row skipped")
    with pytest.raises(TypeError):
        PlanTableChoiceError("choose", [])
    warning = PlanWarning(7, msg("plan.no_period", year=2568))
    assert warning.message == "No period given; assuming the whole fiscal year 2568."
    assert str(warning) == "line 7: No period given; assuming the whole fiscal year 2568."
    assert warning.th() == "บรรทัด 7: " + msg("plan.no_period", year=2568).th()
    assert str(ScoreWarning(None, msg("score.row_no_year"))) == "no year on this row; row skipped"


def test_a_message_checks_its_code_and_parameters():
    with pytest.raises(KeyError):
        msg("plan.no_such_thing")
    with pytest.raises(TypeError):
        msg("plan.no_period")  # the year is missing
    with pytest.raises(TypeError):
        msg("plan.no_period", year=2568, extra=1)
    assert msg("plan.no_period", year=2568) == Message("plan.no_period", {"year": 2568})


def test_quoted_document_text_stays_as_it_is():
    said = msg("plan.unknown_unit", unit="กองช่าง (นายช่าง)")
    assert said.en() == "Unknown responsible unit 'กองช่าง (นายช่าง)'; check the spelling or add the unit."
    assert "“กองช่าง (นายช่าง)”" in said.th()


def test_months_places_and_nested_messages_follow_the_language():
    period = msg("plan.period_note", text="ต.ค. 68 - ก.ย. 69", start=date(2025, 10, 1), end=date(2026, 9, 1), note="x")
    assert "read as 2025-10 to 2026-09" in period.en()
    assert "ต.ค. 2568 ถึง ก.ย. 2569" in period.th()
    note = msg("plan.table_note", where="page 2 table 1 row 1", note=msg("table.steps_column", column=3))
    assert note.en() == "page 2 table 1 row 1: column 3 read as the steps"
    assert note.th() == "หน้า 2 ตาราง 1 แถว 1: " + msg("table.steps_column", column=3).th()
    both = joined([msg("label.overall"), msg("label.level")], " and ", " และ ")
    said = msg("score.preferred", year=2568, what=both, value="1.00")
    assert "the overall and the level" in said.en() and "คะแนนภาพรวม และ ระดับผลการประเมิน" in said.th()
    assert thai_place("scores.xlsx sheet 'OIT' row 4") == "scores.xlsx แผ่นงาน 'OIT' แถว 4"
    assert thai_place("report.docx paragraph 12") == "report.docx ย่อหน้า 12"


def test_every_column_role_has_its_cli_name_and_a_thai_label():
    fields = {value for name, value in vars(plan_vocab).items() if name.startswith("FIELD_") and isinstance(value, str)}
    fields.discard(plan_vocab.FIELD_MONTH_PREFIX)
    assert set(COLUMN_ROLES.values()) <= fields
    for field_name in fields:
        label = column_label(field_name)
        assert label.en() == ROLE_OF_FIELD.get(field_name, field_name)
        assert THAI.search(label.th()), field_name
