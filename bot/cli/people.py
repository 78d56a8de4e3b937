"""CLI commands for plans and people: import, list, assign, registration codes."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from sqlmodel import Session, select

from bot.cli.common import cli_command, commit_unless_dry_run, fail, print_warnings, services, write_template
from bot.cli.text_tables import format_table
from ita.periods import Period, period_label
from ita.plan import PlanImportError, PlanTableChoiceError, read_plan
from ita.plan_sheet import write_plan_template
from ita.staff import StaffImportError, read_staff
from line.views import cut
from models import Measure, Officer, Role, Unit, utcnow
from models.people import OfficerLookupError, find_officer, refresh_assignments, set_assignment, upsert_officer
from models.plan import Assignment, OrganisationChoiceError, apply_plan, find_measure, find_organisation, measure_refs
from models.registration import CODE_VALID, issue_code

ROLE_CHOICES = [r.value for r in Role]


def _session() -> Session:
    return Session(services().engine, expire_on_commit=False)


def _org(session: Session, name: str | None, **kw):
    try:
        return find_organisation(session, name, **kw)
    except OrganisationChoiceError as exc:
        fail(str(exc))


@cli_command("import-plan")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_name", help="Organisation name (read from the document's title when left out).")
@click.option("--year", type=int, help="Fiscal year in Buddhist era, e.g. 2568 (read from the title when left out).")
@click.option("--dry-run", is_flag=True, help="Show what would be imported and write nothing.")
@click.option("--columns", help="Which column holds what, when the importer asks: measure=2,unit=3,period=5 "
                                "(counted from 1; also steps, result, outcome, indicator, question, cadence).")
@click.option("--table", type=int, help="Which of the document's tables holds the measures, when the importer asks.")
def import_plan_command(path: Path, org_name: str | None, year: int | None, dry_run: bool, columns: str | None,
                        table: int | None) -> None:
    """Import measures from the organisation's plan or report (Word, PDF, Excel, CSV, text or a saved web page)."""
    if not path.exists():
        fail(f"no such file: {path}")
    try:
        doc = read_plan(path, fiscal_year_be=year, org_name=org_name, columns=columns,
                        tables=[table] if table else None)
    except PlanTableChoiceError as exc:
        click.echo(exc.describe(), err=True)
        fail(f"{path.name}: {exc}")
    except PlanImportError as exc:
        fail(f"{path.name}: {exc}")
    fiscal_year = year or doc.fiscal_year_be
    if not fiscal_year:
        fail(f"{path.name}: the fiscal year is not in the title; pass --year (e.g. --year 2568)")
    if fiscal_year < 2400:
        fail("--year is a Buddhist-era year such as 2568")
    name = org_name or doc.org_name
    click.echo(f"File: {path.name} ({doc.source_format})")
    click.echo(f"Organisation: {name or '(not named in the file)'}"
               + (f", {doc.district}" if doc.district else "") + (f", {doc.province}" if doc.province else ""))
    click.echo(f"Fiscal year: {fiscal_year}")
    _print_plan_summary(doc)
    with _session() as session:
        org = _org(session, name, create=True, district=doc.district, province=doc.province)
        result = apply_plan(session, doc, organisation=org, fiscal_year=fiscal_year, now=utcnow())
        click.echo(f"Into {org.name}: {result.created} new, {result.updated} updated, "
                   f"{result.unchanged} unchanged measure(s); {len(result.units_created)} new unit(s); "
                   f"{result.assignments_created} new assignment(s).")
        if result.not_in_file:
            click.echo(f"Note: {result.not_in_file} measure(s) of {fiscal_year} in the database are not in "
                       "this file; they were kept.")
        commit_unless_dry_run(session, dry_run)


def _print_plan_summary(doc) -> None:
    sections = Counter(" › ".join(m.section_path) or "(no section)" for m in doc.measures)
    click.echo(f"Measures: {len(doc.measures)} in {len(sections)} section(s)")
    refs = measure_refs(doc.measures)
    rows = []
    for m in doc.measures:
        period = (period_label(Period(m.period_start, m.period_end, m.period_assumed))
                  if m.period_start and m.period_end else "-")
        if m.period_assumed:
            period += " (assumed)"
        rows.append([refs[m.key], cut(m.title, 48), cut(", ".join(m.responsible_units) or "-", 30),
                     period, m.cadence])
    click.echo(format_table(["ref", "title", "units", "period", "cadence"], rows))
    if doc.units:
        click.echo("Units: " + ", ".join(doc.units))
    print_warnings(doc.warnings)


