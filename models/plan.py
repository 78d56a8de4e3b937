"""Measures from an organisation's plan, who reports on them, and loading a plan into the database.

The import is idempotent: measures are matched on (organisation, fiscal year,
key), so re-importing the same file changes nothing and a corrected file
updates measures in place, keeping the reports attached to them.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import JSON, Column, Field, Session, SQLModel, select

from ita.plan import PlanDocument, PlanMeasure
from ita.status import normalize_measure_number
from ita.thai import to_arabic_digits
from ita.units import EVERYONE, PERSON_PREFIX, canonical_unit, split_responsible
from ita.vocab.plan import ORG_KINDS
from models.db import UTCDateTime, utcnow
from models.org import Officer, Organisation, Unit, UnitAlias, lock_people


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


# -- queries ------------------------------------------------------------------------------------

# Built once, as every chat command's queries are: building a select costs more CPU than running it.
_ASSIGNED = (
    select(Measure)
    .join(Assignment, Assignment.measure_id == Measure.id)
    .where(Assignment.officer_id == sa.bindparam("officer_id"), Assignment.active, Measure.active)
    .order_by(Measure.fiscal_year, Measure.source_line, Measure.id)
)
_ASSIGNED_IN_YEAR = _ASSIGNED.where(Measure.fiscal_year == sa.bindparam("fiscal_year"))


def assigned_measures(session: Session, *, officer_id: int, fiscal_year: int | None = None) -> list[Measure]:
    """Every active measure actively assigned to the officer (of one fiscal year if given), in plan order."""
    if fiscal_year is None:
        return list(session.scalars(_ASSIGNED, {"officer_id": officer_id}))
    return list(session.scalars(_ASSIGNED_IN_YEAR, {"officer_id": officer_id, "fiscal_year": fiscal_year}))


ORG_MATCH_CUTOFF = 92


class OrganisationChoiceError(ValueError):
    """The organisation could not be decided; the message says what to pass."""


@dataclass
class ApplyResult:
    organisation: Organisation
    fiscal_year: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: list[str] = field(default_factory=list)
    assignments_created: int = 0
    not_in_file: int = 0
    notes: list[str] = field(default_factory=list)


def find_organisation(session: Session, name: str | None, *, create: bool = False,
                      district: str | None = None, province: str | None = None) -> Organisation:
    """Find an organisation by name (tolerating small spelling differences), or the only one."""
    orgs = list(session.exec(select(Organisation)).all())
    if name:
        name = " ".join(name.split())
        for org in orgs:
            if org.name == name:
                return org
        # "บ้านตัวอย่าง", "อบต.บ้านตัวอย่าง" and "องค์การบริหารส่วนตำบลบ้านตัวอย่าง" are one organisation.
        same_place = [org for org in orgs if _place_of(org.name) == _place_of(name)]
        if len(same_place) == 1:
            return same_place[0]
        if orgs:
            best = process.extractOne(name, {o.id: o.name for o in orgs}, scorer=fuzz.ratio,
                                      score_cutoff=ORG_MATCH_CUTOFF)
            if best is not None:
                return next(o for o in orgs if o.id == best[2])
        if not create:
            known = ", ".join(o.name for o in orgs) or "none yet"
            raise OrganisationChoiceError(f"no organisation named {name!r} (known: {known})")
        org = Organisation(name=name, district=district, province=province)
        session.add(org)
        session.flush()
        return org
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise OrganisationChoiceError("there is no organisation yet; pass --org NAME")
    raise OrganisationChoiceError("there are several organisations; pass --org NAME")


def _place_of(org_name: str) -> str:
    """An organisation's name without its kind (องค์การบริหารส่วนตำบล, อบต., เทศบาลตำบล…) or spaces."""
    squashed = "".join(org_name.split())
    for kind, _full in ORG_KINDS:
        if squashed.startswith(kind):
            return squashed[len(kind):]
    return squashed


