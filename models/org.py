"""Organisations, their units and officers, and LINE account linking."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from models.db import UTCDateTime, utcnow


class Role(str, enum.Enum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {"officer": 0, "supervisor": 1, "admin": 2}[self.value]


def _ts(**kw) -> object:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kw)


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    district: str | None = Field(default=None, max_length=120)
    province: str | None = Field(default=None, max_length=120)
    created_at: datetime = _ts()


class Unit(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)


class UnitAlias(SQLModel, table=True):
    """Another spelling of a unit's name (งานนิติกร for งานนิติการ)."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "alias"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    alias: str = Field(max_length=200)


class Officer(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    position: str | None = Field(default=None, max_length=200)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    role: str = Field(default=Role.OFFICER.value, max_length=20)
    phone: str | None = Field(default=None, max_length=40)
    line_user_id: str | None = Field(default=None, max_length=64, unique=True)
    display_name: str | None = Field(default=None, max_length=200)
    active: bool = True
    reachable: bool = True
    leave_start: date | None = None
    leave_end: date | None = None
    linked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _ts()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def on_leave(self, day: date) -> bool:
        if self.leave_start is None:
            return False
        end = self.leave_end or self.leave_start
        return self.leave_start <= day <= end


class RegistrationCode(SQLModel, table=True):
    """A one-time code an officer sends in chat to link their LINE account."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    code: str = Field(max_length=16, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = _ts()


class RegistrationLock(SQLModel, table=True):
    """Failed registration attempts per LINE account, to stop brute force."""

    line_user_id: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    first_failure_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ChatGroup(SQLModel, table=True):
    """A LINE group set up by a supervisor to receive summaries."""

    group_id: str = Field(primary_key=True, max_length=64)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    set_up_by_officer_id: int | None = Field(default=None, foreign_key="officer.id")
    created_at: datetime = _ts()


class ClosedDay(SQLModel, table=True):
    """A day the organisation is closed beyond weekends and public holidays."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    day: date
    name: str = Field(max_length=200)


# The advisory lock's first key: "people" locks, apart from the clock's (outbox.lock) and any other.
PEOPLE_LOCK_NAMESPACE = 0x70656F70


def lock_people(session: Session, *, organisation_id: int) -> None:
    """Hold the organisation's people lock until the session's transaction ends (PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(PEOPLE_LOCK_NAMESPACE, organisation_id)))
