"""``send-reminders`` says how many reminders still wait for a retry, not "Delivered 0, will retry 0"."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from tests.factories import make_world

BKK = ZoneInfo("Asia/Bangkok")


def test_send_reminders_reports_the_reminders_waiting_out_their_backoff(runner, session, line):
    make_world(session, year=2569)  # fiscal 2569: October 2025 - September 2026
    session.commit()
    line.fail_next(100, status=500, path="/v2/bot/message/push")  # LINE failing for every push of the first run
    with time_machine.travel(datetime(2026, 1, 5, 9, 5, tzinfo=BKK)):
        first = runner.invoke(args=["send-reminders"])
        assert first.exit_code == 0, first.output
        failed = int(re.search(r"will retry (\d+)", first.output).group(1))
        assert failed > 0 and "Delivered 0" in first.output
        line.reset()
        again = runner.invoke(args=["send-reminders"])  # at once: every reminder is still in its backoff
    assert again.exit_code == 0, again.output
    assert "Delivered 0, will retry 0" in again.output
    assert f"Still waiting for a retry: {failed} message(s); the next attempt is due at 09:" in again.output
    assert line.pushes() == []
