"""Officers ask about ITA scores in their own words, through the signed webhook, on both databases.

Organisation A holds the seed report 001 (2566 and 2567: reported total 97.72
against 97.68 computed for 2566; 94.69 for 2567) and a 2568 year with question
scores whose reported level disagrees with the computed one. Organisation B
holds seed 000 (indicators only). Every phrasing below is answered for an
officer of A, and the answer must carry the listed numbers.
"""
from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session

from bot import create_app
from ita.score_text import ScoreDocument, read_scores
from ita.scores import YearScores
from line import texts
from models.scores import save_year_scores
from tests.chat import Chat
from tests.conftest import ACCESS_TOKEN, BACKENDS, CHANNEL_SECRET, _truncate_all
from tests.factories import make_world, this_fiscal_year

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
FY = this_fiscal_year()

YEAR_2568 = YearScores(
    year_be=2568,
    indicators={1: 96.50, 2: 95.00, 3: 97.25, 4: 98.00, 5: 94.75, 6: 88.40, 7: 86.10, 8: 83.55, 9: 91.43,
                10: 80.00},
    questions={"o1": 100.0, "o5": 75.0, "o12": 50.0, "o21": 40.0, "o28": 100.0, "i3": 92.5, "e1": 88.0},
    eit_parts={"1": 87.0, "2": 85.2},
    reported_overall=88.98,
    reported_level="ผ่าน",  # the rules give ผ่านดี: every tool is at least 85
    sources={"indicator:9": "ita-2568.xlsx row 11", "question:o12": "ita-2568.xlsx row 20",
             "overall": "ita-2568.xlsx row 40"},
)


@functools.cache
def seed(name: str) -> ScoreDocument:
    return read_scores(DOCUMENTS / name)


def build_worlds(session):
    """Organisation A with seed 001 and 2568 scores and measures keyed to indicators; B with seed 000."""
    a = make_world(session, name="องค์การบริหารส่วนตำบลม่วงหมู่")
    b = make_world(session, name="องค์การบริหารส่วนตำบลเขาชัยสน", officers=[("บุญมี ศรีสุข", "กองคลัง", "officer")])
    a.measures["1"].indicator_numbers = [9]
    a.measures["2"].indicator_numbers = [10]
    a.measures["3"].question_codes = ["O5"]  # o5 belongs to indicator 9
    for scores in [*seed("scores_two_years.txt").years.values(), YEAR_2568]:
        save_year_scores(session, organisation_id=a.org.id, scores=scores, source="seed")
    for scores in seed("scores_sentences.txt").years.values():
        save_year_scores(session, organisation_id=b.org.id, scores=scores, source="seed")
    session.commit()
    return a, b


@pytest.fixture
def worlds(session):
    return build_worlds(session)


@pytest.fixture(scope="module", params=BACKENDS)
def shared_chat(request, tmp_path_factory, line_server):
    """One app and database per backend for the read-only phrasing tests.

    The function-scoped ``chat`` fixture builds a fresh app and database per
    test (about half a second); asking questions writes no scores, so the
    phrasings share one here to keep this file fast.
    """
    folder = tmp_path_factory.mktemp("scores-chat")
    if request.param == "sqlite":
        shutil.copy(request.getfixturevalue("sqlite_template"), folder / "tidtam.db")
        url = f"sqlite:///{folder / 'tidtam.db'}"
    else:
        url = request.getfixturevalue("pg_database")
        _truncate_all(url)
    app = create_app({
        "env": "test", "database_url": url, "line_channel_secret": CHANNEL_SECRET,
        "line_channel_access_token": ACCESS_TOKEN, "line_api_base_url": line_server.url,
        "line_data_api_base_url": line_server.url, "public_base_url": "https://tidtam.example",
        "evidence_dir": str(folder / "evidence"), "generated_dir": str(folder / "generated"),
        "line_read_timeout": 2.0,
    })
    engine = app.extensions["tidtam"].engine
    with Session(engine, expire_on_commit=False) as session:
        a, b = build_worlds(session)
    yield Chat(app.test_client(), line_server, CHANNEL_SECRET), a, b
    engine.dispose()


