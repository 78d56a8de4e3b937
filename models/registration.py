"""Registration codes: issue them to officers and redeem them from LINE."""
from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from models.org import Officer, RegistrationCode, RegistrationLock

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 8
CODE_VALID = timedelta(days=14)
MAX_FAILURES = 5
LOCK_FOR = timedelta(hours=1)


class Redeem(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    LOCKED = "locked"
    ALREADY_LINKED = "already_linked"
    OFFICER_TAKEN = "officer_taken"


@dataclass(frozen=True)
class RedeemResult:
    outcome: Redeem
    officer: Officer | None = None
    tries_left: int = 0
    locked_minutes: int = 0


def normalize_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def issue_code(session: Session, officer: Officer, *, now: datetime) -> RegistrationCode:
    """Create a fresh code for the officer; earlier unused codes stop working."""
    session.execute(
        sa.update(RegistrationCode)
        .where(RegistrationCode.officer_id == officer.id, RegistrationCode.used_at.is_(None))
        .values(expires_at=now)
    )
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(RegistrationCode).where(RegistrationCode.code == code)).first() is None:
            break
    row = RegistrationCode(organisation_id=officer.organisation_id, officer_id=officer.id, code=code,
                           expires_at=now + CODE_VALID, created_at=now)
    session.add(row)
    session.flush()
    return row


def redeem_code(session: Session, *, line_user_id: str, text: str, now: datetime) -> RedeemResult:
    """Link a LINE account to the officer whose code this is, counting failures."""
    lock = session.get(RegistrationLock, line_user_id)
    if lock and lock.locked_until and lock.locked_until > now:
        minutes = max(1, int((lock.locked_until - now).total_seconds() // 60) + 1)
        return RedeemResult(Redeem.LOCKED, locked_minutes=minutes)
    linked = session.exec(select(Officer).where(Officer.line_user_id == line_user_id)).first()
    if linked is not None:
        return RedeemResult(Redeem.ALREADY_LINKED, officer=linked)

    code = normalize_code(text)
    row = session.exec(select(RegistrationCode).where(RegistrationCode.code == code)).first() if code else None
    if row is None:
        return _failure(session, line_user_id, lock, now)
    if row.used_at is not None:
        return RedeemResult(Redeem.USED)
    if row.expires_at <= now:
        return RedeemResult(Redeem.EXPIRED)
    officer = session.get(Officer, row.officer_id)
    if officer is None or not officer.active:
        return _failure(session, line_user_id, lock, now)
    if officer.line_user_id and officer.line_user_id != line_user_id:
        return RedeemResult(Redeem.OFFICER_TAKEN)
    officer.line_user_id = line_user_id
    officer.linked_at = now
    officer.reachable = True
    row.used_at = now
    if lock is not None:
        session.delete(lock)
    session.add_all([officer, row])
    session.flush()
    return RedeemResult(Redeem.OK, officer=officer)


def _failure(session: Session, line_user_id: str, lock: RegistrationLock | None, now: datetime) -> RedeemResult:
    if lock is None:
        lock = RegistrationLock(line_user_id=line_user_id, failures=0)
    if lock.first_failure_at is None or now - lock.first_failure_at > LOCK_FOR or (
        lock.locked_until is not None and lock.locked_until <= now
    ):
        lock.failures, lock.first_failure_at, lock.locked_until = 0, now, None
    lock.failures += 1
    if lock.failures >= MAX_FAILURES:
        lock.locked_until = now + LOCK_FOR
        session.add(lock)
        session.flush()
        return RedeemResult(Redeem.LOCKED, locked_minutes=int(LOCK_FOR.total_seconds() // 60))
    session.add(lock)
    session.flush()
    return RedeemResult(Redeem.WRONG, tries_left=MAX_FAILURES - lock.failures)
