"""Small builders for test data: an organisation with units, officers and measures."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from models import Measure, Officer, Organisation, Unit, utcnow
from models.plan import assign_automatically
from models.registration import issue_code


@dataclass
class World:
    org: Organisation
    units: dict[str, Unit] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)


def this_fiscal_year() -> int:
    from zoneinfo import ZoneInfo

    from ita.thai import fiscal_year

    return fiscal_year(utcnow().astimezone(ZoneInfo("Asia/Bangkok")).date())


def make_world(session: Session, *, name: str = "องค์การบริหารส่วนตำบลทดสอบ", year: int | None = None,
               officers: list[tuple[str, str, str]] | None = None,
               measures: list[tuple[str, str, str]] | None = None,
               link: bool = True) -> World:
    """Create an organisation; officers are (name, unit, role); measures (ref, title, units)."""
    year = year or this_fiscal_year()
    org = Organisation(name=name, district="เมือง", province="ทดสอบ")
    session.add(org)
    session.flush()
    world = World(org)
    officers = officers if officers is not None else [
        ("สมชาย ใจดี", "กองคลัง", "officer"),
        ("สมหญิง รักงาน", "สำนักปลัด", "officer"),
        ("ประยุทธ์ หัวหน้า", "สำนักปลัด", "supervisor"),
    ]
    measures = measures if measures is not None else [
        ("1", "เปิดเผยข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์", "กองคลัง"),
        ("2", "ประชุมชี้แจงมาตรการป้องกันการทุจริต", "สำนักปลัด"),
        ("3", "จัดทำคู่มือการปฏิบัติงาน", "ทุกส่วนราชการ"),
    ]
    for unit_name in {u for _, u, _ in officers} | {u for *_, u in measures if u != "ทุกส่วนราชการ"}:
        unit = Unit(organisation_id=org.id, name=unit_name)
        session.add(unit)
        session.flush()
        world.units[unit_name] = unit
    for index, (officer_name, unit_name, role) in enumerate(officers, start=1):
        officer = Officer(organisation_id=org.id, name=officer_name, unit_id=world.units[unit_name].id, role=role,
                          line_user_id=f"U{org.id}x{index:03d}" if link else None)
        session.add(officer)
        session.flush()
        world.officers[officer_name] = officer
    from models.plan import MeasureUnit

    start, end = date(year - 544, 10, 1), date(year - 543, 9, 1)
    for line_no, (ref, title, unit_name) in enumerate(measures, start=1):
        measure = Measure(organisation_id=org.id, fiscal_year=year, key=ref, number=ref, ref=ref, title=title,
                          responsible_text=unit_name, period_start=start, period_end=end, source_line=line_no)
        session.add(measure)
        session.flush()
        if unit_name in world.units:
            session.add(MeasureUnit(measure_id=measure.id, unit_id=world.units[unit_name].id))
        world.measures[ref] = measure
    assign_automatically(session, organisation_id=org.id, now=utcnow())
    session.commit()
    return world


def code_for(session: Session, officer: Officer) -> str:
    code = issue_code(session, officer, now=utcnow()).code
    session.commit()
    return code