def _asker(world) -> str:
    return next(iter(world.officers.values())).line_user_id


# (typed text, what the answer must contain)
PHRASINGS: list[tuple[str, list[str]]] = [
    # the overall score and level; the latest year is 2568
    ("คะแนน ITA ปีนี้เท่าไหร่ครับ", ["คะแนน ITA ปี 2568: 88.98 คะแนน", "ระดับผลการประเมิน: ผ่าน",
                                   "เอกสารรายงานระดับ ผ่าน แต่คำนวณตามเกณฑ์ได้ระดับ ผ่านดี",
                                   "IIT 96.30 · EIT 86.02 · OIT 85.72", "เทียบกับปี 2567 (94.69): ▼ 5.71 คะแนน"]),
    ("ปี 67 ได้กี่คะแนน", ["คะแนน ITA ปี 2567: 94.69 คะแนน", "ระดับผลการประเมิน: ผ่านดี",
                          "เทียบกับปี 2566 (97.72): ▼ 3.03 คะแนน"]),
    ("ปี ๖๗ ได้กี่คะแนนคะ", ["ปี 2567: 94.69", "▼ 3.03"]),
    ("ผลคะแนน ITA ปี 2566", ["ปี 2566: 97.72 คะแนน", "เอกสารรายงานคะแนนรวม 97.72", "ได้ 97.68",
                           "(ไม่มีคะแนนปี 2565 ให้เทียบ)"]),
    ("คะแนนปี๒๕๖๖", ["ปี 2566: 97.72", "97.68"]),
    ("ITA ได้เท่าไร", ["ปี 2568: 88.98"]),
    ("คะแนนภาพรวมเท่าไหร่", ["ปี 2568: 88.98"]),
    ("คะแนนรวมปีที่แล้ว", ["ปี 2567: 94.69"]),
    ("ปีที่แล้วได้ระดับอะไร", ["ปี 2567", "ระดับผลการประเมิน: ผ่านดี"]),
    ("ปีนี้ผ่านไหมครับ", ["ปี 2568", "ระดับผลการประเมิน: ผ่าน\n", "ได้ระดับ ผ่านดี"]),
    ("ผลประเมินปีงบประมาณ 2567 เป็นยังไงบ้าง", ["ปี 2567: 94.69"]),
    ("อบต.เราได้คะแนน ITA เท่าไหร่จ้า", ["88.98"]),
    ("ITA ปี 68 ได้ระดับไหน", ["ปี 2568: 88.98", "ผ่านดี"]),
    ("what is our ITA score", ["88.98"]),
    ("ITA score 2567", ["94.69"]),
    ("what was our score last year", ["ปี 2567: 94.69"]),
    ("คะแนน", ["ปี 2568: 88.98"]),
    ("score", ["ปี 2568: 88.98"]),
    # tools
    ("EIT เท่าไร", ["EIT (แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก) ปี 2568: 86.02 คะแนน",
                    "ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน: 83.55", "เทียบกับปี 2567 (99.74): ▼ 13.72 คะแนน"]),
    ("คะแนน OIT ปี 2567", ["OIT", "ปี 2567: 86.91 คะแนน", "ในเอกสารระบุ 97.14", "(100.00): ▼ 13.09 คะแนน"]),
    ("iit ได้กี่คะแนน", ["IIT", "ปี 2568: 96.30", "(100.00): ▼ 3.70 คะแนน"]),
    ("แบบวัดการเปิดเผยข้อมูลสาธารณะได้เท่าไร", ["OIT", "85.72"]),
    ("คะแนนผู้มีส่วนได้ส่วนเสียภายในปีที่แล้ว", ["IIT", "ปี 2567: 100.00", "(99.89): ▲ 0.11 คะแนน"]),
    ("how did we do on EIT", ["EIT", "86.02"]),
    ("OIT ต่ำกว่า 90 ไหม", ["ต่ำกว่า 90 ปี 2568 (1 ตัว)", "ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 80.00"]),
    # indicators, by number or name, misspelt too
    ("ตัวชี้วัดที่ 9 ได้เท่าไร", ["ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (OIT) ปี 2568: 91.43 คะแนน",
                                 "สูงกว่า 85 อยู่ 6.43 คะแนน", "(97.14): ▼ 5.71 คะแนน"]),
    ("ตัวชี้วัด ๙ ได้กี่คะแนน", ["91.43"]),
    ("ตัวชี้วัดที่10ปี67", ["ตัวชี้วัดที่ 10", "ปี 2567: 76.67", "ต่ำกว่า 85 อยู่ 8.33 คะแนน",
                           "เทียบกับปี 2566 (100.00): ▼ 23.33 คะแนน"]),
    ("การป้องกันกาทุจริตได้กี่คะแนนคะ", ["ตัวชี้วัดที่ 10 การป้องกันการทุจริต", "80.00", "▲ 3.33"]),
    ("เปิดเผยข้อมูลได้กี่คะแนน", ["ตัวชี้วัดที่ 9", "91.43"]),
    ("การปรับปรุงระบบการทำงานได้เท่าไหร่", ["ตัวชี้วัดที่ 8", "83.55", "ต่ำกว่า 85 อยู่ 1.45", "▼ 16.45"]),
    ("คะแนนการใช้งบประมาณปีนี้", ["ตัวชี้วัดที่ 2", "95.00", "▼ 5.00"]),
    ("ตัวชี้วัดการใช้อำนาจ", ["ตัวชี้วัดที่ 3", "97.25"]),
    ("การปฎิบัติหน้าที่ได้เท่าไหร่", ["ตัวชี้วัดที่ 1", "96.50"]),
    ("ประสิทธิภาพการสือสารได้กี่คะแนน", ["ตัวชี้วัดที่ 7", "86.10"]),
    ("คุณภาพการดำเนินงานปี 2566 ได้เท่าไร", ["ตัวชี้วัดที่ 6", "ปี 2566: 92.51", "(ไม่มีคะแนนปี 2565 ให้เทียบ)"]),
    ("เรื่องทรัพย์สินของราชการได้คะแนนเท่าไร", ["ตัวชี้วัดที่ 4", "98.00"]),
    ("ตัวที่ 5 ได้เท่าไหร่", ["ตัวชี้วัดที่ 5", "94.75"]),
    ("ตัวชี้วัดที่ 9 ต่ำกว่า 90 ไหม", ["91.43", "สูงกว่า 90 อยู่ 1.43 คะแนน"]),
    ("score for indicator 9", ["91.43"]),
    # question codes in any written form
    ("o12 ได้เท่าไหร่", ["ข้อ O12 ปี 2568: 50.00 คะแนน", "อยู่ในตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"]),
    ("ข้อ ๐18", ["ไม่มีคะแนนข้อ O18 ของปี 2568", "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ซึ่งได้ 91.43 คะแนน"]),
    ("ข้อ O21 ปี 2568 ได้กี่คะแนน", ["ข้อ O21 ปี 2568: 40.00", "ตัวชี้วัดที่ 10"]),
    ("ข้อ e1 ได้กี่คะแนน", ["ข้อ E1", "88.00", "ตัวชี้วัดที่ 6"]),
    ("i3 เท่าไร", ["ข้อ I3", "92.50", "ตัวชี้วัดที่ 1"]),
    ("คะแนนข้อ o5 ปีที่แล้ว", ["ไม่มีคะแนนข้อ O5 ของปี 2567", "ยังไม่ได้นำเข้าคะแนนรายข้อ"]),
    ("ข้อ08ได้กี่คะแนน", ["ไม่มีคะแนนข้อ O8 ของปี 2568"]),
    ("O12 score", ["50.00"]),
    # lowest and highest
    ("ตัวชี้วัดที่ต่ำสุด", ["ต่ำสุด ปี 2568", "1. ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 80.00",
                           "2. ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน: 83.55", "3. ตัวชี้วัดที่ 7", "ข้อ O21: 40.00"]),
    ("ตัวชี้วัดไหนได้น้อยที่สุด", ["1. ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 80.00"]),
    ("ปี 66 ตัวชี้วัดไหนคะแนนต่ำที่สุด", ["ปี 2566", "1. ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน: 91.36",
                                          "2. ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน: 92.51"]),
    ("OIT ข้อไหนได้น้อยสุด", ["ต่ำสุด (OIT) ปี 2568", "1. ตัวชี้วัดที่ 10", "2. ตัวชี้วัดที่ 9", "ข้อ O21: 40.00"]),
    ("lowest indicator last year", ["ปี 2567", "1. ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 76.67"]),
    ("คะแนนสูงสุดคือตัวชี้วัดไหน", ["สูงสุด ปี 2568", "1. ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ: 98.00",
                                     "2. ตัวชี้วัดที่ 3 การใช้อำนาจ: 97.25"]),
    ("ตัวไหนดีที่สุดครับ", ["1. ตัวชี้วัดที่ 4", "98.00"]),
    ("ปีที่แล้วตัวชี้วัดไหนสูงสุด", ["ปี 2567", "7 ตัวชี้วัดได้ 100.00 เท่ากัน: ตัวชี้วัดที่ 1, 2, 3, 4, 5, 7, 8"]),
    # below or above a threshold, with last year beside
    ("ตัวชี้วัดไหนต่ำกว่า 85", ["ตัวชี้วัดที่ได้ต่ำกว่า 85 ปี 2568 (2 ตัว)",
                               "• ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 80.00 (ปี 2567: 76.67 ▲ 3.33)",
                               "• ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน: 83.55 (ปี 2567: 100.00 ▼ 16.45)",
                               "ข้อคำถามที่ได้ต่ำกว่า 85 (3 ข้อ)", "ข้อ O21: 40.00"]),
    ("ตัวชี้วัดไหนไม่ผ่าน", ["ต่ำกว่า 85 ปี 2568 (2 ตัว)"]),
    ("มีตัวชี้วัดที่ต่ำกว่าเกณฑ์ไหม", ["ต่ำกว่า 85 ปี 2568 (2 ตัว)"]),
    ("ตัวชี้วัดไหนน้อยกว่า ๙๐ คะแนน", ["ต่ำกว่า 90 ปี 2568 (4 ตัว)", "ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน: 88.40"]),
    ("ข้อไหนได้ต่ำกว่า 50 บ้าง", ["ปี 2568 ไม่มีตัวชี้วัดที่ได้ต่ำกว่า 50 ค่ะ",
                                 "ต่ำสุดคือตัวชี้วัดที่ 10 การป้องกันการทุจริต ได้ 80.00",
                                 "ข้อคำถามที่ได้ต่ำกว่า 50 (1 ข้อ)", "ข้อ O21: 40.00"]),
    ("ปีที่แล้วไม่ผ่านกี่ตัว", ["ต่ำกว่า 85 ปี 2567 (1 ตัว)", "76.67 (ปี 2566: 100.00 ▼ 23.33)"]),
    ("indicators below 85", ["(2 ตัว)"]),
    ("ตัวชี้วัดไหนเกิน 95", ["ตัวชี้วัดที่ได้ 95 ขึ้นไป ปี 2568 (4 ตัว)", "ตัวชี้วัดที่ 2 การใช้งบประมาณ: 95.00"]),
    ("ตัวชี้วัดไหนผ่านเกณฑ์บ้าง", ["85 ขึ้นไป ปี 2568 (8 ตัว)"]),
    ("indicators above 90", ["90 ขึ้นไป ปี 2568 (6 ตัว)"]),
    # the change against the year before, in points
    ("เทียบกับปีที่แล้ว", ["คะแนน ITA ปี 2568 เทียบกับปี 2567", "ภาพรวม: 88.98 (▼ 5.71 คะแนน จาก 94.69)",
                          "• ตัวชี้วัดที่ 10 การป้องกันการทุจริต: 80.00 (▲ 3.33)",
                          "ดีขึ้น 1 ตัว ลดลง 9 ตัว เท่าเดิม 0 ตัว"]),
    ("เปรียบเทียบคะแนนปี 66 กับ 67", ["ปี 2567 เทียบกับปี 2566", "ภาพรวม: 94.69 (▼ 3.03 คะแนน จาก 97.72)",
                                       "IIT 100.00 (▲ 0.11) · EIT 99.74 (▲ 7.35) · OIT 86.91 (▼ 13.09)",
                                       "• ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน: 99.22 (▲ 6.71)",
                                       "• ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่: 100.00 (เท่าเดิม)",
                                       "ดีขึ้น 4 ตัว ลดลง 2 ตัว เท่าเดิม 4 ตัว"]),
    ("คะแนนเพิ่มขึ้นหรือลดลง", ["ภาพรวม: 88.98 (▼ 5.71 คะแนน จาก 94.69)"]),
    ("ปีนี้คะแนนลดลงเท่าไหร่", ["▼ 5.71 คะแนน"]),
    ("ตัวชี้วัดที่ 9 เพิ่มขึ้นไหม", ["91.43", "เทียบกับปี 2567 (97.14): ▼ 5.71 คะแนน"]),
    ("EIT ดีขึ้นกว่าปีที่แล้วไหม", ["EIT", "86.02", "▼ 13.72"]),
    ("o12 ปีนี้เทียบกับปีก่อน", ["ข้อ O12 ปี 2568: 50.00", "(ไม่มีคะแนนปี 2567 ให้เทียบ)"]),
    ("compare with last year", ["ปี 2568 เทียบกับปี 2567"]),
    ("ปี 2566 เทียบกับปีก่อน", ["ไม่มีคะแนนปี 2565 ให้เทียบค่ะ มีข้อมูลปี 2566, 2567, 2568"]),
    # measures that target an indicator (the plan's latest fiscal year)
    ("มาตรการของตัวชี้วัดที่ 9", [f"มาตรการปี {FY} ที่มุ่งยกระดับตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (2 มาตรการ)",
                                 "• 1 เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์", "• 3 จัดทำคู่มือการปฏิบัติงาน",
                                 "คะแนนตัวชี้วัดนี้ ปี 2568: 91.43"]),
    ("ตัวชี้วัดที่ 10 มีมาตรการอะไรบ้าง", ["(1 มาตรการ)", "• 2 ประชุมชี้แจงมาตรการป้องกันการทุจริต", "80.00"]),
    ("มาตรการเรื่องการเปิดเผยข้อมูล", ["ตัวชี้วัดที่ 9", "(2 มาตรการ)"]),
    ("แนวทางแก้ข้อ o12", ["ข้อ O12 (ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล) (2 มาตรการ)"]),
    ("มาตรการสำหรับ OIT", ["ที่มุ่งยกระดับแบบวัด OIT (ตัวชี้วัดที่ 9, 10) (3 มาตรการ)"]),
    ("measures for indicator 9", ["(2 มาตรการ)"]),
    ("มาตรการของตัวชี้วัดที่ 4", [f"ยังไม่มีมาตรการปี {FY} ที่ระบุว่ามุ่งยกระดับตัวชี้วัดที่ 4"]),
    # years without data, and questions it cannot answer
    ("ปี 2560 ได้กี่คะแนน", ["ไม่มีคะแนน ITA ปี 2560 ค่ะ มีข้อมูลปี 2566, 2567, 2568"]),
    ("คะแนนปีหน้า", ["ไม่มีคะแนน ITA ปี 2569 ค่ะ มีข้อมูลปี 2566, 2567, 2568"]),
    ("ตัวชี้วัด", ["ยังตอบคำถามนี้ไม่ได้", "ตัวชี้วัดไหนต่ำกว่า 85", "มาตรการของตัวชี้วัดที่ 9", "กราฟคะแนน"]),
    ("ข้อคำถามมีกี่ข้อ", ["ยังตอบคำถามนี้ไม่ได้", "ข้อ o12 ได้กี่คะแนน"]),
]