@cli_command("plan-template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def plan_template_command(path: Path) -> None:
    """Write an empty plan spreadsheet (.xlsx or .csv) with an example row and notes."""
    write_template(path, write_plan_template, rows_are="measure", import_command="import-plan")


@cli_command("import-officers")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
def import_officers_command(path: Path, org_name: str | None, dry_run: bool) -> None:
    """Import staff from .xlsx/.csv (ชื่อ-สกุล, ตำแหน่ง, หน่วยงาน, บทบาท, โทรศัพท์)."""
    if not path.exists():
        fail(f"no such file: {path}")
    try:
        rows, warnings = read_staff(path)
    except StaffImportError as exc:
        fail(f"{path.name}: {exc}")
    now = utcnow()
    with _session() as session:
        org = _org(session, org_name)
        table, created = [], 0
        for row in rows:
            result = upsert_officer(session, organisation_id=org.id, name=row.name, unit=row.unit or None,
                                    role=row.role, position=row.position, phone=row.phone, now=now)
            code = ""
            if result.created:
                created += 1
                code = issue_code(session, result.officer, now=now).code
            table.append([row.name, row.unit or "-", row.role,
                          "new" if result.created else ("updated" if result.changed else "same"), code or "-"])
        assigned = refresh_assignments(session, organisation_id=org.id, now=now)
        click.echo(format_table(["name", "unit", "role", "change", "registration code"], table))
        for warning in warnings:
            click.echo(f"Warning: {warning}")
        click.echo(f"{len(rows)} officer(s) read, {created} new; {assigned} new assignment(s).")
        if dry_run:
            session.rollback()
            click.echo("Dry run: nothing was written (codes above are not valid).")
        else:
            session.commit()
            click.echo(f"Give each new officer their code; it is valid for {CODE_VALID.days} days.")


@cli_command("add-officer")
@click.option("--name", required=True, help="Full name as staff know it.")
@click.option("--unit", required=True, help="Unit, e.g. กองคลัง.")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="officer", show_default=True)
@click.option("--position", help="Position, e.g. นักวิเคราะห์นโยบายและแผน.")
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
def add_officer_command(name: str, unit: str, role: str, position: str | None, org_name: str | None) -> None:
    """Add (or update) an officer and print their registration code.

    ``--role admin --org NAME`` creates the organisation when it does not exist
    yet, so a fresh deployment's first admin can sign in and import the plan.
    """
    now = utcnow()
    with _session() as session:
        try:
            org = find_organisation(session, org_name)
        except OrganisationChoiceError as exc:
            if role != Role.ADMIN.value or not org_name:
                fail(str(exc))
            org = find_organisation(session, org_name, create=True)
            click.echo(f"Created the organisation {org.name}.")
        result = upsert_officer(session, organisation_id=org.id, name=name, unit=unit, role=role,
                                position=position, now=now)
        assigned = refresh_assignments(session, organisation_id=org.id, now=now)
        code = issue_code(session, result.officer, now=now)
        session.commit()
        verb = "Added" if result.created else "Updated"
        click.echo(f"{verb} {result.officer.name} ({role}, {unit}) in {org.name}; {assigned} new assignment(s).")
        click.echo(f"Registration code (valid {CODE_VALID.days} days; send in LINE: ลงทะเบียน {code.code}):")
        click.echo(code.code)


@cli_command("registration-code")
@click.argument("name")
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
def registration_code_command(name: str, org_name: str | None) -> None:
    """Issue a new registration code for an officer (earlier codes stop working)."""
    with _session() as session:
        org = _org(session, org_name)
        try:
            officer = find_officer(session, organisation_id=org.id, name=name)
        except OfficerLookupError as exc:
            fail(str(exc))
        code = issue_code(session, officer, now=utcnow())
        session.commit()
        click.echo(f"New code for {officer.name} (valid {CODE_VALID.days} days; earlier codes no longer work):")
        click.echo(code.code)


