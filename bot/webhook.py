"""HTTP views: the LINE webhook (/callback) and the health check (/healthz).

The webhook view is thin: verify the signature over the raw body, store the
events (inbox.store), answer 200. Handler threads answer the users afterwards
(inbox.dispatch); business logic lives in handlers/.
"""
from __future__ import annotations

import json
import logging

from flask import Blueprint, abort, current_app, jsonify, request
from linebot.v3 import SignatureValidator
from sqlalchemy.exc import SQLAlchemyError

from inbox.claims import events_waiting
from inbox.intake import StoreFailed
from inbox.store import store_events
from models import database_ok

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def _services():
    return current_app.extensions["tidtam"]


@bp.post("/callback")
def callback():
    services = _services()
    if (request.content_length or 0) > services.settings.max_body_bytes:
        abort(413)
    body = request.get_data(as_text=True)  # raw text: re-serialised JSON breaks the signature
    signature = request.headers.get("x-line-signature", "")
    if not signature or not SignatureValidator(services.settings.channel_secret).validate(body, signature):
        log.warning("webhook: rejected a request with a missing or wrong signature")
        return jsonify(error="invalid signature"), 400
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        return jsonify(error="body is not JSON"), 400
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return jsonify(error="no events list"), 400
    raws = [event for event in events if isinstance(event, dict)]
    if len(raws) < len(events):
        log.warning("webhook: skipped %d event(s) that are not objects", len(events) - len(raws))
    try:
        stored = store_events(services.engine, raws, intake=services.intake)
    except (SQLAlchemyError, StoreFailed):
        # Nothing was stored (one transaction): LINE redelivers the batch.
        return jsonify(error="database unavailable"), 503
    if services.chats is not None:  # this process handles what it stores (EVENT_HANDLERS=web)
        for chat in stored.chats:
            services.chats.submit(chat)
    return jsonify(status="ok", accepted=len(raws), stored=stored.new_events)


@bp.get("/healthz")
def healthz():
    services = _services()
    ok, detail = database_ok(services.engine)
    if not ok:
        return jsonify(status="unavailable", database=detail), 503
    # Events stored but not yet taken by a handler: a backlog that keeps growing means
    # the handlers (EVENT_HANDLERS, HANDLER_THREADS, worker processes) cannot keep up.
    return jsonify(status="ok", database=detail, waiting=events_waiting(services.engine))
