"""People (/console/people): officers, their units and roles, leave, staff import and registration cards.

The same model functions as the CLI: models.people.upsert_officer and
refresh_assignments, models.registration.issue_code, models.plan.resolve_unit.
A role change of someone else ends their console session on their next click
(models.console checks the role on every request) and moves their rich menu.
"""
from __future__ import annotations

import threading
from urllib.parse import quote

import segno
from flask import flash, g, redirect, render_template, request, url_for
from sqlmodel import select

from bot.console import forms, imports
from bot.console.blueprint import (
    UPLOAD_MAX_BYTES,
    admin_only,
    bp,
    changed_fields,
    db,
    owned,
    record,
    services,
    show_recent_audit,
    visitor,
)
from line import texts
from line.richmenus import BotInfo, LineChannel, LineSetupError, link_menu_task
from models import Officer, RegistrationCode, Role, Unit
from models.people import refresh_assignments, upsert_officer
from models.plan import Assignment, resolve_unit
from models.registration import issue_code

ROLE_VALUES = [r.value for r in Role]
_bot_info: dict[str, BotInfo] = {}  # per channel: a bot's basic ID does not change while the process runs
_bot_info_lock = threading.Lock()


def bot_info() -> BotInfo | None:
    """The channel's bot info (its basic ID for LINE links), or None when LINE cannot be reached."""
    line = services().line
    key = f"{line.config.api_base_url}|{line.config.access_token}"
    with _bot_info_lock:
        if key not in _bot_info:
            try:
                _bot_info[key] = LineChannel.from_client(line).bot_info()
            except LineSetupError:
                return None
        return _bot_info[key]


def register_link(basic_id: str, code: str) -> str:
    """LINE's link that opens the bot's chat with ``ลงทะเบียน CODE`` already typed."""
    return f"https://line.me/R/oaMessage/{quote(basic_id, safe='@')}/?{quote('ลงทะเบียน ' + code)}"


def _units(org_id: int) -> list[Unit]:
    return list(db().exec(select(Unit).where(Unit.organisation_id == org_id).order_by(Unit.name)))


@bp.get("/people")
def people():
    org_id = visitor().organisation_id
    officers = list(db().exec(select(Officer).where(Officer.organisation_id == org_id)
                              .order_by(Officer.active.desc(), Officer.name)))
    units = {u.id: u.name for u in _units(org_id)}
    counts: dict[int, int] = {}
    for officer_id in db().exec(select(Assignment.officer_id).where(Assignment.organisation_id == org_id,
                                                                    Assignment.active)).all():
        counts[officer_id] = counts.get(officer_id, 0) + 1
    show_recent_audit("people.")
    return render_template("console/people.html", officers=officers, units=units, counts=counts,
                           unit_names=sorted(units.values()), today=g.now.astimezone(services().settings.tz).date(),
                           max_bytes=UPLOAD_MAX_BYTES, suffixes=imports.STAFF_SUFFIXES)


@bp.post("/people/add")
@admin_only
def people_add():
    org_id = visitor().organisation_id
    form = request.form
    name, unit = " ".join(form.get("name", "").split()), " ".join(form.get("unit", "").split())
    role = form.get("role", Role.OFFICER.value)
    if not name or not unit:
        flash(texts.CONSOLE_OFFICER_NAME_NEEDED, "error")
        return redirect(url_for("console.people"))
    if role not in ROLE_VALUES:
        flash(texts.CONSOLE_BAD_ROLE, "error")
        return redirect(url_for("console.people"))
    session = db()
    if session.exec(select(Officer).where(Officer.organisation_id == org_id, Officer.name == name)).first():
        flash(texts.CONSOLE_OFFICER_NAME_TAKEN, "error")
        return redirect(url_for("console.people"))
    result = upsert_officer(session, organisation_id=org_id, name=name, unit=unit, role=role,
                            position=form.get("position", "").strip() or None,
                            phone=form.get("phone", "").strip() or None, now=g.now)
    assigned = refresh_assignments(session, organisation_id=org_id, now=g.now)
    code = issue_code(session, result.officer, now=g.now)
    record("people.add", f"เพิ่มเจ้าหน้าที่ {name}", unit=unit, role=role, assignments=assigned)
    session.commit()
    flash(texts.CONSOLE_OFFICER_ADDED.format(name=name, code=code.code))
    return redirect(url_for("console.people"))


@bp.get("/people/<int:officer_id>")
def officer(officer_id: int):
    person = owned(Officer, officer_id)
    units = _units(person.organisation_id)
    unit_name = next((u.name for u in units if u.id == person.unit_id), "")
    code = _valid_code(person)
    show_recent_audit("people.")
    return render_template("console/officer.html", person=person, unit_name=unit_name,
                           unit_names=[u.name for u in units], code=code)


