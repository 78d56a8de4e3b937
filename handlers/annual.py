"""A supervisor's รายงานประจำปี: the year's results report as Word and Excel download links.

The documents are built outside the request (the task pool) and pushed as
two signed links that work for 24 hours; the reply says they are coming.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime

from sqlmodel import Session

from core.links import LINK_MAX_AGE, new_file_path, signed_url
from core.services import Services
from handlers.registry import Context, Reply, command
from ita.annual_report import Reporter, write_report
from ita.thai import expand_be_year, fiscal_year, to_arabic_digits
from line import texts, views
from models import Role, utcnow
from models.annual import gather_annual_report, measure_years
from models.org import Officer
from outbox.send import Recipient, push

log = logging.getLogger(__name__)

_YEAR = re.compile(r"(?<![0-9])([0-9]{4}|[0-9]{2})(?![0-9])")


def _asked_year(args: str, today: date) -> int:
    """The fiscal year typed after the command ("2568", "68"), else the current one."""
    match = _YEAR.search(to_arabic_digits(args or ""))
    if match:
        year = expand_be_year(int(match.group(1)))
        if 2400 <= year < 3000:
            return year
    return fiscal_year(today)


@command("รายงานประจำปี", "annual report", role=Role.SUPERVISOR, slow=True, usage="รายงานประจำปี [ปีงบประมาณ]")
def annual_report_command(ctx: Context, args: str) -> Reply:
    """จัดทำรายงานผลการดำเนินการประจำปี (Word และ Excel) ส่งเป็นลิงก์ดาวน์โหลด"""
    today = ctx.now.astimezone(ctx.settings.tz).date()
    year = _asked_year(args, today)
    organisation_id = ctx.officer.organisation_id
    years = measure_years(ctx.session, organisation_id=organisation_id)
    if year not in years:
        lines = [texts.ANNUAL_NO_MEASURES.format(year=year)]
        if years:
            lines.append(texts.ANNUAL_YEARS_KNOWN.format(years=", ".join(map(str, years)), example=years[-1]))
        return [views.text(views.lines(lines))]
    ctx.services.tasks.submit(send_annual_report, ctx.services, to=Recipient(organisation_id, ctx.officer.id, ctx.user_id),
                              year_be=year)
    return [views.text(texts.ANNUAL_PREPARING.format(year=year))]


def annual_ready_message(year_be: int, total: int, reported: int, links: dict[str, str], hours: int) -> dict:
    """The report's files as two buttons to tap (Word, Excel), not long links in plain text."""
    body = texts.ANNUAL_READY.format(year=year_be, total=total, reported=reported, hours=hours)
    bubble = {"type": "bubble", "size": "kilo",
              "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                  {"type": "text", "text": line, "wrap": True, "size": "sm", **({"weight": "bold"} if not i else {})}
                  for i, line in enumerate(body.splitlines()) if line]},
              "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                  {"type": "button", "style": "primary", "height": "sm", "color": "#2B579A",
                   "action": views.uri_action(texts.ANNUAL_BTN_DOCX, links["docx"])},
                  {"type": "button", "style": "primary", "height": "sm", "color": "#217346",
                   "action": views.uri_action(texts.ANNUAL_BTN_XLSX, links["xlsx"])}]}}
    return views.flex(body, bubble)


def send_annual_report(services: Services, *, to: Recipient, year_be: int, now: datetime | None = None) -> bool:
    """Build the DOCX and XLSX, then push the asker both download links."""
    settings = services.settings
    try:
        now = now or utcnow()
        today = now.astimezone(settings.tz).date()
        with Session(services.engine) as session:
            officer = session.get(Officer, to.officer_id)
            reporter = Reporter(name=officer.name if officer else "", position=(officer.position or "") if officer
                                else "", day=today)
            # The current year is reported up to today; a past year in full.
            as_of = today if fiscal_year(today) == year_be else None
            report = gather_annual_report(session, organisation_id=to.organisation_id, year_be=year_be,
                                          tz=settings.tz, now=now, as_of=as_of, reporter=reporter)
        name = texts.ANNUAL_FILE_NAME.format(year=year_be)
        links = {}
        for fmt in ("docx", "xlsx"):
            path = write_report(report, new_file_path(settings, f".{fmt}"), fmt)
            links[fmt] = signed_url(settings, path, download_name=f"{name}.{fmt}")
        return push(services, to, [annual_ready_message(year_be, len(report.measures), report.reported_count,
                                                        links, LINK_MAX_AGE // 3600)])
    except Exception:
        log.exception("annual report %s for organisation %s failed", year_be, to.organisation_id)
        push(services, to, [views.text(texts.ANNUAL_FAILED)], apologise=False)
        return False
