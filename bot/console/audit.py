"""The audit log (/console/audit): who changed what and when, newest first."""
from __future__ import annotations

from flask import render_template, request

from bot.console.blueprint import bp, db, visitor
from models.console import audit_entries

PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    before = request.args.get("before", "")
    entries = audit_entries(db(), organisation_id=visitor().organisation_id, limit=PAGE_SIZE,
                            before_id=int(before) if before.isdigit() else None)
    more = len(entries) == PAGE_SIZE
    return render_template("console/audit.html", entries=entries, more=more)
