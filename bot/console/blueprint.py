"""The console's blueprint, who is signed in, CSRF, role checks and the Thai error pages.

Every request under /console (except signing in and the static files) loads
the visitor from the server-side session row (models.console): a session
that expired, was signed out, or whose officer changed role or was
deactivated ends there and shows a clear Thai page. Every POST carries the
session's CSRF token. Supervisors read; only admins write.
"""
from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, session, url_for
from sqlmodel import Session
from werkzeug.exceptions import HTTPException

from bot.console.sessions import CONSOLE_PREFIX, ConsoleOnlySessions
from core.services import Services
from line import texts
from models import Organisation, utcnow
from models.console import SESSION_VALID, Visitor, audit, audit_entries, current_visitor

UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # one document; a plan export or a workbook is far smaller
FORM_MAX_BYTES = 4 * 1024 * 1024  # a preview form carries the parsed document back, signed
FORM_MAX_PARTS = 5000  # a preview of a few hundred measures, several cells each
PUBLIC_ENDPOINTS = {"console.sign_in", "console.sign_in_confirm", "console.static", "console.signed_out"}

bp = Blueprint("console", __name__, url_prefix=CONSOLE_PREFIX, template_folder="templates",
               static_folder="static")


def install(app: Flask) -> None:
    """Give the app console-only cookie sessions and register the console."""
    settings = services_of(app).settings
    app.session_interface = ConsoleOnlySessions()
    app.config.update(
        SESSION_COOKIE_NAME="tidtam_console",
        SESSION_COOKIE_PATH=CONSOLE_PREFIX,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not settings.is_development,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=SESSION_VALID.total_seconds()),
    )
    # The view modules add their routes to ``bp`` when imported (bot.console.__init__).
    app.register_blueprint(bp)
    # The service's bare address leads to the console, which tells a stranger how to sign in.
    app.add_url_rule("/", "root", _to_console)


def _to_console():
    return redirect(url_for("console.dashboard"))


def services_of(app: Flask | None = None) -> Services:
    return (app or current_app).extensions["tidtam"]


def services() -> Services:
    return services_of()


def db() -> Session:
    """This request's database session (one unit of work per request)."""
    if "console_db" not in g:
        g.console_db = Session(services().engine, expire_on_commit=False)
    return g.console_db


def visitor() -> Visitor:
    return g.visitor


def message_page(message: str, status: int, *, title: str | None = None, hint: str | None = None):
    """A short, polite Thai page: never a traceback."""
    return render_template("console/message.html", message=message, hint=hint,
                           title=title or texts.CONSOLE_PAGE_TITLE), status


@bp.before_request
def _load_visitor():
    request.max_content_length = UPLOAD_MAX_BYTES + FORM_MAX_BYTES
    request.max_form_memory_size = FORM_MAX_BYTES
    request.max_form_parts = FORM_MAX_PARTS
    g.now = utcnow()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    had_session = "sid" in session
    found = current_visitor(db(), token=session.get("sid"), now=g.now)
    if found is None:
        session.clear()
        message = texts.CONSOLE_SESSION_ENDED if had_session else texts.CONSOLE_NO_SESSION
        return message_page(message, 401, hint=texts.CONSOLE_HOW_TO_SIGN_IN)
    g.visitor = found
    if request.method == "POST" and not _csrf_ok():
        return message_page(texts.CONSOLE_BAD_FORM, 400)
    return None


@bp.teardown_request
def _close_db(_exc) -> None:
    database = g.pop("console_db", None)
    if database is not None:
        database.close()


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def _csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    return bool(sent and expected) and hmac.compare_digest(sent, expected)


@bp.context_processor
def _template_globals() -> dict[str, Any]:
    found = g.get("visitor")
    org = db().get(Organisation, found.organisation_id) if found else None
    return {"visitor": found, "organisation": org, "csrf_token": csrf_token if found else (lambda: ""),
            "texts": texts, "recent_audit": g.get("recent_audit")}


def show_recent_audit(prefix: str) -> None:
    """List this page's latest changes at its foot (who changed what and when)."""
    g.recent_audit = audit_entries(db(), organisation_id=visitor().organisation_id, prefix=prefix, limit=8)


def record(action: str, subject: str, **detail: Any) -> None:
    """Add an audit entry to this request's unit of work (committed with the change)."""
    audit(db(), visitor=visitor(), action=action, subject=subject, detail=detail, now=g.now)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields an edit changed, as [before, after], for the audit log."""
    return {k: [before[k], after[k]] for k in before if before[k] != after[k]}


def admin_only(view: Callable) -> Callable:
    """Writes are for admins; supervisors see the page but get a clear refusal when they post."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not visitor().is_admin:
            return message_page(texts.CONSOLE_ADMIN_ONLY, 403)
        return view(*args, **kwargs)

    return wrapper


def owned(model, object_id: int):
    """A row of the visitor's organisation, or the 'not found' page for anything else."""
    row = db().get(model, object_id)
    if row is None or getattr(row, "organisation_id", None) != visitor().organisation_id:
        abort(404)
    return row


def _is_console() -> bool:
    return request.path.startswith(CONSOLE_PREFIX)


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def _unknown_address(exc: HTTPException):
    """An address under /console that matches no page; elsewhere the usual answer."""
    return _http_error(exc) if _is_console() else exc


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if exc.code == 413:
        return message_page(texts.CONSOLE_TOO_LARGE.format(mb=UPLOAD_MAX_BYTES // (1024 * 1024)), 413)
    if exc.code == 404:
        return message_page(texts.CONSOLE_NOT_FOUND, 404)
    if exc.code in (400, 405):
        return message_page(texts.CONSOLE_BAD_FORM, exc.code)
    return message_page(texts.CONSOLE_ERROR, exc.code or 500)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    current_app.logger.exception("console: unexpected error on %s", request.path)
    db().rollback()
    return message_page(texts.CONSOLE_ERROR, 500)
