"""Tests for understanding officers' score questions (intent + slots)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ita.questions import INTENTS, Query, looks_like_score_question, parse_question

# (typed text, expected Query) — phrased the way officers type on a phone.
PHRASINGS: list[tuple[str, Query]] = [
    # overall score and level
    ("คะแนน ITA ปีนี้เท่าไหร่ครับ", Query("overall", relative_year=0)),
    ("ปี 67 ได้กี่คะแนน", Query("overall", year_be=2567)),
    ("ปี ๖๗ ได้กี่คะแนนคะ", Query("overall", year_be=2567)),
    ("ผลคะแนน ITA ปี 2566", Query("overall", year_be=2566)),
    ("คะแนนปี๒๕๖๖", Query("overall", year_be=2566)),
    ("ITA ได้เท่าไร", Query("overall")),
    ("คะแนนภาพรวมเท่าไหร่", Query("overall")),
    ("คะแนนรวมปีที่แล้ว", Query("overall", relative_year=-1)),
    ("ปีที่แล้วได้ระดับอะไร", Query("overall", relative_year=-1)),
    ("ปีนี้ผ่านไหมครับ", Query("overall", relative_year=0)),
    ("ผลประเมินปีงบประมาณ 2567 เป็นยังไงบ้าง", Query("overall", year_be=2567)),
    ("อบต.เราได้คะแนน ITA เท่าไหร่จ้า", Query("overall")),
    ("คะแนน  ITA   ปีนี้", Query("overall", relative_year=0)),
    ("ขอดูคะแนนหน่อยค่ะ", Query("overall")),
    ("ระดับผลการประเมินปี 66", Query("overall", year_be=2566)),
    ("คะแนนita ปีล่าสุด", Query("overall", relative_year=0)),
    ("what is our ITA score", Query("overall")),
    ("ITA score 2567", Query("overall", year_be=2567)),
    ("what was our score last year", Query("overall", relative_year=-1)),
    # tools
    ("EIT เท่าไร", Query("tool", tool="EIT")),
    ("คะแนน OIT ปี 2567", Query("tool", tool="OIT", year_be=2567)),
    ("iit ได้กี่คะแนน", Query("tool", tool="IIT")),
    ("แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอกได้เท่าไหร่", Query("tool", tool="EIT")),
    ("แบบวัดการเปิดเผยข้อมูลสาธารณะได้เท่าไร", Query("tool", tool="OIT")),
    ("คะแนนผู้มีส่วนได้ส่วนเสียภายในปีที่แล้ว", Query("tool", tool="IIT", relative_year=-1)),
    ("how did we do on EIT", Query("tool", tool="EIT")),
    # indicators
    ("ตัวชี้วัดที่ 9 ได้เท่าไร", Query("indicator", indicator=9)),
    ("ตัวชี้วัด ๙ ได้กี่คะแนน", Query("indicator", indicator=9)),
    ("ตัวชี้วัดที่10ปี67", Query("indicator", indicator=10, year_be=2567)),
    ("การป้องกันกาทุจริตได้กี่คะแนนคะ", Query("indicator", indicator=10)),
    ("เปิดเผยข้อมูลได้กี่คะแนน", Query("indicator", indicator=9)),
    ("การปรับปรุงระบบการทำงานได้เท่าไหร่", Query("indicator", indicator=8)),
    ("คะแนนการใช้งบประมาณปีนี้", Query("indicator", indicator=2, relative_year=0)),
    ("ตัวชี้วัดการใช้อำนาจ", Query("indicator", indicator=3)),
    ("การปฎิบัติหน้าที่ได้เท่าไหร่", Query("indicator", indicator=1)),
    ("ประสิทธิภาพการสือสารได้กี่คะแนน", Query("indicator", indicator=7)),
    ("คุณภาพการดำเนินงานปี 2566 ได้เท่าไร", Query("indicator", indicator=6, year_be=2566)),
    ("เรื่องทรัพย์สินของราชการได้คะแนนเท่าไร", Query("indicator", indicator=4)),
    ("ตัวที่ 5 ได้เท่าไหร่", Query("indicator", indicator=5)),
    ("ตัวชี้วัดที่ 9 ต่ำกว่า 85 ไหม", Query("indicator", indicator=9, threshold=85.0)),
    ("score for indicator 9", Query("indicator", indicator=9)),
    # question codes
    ("o12 ได้เท่าไหร่", Query("question", question="o12")),
    ("ข้อ ๐18", Query("question", question="o18")),
    ("ข้อ O21 ปี 2568 ได้กี่คะแนน", Query("question", question="o21", year_be=2568)),
    ("ข้อ e1 ได้กี่คะแนน", Query("question", question="e1")),
    ("i3 เท่าไร", Query("question", question="i3")),
    ("คะแนนข้อ o5 ปีที่แล้ว", Query("question", question="o5", relative_year=-1)),
    ("ข้อ08ได้กี่คะแนน", Query("question", question="o8")),
    ("O12 score", Query("question", question="o12")),
    # lowest and highest
    ("ตัวชี้วัดที่ต่ำสุด", Query("lowest")),
    ("ตัวชี้วัดไหนได้น้อยที่สุด", Query("lowest")),
    ("ปี 66 ตัวชี้วัดไหนคะแนนต่ำที่สุด", Query("lowest", year_be=2566)),
    ("OIT ข้อไหนได้น้อยสุด", Query("lowest", tool="OIT")),
    ("lowest indicator last year", Query("lowest", relative_year=-1)),
    ("คะแนนสูงสุดคือตัวชี้วัดไหน", Query("highest")),
    ("ตัวไหนดีที่สุดครับ", Query("highest")),
    ("which indicator is the best", Query("highest")),
    # below and above a threshold
    ("ตัวชี้วัดไหนต่ำกว่า 85", Query("below", threshold=85.0)),
    ("ตัวชี้วัดไหนไม่ผ่าน", Query("below", threshold=85.0)),
    ("มีตัวชี้วัดที่ต่ำกว่าเกณฑ์ไหม", Query("below", threshold=85.0)),
    ("ตัวชี้วัดไหนน้อยกว่า ๙๐ คะแนน", Query("below", threshold=90.0)),
    ("ข้อไหนได้ต่ำกว่า 50 บ้าง", Query("below", threshold=50.0)),
    ("ปีที่แล้วไม่ผ่านกี่ตัว", Query("below", threshold=85.0, relative_year=-1)),
    ("indicators below 85", Query("below", threshold=85.0)),
    ("which indicators failed", Query("below", threshold=85.0)),
    ("ตัวชี้วัดไหนเกิน 90", Query("above", threshold=90.0)),
    ("ตัวชี้วัดที่ได้มากกว่า 95 มีอะไรบ้าง", Query("above", threshold=95.0)),
    ("ตัวชี้วัดไหนผ่านเกณฑ์บ้าง", Query("above", threshold=85.0)),
    ("indicators above 90", Query("above", threshold=90.0)),
    # change against the previous year
    ("เทียบกับปีที่แล้ว", Query("change", compare=True)),
    ("เปรียบเทียบคะแนนปี 66 กับ 67", Query("change", year_be=2567, compare=True)),
    ("คะแนนเพิ่มขึ้นหรือลดลง", Query("change", compare=True)),
    ("ปีนี้คะแนนลดลงเท่าไหร่", Query("change", compare=True, relative_year=0)),
    ("ตัวชี้วัดที่ 9 เพิ่มขึ้นไหม", Query("change", indicator=9, compare=True)),
    ("EIT ดีขึ้นกว่าปีที่แล้วไหม", Query("change", tool="EIT", compare=True)),
    ("o12 ปีนี้เทียบกับปีก่อน", Query("change", question="o12", compare=True, relative_year=0)),
    ("compare with last year", Query("change", compare=True)),
    # measures for an indicator
    ("มาตรการของตัวชี้วัดที่ 9", Query("measures_for_indicator", indicator=9)),
    ("ตัวชี้วัดที่ 10 มีมาตรการอะไรบ้าง", Query("measures_for_indicator", indicator=10)),
    ("มาตรการเรื่องการเปิดเผยข้อมูล", Query("measures_for_indicator", indicator=9)),
    ("แนวทางแก้ข้อ o12", Query("measures_for_indicator", question="o12")),
    ("มาตรการสำหรับ OIT", Query("measures_for_indicator", tool="OIT")),
    ("measures for indicator 9", Query("measures_for_indicator", indicator=9)),
    # charts
    ("กราฟคะแนน", Query("chart", chart=True)),
    ("ขอกราฟคะแนนย้อนหลังหน่อยครับ", Query("chart", chart=True)),
    ("กราฟตัวชี้วัดที่ 9", Query("chart", indicator=9, chart=True)),
    ("แผนภูมิเทียบปี 66 กับ 67", Query("chart", year_be=2567, compare=True, chart=True)),
    ("show score chart", Query("chart", chart=True)),
    # not score questions
    ("สวัสดีครับ", Query("unknown")),
    ("ขอบคุณค่ะ", Query("unknown")),
    ("ดำเนินการแล้วครับ", Query("unknown")),
    ("ประชุมกี่โมง", Query("unknown")),
    ("ส่งรูปหลักฐานแล้ว 80%", Query("unknown")),
    ("พรุ่งนี้ว่างไหม", Query("unknown")),
    ("กินข้าวยัง", Query("unknown")),
    ("อันไหนดีที่สุด", Query("unknown")),
    ("งานไหนต่ำกว่าเป้า", Query("unknown")),
    ("555", Query("unknown")),
    ("ok", Query("unknown")),
    ("hello bot", Query("unknown")),
    ("", Query("unknown")),
]


def test_there_are_at_least_seventy_different_phrasings():
    texts = [text for text, _ in PHRASINGS]
    assert len(set(texts)) == len(texts) >= 70


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[text or "empty" for text, _ in PHRASINGS])
def test_parse_question(text, expected):
    assert parse_question(text) == expected


@pytest.mark.parametrize(
    "text",
    [text for text, query in PHRASINGS if query.intent != "unknown"],
)
def test_score_questions_look_like_score_questions(text):
    assert looks_like_score_question(text)


@pytest.mark.parametrize(
    "text",
    [text for text, query in PHRASINGS if query.intent == "unknown"]
    + [
        "อยู่ระหว่างดำเนินการ 60%",
        "ยังไม่ได้ทำค่ะ",
        "ส่งรายงานแล้วนะครับ",
        "ตุลาคม - ธันวาคม 66",
        "ร้านไหนอร่อยที่สุด",
        "ใครยังไม่ส่งบ้าง",
        "ผ่านไปแล้ว",
    ],
)
def test_small_talk_does_not_look_like_a_score_question(text):
    assert not looks_like_score_question(text)


def test_every_intent_is_reachable():
    assert {query.intent for _, query in PHRASINGS} == set(INTENTS)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_parse_question_never_raises(text):
    query = parse_question(text)
    assert query.intent in INTENTS
    assert query.indicator in (None, *range(1, 11))
    assert query.tool in (None, "IIT", "EIT", "OIT")
    assert isinstance(looks_like_score_question(text), bool)


QUESTION_PIECES = st.sampled_from(
    [
        "คะแนน",
        "ITA",
        "ปี",
        "67",
        "๒๕๖๗",
        "ตัวชี้วัดที่",
        "9",
        "ไหน",
        "ต่ำกว่า",
        "85",
        "o12",
        "ข้อ",
        "๐18",
        "เทียบ",
        "กับ",
        "ปีที่แล้ว",
        "กราฟ",
        "มาตรการ",
        "ครับ",
        "คะ",
        " ",
        "EIT",
        "สูงสุด",
        "ไม่ผ่าน",
        "100",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(QUESTION_PIECES, max_size=12).map("".join))
def test_parse_question_survives_mixed_fragments(text):
    query = parse_question(text)
    assert query.intent in INTENTS
    assert query.year_be is None or 2550 <= query.year_be <= 2600