def test_at_least_sixty_different_phrasings():
    phrasings = [text for text, _ in PHRASINGS]
    assert len(set(phrasings)) == len(phrasings) >= 60


@pytest.mark.parametrize(("text", "expected"), PHRASINGS, ids=[text for text, _ in PHRASINGS])
def test_score_question(shared_chat, text, expected):
    chat, a, _ = shared_chat
    sent = chat.text(_asker(a), text)
    assert sent.status == 200 and sent.kinds == ["reply"], sent.text
    for piece in expected:
        assert piece in sent.text, f"{piece!r} not in:\n{sent.text}"
    # numbers of the other organisation never appear
    assert "91.07" not in sent.text and "68.83" not in sent.text


def test_answers_offer_follow_up_buttons(chat, worlds):
    a, _ = worlds
    labels = [action["label"] for action in chat.text(_asker(a), "ตัวชี้วัดที่ 9 ได้เท่าไร").quick_replies()]
    assert labels == [label for label, _ in texts.SCORE_QUICK]


def test_each_organisation_sees_only_its_own_scores(chat, worlds):
    a, b = worlds
    own = chat.text(_asker(b), "ตัวชี้วัดที่ 1 ได้เท่าไร").text
    assert "ปี 2567: 91.07" in own and "96.50" not in own and "100.00" not in own
    total = chat.text(_asker(b), "คะแนน ITA ปีนี้").text
    assert "ยังคำนวณคะแนนรวมไม่ได้ค่ะ เพราะไม่มีคะแนนตัวชี้วัดที่ 3, 9, 10" in total
    assert "EIT 83.27" in total and "88.98" not in total and "94.69" not in total
    below = chat.text(_asker(b), "ตัวชี้วัดไหนต่ำกว่า 85").text
    assert "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ: 68.83 (ปี 2566: 79.05 ▼ 10.22)" in below
    assert "(ไม่มีคะแนนตัวชี้วัดที่ 3, 9, 10 ในระบบ)" in below
    years = chat.text(_asker(b), "ปี 2568 ได้กี่คะแนน").text
    assert "ไม่มีคะแนน ITA ปี 2568 ค่ะ มีข้อมูลปี 2566, 2567" in years
    assert "96.50" in chat.text(_asker(a), "ตัวชี้วัดที่ 1 ได้เท่าไร").text


