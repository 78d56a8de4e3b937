"""Registration: linking a LINE account to an officer, and follow/unfollow."""
from __future__ import annotations

from handlers.registry import Context, Reply, command
from ita.thai import fiscal_year, polite_name
from line import texts, views
from line.richmenus import link_menu_task
from models import Organisation
from models.plan import assigned_measures
from models.registration import Redeem, redeem_code

MEASURES_LISTED = 15


@command("ลงทะเบียน", "register", role=None, usage="ลงทะเบียน รหัส")
def register(ctx: Context, args: str) -> Reply:
    """ผูกบัญชี LINE กับรายชื่อเจ้าหน้าที่ด้วยรหัส 8 ตัว"""
    if ctx.in_group or not ctx.user_id:
        return [views.text(texts.REGISTER_IN_GROUP)]
    if not args:
        if ctx.officer is not None:
            return [views.text(texts.REGISTER_ALREADY.format(name=ctx.officer.name))]
        return [views.text(texts.REGISTER_NEED_CODE)]
    result = redeem_code(ctx.session, line_user_id=ctx.user_id, text=args, now=ctx.now)
    match result.outcome:
        case Redeem.OK:
            ctx.officer = result.officer
            on_linked(ctx)
            return welcome_registered(ctx)
        case Redeem.WRONG:
            return [views.text(texts.REGISTER_WRONG.format(left=result.tries_left))]
        case Redeem.LOCKED:
            return [views.text(texts.REGISTER_LOCKED.format(minutes=result.locked_minutes))]
        case Redeem.EXPIRED:
            return [views.text(texts.REGISTER_EXPIRED)]
        case Redeem.USED:
            return [views.text(texts.REGISTER_USED)]
        case Redeem.ALREADY_LINKED:
            return [views.text(texts.REGISTER_ALREADY.format(name=result.officer.name))]
        case Redeem.OFFICER_TAKEN:
            return [views.text(texts.REGISTER_TAKEN)]
    raise AssertionError(result.outcome)


def on_linked(ctx: Context) -> None:
    """Run after an account is linked: attach the role's rich menu (done outside the request)."""
    # -- rich menu linking (issue 10, bot/line_setup.py) --
    services = ctx.services
    if services is None or services.tasks is None or not ctx.user_id or ctx.officer is None:
        return
    services.tasks.submit(link_menu_task, services.line, ctx.user_id, ctx.officer.role)
    # -- end rich menu linking --


def welcome_registered(ctx: Context) -> Reply:
    officer = ctx.officer
    org = ctx.session.get(Organisation, officer.organisation_id)
    year = fiscal_year(ctx.now.astimezone(ctx.settings.tz).date())
    measures = assigned_measures(ctx.session, officer_id=officer.id, fiscal_year=year)
    if not measures:
        measures = assigned_measures(ctx.session, officer_id=officer.id)
    lines = [texts.REGISTER_OK.format(name=polite_name(officer.name), org=org.name if org else "")]
    if measures:
        lines.append(texts.REGISTER_MEASURES_HEAD.format(count=len(measures)))
        lines += [f"• {m.number} {m.title[:60]}".replace("•  ", "• ") for m in measures[:MEASURES_LISTED]]
        if len(measures) > MEASURES_LISTED:
            lines.append(texts.AND_MORE.format(count=len(measures) - MEASURES_LISTED))
    else:
        lines.append(texts.REGISTER_NO_MEASURES)
    return [views.text("\n".join(lines)), views.text(texts.REGISTER_NEXT)]


def on_follow(ctx: Context, *, unblocked: bool) -> Reply:
    """Greet a new friend, or welcome back an officer who unblocked the bot."""
    if ctx.officer is not None:
        ctx.officer.reachable = True
        ctx.session.add(ctx.officer)
        return [views.text(texts.FOLLOW_BACK.format(name=polite_name(ctx.officer.name)))]
    return [views.text(texts.FOLLOW_NEW.format(how_to_register=texts.HOW_TO_REGISTER))]


def on_unfollow(ctx: Context) -> Reply:
    """Mark the officer unreachable; nothing is deleted."""
    if ctx.officer is not None:
        ctx.officer.reachable = False
        ctx.session.add(ctx.officer)
    return []