def resolve_unit(session: Session, organisation_id: int, name: str, *, create: bool = True) -> Unit | None:
    """Return the organisation's unit for a name or alias, creating it when asked."""
    canonical = canonical_unit(name)
    for candidate in dict.fromkeys((name, canonical)):
        unit = session.exec(select(Unit).where(Unit.organisation_id == organisation_id,
                                               Unit.name == candidate)).first()
        if unit is not None:
            return unit
        alias = session.exec(select(UnitAlias).where(UnitAlias.organisation_id == organisation_id,
                                                     UnitAlias.alias == candidate)).first()
        if alias is not None:
            return session.get(Unit, alias.unit_id)
    if not create:
        return None
    unit = Unit(organisation_id=organisation_id, name=canonical)
    session.add(unit)
    session.flush()
    return unit


_FIELDS = ("section_path", "number", "title", "steps", "responsible_text", "period_start", "period_end",
           "period_assumed", "cadence", "indicator_numbers", "question_codes", "source_line")


def _measure_values(item: PlanMeasure) -> dict:
    return {
        "section_path": list(item.section_path), "number": item.number, "title": item.title,
        "steps": item.steps, "responsible_text": item.responsible_text,
        "period_start": item.period_start, "period_end": item.period_end,
        "period_assumed": item.period_assumed, "cadence": item.cadence,
        "indicator_numbers": list(item.indicator_numbers), "question_codes": list(item.question_codes),
        "source_line": item.source_line,
    }


def measure_refs(items: list[PlanMeasure]) -> dict[str, str]:
    """Give each measure a short reference unique within its year.

    Numbers restart inside sections in many documents (ส่วนที่ ๑ › ๑.๑ › ๑.), so
    a bare number can be ambiguous; then the section's number is put in front
    ("1.1.2"), and a counter settles anything still clashing.
    """
    numbers = [item.number for item in items]
    plain_ok = all(numbers) and len(set(numbers)) == len(numbers)
    refs: dict[str, str] = {}
    used: set[str] = set()
    for index, item in enumerate(items, start=1):
        ref = item.number
        if not plain_ok:
            prefix = _section_number(item.section_path)
            ref = f"{prefix}.{item.number}" if prefix and item.number else (item.number or str(index))
        base, n = ref, 2
        while ref in used:
            ref = f"{base}-{n}"
            n += 1
        used.add(ref)
        refs[item.key] = ref
    return refs


def _section_number(section_path: list[str]) -> str:
    for heading in reversed(section_path):
        words = to_arabic_digits(heading).replace("ส่วนที่", "").split()
        if words and words[0].rstrip(".").replace(".", "").isdigit():
            return words[0].rstrip(".")
    return ""


def apply_plan(session: Session, doc: PlanDocument, *, organisation: Organisation, fiscal_year: int,
               now: datetime) -> ApplyResult:
    """Write the document's measures, units and automatic assignments (no commit)."""
    result = ApplyResult(organisation=organisation, fiscal_year=fiscal_year)
    existing = {m.key: m for m in session.exec(
        select(Measure).where(Measure.organisation_id == organisation.id, Measure.fiscal_year == fiscal_year))}
    seen: set[str] = set()
    refs = measure_refs(doc.measures)
    for item in doc.measures:
        seen.add(item.key)
        values = _measure_values(item) | {"ref": refs[item.key]}
        measure = existing.get(item.key)
        if measure is None:
            measure = Measure(organisation_id=organisation.id, fiscal_year=fiscal_year, key=item.key,
                              imported_result=item.result_text, imported_outcome=item.outcome_text,
                              created_at=now, updated_at=now, **values)
            session.add(measure)
            session.flush()
            result.created += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(measure, k) != v}
            if item.result_text != measure.imported_result or item.outcome_text != measure.imported_outcome:
                changed["imported_result"], changed["imported_outcome"] = item.result_text, item.outcome_text
            if changed or not measure.active:
                for key, value in changed.items():
                    setattr(measure, key, value)
                measure.active = True
                measure.updated_at = now
                session.add(measure)
                result.updated += 1
            else:
                result.unchanged += 1
        _link_units(session, measure, item.responsible_units, result)
    result.not_in_file = len(set(existing) - seen)
    session.flush()
    result.assignments_created = assign_automatically(session, organisation_id=organisation.id,
                                                      fiscal_year=fiscal_year, now=now)
    return result