def test_organisation_without_scores_is_told_how_to_import(chat, session):
    world = make_world(session, name="เทศบาลตำบลไม่มีคะแนน")
    sent = chat.text(_asker(world), "คะแนน ITA ปีนี้เท่าไหร่")
    assert "ยังไม่มีคะแนน ITA ของเทศบาลตำบลไม่มีคะแนนในระบบค่ะ" in sent.text
    assert "import-scores" in sent.text
    below = chat.text(_asker(world), "ตัวชี้วัดไหนต่ำกว่า 85")
    assert "ยังไม่มีคะแนน ITA" in below.text


def test_small_talk_gets_a_greeting_not_a_score_answer(chat, worlds):
    a, _ = worlds
    sent = chat.text(_asker(a), "สวัสดีครับ")
    assert sent.text.startswith("สวัสดีค่ะ") and "88.98" not in sent.text


def test_where_a_figure_came_from_is_for_admins_only(chat, worlds, session):
    a, _ = worlds
    officer = chat.text(_asker(a), "ตัวชี้วัดที่ 9 ได้เท่าไร")
    assert "91.43" in officer.text and "ที่มา" not in officer.text and "xlsx" not in officer.text
    admin = a.officers["ประยุทธ์ หัวหน้า"]
    admin.role = "admin"
    session.add(admin)
    session.commit()
    shown = chat.text(admin.line_user_id, "ตัวชี้วัดที่ 9 ได้เท่าไร")
    assert "ที่มา: ita-2568.xlsx row 11" in shown.text


