"""models.scores: what a results report says about each question is kept, and read back."""
from __future__ import annotations

from pathlib import Path

from ita.score_text import read_scores
from models import Organisation
from models.scores import save_year_scores, year_scores

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"


def test_question_scores_keep_their_wording_and_advice(session):
    org = Organisation(name="องค์การบริหารส่วนตำบลดอนแก้ว")
    session.add(org)
    session.flush()
    document = read_scores(FIXTURES / "scores_report.docx")
    save_year_scores(session, organisation_id=org.id, scores=document.years[2568], source="scores_report.docx")
    session.commit()

    stored = year_scores(session, organisation_id=org.id, year_be=2568)
    assert stored.questions["o13"] == 50.0 and stored.questions["o18"] == 0.0
    assert stored.question_texts["o13"] == "รายงานผลการจัดซื้อจัดจ้างประจำปี"
    assert stored.question_advice["o18"] == "ยังไม่พบการเผยแพร่ข้อมูลบนเว็บไซต์"
    assert "i4" not in stored.question_advice  # nothing is invented for a question the report left bare


def test_a_reimport_without_the_advice_clears_it(session):
    org = Organisation(name="อบต.ทดสอบ")
    session.add(org)
    session.flush()
    scores = read_scores(FIXTURES / "scores_report.txt").years[2568]
    save_year_scores(session, organisation_id=org.id, scores=scores, source="a")
    scores.question_advice.clear()
    save_year_scores(session, organisation_id=org.id, scores=scores, source="a")
    session.commit()
    assert year_scores(session, organisation_id=org.id, year_be=2568).question_advice == {}


def test_importing_the_indicator_table_later_keeps_the_questions(session):
    org = Organisation(name="อบต.ทดสอบสอง")
    session.add(org)
    session.flush()
    full = read_scores(FIXTURES / "scores_report.txt").years[2568]
    save_year_scores(session, organisation_id=org.id, scores=full, source="report")
    indicators_only = read_scores(FIXTURES / "scores_report.txt").years[2568]
    indicators_only.questions.clear()
    indicators_only.question_texts.clear()
    indicators_only.question_advice.clear()
    indicators_only.indicators[1] = 91.0
    kept = save_year_scores(session, organisation_id=org.id, scores=indicators_only, source="indicators")
    session.commit()
    stored = year_scores(session, organisation_id=org.id, year_be=2568)
    assert kept == {"question": len(full.questions)}
    assert stored.indicators[1] == 91.0 and stored.questions == full.questions
    assert stored.question_advice["o18"] == "ยังไม่พบการเผยแพร่ข้อมูลบนเว็บไซต์"
