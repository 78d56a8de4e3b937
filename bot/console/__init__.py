"""The admin console in the browser (/console): sign in with a one-time link, then set up and follow.

Pages: the dashboard, the plan, people and registration cards, reminders and
the LINE quota, ITA scores, the year's reports, and the audit log. Server-
rendered Jinja with a little plain JavaScript; no build step. Importing this
package registers every page on ``bp``; ``install(app)`` wires it in.
"""
from bot.console import audit, dashboard, filters, people, plan, reminders, reports, scores, signin  # noqa: F401
from bot.console.blueprint import bp, install

__all__ = ["bp", "install"]