def test_strangers_and_groups_get_no_scores(chat, worlds):
    assert "ลงทะเบียน" in chat.text("Ustranger", "คะแนน ITA").text
    a, _ = worlds
    sent = chat.text(_asker(a), "คะแนน ITA", group_id="Cgroup1")
    assert sent.text == texts.GROUP_NOT_ALLOWED


def _image_pushes(line, user_id):
    return [m for m in line.messages_to(user_id) if m.get("type") == "image"]


@pytest.mark.parametrize("text", ["กราฟคะแนน", "ขอกราฟคะแนนย้อนหลังหน่อยครับ"])
def test_chart_is_pushed_as_an_image(chat, client, line, worlds, text):
    a, _ = worlds
    user = _asker(a)
    sent = chat.text(user, text)
    assert "กำลังวาดกราฟคะแนนตัวชี้วัด ปี 2568 เทียบปี 2567" in sent.text
    assert line.wait_for(lambda fake: _image_pushes(fake, user), timeout=60)
    image, = _image_pushes(line, user)
    for key in ("originalContentUrl", "previewImageUrl"):
        url = image[key]
        assert url.startswith("https://tidtam.example/files/")
        response = client.get(url.removeprefix("https://tidtam.example"))
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert image["originalContentUrl"] != image["previewImageUrl"]


