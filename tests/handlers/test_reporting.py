"""Officers report progress through the signed webhook and the fake LINE server."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from line import texts
from line.cards import reminder_messages
from models import Conversation, Evidence, Measure, Officer, ReportVersion, StatusReport, utcnow
from models.reports import current_period
from tests.factories import make_world


@pytest.fixture
def world(session):
    return make_world(session)


def _user(world, name="สมชาย ใจดี"):
    return world.officers[name].line_user_id


def _versions(session, measure_id=None):
    session.expire_all()
    query = select(ReportVersion, StatusReport).join(StatusReport, StatusReport.id == ReportVersion.report_id)
    if measure_id is not None:
        query = query.where(StatusReport.measure_id == measure_id)
    return session.exec(query.order_by(ReportVersion.id)).all()


def _labels(sent):
    return [a["label"] for a in sent.quick_replies()]


def test_button_flow_end_to_end(chat, session, world):
    user = _user(world)
    tasks = chat.text(user, "งานของฉัน")
    assert "ครบกำหนด 2 มาตรการ" in tasks.text
    report_button = next(a for a in tasks.quick_replies() if a["type"] == "postback" and "1 " in a["label"])
    status_question = chat.tap(user, report_button)
    assert "สถานะเป็นอย่างไร" in status_question.text
    assert _labels(status_question) == ["ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้ว", "มีปัญหา-อุปสรรค"]
    percent_question = chat.tap(user, status_question.quick_replies()[1])
    assert _labels(percent_question) == ["25%", "50%", "75%", "100%"]
    summary_question = chat.tap(user, percent_question.quick_replies()[2])
    assert "สรุปผลการดำเนินการ" in summary_question.text
    more = chat.text(user, "เผยแพร่ข้อมูลจัดซื้อจัดจ้างเดือนนี้ครบแล้ว")
    assert [a["type"] for a in more.quick_replies()] == ["message", "camera", "cameraRoll"]
    confirm = chat.tap(user, more.quick_replies()[0])
    assert "อยู่ระหว่างดำเนินการ 75%" in confirm.text and "รอบเดือน" in confirm.text
    assert _labels(confirm) == ["ยืนยัน", "แก้ไข", "ยกเลิก"]
    saved = chat.tap(user, confirm.quick_replies()[0])
    assert "บันทึกรายงานมาตรการ 1" in saved.text and "ยังเหลืออีก 1" in saved.text
    rows = _versions(session)
    assert len(rows) == 1
    version, report = rows[0]
    assert (report.status, report.percent, version.version) == ("in_progress", 75, 1)
    assert version.summary == "เผยแพร่ข้อมูลจัดซื้อจัดจ้างเดือนนี้ครบแล้ว"
    assert version.webhook_event_id and version.via == "chat"
    assert report.period == current_period(utcnow(), world_tz())


def world_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Bangkok")


def test_typed_shortcut_with_thai_digits(chat, session, world):
    user = _user(world)
    confirm = chat.text(user, "รายงาน ๑ กำลังดำเนินการ ๖๐% ประชุมทีมแล้ว")
    assert "อยู่ระหว่างดำเนินการ 60%" in confirm.text and "ยืนยัน" in _labels(confirm)
    chat.text(user, "ยืนยัน")
    (version, report), = _versions(session)
    assert (report.status, report.percent, version.via) == ("in_progress", 60, "shortcut")


def test_typed_shortcut_done_with_text(chat, session, world):
    user = _user(world)
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว 100% จัดประชุมชี้แจงครบทุกกอง")
    chat.text(user, "ยืนยัน")
    (version, report), = _versions(session)
    assert (report.status, report.percent) == ("done", 100)
    assert version.summary == "จัดประชุมชี้แจงครบทุกกอง"


def test_ambiguous_status_is_asked_not_guessed(chat, session, world):
    user = _user(world)
    sent = chat.text(user, "รายงาน 1 ดำเนินการ 50% ประชุมทีมแล้ว")
    assert "หมายถึงสถานะใด" in sent.text
    assert _versions(session) == []
    confirm = chat.text(user, "อยู่ระหว่างดำเนินการ")
    assert "อยู่ระหว่างดำเนินการ 50%" in confirm.text and "ยืนยัน" in _labels(confirm)
    chat.text(user, "ยืนยัน")
    rows = _versions(session)
    assert rows and (rows[0][1].status, rows[0][1].percent) == ("in_progress", 50)


def test_unknown_measure_number_gets_a_question(chat, session, world):
    sent = chat.text(_user(world), "รายงาน 99 ดำเนินการแล้ว")
    assert "ไม่พบมาตรการเลข 99" in sent.text
    assert _versions(session) == []


def test_refused_for_another_units_measure(chat, session, world):
    sent = chat.text(_user(world), "รายงาน 2 ดำเนินการแล้ว")
    assert "ไม่ได้อยู่ในความรับผิดชอบ" in sent.text
    measure_2 = world.measures["2"]
    forged = chat.postback(_user(world), f"a=rep&m={measure_2.id}&p=2020-01")
    assert "ไม่ได้อยู่ในความรับผิดชอบ" in forged.text
    assert _versions(session) == []


def test_edit_before_confirm_and_a_new_version_after(chat, session, world):
    user = _user(world)
    chat.text(user, "รายงาน 1 กำลังดำเนินการ 40% รวบรวมประกาศแล้ว")
    assert "ต้องการแก้ไขส่วนใด" in chat.text(user, "แก้ไข").text
    chat.text(user, "ร้อยละ")
    confirm = chat.text(user, "80")
    assert "อยู่ระหว่างดำเนินการ 80%" in confirm.text
    chat.text(user, "ยืนยัน")
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว เสร็จเรียบร้อย")
    chat.text(user, "ยืนยัน")
    rows = _versions(session)
    assert [(v.version, v.status, v.percent) for v, _ in rows] == [(1, "in_progress", 80), (2, "done", 100)]
    assert len({r.id for _, r in rows}) == 1  # one report, two versions: nothing overwritten


def test_cancel_saves_nothing(chat, session, world):
    user = _user(world)
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว")
    assert "ยกเลิกแล้ว" in chat.text(user, "ยกเลิก").text
    assert "ไม่มีรายการที่ค้างอยู่" in chat.text(user, "ยกเลิก").text
    assert _versions(session) == []


def test_idle_flow_expires_without_saving_or_nagging(chat, session, world, line):
    user = _user(world)
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว")
    with time_machine.travel(utcnow() + timedelta(minutes=31)):
        sent = chat.text(user, "ยืนยัน")
    assert "บันทึก" not in sent.text
    assert _versions(session) == []
    assert line.pushes() == []


def test_new_command_mid_flow_is_answered_and_flow_kept(chat, session, world):
    user = _user(world)
    chat.text(user, "รายงาน 1 กำลังดำเนินการ 30% เริ่มรวบรวมข้อมูล")
    tasks = chat.text(user, "งานของฉัน")
    assert "งานของท่าน" in tasks.text and "ยังมีรายงานที่ทำค้างไว้" in tasks.text
    chat.text(user, "ยืนยัน")
    assert len(_versions(session)) == 1


def test_free_text_answer_starting_with_a_command_word_is_an_answer(chat, session, world):
    user = _user(world)
    chat.tap(user, {"type": "postback", "data": f"a=rep&m={world.measures['1'].id}"})
    chat.text(user, "ดำเนินการแล้ว")
    sent = chat.text(user, "รายงานผลการจัดซื้อจัดจ้างบนเว็บไซต์แล้ว")
    assert "ผลลัพธ์" in sent.text  # moved on to the next step, not the รายงาน command
    chat.text(user, "ไปยืนยัน")
    chat.text(user, "ยืนยัน")
    assert _versions(session)[0][0].summary == "รายงานผลการจัดซื้อจัดจ้างบนเว็บไซต์แล้ว"


def test_not_started_skips_percent_and_blocked_asks_obstacles(chat, session, world):
    user = _user(world)
    chat.tap(user, {"type": "postback", "data": f"a=rep&m={world.measures['1'].id}"})
    sent = chat.text(user, "ยังไม่ได้ดำเนินการ")
    assert "ข้าม" in _labels(sent)
    chat.text(user, "ข้าม")
    chat.text(user, "ไปยืนยัน")
    chat.text(user, "ยืนยัน")
    chat.tap(user, {"type": "postback", "data": f"a=rep&m={world.measures['3'].id}"})
    chat.text(user, "มีปัญหา")
    chat.text(user, "25%")
    assert "ปัญหาหรืออุปสรรค" in chat.text(user, "เริ่มรวบรวมข้อมูลแล้ว").text
    chat.text(user, "รองบประมาณจัดพิมพ์")
    chat.text(user, "ไม่มี")
    chat.text(user, "ยืนยัน")
    (v1, r1), (v2, r2) = _versions(session)
    assert (r1.status, r1.percent) == ("not_started", None)
    assert (r2.status, r2.percent, v2.obstacles) == ("blocked", 25, "รองบประมาณจัดพิมพ์")


def test_late_report_for_an_earlier_period(chat, session, world):
    user = _user(world)
    now_period = current_period(utcnow(), world_tz())
    earlier = (now_period - timedelta(days=1)).replace(day=1)
    measure = world.measures["1"]
    measure.period_start = earlier
    session.add(measure)
    session.commit()
    chat.postback(user, f"a=rep&m={measure.id}&p={earlier:%Y-%m}")
    chat.text(user, "ดำเนินการแล้ว")
    chat.text(user, "ส่งครบ")
    confirm = chat.text(user, "ไปยืนยัน")
    assert "รายงานย้อนหลัง" in confirm.text
    chat.text(user, "ยืนยัน")
    assert _versions(session)[0][1].period == earlier


def test_evidence_upload_is_stored_by_hash_and_linked(chat, session, world, settings_overrides):
    from pathlib import Path

    user = _user(world)
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว ประชุมแล้ว")
    photo = b"\xff\xd8\xff" + b"photo-bytes" * 100
    sent = chat.media(user, photo)
    assert "ได้รับหลักฐานแล้ว" in sent.text and "หลักฐาน: 1 ไฟล์" in sent.text
    pdf = chat.media(user, b"%PDF-1.4 minutes", kind="file", content_type="application/pdf",
                     file_name="../../etc/passwd")
    assert "รวม 2 ไฟล์" in pdf.text
    chat.text(user, "ยืนยัน")
    session.expire_all()
    stored = session.exec(select(Evidence)).all()
    assert len(stored) == 2 and all(e.report_version_id for e in stored)
    root = Path(settings_overrides["evidence_dir"])
    for item in stored:
        path = root / item.stored_path
        assert path.is_file() and item.sha256 in path.name and ".." not in item.stored_path
    assert {e.original_name for e in stored} == {None, "passwd"}
    history = chat.text(user, "ประวัติ 1")
    assert "หลักฐาน 2 ไฟล์" in history.text


def test_oversized_and_failed_evidence_are_told(chat, session, world, app):
    user = _user(world)
    chat.text(user, "รายงาน 1 ดำเนินการแล้ว")
    services = app.extensions["tidtam"]
    object.__setattr__(services.settings, "evidence_max_bytes", 10)
    assert "ใหญ่เกินไป" in chat.media(user, b"x" * 100).text
    event = chat.media_event(user, b"x")
    event["message"]["id"] = "gone"
    assert "รับไฟล์ไม่สำเร็จ" in chat.post([event]).text


def test_supervisor_reports_on_behalf(chat, session, world):
    boss = _user(world, "ประยุทธ์ หัวหน้า")
    confirm = chat.text(boss, "รายงานแทน สมชาย 1 ดำเนินการแล้ว เผยแพร่แล้ว")
    assert "รายงานแทน: สมชาย ใจดี" in confirm.text
    chat.text(boss, "ยืนยัน")
    (version, report), = _versions(session)
    somchai = world.officers["สมชาย ใจดี"]
    assert report.officer_id == somchai.id
    assert version.reported_by_officer_id == world.officers["ประยุทธ์ หัวหน้า"].id and version.via == "on_behalf"
    assert "ผู้บังคับบัญชา" in chat.text(_user(world), "รายงานแทน สมหญิง 2 ดำเนินการแล้ว").text


def test_group_chat_answers_commands_only(chat, session, world):
    user = _user(world)
    assert chat.text(user, "วันนี้กินข้าวที่ไหนดี", group_id="G1").messages == []
    assert "แชทส่วนตัว" in chat.text(user, "รายงาน 1 ดำเนินการแล้ว", group_id="G1").text
    assert "คำสั่ง" in chat.text(user, "อะไรนะ", group_id="G1", mention_bot=True).text
    assert chat.media(user, b"img", group_id="G1").messages == []


def test_unknown_message_gets_short_help_and_help_lists_all(chat, world):
    user = _user(world)
    short = chat.text(user, "ฮัลโหล")
    assert "ไม่เข้าใจ" in short.text and "งานของฉัน" in short.text
    full = chat.text(user, "ช่วยเหลือ")
    assert "ประวัติ" in full.text and "รายงานแทน" not in full.text  # supervisors only
    boss = chat.text(_user(world, "ประยุทธ์ หัวหน้า"), "help")
    assert "รายงานแทน" in boss.text


def test_reminder_for_thirty_measures_respects_every_limit(session):
    from line.views import MAX_ALT_TEXT, MAX_BUBBLES, MAX_MESSAGES

    measures = [(str(i), f"มาตรการทดสอบที่ {i} " + "ก" * 150, "กองคลัง") for i in range(1, 31)]
    world = make_world(session, measures=measures)
    officer = world.officers["สมชาย ใจดี"]
    messages = reminder_messages(session, officer=officer, period=current_period(utcnow(), world_tz()))
    assert 1 < len(messages) <= MAX_MESSAGES
    assert "สมชาย ใจดี" in messages[0]["text"] and "รอบเดือน" in messages[0]["text"]
    bubbles = 0
    for body in messages[1:]:
        assert body["type"] == "flex"
        assert len(body["altText"]) <= MAX_ALT_TEXT
        contents = body["contents"]["contents"]
        assert len(contents) <= MAX_BUBBLES
        import json
        assert len(json.dumps(body["contents"], ensure_ascii=False).encode()) <= 50_000
        for bubble in contents:
            assert len(json.dumps(bubble, ensure_ascii=False).encode()) <= 30_000
            for button in bubble.get("footer", {}).get("contents", []):
                assert len(button["action"]["label"]) <= 20 and len(button["action"]["data"]) <= 300
        bubbles += len(contents)
    assert bubbles == 30


def test_reminder_reaches_the_fake_line_within_limits(session, services, line):
    """The fake LINE enforces the limits too: a real push of the 30-measure reminder is accepted."""
    measures = [(str(i), f"มาตรการทดสอบที่ {i}", "กองคลัง") for i in range(1, 31)]
    world = make_world(session, measures=measures)
    officer = world.officers["สมชาย ใจดี"]
    messages = reminder_messages(session, officer=officer, period=current_period(utcnow(), world_tz()))
    result = services.line.push(officer.line_user_id, messages)
    assert result.delivered, result.error


def test_few_measures_use_quick_replies(session):
    world = make_world(session)
    officer = world.officers["สมชาย ใจดี"]
    messages = reminder_messages(session, officer=officer, period=current_period(utcnow(), world_tz()))
    assert len(messages) == 1
    items = messages[0]["quickReply"]["items"]
    assert len(items) == 2 and all(len(i["action"]["label"]) <= 20 for i in items)


def test_measure_numbers_in_reports_are_measure_refs(session, world):
    assert session.exec(select(Measure)).first().ref
    assert session.exec(select(Officer)).first().line_user_id


def test_free_text_keeps_line_breaks_and_thai_digits(chat, session, world):
    user = _user(world)
    chat.text(user, "รายงาน ๑ ดำเนินการแล้ว ๑๐๐% ประชุม ๓ ครั้ง")
    chat.text(user, "ยืนยัน")
    chat.postback(user, f"a=rep&m={world.measures['3'].id}")
    chat.text(user, "กำลังทำ")
    chat.text(user, "50%")
    chat.text(user, "ร่างคู่มือแล้ว ๒ บท\nรอตรวจทาน")
    chat.text(user, "ไปยืนยัน")
    chat.text(user, "ยืนยัน")
    (first, _), (second, _) = _versions(session)
    assert first.summary == "ประชุม ๓ ครั้ง" and first.percent == 100
    assert second.summary == "ร่างคู่มือแล้ว ๒ บท\nรอตรวจทาน"


def test_a_command_inside_an_open_report_says_the_report_is_still_open_and_a_cancel_ends_it(chat, world):
    user = _user(world)
    assert "สถานะเป็นอย่างไร" in chat.text(user, "รายงาน 1").text
    tasks = chat.text(user, "งานของฉัน")
    assert texts.FLOW_STILL_OPEN in tasks.texts
    assert texts.CANCELLED in chat.text(user, "ยกเลิก").texts
    assert texts.FLOW_STILL_OPEN not in chat.text(user, "งานของฉัน").texts


def test_an_expired_report_is_dropped_and_a_new_one_starts_in_the_same_message(chat, world, session):
    user = _user(world)
    chat.text(user, "รายงาน 1")
    with time_machine.travel(utcnow() + timedelta(hours=5)):
        question = chat.text(user, "รายงาน 3")
        assert "สถานะเป็นอย่างไร" in question.text and texts.FLOW_STILL_OPEN not in question.texts
        session.expire_all()
        conversation = session.get(Conversation, user)
        assert conversation is not None and conversation.step == "status"
        assert conversation.data["measure_id"] == world.measures["3"].id
