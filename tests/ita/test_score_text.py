"""Tests for reading ITA scores from documents, sentences and the score template."""


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ita.messages import msg
from ita.score_text import (
    ScoreDocument,
    ScoreImportError,
    parse_score_rows,
    parse_score_text,
    read_scores,
    write_score_template,
)


def messages(document: ScoreDocument) -> list[str]:
    return [str(warning) for warning in document.warnings]


# --- tables -----------------------------------------------------------------

COMPARISON = (
    "ผลคะแนนเปรียบเทียบ\n"
    "ตัวชี้วัด\tปี ๒๕๖๖\tปี ๒๕๖๗\tเพิ่มขึ้น/ลดลง\n"
    "\tคะแนน\tคะแนน\t\n"
    "การปฏิบัติหน้าที่\t๙๐.๐๐\t๙๕.๐๐\t-๕.๐๐\n"
    "การเปิดเผยข้อมูล\t๘๐\t๘๐\t๐\n"
    "การป้องกันกาทุจริต\t๗๐.๐๐\t๖๐.๐๐\t-๑๐.๐๐\n"
    "การใช้อำนาจ\t70\t80\tลดลง 10\n"
    "คะแนนรวม\t88.00\t90.00\t2.00\n"
    "ระดับ\tผ่าน\tผ่านดี\t\n"
)


def test_comparison_table_with_thai_digits_and_change_column():
    document = parse_score_text(COMPARISON)
    y66, y67 = document.years[2566], document.years[2567]
    assert y66.indicators == {1: 90.0, 9: 80.0, 10: 70.0, 3: 70.0}
    assert y67.indicators == {1: 95.0, 9: 80.0, 10: 60.0, 3: 80.0}
    assert (y66.reported_overall, y67.reported_overall) == (88.0, 90.0)
    assert (y66.reported_level, y67.reported_level) == ("ผ่าน", "ผ่านดี")
    change_warnings = [w for w in document.warnings if "change column" in w.message]
    assert [w.line for w in change_warnings] == [4, 7]
    assert "-5.00" in change_warnings[0].message and "+5.00" in change_warnings[0].message


def test_unsigned_drop_is_flagged():
    text = "ตัวชี้วัด\t2566\t2567\tผลต่าง\nการใช้อำนาจ\t90\t80\t10\n"
    document = parse_score_text(text)
    assert [w.line for w in document.warnings] == [2]


def test_header_split_over_two_rows():
    text = (
        "รายการ\tคะแนน\t\tผลต่าง\n"
        "\tปี 2567\tปี 2568\t\n"
        "IIT\t90\t91\t1\n"
        "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)\t88\t90\t2\n"
        "EIT ส่วนที่ 1\t80\t82\t3\n"
        "OIT\t70\t75\t5\n"
    )
    document = parse_score_text(text)
    assert document.years[2567].tools == {"IIT": 90.0, "EIT": 88.0, "OIT": 70.0}
    assert document.years[2568].tools == {"IIT": 91.0, "EIT": 90.0, "OIT": 75.0}
    assert document.years[2568].eit_parts == {"1": 82.0}
    assert [w.line for w in document.warnings] == [5]


def test_indicator_table_by_row_number_and_name():
    text = "ลำดับ\tตัวชี้วัด\tปี 2567\n1\tการปฏิบัติหน้าที่ (IIT)\t91.07\n9\tการเปิดเผยข้อมูล\t97.14\n10\tป้องกันทุจริต ฯ\t76.67\n"
    document = parse_score_text(text)
    assert document.years[2567].indicators == {1: 91.07, 9: 97.14, 10: 76.67}
    assert document.years[2567].tools == {}


def test_question_table_takes_year_from_caption():
    text = (
        "ผลการประเมิน OIT ปี 2568\n"
        "ข้อ\tรายการ\tคะแนน\n"
        "o1\tแผนดำเนินงานและการใช้งบประมาณประจำปี\t100\n"
        "ข้อ O12\tรายงานผลการจัดซื้อจัดจ้าง\t๐\n"
        "๐21\tแผนป้องกันการทุจริต\t100\n"
    )
    document = parse_score_text(text)
    assert document.years[2568].questions == {"o1": 100.0, "o12": 0.0, "o21": 100.0}
    assert document.years[2568].indicators == {}


def test_yearless_table_uses_given_year_or_warns():
    text = "ข้อ\tรายการ\tคะแนน\no1\tแผนดำเนินงาน\t100\n"
    assert parse_score_text(text, year_be=2568).years[2568].questions == {"o1": 100.0}
    assert parse_score_text(text, year_be=68).years[2568].questions == {"o1": 100.0}
    document = parse_score_text(text)
    assert document.years == {}
    assert document.warnings[0].line == 1 and "no year" in document.warnings[0].message


