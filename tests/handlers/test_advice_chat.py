"""Score answers that help: no file names for officers, no borrowed figures, advice from what is known."""
from __future__ import annotations

import pytest

from ita.scores import YearScores
from line import texts
from models.plan import Measure
from models.scores import save_year_scores
from tests.factories import make_world

SCORES = YearScores(
    year_be=2568,
    indicators={1: 96.50, 2: 95.00, 3: 97.25, 4: 98.00, 5: 94.75, 6: 88.40, 7: 86.10, 8: 83.55, 9: 91.43,
                10: 80.00},
    questions={"o21": 40.0, "o28": 100.0, "e7": 70.0},
    reported_overall=88.98,
    sources={"indicator:9": "ita-2568.xlsx row 11", "overall": "ita-2568.xlsx row 40",
             "indicator:8": "ita-2568.xlsx row 10"},
)


@pytest.fixture
def world(session):
    world = make_world(session, officers=[("สมชาย ใจดี", "กองคลัง", "officer"), ("ผู้ดูแล ระบบ", "กองคลัง", "admin")])
    for ref, numbers in (("1", [10]), ("2", [8]), ("3", [9])):
        measure = session.get(Measure, world.measures[ref].id)
        measure.indicator_numbers = numbers
        session.add(measure)
    save_year_scores(session, organisation_id=world.org.id, scores=SCORES, source="test")
    session.commit()
    return world


def _officer(world):
    return world.officers["สมชาย ใจดี"].line_user_id


def test_sources_are_for_admins_only(chat, world):
    for asked in ("คะแนน ITA ปีนี้", "ตัวชี้วัดที่ 9 ได้เท่าไร"):
        assert "ที่มา" not in chat.text(_officer(world), asked).text, asked
    assert "ที่มา: ita-2568.xlsx row 11" in chat.text(world.officers["ผู้ดูแล ระบบ"].line_user_id,
                                                     "ตัวชี้วัดที่ 9 ได้เท่าไร").text


def test_a_ranking_is_not_answered_with_a_neighbouring_figure(chat, world):
    for asked in ("อันดับเท่าไหร่ของจังหวัด", "คะแนนเราอยู่อันดับที่เท่าไร"):
        sent = chat.text(_officer(world), asked)
        assert sent.text == texts.SCORE_RANKING_UNKNOWN, asked
        assert "88.98" not in sent.text and sent.quick_replies()


def test_what_to_improve_first(chat, world):
    sent = chat.text(_officer(world), "ควรปรับปรุงเรื่องไหนก่อน")
    body = sent.text
    assert "ต่ำกว่า 85" in body
    assert body.index("ตัวชี้วัดที่ 10") < body.index("ตัวชี้วัดที่ 8")  # furthest below first
    assert "ตัวชี้วัดที่ 9" not in body  # above the pass line
    assert "ข้อที่ได้คะแนนต่ำ: O21 (40.00)" in body  # the questions imported for indicator 10
    assert "มาตรการ 1 " in body and "ยังไม่มีรายงาน" in body  # the measure on it and its status this month
    assert any("ตัวชี้วัด 10" in a["label"] for a in sent.quick_replies())


def test_what_it_takes_to_be_excellent(chat, world):
    body = chat.text(_officer(world), "อยากได้ผ่านดีเยี่ยมต้องทำยังไง").text
    assert "ต่ำกว่า 95" in body and "ระดับผ่านดีเยี่ยม" in body
    assert "ตัวชี้วัดที่ 6" not in body  # three indicators at most, furthest below 95 first
    assert body.index("ตัวชี้วัดที่ 10") < body.index("ตัวชี้วัดที่ 8") < body.index("ตัวชี้วัดที่ 7")


def test_why_one_indicator_is_low_and_what_was_done(chat, world, session):
    why = chat.text(_officer(world), "ทำไมตัวชี้วัด 8 ต่ำ").text
    assert "ตัวชี้วัดที่ 8" in why and "83.55" in why and "มาตรการ 2 " in why and "E7" in why
    done = chat.text(_officer(world), "ตัวชี้วัด 9 ทำอะไรไปบ้าง").text
    assert "ตัวชี้วัดที่ 9" in done and "มาตรการ 3 " in done
    assert texts.SCORE_CAN_ANSWER not in done
