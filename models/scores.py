"""ITA scores per organisation and assessment year, each number with where it came from.

One `ScoreYear` row per (organisation, assessment year) holds the reported
overall score and level; one `ScoreValue` row per number holds a tool,
indicator, question or EIT-part score. Computed totals and levels are never
stored: `ita.scores.YearScores` derives them, so a fix to the rules needs no
data migration. Saving a year replaces its numbers in place, so re-importing
the same document changes nothing.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel, select

from ita.scores import YearScores
from models.db import UTCDateTime, read_rows, utcnow


class ScoreKind(str, enum.Enum):
    TOOL = "tool"  # key: IIT / EIT / OIT
    INDICATOR = "indicator"  # key: "1".."10"
    QUESTION = "question"  # key: i1, e5, o12
    EIT_PART = "eit_part"  # key: "1", "2"


class ScoreYear(SQLModel, table=True):
    """One organisation's assessment year: what the document reported as total and level."""

    __table_args__ = (sa.UniqueConstraint("organisation_id", "year_be"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    year_be: int
    reported_overall: float | None = None
    reported_level: str | None = Field(default=None, max_length=20)
    overall_source: str | None = Field(default=None, max_length=300)
    level_source: str | None = Field(default=None, max_length=300)
    source: str = Field(default="", max_length=300)  # the document last imported for this year
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScoreValue(SQLModel, table=True):
    """One score (tool, indicator, question or EIT part) of one organisation's year."""

    __table_args__ = (
        # Its leading columns also serve lookups by (organisation_id, year_be).
        sa.UniqueConstraint("organisation_id", "year_be", "kind", "key"),
        sa.CheckConstraint("value >= 0 AND value <= 100", name="ck_scorevalue_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    year_be: int
    kind: str = Field(max_length=12)
    key: str = Field(max_length=8)
    value: float
    source: str = Field(default="", max_length=300)
    text: str | None = Field(default=None, sa_type=sa.Text)  # a question's wording, as the report gives it
    advice: str | None = Field(default=None, sa_type=sa.Text)  # the assessor's advice on a question


def _values_of(scores: YearScores) -> dict[tuple[str, str], float]:
    values: dict[tuple[str, str], float] = {}
    values.update({(ScoreKind.TOOL.value, tool): v for tool, v in scores.tools.items()})
    values.update({(ScoreKind.INDICATOR.value, str(n)): v for n, v in scores.indicators.items()})
    values.update({(ScoreKind.QUESTION.value, code): v for code, v in scores.questions.items()})
    values.update({(ScoreKind.EIT_PART.value, part): v for part, v in scores.eit_parts.items()})
    return values


def _source_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def save_year_scores(session: Session, *, organisation_id: int, scores: YearScores, source: str) -> dict[str, int]:
    """Store one year's numbers from a document in place (the caller commits); return what was kept.

    The kinds of score the document gives (tools, indicators, questions, EIT
    parts) replace the stored ones of that kind; a kind it gives none of is
    kept from the earlier import, so importing the indicator table after the
    per-question report does not wipe the questions. Returns how many stored
    scores of each kept kind remain.
    """
    year = session.exec(select(ScoreYear).where(ScoreYear.organisation_id == organisation_id,
                                                ScoreYear.year_be == scores.year_be)).first()
    if year is None:
        year = ScoreYear(organisation_id=organisation_id, year_be=scores.year_be)
        session.add(year)
    header = {
        "reported_overall": scores.reported_overall,
        "reported_level": scores.reported_level,
        "overall_source": scores.sources.get("overall") if scores.reported_overall is not None else None,
        "level_source": scores.sources.get("level") if scores.reported_level else None,
        "source": source[:300],
    }
    if any(getattr(year, name) != value for name, value in header.items()) or year.id is None:
        for name, value in header.items():
            setattr(year, name, value)
        year.updated_at = utcnow()

    existing = {(row.kind, row.key): row for row in session.exec(
        select(ScoreValue).where(ScoreValue.organisation_id == organisation_id,
                                 ScoreValue.year_be == scores.year_be))}
    wanted = _values_of(scores)
    given = {kind for kind, _ in wanted}
    kept: dict[str, int] = {}
    for kind, key in list(existing):
        if kind not in given:
            kept[kind] = kept.get(kind, 0) + 1
            del existing[(kind, key)]
    for (kind, key), value in wanted.items():
        where = (scores.sources.get(_source_key(kind, key)) or source)[:300]
        is_question = kind == ScoreKind.QUESTION.value
        text = scores.question_texts.get(key) if is_question else None
        advice = scores.question_advice.get(key) if is_question else None
        row = existing.pop((kind, key), None)
        if row is None:
            session.add(ScoreValue(organisation_id=organisation_id, year_be=scores.year_be, kind=kind, key=key,
                                   value=value, source=where, text=text, advice=advice))
        elif (row.value, row.source, row.text, row.advice) != (value, where, text, advice):
            row.value, row.source, row.text, row.advice = value, where, text, advice
    for row in existing.values():
        session.delete(row)
    session.flush()
    return kept


# Built once: a score question runs them (building a select costs more CPU than running it).
_YEARS = select(ScoreYear.year_be).where(ScoreYear.organisation_id == sa.bindparam("org")).order_by(ScoreYear.year_be)
_YEAR_ROWS = select(ScoreYear.year_be, ScoreYear.reported_overall, ScoreYear.reported_level, ScoreYear.overall_source,
                    ScoreYear.level_source).where(ScoreYear.organisation_id == sa.bindparam("org"),
                                                  ScoreYear.year_be.in_(sa.bindparam("years", expanding=True)))
_VALUES = (
    select(ScoreValue.year_be, ScoreValue.kind, ScoreValue.key, ScoreValue.value, ScoreValue.source, ScoreValue.text,
           ScoreValue.advice)
    .where(ScoreValue.organisation_id == sa.bindparam("org"), ScoreValue.year_be.in_(sa.bindparam("years", expanding=True)))
    .order_by(ScoreValue.year_be, ScoreValue.id)
)


def available_years(session: Session, *, organisation_id: int) -> list[int]:
    """Assessment years with scores for an organisation, oldest first."""
    return [year for (year,) in read_rows(session, _YEARS, {"org": organisation_id})]


def scores_for_years(session: Session, *, organisation_id: int, years: Iterable[int]) -> dict[int, YearScores]:
    """The stored scores of several years in two queries; years without data are left out.

    Plain rows, not entities: a score question reads about a hundred values per
    year, and loading them as ORM objects cost more than the queries.
    """
    wanted = sorted(set(years))
    if not wanted:
        return {}
    result: dict[int, YearScores] = {}
    params = {"org": organisation_id, "years": wanted}
    for year in read_rows(session, _YEAR_ROWS, params):
        scores = YearScores(year_be=year.year_be, reported_overall=year.reported_overall,
                            reported_level=year.reported_level)
        if year.overall_source:
            scores.sources["overall"] = year.overall_source
        if year.level_source:
            scores.sources["level"] = year.level_source
        result[year.year_be] = scores
    rows = read_rows(session, _VALUES, params)
    for year_be, kind, key, value, source, text, advice in rows:
        scores = result.setdefault(year_be, YearScores(year_be=year_be))
        if kind == ScoreKind.TOOL.value:
            scores.tools[key] = value
        elif kind == ScoreKind.INDICATOR.value:
            scores.indicators[int(key)] = value
        elif kind == ScoreKind.QUESTION.value:
            scores.questions[key] = value
            if text:
                scores.question_texts[key] = text
            if advice:
                scores.question_advice[key] = advice
        elif kind == ScoreKind.EIT_PART.value:
            scores.eit_parts[key] = value
        else:
            continue
        if source:
            scores.sources[_source_key(kind, key)] = source
    return result


def year_scores(session: Session, *, organisation_id: int, year_be: int) -> YearScores | None:
    """One year's stored scores for an organisation, or None when there are none."""
    return scores_for_years(session, organisation_id=organisation_id, years=[year_be]).get(year_be)


__all__ = ["ScoreKind", "ScoreValue", "ScoreYear", "available_years", "save_year_scores", "scores_for_years",
           "year_scores"]