def test_table_with_one_row_per_year():
    text = "ปีงบประมาณ\tIIT\tEIT\tOIT\tคะแนนรวม\tระดับ\n2566\t90\t91\t92\t91.1\tผ่านดี\n๒๕๖๗\t95\t96\t97\t96.1\tผ่านดีเยี่ยม\n"
    document = parse_score_text(text)
    assert document.years[2566].tools == {"IIT": 90.0, "EIT": 91.0, "OIT": 92.0}
    assert document.years[2567].reported_overall == 96.1
    assert document.years[2567].reported_level == "ผ่านดีเยี่ยม"
    assert document.years[2567].disagreement() is None
    assert document.warnings == []


def test_markdown_pipe_table_and_html_cells():
    text = "| ตัวชี้วัด | 2566 | 2567 |\n|---|---|---|\n| <p>การใช้อำนาจ</p> | **90.50** | 91.50 |\n"
    document = parse_score_text(text)
    assert document.years[2566].indicators == {3: 90.5}
    assert document.years[2567].indicators == {3: 91.5}


def test_unrecognised_row_is_reported_not_guessed():
    text = "ตัวชี้วัด\t2566\t2567\nความพึงพอใจของประชาชน\t90\t91\n"
    document = parse_score_text(text)
    assert document.years == {}
    assert document.warnings[0].line == 2


def test_plan_tables_are_not_score_tables():
    text = (
        "มาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลาดำเนินการ\tผู้รับผิดชอบ\n๑. จัดทำคู่มือ\t๑. ประชุม\tตุลาคม ๖๖ – กันยายน ๖๗\tสำนักปลัด\n"
    )
    document = parse_score_text(text)
    # Nothing read: the one warning says what is read and points to the template.
    assert document.years == {} and [w.what for w in document.warnings] == [msg("score.none_found")]


# --- sentences --------------------------------------------------------------


def test_bare_sentence_gives_overall_scores_per_year():
    document = parse_score_text("ปี ๒๕๖๗ ได้ ๙๑.๐๗ คะแนน - ปี ๒๕๖๖ ได้ ๙๓.๙๑ คะแนน")
    assert document.years[2567].reported_overall == 91.07
    assert document.years[2566].reported_overall == 93.91


def test_sentences_file_scores_under_their_subject():
    text = (
        "ผลการประเมิน ITA ปี 2567 ได้ 88.5 คะแนน อยู่ในระดับ ผ่าน "
        "ส่วนข้อ o12 ปี 2567 ได้ 0 คะแนน และตัวชี้วัดที่ 9 ปี 2567 ได้ 80 คะแนน "
        "คะแนนด้าน OIT ปี 67 = 85 คะแนน"
    )
    y67 = parse_score_text(text).years[2567]
    assert y67.reported_overall == 88.5
    assert y67.reported_level == "ผ่าน"
    assert y67.questions == {"o12": 0.0}
    assert y67.indicators == {9: 80.0}
    assert y67.tools == {"OIT": 85.0}


def test_sentence_with_parenthesised_scores_uses_the_sentence_year():
    text = (
        "ประจำปีงบประมาณ พ.ศ.๒๕๖๖ มีคะแนนเฉลี่ย ๙๗.๗๒ คะแนน ผลการประเมินอยู่ในระดับ “ผ่านดี” "
        "ประกอบด้วย ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน (๙๒.๕๑ คะแนน) ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร (๙๓.๓๑ คะแนน)"
    )
    y66 = parse_score_text(text).years[2566]
    assert y66.reported_overall == 97.72
    assert y66.reported_level == "ผ่านดี"
    assert y66.indicators == {6: 92.51, 7: 93.31}


def test_sentence_numbers_that_are_not_scores():
    text = "ปีงบประมาณ พ.ศ. ๒๕๖๗ ๒. เผยแพร่ข้อมูล ปี 2567 มี 5 โครงการ ผลต่าง ๓.๐๓ คะแนน ผ่านเกณฑ์การประเมิน"
    assert parse_score_text(text).years == {}


def test_table_values_win_over_sentences():
    text = "ตัวชี้วัด\t2567\nการเปิดเผยข้อมูล\t97.14\n\nตัวชี้วัดการเปิดเผยข้อมูล ปี 2567 ได้ 90.00 คะแนน\n"
    document = parse_score_text(text)
    assert document.years[2567].indicators == {9: 97.14}
    assert document.warnings[0].line == 4
    assert "kept 97.14" in document.warnings[0].message


# --- files ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16", "cp874"])
def test_read_text_in_several_encodings(tmp_path, encoding):
    path = tmp_path / "scores.txt"
    path.write_bytes(COMPARISON.encode(encoding))
    document = read_scores(path)
    assert document.years[2567].indicators[1] == 95.0
    assert document.years[2567].sources["indicator:1"] == "scores.txt line 4"


def test_read_markdown(tmp_path):
    path = tmp_path / "scores.md"
    path.write_text("## ผลคะแนน\n| ตัวชี้วัด | 2567 |\n|---|---|\n| การใช้อำนาจ | 91.5 |\n", encoding="utf-8")
    assert read_scores(path).years[2567].indicators == {3: 91.5}


