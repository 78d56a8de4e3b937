"""The development chat simulator at /simulator: try Tidtam with no LINE account.

Each action in the page becomes a properly signed webhook event posted to
/callback over HTTP, exactly as LINE would post it; what the bot sends is
read back from the fake LINE API (devkit/fake_line.py) that the development
set-up runs in its own process. Only the development app (devkit.app) has it.
"""
from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from sqlmodel import Session, select

from devkit.demo import UNREGISTERED_USER
from devkit.event_builder import base_event, body_of, media_message, new_message_id, sign, text_message
from models import Officer, Unit, utcnow
from models.registration import issue_code
from outbox.delivery import deliver
from outbox.lock import clock_lock
from outbox.planning import reconcile

log = logging.getLogger(__name__)
bp = Blueprint("simulator", __name__, template_folder="templates", static_folder="static",
               static_url_path="/simulator/static")
MAX_UPLOAD = 10 * 1024 * 1024


def _services():
    return current_app.extensions["tidtam"]


def _fake(path: str, *, data: bytes | None = None, content_type: str = "application/json") -> dict[str, Any]:
    """Call the fake LINE server's control endpoints."""
    url = _services().settings.line_api_base_url.rstrip("/") + path
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                 headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=5) as response:
        return json.loads(response.read() or b"{}")


def _post_events(events: list[dict[str, Any]]) -> int:
    """Sign and POST events to this server's /callback, as LINE does."""
    body = body_of(events)
    signature = sign(_services().settings.channel_secret, body)
    url = request.host_url.rstrip("/") + "/callback"
    req = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json", "x-line-signature": signature})
    try:
        with urllib.request.urlopen(req, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _reply_token(user: str) -> str:
    return _fake("/_fake/reply-token", data=json.dumps({"user": user}).encode())["replyToken"]


@bp.get("/simulator")
def page():
    return render_template("simulator.html")


@bp.get("/simulator/api/personas")
def personas():
    with Session(_services().engine) as session:
        units = {u.id: u.name for u in session.exec(select(Unit))}
        people = [{"user": o.line_user_id, "name": o.name, "role": o.role, "unit": units.get(o.unit_id, ""),
                   "registered": True}
                  for o in session.exec(select(Officer).where(Officer.line_user_id.is_not(None))
                                        .order_by(Officer.role.desc(), Officer.name))]
        unlinked = [{"id": o.id, "name": o.name} for o in session.exec(
            select(Officer).where(Officer.line_user_id.is_(None), Officer.active).order_by(Officer.name))]
    people.append({"user": UNREGISTERED_USER, "name": "ผู้ใช้ใหม่ (ยังไม่ลงทะเบียน)", "role": "", "unit": "",
                   "registered": False})
    return jsonify(personas=people, unlinked=unlinked)


@bp.post("/simulator/api/send")
def send():
    data = request.get_json(silent=True) or {}
    user = str(data.get("user") or "")[:64]
    if not user:
        return jsonify(error="no user"), 400
    token = _reply_token(user)
    if "postback" in data:
        event = base_event("postback", user, reply_token=token)
        event["postback"] = {"data": str(data["postback"])[:300]}
    elif data.get("follow"):
        event = base_event("follow", user, reply_token=token)
        event["follow"] = {"isUnblocked": False}
    else:
        event = base_event("message", user, reply_token=token)
        event["message"] = text_message(str(data.get("text", ""))[:5000])
    return jsonify(status=_post_events([event]))


@bp.post("/simulator/api/upload")
def upload():
    user = str(request.form.get("user") or "")[:64]
    file = request.files.get("file")
    if not user or file is None:
        return jsonify(error="choose a file"), 400
    content = file.read(MAX_UPLOAD + 1)
    message_id = new_message_id()
    _fake(f"/_fake/content?id={message_id}", data=content, content_type=file.mimetype or "image/jpeg")
    kind = "image" if (file.mimetype or "").startswith("image/") else "file"
    event = base_event("message", user, reply_token=_reply_token(user))
    event["message"] = media_message(message_id, kind=kind, file_name=file.filename or "file", size=len(content))
    return jsonify(status=_post_events([event]))


@bp.get("/simulator/api/messages")
def messages():
    user = request.args.get("user", "")
    since = request.args.get("since", "0")
    try:
        data = _fake(f"/_fake/messages?since={int(since)}")
    except (OSError, ValueError):
        return jsonify(error="the fake LINE server is not running"), 503
    items = [item for item in data["items"] if item["to"] == user]
    return jsonify(next=data["next"], items=items)


@bp.post("/simulator/api/remind")
def remind():
    """Run the real reminder path for the current period now (ส่งการแจ้งเตือนตอนนี้)."""

    services = _services()
    with clock_lock(services.engine) as got:
        if not got:
            return jsonify(error="the clock is sending right now; try again"), 409
        plan = reconcile(services, force_reminders=True)
        result = deliver(services)
    return jsonify(enqueued=plan.enqueued, delivered=result.delivered)


@bp.post("/simulator/api/code")
def code():
    """Issue a registration code for an officer not yet linked (what an admin does in the CLI)."""
    data = request.get_json(silent=True) or {}
    with Session(_services().engine) as session:
        officer = session.get(Officer, int(data.get("officer") or 0))
        if officer is None or officer.line_user_id:
            return jsonify(error="choose an officer who is not linked yet"), 400
        row = issue_code(session, officer, now=utcnow())
        session.commit()
        return jsonify(code=row.code, name=officer.name)