def _link_units(session: Session, measure: Measure, names: list[str], result: ApplyResult) -> None:
    wanted: set[int] = set()
    for name in names:
        if name == EVERYONE or name.startswith(PERSON_PREFIX):
            continue
        before = session.exec(select(Unit.id).where(Unit.organisation_id == measure.organisation_id)).all()
        unit = resolve_unit(session, measure.organisation_id, name)
        if unit.id not in before and unit.name not in result.units_created:
            result.units_created.append(unit.name)
        wanted.add(unit.id)
    current = {link.unit_id: link for link in session.exec(
        select(MeasureUnit).where(MeasureUnit.measure_id == measure.id))}
    for unit_id in wanted - set(current):
        session.add(MeasureUnit(measure_id=measure.id, unit_id=unit_id))
    for unit_id in set(current) - wanted:
        session.delete(current[unit_id])


def relink_units(session: Session, measure: Measure) -> list[str]:
    """Link a measure to the units its (edited) responsible text names; return the units created."""
    result = ApplyResult(organisation=session.get(Organisation, measure.organisation_id),
                         fiscal_year=measure.fiscal_year)
    _link_units(session, measure, split_responsible(measure.responsible_text), result)
    session.flush()
    return result.units_created


def responsible_officers(session: Session, measure: Measure) -> list[Officer]:
    """Officers the measure's responsible text points at: its units, everyone, or named people."""
    officers = list(session.exec(select(Officer).where(Officer.organisation_id == measure.organisation_id,
                                                       Officer.active)).all())
    names = split_responsible(measure.responsible_text)
    if EVERYONE in names:
        return officers
    unit_ids = set(session.exec(select(MeasureUnit.unit_id).where(MeasureUnit.measure_id == measure.id)).all())
    chosen = [o for o in officers if o.unit_id in unit_ids]
    people = [n[len(PERSON_PREFIX):] for n in names if n.startswith(PERSON_PREFIX)]
    for person in people:
        match = process.extractOne(person, {o.id: o.name for o in officers}, scorer=fuzz.partial_ratio,
                                   score_cutoff=90)
        if match is not None:
            officer = next(o for o in officers if o.id == match[2])
            if officer not in chosen:
                chosen.append(officer)
    return chosen


def assign_automatically(session: Session, *, organisation_id: int, fiscal_year: int | None = None,
                         now: datetime) -> int:
    """Assign each measure to the officers of its responsible units; respect hand-made changes."""
    lock_people(session, organisation_id=organisation_id)  # one writer of the organisation's people at a time
    query = select(Measure).where(Measure.organisation_id == organisation_id, Measure.active)
    if fiscal_year is not None:
        query = query.where(Measure.fiscal_year == fiscal_year)
    created = 0
    for measure in session.exec(query).all():
        known = set(session.exec(select(Assignment.officer_id).where(Assignment.measure_id == measure.id)).all())
        for officer in responsible_officers(session, measure):
            if officer.id not in known:
                session.add(Assignment(organisation_id=organisation_id, measure_id=measure.id,
                                       officer_id=officer.id, source="auto", created_at=now))
                created += 1
    session.flush()
    return created


def find_measure(session: Session, *, organisation_id: int, number: str,
                 fiscal_year: int | None = None) -> list[Measure]:
    """Measures a typed number points at: its short ref first, else the number as written.

    Without a fiscal year only the latest year with a match counts. More than
    one result means the number is ambiguous and the caller should ask.
    """
    wanted = normalize_measure_number(number)
    query = select(Measure).where(Measure.organisation_id == organisation_id, Measure.active)
    if fiscal_year is not None:
        query = query.where(Measure.fiscal_year == fiscal_year)
    query = query.order_by(Measure.fiscal_year.desc(), Measure.source_line)
    # The short ref is what people type: look it up first, and read every measure only when it misses.
    found = list(session.scalars(query.where(Measure.ref == wanted))) or [
        m for m in session.scalars(query) if normalize_measure_number(m.number) == wanted]
    if found:
        latest = found[0].fiscal_year
        found = [m for m in found if m.fiscal_year == latest]
    return found
