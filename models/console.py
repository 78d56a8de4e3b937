"""What the browser console stores: one-time sign-in links, signed-in sessions and the audit log.

A sign-in link carries a random nonce signed with SECRET_KEY (itsdangerous);
only the nonce's SHA-256 is stored, so a database dump holds no usable link.
A link is good for ten minutes and once: redeeming it marks it used in the
same UPDATE that checks it, so two clicks cannot both sign in.

A console session is a row too (the browser's cookie holds only its random
id), so signing out, a role change or a deactivation ends it on the server,
not just in one browser.
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import JSON, Column, Field, Session, SQLModel, select

from models.db import UTCDateTime, utcnow
from models.org import Officer, Role

SIGN_IN_VALID = timedelta(minutes=10)
SESSION_VALID = timedelta(hours=8)
SIGN_IN_SALT = "tidtam-console-sign-in"


class ConsoleSignIn(SQLModel, table=True):
    """A one-time sign-in link issued to an admin or supervisor (chat เว็บ or the CLI)."""

    id: int | None = Field(default=None, primary_key=True)
    nonce_sha256: str = Field(max_length=64, unique=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    issued_via: str = Field(default="chat", max_length=10)  # chat | cli
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser; the cookie carries the id whose SHA-256 is stored here."""

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    role: str = Field(max_length=20)  # the role at sign-in: a change of role ends the session
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """Who changed what and when, in the console (one row per saved change)."""

    __table_args__ = (sa.Index("ix_auditentry_org_time", "organisation_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    actor: str = Field(max_length=200)  # the name at the time, kept if the officer is renamed or forgotten
    action: str = Field(max_length=40)  # e.g. plan.import, people.add, schedule.save
    subject: str = Field(default="", max_length=300)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _serializer(signing_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key, salt=SIGN_IN_SALT)


def may_use_console(officer: Officer | None) -> bool:
    """Admins and supervisors who are active; officers report in the chat only."""
    return officer is not None and officer.active and officer.role_enum.rank >= Role.SUPERVISOR.rank


def issue_sign_in(session: Session, *, officer: Officer, signing_key: str, now: datetime,
                  via: str = "chat") -> str:
    """Store a fresh one-time link for the officer and return its signed token (for the URL)."""
    if not may_use_console(officer):
        raise PermissionError("only active admins and supervisors may sign in to the console")
    nonce = secrets.token_urlsafe(24)
    session.add(ConsoleSignIn(nonce_sha256=_sha256(nonce), organisation_id=officer.organisation_id,
                              officer_id=officer.id, issued_via=via, expires_at=now + SIGN_IN_VALID,
                              created_at=now))
    session.flush()
    return _serializer(signing_key).dumps(nonce)


class SignIn(enum.Enum):
    OK = "ok"
    INVALID = "invalid"  # tampered, unknown
    EXPIRED = "expired"
    USED = "used"
    REFUSED = "refused"  # the officer may not (or no longer) use the console


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    officer: Officer | None = None
    session_token: str | None = None  # for the cookie, only when OK


def redeem_sign_in(session: Session, *, token: str, signing_key: str, now: datetime) -> SignInResult:
    """Use a sign-in link once and open a console session (no commit)."""
    try:
        nonce = _serializer(signing_key).loads(token, max_age=int(SIGN_IN_VALID.total_seconds()))
    except SignatureExpired:
        return SignInResult(SignIn.EXPIRED)
    except BadSignature:
        return SignInResult(SignIn.INVALID)
    row = session.exec(select(ConsoleSignIn).where(ConsoleSignIn.nonce_sha256 == _sha256(str(nonce)))).first()
    if row is None:
        return SignInResult(SignIn.INVALID)
    if row.used_at is not None:
        return SignInResult(SignIn.USED)
    if row.expires_at <= now:
        return SignInResult(SignIn.EXPIRED)
    # Marking it used is the check: of two simultaneous clicks only one UPDATE matches.
    claimed = session.execute(sa.update(ConsoleSignIn).where(ConsoleSignIn.id == row.id,
                                                             ConsoleSignIn.used_at.is_(None))
                              .values(used_at=now)).rowcount
    if claimed != 1:
        return SignInResult(SignIn.USED)
    officer = session.get(Officer, row.officer_id)
    if not may_use_console(officer) or officer.organisation_id != row.organisation_id:
        return SignInResult(SignIn.REFUSED, officer)
    token_value = secrets.token_urlsafe(32)
    session.add(ConsoleSession(token_sha256=_sha256(token_value), organisation_id=officer.organisation_id,
                               officer_id=officer.id, role=officer.role, created_at=now,
                               expires_at=now + SESSION_VALID))
    session.flush()
    return SignInResult(SignIn.OK, officer, token_value)


@dataclass(frozen=True)
class Visitor:
    """The person a console request comes from, checked against the database on every request."""

    session_id: int
    officer_id: int
    organisation_id: int
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value


def current_visitor(session: Session, *, token: str | None, now: datetime) -> Visitor | None:
    """The signed-in person for a cookie's session token, or None (and the session ended) when
    it expired, was signed out, or the officer's role, organisation or active state changed."""
    if not token:
        return None
    row = session.exec(select(ConsoleSession).where(ConsoleSession.token_sha256 == _sha256(token))).first()
    if row is None or row.ended_at is not None:
        return None
    officer = session.get(Officer, row.officer_id)
    if (row.expires_at <= now or not may_use_console(officer) or officer.role != row.role
            or officer.organisation_id != row.organisation_id):
        row.ended_at = now
        session.add(row)
        session.commit()
        return None
    return Visitor(row.id, officer.id, officer.organisation_id, officer.name, officer.role)


def end_session(session: Session, *, token: str | None, now: datetime) -> None:
    """Sign out: the session's row is ended, so the cookie is worthless even if copied."""
    if token:
        session.execute(sa.update(ConsoleSession).where(ConsoleSession.token_sha256 == _sha256(token),
                                                        ConsoleSession.ended_at.is_(None)).values(ended_at=now))


def audit(session: Session, *, visitor: Visitor, action: str, subject: str = "",
          detail: dict[str, Any] | None = None, now: datetime) -> AuditEntry:
    """Record a change in the same transaction as the change itself."""
    entry = AuditEntry(organisation_id=visitor.organisation_id, officer_id=visitor.officer_id, actor=visitor.name,
                       action=action, subject=subject[:300], detail=detail or {}, created_at=now)
    session.add(entry)
    return entry


def audit_entries(session: Session, *, organisation_id: int, prefix: str | None = None, limit: int = 50,
                  before_id: int | None = None) -> list[AuditEntry]:
    """The organisation's audit log, newest first; ``prefix`` keeps one page's actions (``people.``)."""
    query = select(AuditEntry).where(AuditEntry.organisation_id == organisation_id)
    if prefix:
        query = query.where(AuditEntry.action.startswith(prefix))
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(session.exec(query.order_by(AuditEntry.id.desc()).limit(limit)).all())
