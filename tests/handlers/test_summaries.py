"""Supervisor summaries through the signed webhook: สรุป, สรุปปี, ค้างส่ง, มาตรการ, กราฟ, and groups."""
from __future__ import annotations

import json
import warnings
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine

from handlers.summaries import deadline_text, fit_lines
from ita.cadence import add_months
from ita.progress_chart import ASCII_TEXT, ProgressChart, UnitBar, draw_progress_chart, romanise, thai_font_path
from line import texts
from models import Evidence, Officer, OutboxMessage, Schedule, UnitAlias, utcnow
from models.reports import Draft, current_period, save_report
from models.summaries import NO_REPORT, combine_statuses, completion
from tests.factories import make_world

BANGKOK = ZoneInfo("Asia/Bangkok")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BOSS, SOMCHAI, SOMYING = "ประยุทธ์ หัวหน้า", "สมชาย ใจดี", "สมหญิง รักงาน"


@pytest.fixture
def world(session):
    return make_world(session)


def _user(world, name=BOSS):
    return world.officers[name].line_user_id


def _period():
    return current_period(utcnow(), BANGKOK)


def _save(session, world, name, ref, status, *, percent=None, summary="", period=None, reported_by=None):
    officer = world.officers[name]
    _report, version = save_report(
        session, draft=Draft(measure_id=world.measures[ref].id, period=period or _period(), status=status,
                             percent=percent, summary=summary),
        officer=officer, reported_by=reported_by or officer, webhook_event_id=None, via="chat", evidence_ids=[],
        now=utcnow())
    session.commit()
    return version


def _alt(sent) -> str:
    flex = sent.flex()
    assert flex is not None, sent.text
    return flex["altText"]


def _everything(sent) -> str:
    return json.dumps(sent.messages, ensure_ascii=False)


