"""Adding and updating officers, and assigning them to measures by hand.

Changes to one organisation's people (its units, officers and automatic
assignments) are serialised by a transaction-level advisory lock on
PostgreSQL (``lock_people``): two admins adding officers at once, from the
CLI or the console, would otherwise both create the same unit or the same
automatic assignment and one of them fail on a unique constraint. SQLite
serialises writers by itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from models.org import Officer, Role, lock_people
from models.plan import Assignment, Measure, assign_automatically, resolve_unit


class OfficerLookupError(ValueError):
    """No officer, or more than one, matches a name; the message lists candidates."""


@dataclass
class UpsertResult:
    officer: Officer
    created: bool
    changed: bool


def upsert_officer(session: Session, *, organisation_id: int, name: str, unit: str | None,
                   role: str = Role.OFFICER.value, position: str | None = None,
                   phone: str | None = None, now: datetime) -> UpsertResult:
    """Create the officer, or update position, unit, role and phone of an existing one."""
    Role(role)  # raises ValueError for an unknown role
    name = " ".join(name.split())
    # Before anything is read: what this decides must see whatever a concurrent admin committed.
    lock_people(session, organisation_id=organisation_id)
    unit_id = resolve_unit(session, organisation_id, unit).id if unit else None
    officer = session.exec(select(Officer).where(Officer.organisation_id == organisation_id,
                                                 Officer.name == name)).first()
    if officer is None:
        officer = Officer(organisation_id=organisation_id, name=name, unit_id=unit_id, role=role,
                          position=position or None, phone=phone or None, created_at=now)
        session.add(officer)
        session.flush()
        return UpsertResult(officer, created=True, changed=True)
    values = {"unit_id": unit_id, "role": role, "position": position or None, "phone": phone or None}
    changed = {k: v for k, v in values.items() if getattr(officer, k) != v and (v is not None or k == "role")}
    for key, value in changed.items():
        setattr(officer, key, value)
    if not officer.active:
        officer.active, changed["active"] = True, True
    session.add(officer)
    session.flush()
    return UpsertResult(officer, created=False, changed=bool(changed))


def find_officer(session: Session, *, organisation_id: int | None, name: str) -> Officer:
    """The one officer a name points at: exact, then unique partial or fuzzy match."""
    query = select(Officer)
    if organisation_id is not None:
        query = query.where(Officer.organisation_id == organisation_id)
    officers = list(session.exec(query).all())
    name = " ".join(name.split())
    exact = [o for o in officers if o.name == name]
    if len(exact) == 1:
        return exact[0]
    partial = [o for o in officers if name and name in o.name]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise OfficerLookupError(f"{name!r} matches several officers: " + ", ".join(o.name for o in partial[:8]))
    best = process.extract(name, {o.id: o.name for o in officers}, scorer=fuzz.WRatio, limit=3, score_cutoff=85)
    if len(best) == 1 or (best and best[0][1] - best[1][1] >= 8):
        return next(o for o in officers if o.id == best[0][2])
    hint = ", ".join(b[0] for b in best) if best else "see `flask --app bot officers`"
    raise OfficerLookupError(f"no officer named {name!r} ({hint})")


def set_assignment(session: Session, *, measure: Measure, officer: Officer, active: bool, now: datetime) -> bool:
    """Assign or unassign by hand; returns whether anything changed."""
    row = session.exec(select(Assignment).where(Assignment.measure_id == measure.id,
                                                Assignment.officer_id == officer.id)).first()
    if row is None:
        if not active:
            # Remember the removal so the next automatic assignment respects it.
            session.add(Assignment(organisation_id=measure.organisation_id, measure_id=measure.id,
                                   officer_id=officer.id, source="manual", active=False, created_at=now))
            session.flush()
            return False
        session.add(Assignment(organisation_id=measure.organisation_id, measure_id=measure.id,
                               officer_id=officer.id, source="manual", created_at=now))
        session.flush()
        return True
    if row.active == active:
        return False
    row.active, row.source = active, "manual"
    session.add(row)
    session.flush()
    return True


def refresh_assignments(session: Session, *, organisation_id: int, now: datetime) -> int:
    """Assign new or moved officers to their units' measures."""
    lock_people(session, organisation_id=organisation_id)
    return assign_automatically(session, organisation_id=organisation_id, now=now)