@bp.post("/people/<int:officer_id>")
@admin_only
def officer_save(officer_id: int):
    session = db()
    person = owned(Officer, officer_id)
    form = request.form
    role = form.get("role", person.role)
    active = bool(form.get("active"))
    if role not in ROLE_VALUES:
        flash(texts.CONSOLE_BAD_ROLE, "error")
        return redirect(url_for("console.officer", officer_id=person.id))
    if person.id == visitor().officer_id and (role != person.role or not active):
        flash(texts.CONSOLE_NOT_YOURSELF, "error")
        return redirect(url_for("console.officer", officer_id=person.id))
    try:
        leave_start, leave_end = forms.day(form.get("leave_start")), forms.day(form.get("leave_end"))
        if leave_end and (leave_start is None or leave_end < leave_start):
            raise forms.FormError(texts.CONSOLE_BAD_LEAVE)
    except forms.FormError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.officer", officer_id=person.id))
    unit_text = " ".join(form.get("unit", "").split())
    before = {"unit_id": person.unit_id, "role": person.role, "position": person.position, "phone": person.phone,
              "active": person.active, "leave": [str(person.leave_start), str(person.leave_end)]}
    person.unit_id = resolve_unit(session, person.organisation_id, unit_text).id if unit_text else None
    person.position = form.get("position", "").strip() or None
    person.phone = form.get("phone", "").strip() or None
    person.role, person.active = role, active
    person.leave_start, person.leave_end = leave_start, leave_end
    session.add(person)
    session.flush()
    assigned = refresh_assignments(session, organisation_id=person.organisation_id, now=g.now)
    after = {"unit_id": person.unit_id, "role": person.role, "position": person.position, "phone": person.phone,
             "active": person.active, "leave": [str(person.leave_start), str(person.leave_end)]}
    changed = changed_fields(before, after)
    record("people.edit", f"แก้ไขข้อมูล {person.name}", changes=changed, assignments=assigned)
    session.commit()
    if "role" in changed and person.line_user_id and person.active and services().tasks is not None:
        services().tasks.submit(link_menu_task, services().line, person.line_user_id, person.role)
    flash(texts.CONSOLE_OFFICER_SAVED.format(name=person.name))
    return redirect(url_for("console.officer", officer_id=person.id))


@bp.post("/people/<int:officer_id>/code")
@admin_only
def officer_code(officer_id: int):
    session = db()
    person = owned(Officer, officer_id)
    code = issue_code(session, person, now=g.now)
    record("people.code", f"ออกรหัสลงทะเบียนใหม่ให้ {person.name}")
    session.commit()
    flash(f"{person.name}: ลงทะเบียน {code.code}")
    return redirect(url_for("console.officer", officer_id=person.id))


def _valid_code(person: Officer) -> RegistrationCode | None:
    return db().exec(select(RegistrationCode).where(
        RegistrationCode.officer_id == person.id, RegistrationCode.used_at.is_(None),
        RegistrationCode.expires_at > g.now).order_by(RegistrationCode.id.desc())).first()


@bp.post("/people/cards")
@admin_only
def people_cards():
    """A printable A4 sheet: one card per active officer not yet registered, with a QR code and the code."""
    session = db()
    org_id = visitor().organisation_id
    waiting = list(session.exec(select(Officer).where(Officer.organisation_id == org_id, Officer.active,
                                                      Officer.line_user_id.is_(None)).order_by(Officer.name)))
    info = bot_info()
    units = {u.id: u.name for u in _units(org_id)}
    cards, issued = [], []
    for person in waiting:
        code = _valid_code(person)  # a card printed earlier keeps working
        if code is None:
            code = issue_code(session, person, now=g.now)
            issued.append(person.name)
        qr = None
        if info is not None:
            qr = segno.make(register_link(info.basic_id, code.code), error="m").svg_inline(scale=4, border=2)
        cards.append({"name": person.name, "unit": units.get(person.unit_id, ""), "code": code.code, "qr": qr,
                      "expires": code.expires_at})
    if waiting:
        record("people.cards", f"พิมพ์บัตรลงทะเบียน {len(waiting)} ใบ", new_codes=issued)
    session.commit()
    return render_template("console/cards.html", cards=cards, info=info)


@bp.post("/people/import/preview")
@admin_only
def people_import_preview():
    data, name = forms.upload("file", imports.STAFF_SUFFIXES)
    try:
        rows, warnings = imports.read_staff_upload(data, name)
    except imports.UploadError as exc:
        flash(texts.CONSOLE_FILE_UNREADABLE.format(reason=exc.message.th()), "error")
        return redirect(url_for("console.people"))
    org_id = visitor().organisation_id
    known = set(db().exec(select(Officer.name).where(Officer.organisation_id == org_id)).all())
    sealed = forms.sealed("staff", {"rows": [imports.staff_to_json(r) for r in rows], "file": name})
    return render_template("console/people_preview.html", rows=rows, warnings=[w.th() for w in warnings],
                           known=known, sealed=sealed, file=name)


@bp.post("/people/import")
@admin_only
def people_import():
    org_id = visitor().organisation_id
    payload = forms.unsealed("staff", "sealed")
    session = db()
    created = changed = 0
    for row in (imports.staff_from_json(r) for r in payload["rows"]):
        result = upsert_officer(session, organisation_id=org_id, name=row.name, unit=row.unit or None,
                                role=row.role, position=row.position, phone=row.phone, now=g.now)
        if result.created:
            created += 1
            issue_code(session, result.officer, now=g.now)
        elif result.changed:
            changed += 1
    assigned = refresh_assignments(session, organisation_id=org_id, now=g.now)
    record("people.import", f"นำเข้ารายชื่อจาก {payload.get('file', '')}", created=created, changed=changed,
           assignments=assigned)
    session.commit()
    flash(texts.CONSOLE_STAFF_IMPORTED.format(created=created, changed=changed, assigned=assigned))
    return redirect(url_for("console.people"))
