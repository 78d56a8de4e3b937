"""Measures from an organisation's plan and who is assigned to report on them."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from models.db import UTCDateTime, utcnow


class Cadence(str, enum.Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"


class Measure(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "fiscal_year", "key"),
        sa.Index("ix_measure_org_year", "organisation_id", "fiscal_year"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    fiscal_year: int  # Buddhist era
    key: str = Field(max_length=200)
    section_path: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    number: str = Field(default="", max_length=40)  # as written in the document
    ref: str = Field(default="", max_length=40)  # short and unique within the year: what chat users type
    title: str
    steps: str = ""
    responsible_text: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_assumed: bool = False
    cadence: str = Field(default=Cadence.MONTHLY.value, max_length=20)
    indicator_numbers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    question_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    imported_result: str = ""
    imported_outcome: str = ""
    source_line: int | None = None
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MeasureUnit(SQLModel, table=True):
    """A unit a measure names as responsible (resolved from the text)."""

    measure_id: int = Field(foreign_key="measure.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)


class Assignment(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("measure_id", "officer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    officer_id: int = Field(foreign_key="officer.id", index=True)
    source: str = Field(default="auto", max_length=10)  # auto | manual
    active: bool = True  # an unassign by hand keeps the row so re-imports respect it
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def officer_measures(session, *, officer_id: int, fiscal_year: int | None = None) -> list[Measure]:
    """Measures actively assigned to an officer, in plan order."""
    from sqlmodel import select

    query = (
        select(Measure)
        .join(Assignment, Assignment.measure_id == Measure.id)
        .where(Assignment.officer_id == officer_id, Assignment.active, Measure.active)
    )
    if fiscal_year is not None:
        query = query.where(Measure.fiscal_year == fiscal_year)
    return list(session.exec(query.order_by(Measure.fiscal_year, Measure.source_line, Measure.id)).all())