def _assign(measure_number: str, officer_name: str, org_name: str | None, year: int | None, active: bool) -> None:
    with _session() as session:
        org = _org(session, org_name)
        measures = find_measure(session, organisation_id=org.id, number=measure_number, fiscal_year=year)
        if not measures:
            fail(f"no measure numbered {measure_number!r} (see `flask --app bot measures`)")
        if len(measures) > 1:
            fail(f"{measure_number!r} matches {len(measures)} measures; use the ref shown by "
                 "`flask --app bot measures`: " + ", ".join(m.ref for m in measures))
        try:
            officer = find_officer(session, organisation_id=org.id, name=officer_name)
        except OfficerLookupError as exc:
            fail(str(exc))
        changed = set_assignment(session, measure=measures[0], officer=officer, active=active, now=utcnow())
        session.commit()
        state = "assigned to" if active else "unassigned from"
        click.echo(f"{officer.name} {state} measure {measures[0].ref}" + ("" if changed else " (no change)") + ".")


def _assignment_options(func):
    """The options assign and unassign share."""
    for option in reversed([
        click.option("--measure", "measure_number", required=True, help="Measure ref or number, e.g. 1.2."),
        click.option("--officer", "officer_name", required=True, help="Officer name."),
        click.option("--org", "org_name"),
        click.option("--year", type=int, help="Fiscal year (BE); the latest is used when left out."),
    ]):
        func = option(func)
    return func


@cli_command("assign")
@_assignment_options
def assign_command(measure_number: str, officer_name: str, org_name: str | None, year: int | None) -> None:
    """Assign a measure to an officer by hand."""
    _assign(measure_number, officer_name, org_name, year, True)


@cli_command("unassign")
@_assignment_options
def unassign_command(measure_number: str, officer_name: str, org_name: str | None, year: int | None) -> None:
    """Remove a measure from an officer (automatic assignment will not bring it back)."""
    _assign(measure_number, officer_name, org_name, year, False)


@cli_command("officers")
@click.option("--org", "org_name")
def officers_command(org_name: str | None) -> None:
    """List officers: unit, role, LINE link and status."""
    with _session() as session:
        org = _org(session, org_name)
        units = {u.id: u.name for u in session.exec(select(Unit).where(Unit.organisation_id == org.id))}
        counts = Counter(session.exec(select(Assignment.officer_id).where(
            Assignment.organisation_id == org.id, Assignment.active)).all())
        rows = []
        for o in session.exec(select(Officer).where(Officer.organisation_id == org.id).order_by(Officer.name)):
            state = "active" if o.active else "inactive"
            if o.active and not o.reachable:
                state = "unreachable"
            rows.append([o.name, o.position or "-", units.get(o.unit_id, "-"), o.role,
                         "linked" if o.line_user_id else "not linked", state, str(counts.get(o.id, 0))])
        click.echo(f"{org.name}: {len(rows)} officer(s)")
        click.echo(format_table(["name", "position", "unit", "role", "LINE", "status", "measures"], rows))


@cli_command("measures")
@click.option("--org", "org_name")
@click.option("--year", type=int, help="Fiscal year (BE); all years when left out.")
def measures_command(org_name: str | None, year: int | None) -> None:
    """List measures: ref, title, responsible units, period and assigned officers."""
    with _session() as session:
        org = _org(session, org_name)
        query = select(Measure).where(Measure.organisation_id == org.id, Measure.active)
        if year:
            query = query.where(Measure.fiscal_year == year)
        counts = Counter(session.exec(select(Assignment.measure_id).where(
            Assignment.organisation_id == org.id, Assignment.active)).all())
        rows = []
        for m in session.exec(query.order_by(Measure.fiscal_year, Measure.source_line, Measure.id)):
            period = (period_label(Period(m.period_start, m.period_end)) if m.period_start and m.period_end else "-")
            rows.append([str(m.fiscal_year), m.ref, cut(m.title, 50), cut(m.responsible_text or "-", 28),
                         period, m.cadence, str(counts.get(m.id, 0))])
        click.echo(f"{org.name}: {len(rows)} measure(s)")
        click.echo(format_table(["year", "ref", "title", "responsible", "period", "cadence", "officers"], rows))


COMMANDS = [import_plan_command, plan_template_command, import_officers_command, add_officer_command,
            registration_code_command, assign_command, unassign_command, officers_command, measures_command]
