"""Signing in with a one-time link, and signing out.

Opening the link (GET) only shows a confirm page: link previews and
prefetchers must not use up the link. The page's form (sent at once by a
line of JavaScript, or by the button) redeems it with a POST.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import g, redirect, render_template, request, session, url_for

from bot.console.blueprint import bp, db, message_page, services
from line import texts
from models.console import SignIn, end_session, redeem_sign_in

OUTCOME_TEXTS = {
    SignIn.EXPIRED: texts.CONSOLE_SIGN_IN_EXPIRED,
    SignIn.USED: texts.CONSOLE_SIGN_IN_USED,
    SignIn.INVALID: texts.CONSOLE_SIGN_IN_INVALID,
    SignIn.REFUSED: texts.CONSOLE_SIGN_IN_REFUSED,
}


def _link_csrf(token: str) -> str:
    """The confirm form's CSRF token: bound to this link, so no session is needed before signing in."""
    key = services().settings.signing_key.encode()
    return hmac.new(key, b"console-sign-in:" + token.encode(), hashlib.sha256).hexdigest()


@bp.get("/login/<token>")
def sign_in(token: str):
    return render_template("console/signin.html", token=token, link_csrf=_link_csrf(token))


@bp.post("/login/<token>")
def sign_in_confirm(token: str):
    if not hmac.compare_digest(request.form.get("csrf_token", ""), _link_csrf(token)):
        return message_page(texts.CONSOLE_BAD_FORM, 400)
    result = redeem_sign_in(db(), token=token, signing_key=services().settings.signing_key, now=g.now)
    db().commit()  # a used link stays used even when the sign-in is refused
    if result.outcome is not SignIn.OK:
        return message_page(OUTCOME_TEXTS[result.outcome], 403 if result.outcome is SignIn.REFUSED else 410,
                            hint=texts.CONSOLE_HOW_TO_SIGN_IN)
    session.clear()  # a fresh cookie: nothing from before the sign-in is carried over
    session.permanent = True
    session["sid"] = result.session_token
    return redirect(url_for("console.dashboard"))


@bp.post("/logout")
def sign_out():
    end_session(db(), token=session.get("sid"), now=g.now)
    db().commit()
    session.clear()
    return redirect(url_for("console.signed_out"))


@bp.get("/signed-out")
def signed_out():
    return message_page(texts.CONSOLE_SIGNED_OUT, 200, hint=texts.CONSOLE_HOW_TO_SIGN_IN)
