"""Linking LINE accounts through the webhook: codes, refusals, follow and unfollow."""
from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlmodel import select

from models import Officer, RegistrationCode, utcnow
from tests.factories import code_for, make_world


def _officer(session, officer_id):
    session.expire_all()
    return session.get(Officer, officer_id)


def test_register_links_greets_and_lists_measures(chat, session):
    world = make_world(session, link=False)
    somchai = world.officers["สมชาย ใจดี"]
    code = code_for(session, somchai)
    sent = chat.text("U-new", f"ลงทะเบียน {code}")
    assert "ลงทะเบียนเรียบร้อย" in sent.text and "สมชาย ใจดี" in sent.text
    assert "เปิดเผยข้อมูลการจัดซื้อจัดจ้าง" in sent.text  # his unit's measure
    assert "จัดทำคู่มือ" in sent.text  # everyone's measure
    assert "ประชุมชี้แจง" not in sent.text  # another unit's
    assert _officer(session, somchai.id).line_user_id == "U-new"


def test_register_accepts_lowercase_spaces_and_english(chat, session):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมหญิง รักงาน"])
    spaced = f"{code[:4].lower()} {code[4:].lower()}"
    sent = chat.text("U-en", f"register {spaced}")
    assert "ลงทะเบียนเรียบร้อย" in sent.text


def test_wrong_code_then_lock_after_five_tries(chat, session):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    for left in (4, 3, 2, 1):
        assert f"เหลือ {left} ครั้ง" in chat.text("U-brute", "ลงทะเบียน AAAAAAAA").text
    assert "รอ 60 นาที" in chat.text("U-brute", "ลงทะเบียน AAAAAAAA").text
    # Even the right code is refused while locked.
    assert "ลองรหัสผิดหลายครั้ง" in chat.text("U-brute", f"ลงทะเบียน {code}").text
    assert _officer(session, world.officers["สมชาย ใจดี"].id).line_user_id is None
    with time_machine.travel(utcnow() + timedelta(minutes=61)):
        assert "ลงทะเบียนเรียบร้อย" in chat.text("U-brute", f"ลงทะเบียน {code}").text


def test_expired_code(chat, session):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    with time_machine.travel(utcnow() + timedelta(days=15)):
        assert "หมดอายุ" in chat.text("U-late", f"ลงทะเบียน {code}").text


def test_used_code(chat, session):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    chat.text("U-first", f"ลงทะเบียน {code}")
    assert "ถูกใช้ไปแล้ว" in chat.text("U-second", f"ลงทะเบียน {code}").text


def test_new_code_replaces_old_one(chat, session):
    world = make_world(session, link=False)
    officer = world.officers["สมชาย ใจดี"]
    old = code_for(session, officer)
    new = code_for(session, officer)
    assert "หมดอายุ" in chat.text("U-x", f"ลงทะเบียน {old}").text
    assert "ลงทะเบียนเรียบร้อย" in chat.text("U-x", f"ลงทะเบียน {new}").text


def test_already_registered_account(chat, session):
    world = make_world(session)
    code = code_for(session, world.officers["สมหญิง รักงาน"])
    linked_user = world.officers["สมชาย ใจดี"].line_user_id
    sent = chat.text(linked_user, f"ลงทะเบียน {code}")
    assert "ลงทะเบียนแล้ว" in sent.text and "สมชาย ใจดี" in sent.text


def test_code_without_argument_and_in_group(chat, session):
    make_world(session, link=False)
    assert "กรุณาพิมพ์รหัส" in chat.text("U-y", "ลงทะเบียน").text
    assert "แชทส่วนตัว" in chat.text("U-y", "ลงทะเบียน ABCDEFGH", group_id="G1").text


def test_unregistered_user_gets_instructions(chat, session):
    make_world(session, link=False)
    sent = chat.text("U-who", "สวัสดีครับ")
    assert "ยังไม่ได้ลงทะเบียน" in sent.text and "ลงทะเบียน" in sent.text


def test_follow_unfollow_refollow(chat, session):
    world = make_world(session)
    somchai = world.officers["สมชาย ใจดี"]
    assert "ยินดีต้อนรับ" in chat.follow("U-stranger").text
    assert chat.unfollow(somchai.line_user_id).messages == []
    assert _officer(session, somchai.id).reachable is False
    assert session.exec(select(Officer).where(Officer.id == somchai.id)).one()  # nothing deleted
    back = chat.follow(somchai.line_user_id, unblocked=True)
    assert "ยินดีต้อนรับกลับ" in back.text
    assert _officer(session, somchai.id).reachable is True


def test_codes_are_eight_readable_characters(session):
    world = make_world(session, link=False)
    code = code_for(session, world.officers["สมชาย ใจดี"])
    assert len(code) == 8 and not set(code) & set("01OIL")
    row = session.exec(select(RegistrationCode).where(RegistrationCode.code == code)).one()
    assert timedelta(days=13, hours=23) < row.expires_at - utcnow() <= timedelta(days=14)