def test_template_xlsx_round_trip(tmp_path):
    path = write_score_template(tmp_path / "template.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["คะแนน", "คำอธิบาย"]
    sheet = workbook["คะแนน"]
    assert [cell.value for cell in sheet[1]] == [
        "ปีประเมิน (พ.ศ.)",
        "ประเภท (ตัวชี้วัด/แบบวัด/ข้อคำถาม/คะแนนรวม/ระดับ)",
        "รหัส/ลำดับ",
        "ชื่อ",
        "คะแนน",
        "แหล่งที่มา",
    ]
    assert str(sheet["A2"].value).startswith("ตัวอย่าง")
    # The example block alone imports as nothing.
    assert read_scores(path).years == {}
    rows = [
        (2567, "ตัวชี้วัด", 9, "การเปิดเผยข้อมูล", 97.14, "ITAS"),
        ("2567", "ตัวชี้วัด", "", "การป้องกันกาทุจริต", "๗๖.๖๗", ""),
        ("๒๕๖๗", "แบบวัด", "IIT", "", 100, ""),
        (67, "แบบวัด", "EIT", "", "99.74", ""),
        (2568, "แบบวัด", "EIT1", "", 88.5, ""),
        (2567, "ข้อคำถาม", "O12", "", 0, ""),
        (2567, "คะแนนรวม", "", "", 94.69, "ITAS"),
        (2567, "ระดับ", "", "", "ผ่านดี", ""),
        (2567, "ตัวชี้วัด", "", "", 150, ""),
        ("ปีหน้า", "ตัวชี้วัด", 1, "", 80, ""),
    ]
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    document = read_scores(path)
    y67 = document.years[2567]
    assert y67.indicators == {9: 97.14, 10: 76.67}
    assert y67.tools == {"IIT": 100.0, "EIT": 99.74}
    assert y67.questions == {"o12": 0.0}
    assert (y67.reported_overall, y67.reported_level) == (94.69, "ผ่านดี")
    assert document.years[2568].eit_parts == {"1": 88.5}
    assert y67.sources["indicator:9"] == "template.xlsx row 7 (ITAS)"
    assert y67.computed_overall == 94.69
    assert [w.line for w in document.warnings] == [15, 16]


def test_template_csv_round_trip(tmp_path):
    path = write_score_template(tmp_path / "template.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_scores(path).years == {}
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("2567,ตัวชี้วัด,10,การป้องกันการทุจริต,76.67,\n2567,ระดับ,,,ผ่านดี,\n")
    document = read_scores(path)
    assert document.years[2567].indicators == {10: 76.67}
    assert document.years[2567].reported_level == "ผ่านดี"


def test_sheet_that_is_not_the_template_is_read_as_a_table():
    rows = [["ตัวชี้วัด", "ปี 2566", "ปี 2567", "ผลต่าง"], ["การใช้อำนาจ", 90, 95.5, 5.5], [None, None, None, None]]
    document = parse_score_rows(rows, source="book.xlsx")
    assert document.years[2567].indicators == {3: 95.5}
    assert document.warnings == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.xlsx", b"this is not a zip file"),
        ("scores.pdf", b"%PDF-1.4"),
        ("binary.txt", b"\x00\x01\x02\x00 binary"),
    ],
)
def test_malformed_files_raise_one_line_errors(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScoreImportError) as error:
        read_scores(path)
    message = str(error.value)
    assert message and "\n" not in message


def test_missing_file(tmp_path):
    with pytest.raises(ScoreImportError, match="cannot open"):
        read_scores(tmp_path / "nothing.txt")


def test_non_text_input():
    with pytest.raises(ScoreImportError):
        parse_score_text(b"bytes")  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_parse_score_text_never_raises_unexpectedly(text):
    try:
        document = parse_score_text(text)
    except ScoreImportError as error:
        assert "internal error" not in str(error)
        assert "\n" not in str(error)
        return
    for year, scores in document.years.items():
        assert 2550 <= year <= 2600
        assert all(0 <= value <= 100 for value in scores.indicators.values())


TABLE_PIECES = st.sampled_from(
    [
        "ตัวชี้วัด",
        "ปี ๒๕๖๖",
        "ปี 2567",
        "ผลต่าง",
        "คะแนน",
        "การเปิดเผยข้อมูล",
        "การป้องกันกาทุจริต",
        "o12",
        "ข้อ ๐18",
        "-๒๓.๓๓",
        "๐",
        "100.00",
        "97.72",
        "คะแนนเฉลี่ย",
        "ระดับ",
        "ผ่านดี",
        "IIT",
        "EIT ส่วนที่ 1",
        "ปีงบประมาณ",
        "\t",
        "\t",
        "\n",
        "<p>",
        "</p>",
        "**",
        "|",
        "ได้",
        "=",
        "(",
        ")",
        "ตัวชี้วัดที่ 9",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(TABLE_PIECES, max_size=40).map("".join))
def test_parse_score_text_survives_table_like_noise(text):
    try:
        parse_score_text(text)
    except ScoreImportError as error:
        assert "internal error" not in str(error)


@pytest.mark.parametrize("year", [-1, 1800, 3000, "2567"])
def test_bad_year_argument(year):
    with pytest.raises(ScoreImportError):
        parse_score_text("ปี 2567 ได้ 90 คะแนน", year_be=year)