def test_chart_of_a_year_without_data_is_refused(chat, worlds):
    a, _ = worlds
    sent = chat.text(_asker(a), "แผนภูมิปี 2560")
    assert "ไม่มีคะแนน ITA ปี 2560 ค่ะ" in sent.text


def test_chart_without_a_thai_font_uses_english_labels(monkeypatch, tmp_path):
    import handlers.scores as scores_handler

    monkeypatch.setattr(scores_handler, "thai_font_path", lambda: None)
    path = tmp_path / "chart.png"
    scores_handler.draw_indicator_chart(YEAR_2568, seed("scores_two_years.txt").years[2567], [path])
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_failed_chart_says_sorry(chat, line, worlds, monkeypatch):
    import handlers.scores as scores_handler

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scores_handler, "draw_indicator_chart", broken)
    a, _ = worlds
    user = _asker(a)
    chat.text(user, "กราฟคะแนน")
    assert line.wait_for(lambda fake: any(m.get("text") == texts.SCORE_CHART_FAILED
                                          for m in fake.messages_to(user)), timeout=30)


def test_a_question_is_answered_with_its_wording_and_the_assessors_advice(chat, session):
    from ita.score_text import read_scores
    from models.scores import save_year_scores

    world = make_world(session, name="องค์การบริหารส่วนตำบลดอนแก้ว")
    document = read_scores(DOCUMENTS / "scores_report.docx")
    for scores in document.years.values():
        save_year_scores(session, organisation_id=world.org.id, scores=scores, source="scores_report.docx")
    session.commit()
    asker = _asker(world)
    answer = chat.text(asker, "ข้อ o13 ได้กี่คะแนน").text
    assert "ข้อ O13 ปี 2568: 50.00 คะแนน" in answer
    assert "ข้อคำถาม: รายงานผลการจัดซื้อจัดจ้างประจำปี" in answer
    assert "ข้อเสนอแนะของผู้ประเมิน: ควรเผยแพร่รายงานที่มีการวิเคราะห์ผลและแนวทางปรับปรุง" in answer
    missing = chat.text(asker, "ข้อ o30 ได้กี่คะแนน").text
    assert "ไม่มีคะแนนข้อ O30" in missing and "50.00" not in missing  # no neighbouring figure offered as its score
    # o13 and o18 belong to indicator 9 (90.00, below the ผ่านดีเยี่ยม line): the advice names them and their advice
    advice = chat.text(asker, "ตัวชี้วัด 9 ทำอะไรไปบ้าง").text
    assert "ข้อ O18 ผู้ประเมินแนะนำ: ยังไม่พบการเผยแพร่ข้อมูลบนเว็บไซต์" in advice