def _bar_widths(sent) -> list[str]:
    widths = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("height") == "6px" and "width" in node:
                widths.append(node["width"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(sent.flex()["contents"])
    return widths


def _report_through_chat(chat, world):
    """สมชาย reports measure 1 done and 3 in progress by chat; สมหญิง reports 2 blocked."""
    somchai = _user(world, SOMCHAI)
    assert "กรุณาตรวจสอบรายงาน" in chat.text(somchai, "รายงาน 1 ดำเนินการแล้ว 100% เผยแพร่ประกาศจัดซื้อครบทุกรายการ").text
    assert "บันทึกรายงานมาตรการ 1" in chat.text(somchai, "ยืนยัน").text
    chat.text(somchai, "รายงาน ๓ กำลังดำเนินการ ๖๐% ทบทวนคู่มือแล้วครึ่งหนึ่ง")
    assert "บันทึกรายงานมาตรการ 3" in chat.text(somchai, "ยืนยัน").text


# -- สรุป ------------------------------------------------------------------------------------

def test_summary_counts_after_officers_report(chat, session, world):
    _report_through_chat(chat, world)
    _save(session, world, SOMYING, "2", "blocked", percent=20, summary="รองบประมาณ")
    sent = chat.text(_user(world), "สรุป")
    assert sent.kinds == ["reply"]
    alt = _alt(sent)
    assert "สรุปความคืบหน้ารอบเดือน" in alt and world.org.name in alt
    # Measure-periods: 1 and 2 are in; 3 waits for สำนักปลัด (กองคลัง has reported its share).
    assert "ส่งรายงานแล้ว 2/3 (66%)" in alt
    assert "• กองคลัง 2/2 (100%)" in alt and "• สำนักปลัด 1/2 (50%)" in alt
    assert ("มาตรการที่ครบกำหนด 3 รายการ: แล้วเสร็จ 1 · อยู่ระหว่างดำเนินการ 1 · ยังไม่เริ่ม 0 · ติดปัญหา 1"
            " · ยังไม่มีรายงาน 0") in alt
    assert "มาตรการที่ติดปัญหา: 2" in alt
    assert "กำหนดส่ง" in alt
    assert "รองบประมาณ" not in alt  # free text only when one measure is asked about
    assert _bar_widths(sent) == ["66%", "100%", "50%"]
    labels = [a["label"] for a in sent.quick_replies()]
    assert labels[:3] == ["ค้างส่ง", "สรุปปี", "กราฟ"] and "กองคลัง" in labels
    tap = next(a for a in sent.quick_replies() if a["label"] == "กองคลัง")
    assert tap["text"] == "สรุป กองคลัง"


def test_summary_english_command_and_admin_allowed(chat, session):
    world = make_world(session, officers=[("สมชาย ใจดี", "กองคลัง", "officer"), ("ผู้ดูแล ระบบ", "กองคลัง", "admin")])
    _save(session, world, SOMCHAI, "1", "done", percent=100)
    sent = chat.text(_user(world, "ผู้ดูแล ระบบ"), "summary")
    # กองคลัง owes measures 1 and 3 once each; the admin owes nothing through the unit.
    assert "ส่งรายงานแล้ว 1/2 (50%)" in _alt(sent)


def test_summary_narrowed_by_unit_name_typo_and_alias(chat, session, world):
    _report_through_chat(chat, world)
    boss = _user(world)
    for asked in ("สรุป กองคลัง", "สรุปคลัง", "สรุป กองคลง"):
        alt = _alt(chat.text(boss, asked))
        assert "เฉพาะกองคลัง" in alt and "ส่งรายงานแล้ว 2/2 (100%)" in alt, asked
        assert "สำนักปลัด" not in alt
    session.add(UnitAlias(organisation_id=world.org.id, unit_id=world.units["สำนักปลัด"].id, alias="สป."))
    session.commit()
    alt = _alt(chat.text(boss, "สรุป สป."))
    assert "เฉพาะสำนักปลัด" in alt and "ส่งรายงานแล้ว 0/2 (0%)" in alt
    unknown = chat.text(boss, "สรุป กองสาธารณสุขและสิ่งแวดล้อม")
    assert "ไม่พบหน่วยงาน" in unknown.text and "กองคลัง" in unknown.text
    assert {a["text"] for a in unknown.quick_replies()} == {"สรุป กองคลัง", "สรุป สำนักปลัด"}


def test_summary_narrowed_by_measure_shows_officers_in_private(chat, session, world):
    _report_through_chat(chat, world)
    boss = _user(world)
    alt = _alt(chat.text(boss, "สรุป 3"))
    assert "เฉพาะมาตรการ 3" in alt and "ส่งรายงานแล้ว 0/1 (0%)" in alt  # สำนักปลัด still owes its share
    assert "• กองคลัง: อยู่ระหว่างดำเนินการ 60% (รายงานโดย สมชาย ใจดี)" in alt
    assert "• สำนักปลัด: ยังไม่รายงาน" in alt
    assert "อยู่ระหว่างดำเนินการ 1" in alt
    one = chat.text(boss, "สรุป มาตรการ ๑")
    assert "เผยแพร่ประกาศจัดซื้อครบทุกรายการ" in _alt(one) and "แล้วเสร็จ 1" in _alt(one)
    assert "ไม่พบมาตรการเลข 42" in chat.text(boss, "สรุป 42").text


def test_days_to_the_deadline_from_the_schedule(chat, session):
    with time_machine.travel(datetime(2025, 1, 15, 3, 0, tzinfo=UTC), tick=True):
        world = make_world(session)
        _save(session, world, SOMCHAI, "1", "done", percent=100)
        boss = _user(world)
        assert "เลยกำหนดส่ง 5 วัน (10 ม.ค. 2568)" in _alt(chat.text(boss, "สรุป"))
        session.add(Schedule(organisation_id=world.org.id, deadline_day=20))
        session.commit()
        assert "อีก 5 วันถึงกำหนดส่ง (20 ม.ค. 2568)" in _alt(chat.text(boss, "สรุป"))


def test_year_view_month_by_month(chat, session):
    with time_machine.travel(datetime(2025, 1, 15, 3, 0, tzinfo=UTC), tick=True):
        world = make_world(session)
        nov, dec, jan = date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1)
        _save(session, world, SOMCHAI, "1", "done", percent=100, period=nov)
        _save(session, world, SOMCHAI, "3", "in_progress", percent=10, period=nov)
        for name, refs in ((SOMCHAI, "13"), (SOMYING, "23"), (BOSS, "23")):
            for ref in refs:
                _save(session, world, name, ref, "in_progress", percent=50, period=dec)
        _save(session, world, SOMYING, "2", "done", percent=100, period=jan)
        for asked in ("สรุปปี", "summary year", "สรุป ปี"):
            sent = chat.text(_user(world), asked)
            alt = _alt(sent)
            assert "สรุปปีงบประมาณ 2568 (ต.ค. ถึง ม.ค. 2568)" in alt, asked
            assert "• ต.ค. 2567: 0/3 (0%)" in alt and "• พ.ย. 2567: 1/3 (33%)" in alt
            assert "• ธ.ค. 2567: 3/3 (100%)" in alt and "• ม.ค. 2568: 1/3 (33%)" in alt
            assert "รวมทั้งปี ส่งแล้ว 5/12 (41%)" in alt
            assert "ก.พ." not in alt  # the future is not counted
        assert _bar_widths(sent) == ["41%", "1%", "33%", "100%", "33%"]
        unit = _alt(chat.text(_user(world), "สรุปปี กองคลัง"))
        assert "เฉพาะกองคลัง" in unit and "• ธ.ค. 2567: 2/2 (100%)" in unit and "รวมทั้งปี ส่งแล้ว 4/8 (50%)" in unit


# -- ค้างส่ง -------------------------------------------------------------------------------------------

def _outbox(session, world, name, kind, status, *, period=None, sequence=1):
    officer = world.officers[name]
    session.add(OutboxMessage(organisation_id=world.org.id, officer_id=officer.id, period=period or _period(),
                              kind=kind, sequence=sequence, recipient=officer.line_user_id, status=status))


def test_pending_lists_people_by_unit_with_reminder_counts(chat, session, world):
    _save(session, world, SOMCHAI, "1", "done", percent=100)
    earlier = add_months(_period(), -1)
    _outbox(session, world, SOMYING, "reminder", "delivered")
    _outbox(session, world, SOMYING, "nudge", "delivered")
    _outbox(session, world, SOMYING, "nudge", "pending", sequence=2)  # not sent yet
    _outbox(session, world, SOMYING, "reminder", "delivered", period=earlier)  # another month
    _outbox(session, world, SOMYING, "digest", "delivered")  # not a reminder
    _outbox(session, world, SOMCHAI, "reminder", "delivered")
    session.commit()
    sent = chat.text(_user(world), "ค้างส่ง")
    assert sent.text.startswith("ยังไม่ส่งรายงานรอบเดือน") and ": 2 หน่วยงาน/ผู้รับผิดชอบ 3 รายการ" in sent.text
    lines = sent.text.splitlines()
    start = lines.index("• กองคลัง: 1 มาตรการ (3)")
    assert lines[start:start + 4] == [
        "• กองคลัง: 1 มาตรการ (3)",
        "   ผู้รายงานได้: สมชาย ใจดี · เตือนแล้ว 1 ครั้ง",
        "• สำนักปลัด: 2 มาตรการ (2, 3)",
        "   ผู้รายงานได้: สมหญิง รักงาน · เตือนแล้ว 2 ครั้ง",
    ]
    assert BOSS not in sent.text  # the ปลัด owes nothing through his unit
    assert chat.text(_user(world), "pending").text == sent.text


def test_pending_when_everyone_reported(chat, session, world):
    for name, refs in ((SOMCHAI, "13"), (SOMYING, "23")):
        for ref in refs:
            _save(session, world, name, ref, "done", percent=100)
    assert "ส่งรายงานรอบเดือน" in chat.text(_user(world), "pending").text
    assert "ครบทุกมาตรการแล้ว" in chat.text(_user(world), "ค้างส่ง").text


# -- มาตรการ -----------------------------------------------------------------------------------------------

def test_measure_details_with_history_and_evidence(chat, session, world):
    measure = world.measures["1"]
    measure.steps = "1. รวบรวมประกาศ 2. เผยแพร่บนเว็บไซต์ " + "รายละเอียด " * 80
    session.add(measure)
    session.commit()
    earlier = add_months(_period(), -1)
    old = _save(session, world, SOMCHAI, "1", "in_progress", percent=50, period=earlier)
    _save(session, world, SOMCHAI, "1", "in_progress", percent=70)
    latest = _save(session, world, SOMCHAI, "1", "done", percent=100)
    somchai = world.officers[SOMCHAI]
    for version, count in ((old, 1), (latest, 2)):
        for n in range(count):
            session.add(Evidence(organisation_id=world.org.id, officer_id=somchai.id, report_version_id=version.id,
                                 sha256=f"{version.id:02d}{n}".ljust(64, "a"), stored_path=f"aa/{version.id}-{n}.jpg"))
    session.commit()
    sent = chat.text(_user(world), "มาตรการ 1")
    body = sent.text
    assert body.startswith("มาตรการ 1 (ปีงบประมาณ")
    assert "เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์" in body
    assert "ขั้นตอน: 1. รวบรวมประกาศ 2. เผยแพร่บนเว็บไซต์" in body and "…" in body  # steps shortened
    assert "ผู้รับผิดชอบตามแผน: กองคลัง" in body and "รอบรายงาน: รายเดือน" in body
    # stored as whole months: said as months, never as "1 ต.ค. – 1 ก.ย." (the end is the whole of ก.ย.)
    assert "ระยะเวลา: ต.ค. " in body and "– ก.ย. " in body and "1 ก.ย." not in body
    assert "เจ้าหน้าที่ที่รับผิดชอบ (1 คน): สมชาย ใจดี (กองคลัง)" in body
    history = body[body.index("ประวัติการรายงาน:"):].splitlines()
    assert history[1:5] == [
        _month(_period()),
        "  • สมชาย ใจดี: ดำเนินการแล้ว 100% (2 ฉบับ หลักฐาน 2 ไฟล์)",
        _month(earlier),
        "  • สมชาย ใจดี: อยู่ระหว่างดำเนินการ 50% (1 ฉบับ หลักฐาน 1 ไฟล์)",
    ]
    assert "ยังไม่มีการรายงาน" in chat.text(_user(world), "measure 2").text
    assert "ไม่พบมาตรการเลข 9" in chat.text(_user(world), "มาตรการ 9").text
    listing = chat.text(_user(world), "มาตรการ")
    assert "• 1 เปิดเผยข้อมูล" in listing.text and len(listing.quick_replies()) == 3


def _month(period: date) -> str:
    from ita.thai import format_month

    return format_month(period)


# -- กราฟ --------------------------------------------------------------------------------------------------

def test_chart_is_pushed_as_an_image_served_from_files(chat, session, world, line, client):
    _report_through_chat(chat, world)
    boss = _user(world)
    sent = chat.text(boss, "กราฟ")
    assert sent.text == texts.CHART_COMING and sent.kinds == ["reply"]

    def image_pushed(fake):
        return any(m.get("type") == "image" for m in fake.messages_to(boss))

    assert line.wait_for(image_pushed, timeout=60), line.messages_to(boss)
    image = next(m for m in line.messages_to(boss) if m.get("type") == "image")
    for key in ("originalContentUrl", "previewImageUrl"):
        url = urlparse(image[key])
        assert image[key].startswith("https://tidtam.example/files/")
        response = client.get(url.path)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data.startswith(PNG_MAGIC)
    assert image["originalContentUrl"] != image["previewImageUrl"]
    assert client.get("/files/" + "x" * 40).status_code == 404


# -- who may ask, and where -----------------------------------------------------------------------------------

def test_officers_are_told_politely_it_is_for_supervisors(chat, world, line):
    for asked in ("สรุป", "สรุปปี", "ค้างส่ง", "มาตรการ 1", "กราฟ", "summary", "pending", "chart"):
        assert chat.text(_user(world, SOMCHAI), asked).text == texts.SUPERVISOR_ONLY, asked
    assert line.pushes() == []


def test_strangers_are_asked_to_register(chat, world):
    assert "ยังไม่ได้ลงทะเบียน" in chat.text("Ustranger", "สรุป").text


def test_group_not_set_up_is_refused(chat, world):
    sent = chat.text(_user(world), "สรุป", group_id="Gnone")
    assert sent.text == texts.GROUP_NOT_SET_UP
    assert chat.text(_user(world), "ค้างส่ง", group_id="Gnone").text == texts.GROUP_NOT_SET_UP


def test_group_set_up_shows_counts_only(chat, session, world, line):
    _report_through_chat(chat, world)
    _save(session, world, SOMYING, "2", "blocked", percent=20, summary="รองบประมาณจากกองคลัง")
    boss, somchai = _user(world), _user(world, SOMCHAI)
    assert chat.text(somchai, "ตั้งกลุ่มรายงาน", group_id="Gteam").text == texts.SUPERVISOR_ONLY
    assert chat.text(boss, "ตั้งกลุ่มรายงาน", group_id="Gteam").text == texts.GROUP_SET_UP
    names = [BOSS, SOMCHAI, SOMYING, "สมชาย", "สมหญิง"]
    free_text = ["เผยแพร่ประกาศจัดซื้อครบทุกรายการ", "รองบประมาณจากกองคลัง"]
    # Anyone in a set-up group may ask, even an officer or someone not registered.
    for user in (somchai, "Ugroupmember", None):
        summary = chat.text(user, "สรุป", group_id="Gteam")
        assert "ส่งรายงานแล้ว 2/3 (66%)" in _alt(summary) and "• สำนักปลัด 1/2 (50%)" in _alt(summary)
        assert "กราฟ" not in [a["label"] for a in summary.quick_replies()]
    for asked in ("สรุป 2", "สรุป 1", "สรุป สำนักปลัด", "สรุปปี", "ค้างส่ง"):
        sent = chat.text(somchai, asked, group_id="Gteam")
        assert sent.messages, asked
        everything = _everything(sent)
        for word in names + free_text:
            assert word not in everything, (asked, word)
    pending = chat.text(somchai, "ค้างส่ง", group_id="Gteam")
    assert "• สำนักปลัด: 1 มาตรการ (3) · เตือนแล้ว 0 ครั้ง" in pending.text
    assert "• กองคลัง:" not in pending.text  # สมชาย has reported everything
    assert "เฉพาะมาตรการ 2" in _alt(chat.text(somchai, "สรุป 2", group_id="Gteam"))
    assert chat.text(boss, "มาตรการ 1", group_id="Gteam").text == texts.GROUP_NOT_ALLOWED
    assert chat.text(boss, "กราฟ", group_id="Gteam").text == texts.GROUP_NOT_ALLOWED
    assert all(m.get("type") != "image" for m in line.messages_to("Gteam"))


def test_each_chat_sees_its_own_organisation_only(chat, session, world):
    other = make_world(session, name="เทศบาลตำบลอื่น")
    _report_through_chat(chat, world)
    alt = _alt(chat.text(_user(other), "สรุป"))
    assert "เทศบาลตำบลอื่น" in alt and "ส่งรายงานแล้ว 0/3 (0%)" in alt
    assert "ส่งรายงานแล้ว 1/3 (33%)" in _alt(chat.text(_user(world), "สรุป"))
    # A group set up by the other organisation's supervisor shows that organisation, whoever asks.
    chat.text(_user(other), "ตั้งกลุ่มรายงาน", group_id="Gother")
    assert "ส่งรายงานแล้ว 0/3 (0%)" in _alt(chat.text(_user(world), "สรุป", group_id="Gother"))
    assert "ไม่พบมาตรการเลข" not in chat.text(_user(other), "มาตรการ 1").text


def test_big_organisation_answers_stay_within_line_limits(chat, session):
    units = [f"กองทดสอบที่ {i} ฝ่ายงานบริหารทั่วไปและงานสนับสนุน" for i in range(1, 15)]
    officers = [(f"เจ้าหน้าที่ทดสอบ ลำดับที่ {u}-{n} นามสกุลยาวมาก", unit, "officer")
                for u, unit in enumerate(units, start=1) for n in range(1, 5)]
    officers.append(("หัวหน้า ทดสอบ", units[0], "supervisor"))
    measures = [(str(i), f"มาตรการทดสอบที่ {i} " + "ก" * 200, "ทุกส่วนราชการ" if i % 3 == 0 else units[i % 14])
                for i in range(1, 31)]
    world = make_world(session, officers=officers, measures=measures)
    boss = _user(world, "หัวหน้า ทดสอบ")
    first = world.officers[officers[0][0]]
    _save(session, world, officers[0][0], "3", "done", percent=100, summary="ข" * 900)
    for asked in ("สรุป", "สรุป 3", "สรุปปี", "ค้างส่ง", "มาตรการ 3", "มาตรการ", "สรุป กองทดสอบที่ 3"):
        sent = chat.text(boss, asked)
        assert sent.kinds == ["reply"], asked  # the fake LINE answers 400 to anything over a limit
        for message in sent.messages:
            if message["type"] == "flex":
                assert len(message["altText"]) <= 1500
                assert len(json.dumps(message["contents"], ensure_ascii=False).encode()) <= 30_000
            else:
                assert len(message["text"]) <= 5000
    assert first.name in _alt(chat.text(boss, "สรุป 3"))  # who reported the unit's share


# -- plain functions ---------------------------------------------------------------------------------------------

def test_deadline_sentences():
    deadline = date(2024, 11, 10)
    assert deadline_text(date(2024, 11, 7), deadline) == ("อีก 3 วันถึงกำหนดส่ง (10 พ.ย. 2567)", False)
    assert deadline_text(date(2024, 11, 10), deadline) == ("ครบกำหนดส่งวันนี้ (10 พ.ย. 2567)", False)
    assert deadline_text(date(2024, 11, 21), deadline) == ("เลยกำหนดส่ง 11 วัน (10 พ.ย. 2567)", True)


def test_measure_status_rule_and_completion():
    assert combine_statuses([None, None]) == NO_REPORT
    assert combine_statuses(["done", "done"]) == "done"
    assert combine_statuses(["done", None]) == "in_progress"
    assert combine_statuses(["done", "blocked"]) == "blocked"
    assert combine_statuses(["not_started", None]) == "not_started"
    assert combine_statuses(["not_started", "in_progress"]) == "in_progress"
    assert (completion(199, 200), completion(1, 3), completion(0, 0), completion(6, 6)) == (99, 33, 0, 100)


def test_fit_lines_drops_items_and_says_how_many():
    body = fit_lines(["head"], [f"item {i}" for i in range(100)], ["tail"], limit=60, more="…และอีก {count} รายการ")
    assert len(body) <= 60 and body.startswith("head\nitem 0") and body.endswith("รายการ\ntail")
    dropped = int(body.split("…และอีก ")[1].split()[0])
    assert dropped == 100 - body.count("item ")


def test_chart_falls_back_to_ascii_labels_without_a_thai_font(tmp_path):
    chart = ProgressChart("อบต.ทดสอบ", [UnitBar("กองคลัง", 100, 75.5), UnitBar("สำนักปลัด", None, 10)],
                          [(date(2024, 10, 1), 50.0), (date(2024, 11, 1), None)], ascii_title="Progress")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns; ASCII labels must not
        result = draw_progress_chart(chart, tmp_path / "c.png", text=ASCII_TEXT, preview_path=tmp_path / "p.png",
                                     use_thai=False)
    assert result.thai is False
    assert (tmp_path / "c.png").read_bytes().startswith(PNG_MAGIC)
    assert (tmp_path / "p.png").stat().st_size < (tmp_path / "c.png").stat().st_size
    assert romanise("กองคลัง").isascii() and romanise("กองคลัง") != "?"


def test_thai_font_is_found_and_used_when_present(tmp_path):
    path = thai_font_path()
    if path is None:
        pytest.skip("no Thai font on this machine (install fonts-thai-tlwg); the ASCII fallback is tested above")
    from matplotlib.ft2font import FT2Font

    assert 0x0E01 in FT2Font(path).get_charmap() and "LastResort" not in path
    chart = ProgressChart("อบต.ทดสอบ", [UnitBar("กองคลัง", 100, 75)], [(date(2024, 10, 1), 50.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = draw_progress_chart(chart, tmp_path / "c.png", text=ASCII_TEXT)
    assert result.thai is True and Path(result.path).read_bytes().startswith(PNG_MAGIC)


def test_inactive_officers_are_not_due(session, world):
    """An inactive officer's assignments are not due (checked directly on the query)."""
    from models.summaries import period_progress

    somying = session.get(Officer, world.officers[SOMYING].id)
    somying.active = False
    session.add(somying)
    session.commit()
    progress = period_progress(session, organisation_id=world.org.id, period=_period())
    # สำนักปลัด has no active officer left to owe measure 2; กองคลัง still owes 1 and 3.
    assert (progress.total.reported, progress.total.due) == (0, 2)


# -- the unit of progress: who owes what -------------------------------------------------------------------------

def test_a_units_measure_is_owed_once_by_the_unit_and_never_by_its_supervisor(session):
    from models.plan import Assignment
    from models.reports import reporting_snapshot

    world = make_world(session, officers=[(SOMCHAI, "กองคลัง", "officer"), ("สมปอง ขยัน", "กองคลัง", "officer"),
                                          (BOSS, "กองคลัง", "supervisor")],
                       measures=[("1", "เปิดเผยข้อมูล", "กองคลัง"), ("2", "คู่มือ", "กองคลัง")])
    snapshot = reporting_snapshot(session, organisation_id=world.org.id, period=_period())
    assert snapshot.due(world.officers[BOSS].id) == []  # the ปลัด is neither reminded nor nudged
    assert len(snapshot.pending(world.officers["สมปอง ขยัน"].id)) == 2
    _save(session, world, SOMCHAI, "1", "done", percent=100)
    snapshot = reporting_snapshot(session, organisation_id=world.org.id, period=_period())
    # สมชาย's report covers the unit: his colleague is not reminded of measure 1 again.
    assert [m.ref for m in snapshot.pending(world.officers["สมปอง ขยัน"].id)] == ["2"]
    assert snapshot.statuses[world.officers["สมปอง ขยัน"].id][world.measures["1"].id] == ("done", 100)
    # An admin's hand-made assignment names the supervisor: then he owes it too.
    session.exec(sa_update_source(Assignment, world.measures["2"].id, world.officers[BOSS].id))
    session.commit()
    snapshot = reporting_snapshot(session, organisation_id=world.org.id, period=_period())
    assert [m.ref for m in snapshot.due(world.officers[BOSS].id)] == ["2"]


def sa_update_source(assignment, measure_id, officer_id):
    import sqlalchemy as sa

    return sa.update(assignment).where(assignment.measure_id == measure_id,
                                       assignment.officer_id == officer_id).values(source="manual")


def test_one_denominator_across_summary_year_pending_and_chart(chat, session):
    from handlers.summaries import chart_data
    from models.summaries import pending_parties, period_progress, year_progress

    world = make_world(session, officers=[(SOMCHAI, "กองคลัง", "officer"), ("สมปอง ขยัน", "กองคลัง", "officer"),
                                          (SOMYING, "สำนักปลัด", "officer"), (BOSS, "สำนักปลัด", "supervisor")])
    _save(session, world, SOMCHAI, "1", "done", percent=100)
    _save(session, world, "สมปอง ขยัน", "1", "done", percent=100)  # a second report on the same measure
    period, org = _period(), world.org.id
    progress = period_progress(session, organisation_id=org, period=period)
    year = year_progress(session, organisation_id=org, period=period)
    pending, due = pending_parties(session, organisation_id=org, period=period)
    assert (progress.total.reported, progress.total.due) == (1, 3)  # 3 measures due, one of them complete
    assert year.months[-1][1] == progress.total and due == progress.total.due
    assert "ส่งรายงานแล้ว 1/3 (33%)" in _alt(chat.text(_user(world), "สรุป"))
    assert "มาตรการที่ครบกำหนด 3 รายการ" in _alt(chat.text(_user(world), "สรุป"))
    units = {bar.name: bar.period_percent for bar in chart_data(year, world.org.name).units}
    assert units == {"กองคลัง": 50, "สำนักปลัด": 0}
    assert BOSS not in {name for p in pending for name in p.names}


def test_filters_work_the_same_on_every_supervisor_command(chat, session):
    with time_machine.travel(datetime(2025, 1, 15, 3, 0, tzinfo=UTC), tick=True):
        world = make_world(session, officers=[(SOMCHAI, "กองคลัง", "officer"), ("ช่าง ซ่อมดี", "กองช่าง", "officer"),
                                              (BOSS, "สำนักปลัด", "supervisor")],
                           measures=[("1", "เปิดเผยข้อมูล", "กองคลัง"), ("2", "ซ่อมถนน", "กองช่าง")])
        _save(session, world, SOMCHAI, "1", "done", percent=100, period=date(2024, 12, 1))
        boss = _user(world)
        pending = chat.text(boss, "ค้างส่ง กองช่าง").text
        assert "กองช่าง" in pending and "กองคลัง" not in pending and "เฉพาะกองช่าง" in pending
        december = _alt(chat.text(boss, "สรุป ธันวาคม"))
        assert "รอบเดือนธันวาคม 2567" in december and "ส่งรายงานแล้ว 1/2 (50%)" in december
        assert "ไม่พบหน่วยงาน" not in december
        both = _alt(chat.text(boss, "สรุป ธ.ค. กองคลัง"))
        assert "รอบเดือนธันวาคม 2567" in both and "เฉพาะกองคลัง" in both and "1/1 (100%)" in both
        in_december = chat.text(boss, "ค้างส่ง เดือนธันวาคม").text
        assert "รอบเดือนธันวาคม 2567" in in_december and "• กองช่าง: 1 มาตรการ (2)" in in_december
        assert "เฉพาะมาตรการ 2" in chat.text(boss, "ค้างส่ง มาตรการ 2").text
        year = _alt(chat.text(boss, "สรุปปี กองช่าง"))
        assert "เฉพาะกองช่าง" in year and "รวมทั้งปี ส่งแล้ว 0/4 (0%)" in year
