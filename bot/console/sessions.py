"""Cookie sessions for the console only.

The webhook is the hot path: it must not build a signer or read cookies on
every LINE request, so every path outside /console gets Flask's null session
(which refuses writes) at the cost of one string comparison.
"""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

CONSOLE_PREFIX = "/console"


class ConsoleOnlySessions(SecureCookieSessionInterface):
    """Signed cookie sessions under /console; none anywhere else."""

    def open_session(self, app, request):
        if not request.path.startswith(CONSOLE_PREFIX):
            return None  # Flask then uses its null session
        return super().open_session(app, request)
