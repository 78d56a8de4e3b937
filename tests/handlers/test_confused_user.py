"""What a confused officer and a busy supervisor see: greetings, help that fits, typos, small slips."""
from __future__ import annotations

import pytest

from line import texts
from line.cards import measures_messages, reminder_for
from models.reports import reporting_snapshot
from tests.factories import make_world

SOMCHAI, BOSS = "สมชาย ใจดี", "ประยุทธ์ หัวหน้า"


@pytest.fixture
def world(session):
    return make_world(session)


def _user(world, name=SOMCHAI):
    return world.officers[name].line_user_id


@pytest.mark.parametrize("said", ["ช่วยด้วย", "เมนู", "?", "สวัสดีค่ะ", "ok", "โอเคค่ะ"])
def test_greetings_get_a_hello_and_role_buttons(chat, world, said):
    officer = chat.text(_user(world), said)
    assert officer.text.startswith("สวัสดีค่ะ คุณสมชาย") and "ไม่เข้าใจ" not in officer.text
    labels = [a["label"] for a in officer.quick_replies()]
    assert labels[:3] == ["งานของฉัน", "รายงาน", "ประวัติ"] and "สรุป" not in labels
    assert "พิมพ์ งานของฉัน" in officer.text  # the typed form, for LINE on a PC
    boss = chat.text(_user(world, BOSS), said)
    assert [a["label"] for a in boss.quick_replies()][:3] == ["สรุป", "ค้างส่ง", "เตือน"]


def test_help_lists_what_this_person_can_do_grouped_most_used_first(chat, world):
    officer = chat.text(_user(world), "ช่วยเหลือ").text
    assert "ตั้งกลุ่มรายงาน" not in officer and "ลงทะเบียน" not in officer and "สรุป" not in officer
    assert officer.index(texts.HELP_SECTION_REPORTING) < officer.index(texts.HELP_SECTION_SCORES)
    reporting = officer[officer.index(texts.HELP_SECTION_REPORTING):]
    assert reporting.index("• รายงาน") < reporting.index("• งานของฉัน") < reporting.index("• ประวัติ")
    boss = chat.text(_user(world, BOSS), "ช่วยเหลือ").text
    assert boss.index(texts.HELP_SECTION_FOLLOWING) < boss.index(texts.HELP_SECTION_REPORTING)
    assert "ตั้งกลุ่มรายงาน" in boss and "ลงทะเบียน" not in boss
    stranger = chat.text("Ustranger", "ช่วยเหลือ").text
    assert "ลงทะเบียน" in stranger and "สรุป" not in stranger


def test_typos_of_main_commands_are_understood(chat, world):
    sent = chat.text(_user(world), "รายงน 1")
    assert "สถานะเป็นอย่างไร" in sent.text
    chat.text(_user(world), "ยกเลิก")
    assert "สรุปความคืบหน้า" in chat.text(_user(world, BOSS), "สรุบ").text
    assert "ไม่เข้าใจ" in chat.text(_user(world), "รถติดมากวันนี้").text  # a sentence is not a command


def test_reminder_counts_measures_once_in_the_same_words(session):
    world = make_world(session, measures=[(str(i), f"มาตรการที่ {i}", "กองคลัง") for i in range(1, 6)])
    officer = world.officers[SOMCHAI]
    from zoneinfo import ZoneInfo

    from models import utcnow
    from models.reports import current_period

    snapshot = reporting_snapshot(session, organisation_id=world.org.id,
                                  period=current_period(utcnow(), ZoneInfo("Asia/Bangkok")))
    messages = reminder_for(officer, snapshot, snapshot.due(officer.id))
    first = messages[0]["text"]
    assert "ครบกำหนดรายงาน 5 มาตรการ:" in first and "รายการ" not in first
    assert first.count(" 5 ") == 1  # the count is said once
    assert measures_messages  # the carousel path was taken (more than four measures)


def test_a_percentage_over_100_is_not_dropped_silently(chat, world):
    sent = chat.text(_user(world), "รายงาน 1 กำลังดำเนินการ 150% ทำไปครึ่งหนึ่ง")
    assert "150%" in sent.text and "0–100" in sent.text
    assert texts.ASK_PERCENT in sent.texts
    assert "กรุณาตรวจสอบรายงาน" in chat.text(_user(world), "50").text


def test_a_typed_report_without_what_was_done_asks_for_it(chat, world):
    assert texts.ASK_PERCENT in chat.text(_user(world), "รายงาน 1 กำลังทำ").texts
    assert chat.text(_user(world), "50").text == texts.ASK_SUMMARY  # as the buttons ask
    assert "กรุณาตรวจสอบรายงาน" in chat.text(_user(world), "ประชุมทีมแล้ว").text


def test_history_of_an_unknown_measure_shows_the_list(chat, world):
    sent = chat.text(_user(world), "ประวัติ 99")
    assert "ไม่พบมาตรการเลข 99" in sent.text and "• 1 " in sent.text
    assert {a["text"] for a in sent.quick_replies()} >= {"ประวัติ 1", "ประวัติ 3"}
