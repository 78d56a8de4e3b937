"""CLI commands for ITA scores: import a report or the score template, write the template."""
from __future__ import annotations

import re
from pathlib import Path

import click
from sqlmodel import Session, select

from bot.cli.common import cli_command, commit_unless_dry_run, fail, print_warnings, services, write_template
from bot.cli.text_tables import format_table
from ita.score_text import ScoreDocument, ScoreImportError, read_scores, write_score_template
from ita.scores import INDICATORS, TOLERANCE, TOOL_INDICATORS, TOOLS, YearScores
from models import Organisation
from models.plan import OrganisationChoiceError, find_organisation
from models.scores import available_years, save_year_scores, year_scores

SHOWN_QUESTIONS = 12


def _org(session: Session, org_name: str | None, doc_name: str | None) -> Organisation:
    """The organisation named by --org (created if new), else by the document, else the only one."""
    try:
        if org_name:
            return find_organisation(session, org_name, create=True)
        if not doc_name:
            return find_organisation(session, None)
        try:
            return find_organisation(session, doc_name)
        except OrganisationChoiceError:
            # Creating an organisation from a name read in a file is only safe in an empty database.
            known = list(session.exec(select(Organisation.name)).all())
            if known:
                raise OrganisationChoiceError(f"the file names {doc_name!r}, which is not in the database "
                                              f"(known: {', '.join(known)}); pass --org NAME") from None
            return find_organisation(session, doc_name, create=True)
    except OrganisationChoiceError as exc:
        fail(str(exc))


def _where(source: str | None) -> str:
    """The line or row part of a source such as "report.txt line 35 (note)"."""
    match = re.search(r"(?:line|row) \d+", source or "")
    return match.group(0) if match else "-"


@cli_command("import-scores")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_name", help="Organisation name (read from the document when left out).")
@click.option("--year", type=int,
              help="Assessment year (BE, e.g. 2567) for score tables and rows that name none.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported and write nothing.")
@click.option("--prefer", help="When two places in the document give one figure differently: first, last, "
                               "or the place to believe (e.g. --prefer 'table 2').")
def import_scores_command(path: Path, org_name: str | None, year: int | None, dry_run: bool,
                          prefer: str | None) -> None:
    """Import ITA scores from the results report (Word, PDF, Excel, CSV, text) or the score template."""
    if not path.exists():
        fail(f"no such file: {path}")
    try:
        doc = read_scores(path, year_be=year, prefer=prefer)
    except ScoreImportError as exc:
        fail(f"{path.name}: {exc}")
    if not doc.years:
        hint = f" ({doc.warnings[0]})" if doc.warnings else ""
        if year is None and doc.warnings:
            hint += "; if its tables name no year, pass --year (e.g. --year 2568)"
        fail(f"{path.name}: no ITA scores found{hint}")
    name = org_name or doc.org_name
    click.echo(f"File: {path.name}")
    click.echo(f"Organisation: {name or '(not named in the file)'}")
    for scores in doc.years.values():
        _print_year(scores)
    _print_warnings(doc)
    with Session(services().engine, expire_on_commit=False) as session:
        org = _org(session, org_name, doc.org_name)
        before = set(available_years(session, organisation_id=org.id))
        changes = []
        for year_be, scores in doc.years.items():
            old = year_scores(session, organisation_id=org.id, year_be=year_be)
            kept = save_year_scores(session, organisation_id=org.id, scores=scores, source=path.name)
            state = "new" if old is None else ("unchanged" if _same(old, scores) else "updated")
            if kept:
                state += " (kept from before: " + ", ".join(f"{n} {kind} score(s)" for kind, n in kept.items()) + ")"
            changes.append(f"{year_be} {state}")
        click.echo(f"Into {org.name}: " + ", ".join(changes) + ".")
        kept = sorted(before - set(doc.years))
        if kept:
            click.echo(f"Note: year(s) {', '.join(map(str, kept))} in the database are not in this file; "
                       "they were kept.")
        commit_unless_dry_run(session, dry_run)


def _same(old: YearScores, new: YearScores) -> bool:
    return (old.indicators, old.tools, old.questions, old.eit_parts, old.reported_overall, old.reported_level) == (
        new.indicators, new.tools, new.questions, new.eit_parts, new.reported_overall, new.reported_level)


def _print_year(scores: YearScores) -> None:
    click.echo(f"Year {scores.year_be}")
    rows = [[str(n), INDICATORS[n].name, INDICATORS[n].tool, f"{scores.indicators[n]:.2f}",
             _where(scores.sources.get(f"indicator:{n}"))] for n in sorted(scores.indicators)]
    click.echo(f"  Indicators: {len(scores.indicators)} of 10")
    if rows:
        click.echo("\n".join("  " + line for line in
                             format_table(["no", "indicator", "tool", "score", "where"], rows).splitlines()))
    computed = scores.computed_tools()
    tools = []
    for tool in TOOLS:
        if tool in computed:
            complete = all(n in scores.indicators for n in TOOL_INDICATORS[tool])
            text = f"{tool} {computed[tool]:.2f} ({'from indicators' if complete else 'as reported'})"
            stated = scores.tools.get(tool)
            if complete and stated is not None and abs(stated - computed[tool]) > TOLERANCE:
                text += f" [the file says {stated:.2f}]"
        else:
            text = f"{tool} -"
        tools.append(text)
    click.echo("  Tools: " + "; ".join(tools))
    total, level = scores.computed_overall, scores.computed_level
    missing = [str(n) for n in INDICATORS if n not in scores.indicators]
    total_text = f"{total:.2f} computed" if total is not None else (
        "not computable (missing indicator(s) " + ", ".join(missing) + ")")
    if scores.reported_overall is not None:
        total_text += f", {scores.reported_overall:.2f} reported"
        if total is not None and abs(total - scores.reported_overall) > TOLERANCE:
            total_text += " - they differ; both are kept"
    click.echo(f"  Total: {total_text}")
    level_text = f"{level} computed" if level else "not computable"
    if scores.reported_level:
        level_text += f", {scores.reported_level} reported"
        if level and level != scores.reported_level:
            level_text += " - they differ; both are kept"
    click.echo(f"  Level: {level_text}")
    if scores.questions:
        shown = ", ".join(f"{code} {value:.2f}" for code, value in list(scores.questions.items())[:SHOWN_QUESTIONS])
        more = f" … and {len(scores.questions) - SHOWN_QUESTIONS} more" if len(scores.questions) > SHOWN_QUESTIONS \
            else ""
        click.echo(f"  Questions: {len(scores.questions)} ({shown}{more})")
    if scores.eit_parts:
        click.echo("  EIT parts: " + ", ".join(f"part {p} {v:.2f}" for p, v in sorted(scores.eit_parts.items())))


def _print_warnings(doc: ScoreDocument) -> None:
    print_warnings(doc.warnings)


@cli_command("score-template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def score_template_command(path: Path) -> None:
    """Write an empty ITA score spreadsheet (.xlsx or .csv) with example rows and notes."""
    write_template(path, write_score_template, rows_are="score", import_command="import-scores")


COMMANDS = [import_scores_command, score_template_command]
