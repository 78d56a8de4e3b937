"""CLI command for the year's results report: ``flask --app bot export-report``."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click
from sqlmodel import Session

from bot.cli.common import cli_command, fail, services
from ita.annual_report import FORMATS, write_report
from ita.thai import fiscal_year_bounds, format_thai_date
from models import utcnow
from models.annual import gather_annual_report, measure_years
from models.plan import OrganisationChoiceError, find_organisation


def _parse_year(value: str | None) -> int:
    if not value:
        fail("--year is required: the fiscal year in Buddhist era, e.g. --year 2569")
    try:
        year = int(value.strip())
    except ValueError:
        fail(f"--year must be a Buddhist-era year such as 2569, not {value!r}")
    if not 2400 <= year < 3000:
        fail(f"--year must be a Buddhist-era year such as 2569, not {year}")
    return year


def _parse_as_of(value: str | None, year: int) -> date | None:
    if value is None:
        return None
    try:
        as_of = date.fromisoformat(value.strip())
    except ValueError:
        fail(f"--as-of must be a date written YYYY-MM-DD (e.g. 2026-03-31), not {value!r}")
    start, _ = fiscal_year_bounds(year)
    if as_of < start:
        fail(f"--as-of {as_of.isoformat()} is before fiscal year {year} begins ({start.isoformat()})")
    return as_of


def _format_of(fmt: str | None, output: Path) -> str:
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        if fmt:
            fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        fail(f"cannot tell the format from {output.name!r}; pass --format {'|'.join(FORMATS)}")
    return chosen


def _check_writable(output: Path) -> None:
    folder = output.parent
    if not folder.exists():
        fail(f"cannot write {output}: the folder {folder} does not exist")
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        fail(f"cannot write {output}: the folder {folder} is not writable")


@cli_command("export-report")
@click.option("--year", "year_text", metavar="BE", help="Fiscal year in Buddhist era, e.g. 2569.")
@click.option("--org", "org_name", help="Organisation name (may be left out when there is only one).")
@click.option("--format", "fmt", metavar="docx|xlsx|csv", help="File format (default: from the output's extension).")
@click.option("--output", type=click.Path(path_type=Path), help="Where to write the file.")
@click.option("--thai-digits", is_flag=True, help="Write every number, date and measure number in Thai digits.")
@click.option("--as-of", "as_of_text", metavar="YYYY-MM-DD", help="Report what was known at the end of this day.")
def export_report_command(year_text: str | None, org_name: str | None, fmt: str | None, output: Path | None,
                          thai_digits: bool, as_of_text: str | None) -> None:
    """Write the year's results report (รายงานผลการดำเนินการ…) as DOCX, XLSX or CSV."""
    year = _parse_year(year_text)
    as_of = _parse_as_of(as_of_text, year)
    if output is None:
        fail("--output is required, e.g. --output report.docx")
    if output.is_dir():
        fail(f"cannot write {output}: it is a folder; give a file name such as {output / 'report.docx'}")
    fmt = _format_of(fmt, output)
    _check_writable(output)
    settings = services().settings
    with Session(services().engine, expire_on_commit=False) as session:
        try:
            org = find_organisation(session, org_name)
        except OrganisationChoiceError as exc:
            fail(str(exc))
        years = measure_years(session, organisation_id=org.id)
        if year not in years:
            known = ", ".join(map(str, years)) or "none yet; import a plan with `flask --app bot import-plan`"
            fail(f"{org.name} has no measures for fiscal year {year} (years with measures: {known})")
        report = gather_annual_report(session, organisation_id=org.id, year_be=year, tz=settings.tz,
                                      now=utcnow(), as_of=as_of)
    try:
        write_report(report, output, fmt, thai_digits=thai_digits)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    click.echo(f"Wrote {output} ({fmt}): {org.name}, fiscal year {year}, "
               f"{format_thai_date(report.covered_start)} – {format_thai_date(report.covered_end)}.")
    click.echo(f"{len(report.measures)} measure(s): {report.reported_count} with results, "
               f"{len(report.measures) - report.reported_count} without; {len(report.versions)} report version(s)"
               + ("; with the score comparison." if report.scores else "; no scores stored."))


COMMANDS = [export_report_command]
