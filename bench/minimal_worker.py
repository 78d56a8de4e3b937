"""The floor for handling a webhook event: the product's reads and writes in plain psycopg, nothing more.

``bench/webhook.py --handlers product,minimal`` runs this in place of
``python -m bot.worker`` beside the product (its own copy of the database,
the product's own gunicorn in front of it, so the web's store path is the
same), and the two take turns in the same rounds. For each kind of event in
the benchmark's mix it does what the product does, statement for statement
and transaction for transaction, but written directly:

- learn of stored events by LISTEN on the product's channel (and one scan at
  start), hand each chat to a pool of threads, one chat at a time;
- claim the chat's oldest open event with the product's claim (an UPDATE ...
  RETURNING on ``webhookevent``), committed on its own;
- look up the officer and the open conversation, then per kind:
  a reporting-flow step (the organisation's measures and the assignment for
  ``รายงาน <ref>``, the conversation's INSERT / two UPDATEs / DELETE, the
  measure by key, and on ``ยืนยัน`` the report's INSERT or UPDATE with its
  version and the officer's reports and measures for the closing line),
  ``งานของฉัน`` (the officer's measures and this month's reports), ``สรุป``
  (the organisation's officers with units, assignments with measures, this
  month's reports, name and deadline) and a score question (the score years
  and values);
- mark it ``answering`` with the handler's writes in one commit, send a reply
  of the same shape and about the same size (text, quick replies, Flex
  carousel or bubble) to the same fake LINE server, over a urllib3 pool as the
  SDK's client does, serialised as the SDK serialises (``json.dumps``,
  ASCII-escaped), then mark it ``done``.

No ORM, no SDK models, no Flask, no logging on the hot path. It lowers its
CPU priority as the product's worker does (WORKER_NICE, default 10).

    DATABASE_URL=postgresql://... LINE_API_BASE_URL=http://127.0.0.1:PORT \\
        LINE_CHANNEL_ACCESS_TOKEN=... python bench/minimal_worker.py

Only PostgreSQL (it needs LISTEN). Stops on SIGTERM after the events in hand.
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import urllib3
from psycopg.types.json import Json

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ita.cadence import is_due  # noqa: E402  (the domain's pure rule for which months a measure is due)

CHANNEL = "tidtam_events"  # inbox.store.NOTIFY_CHANNEL
TZ = ZoneInfo("Asia/Bangkok")
STALE = timedelta(seconds=60)
FLOW_LIFE = timedelta(minutes=30)

CLAIM = """
UPDATE webhookevent SET status = 'processing', attempts = attempts + 1, claimed_at = %(now)s
WHERE id = (SELECT min(id) FROM webhookevent
            WHERE chat_key = %(chat)s AND status IN ('received', 'processing', 'answering'))
  AND (status = 'received' OR (status = 'processing' AND claimed_at < %(stale)s AND attempts < 3))
RETURNING webhook_event_id, payload, received_at"""
FINISH = "UPDATE webhookevent SET status = %s, error = NULL, handled_at = %s WHERE webhook_event_id = %s"
ANSWERED = "UPDATE webhookevent SET status = 'done' WHERE webhook_event_id = %s AND status = 'answering'"
WAITING = ("SELECT chat_key FROM webhookevent WHERE status = 'received' GROUP BY chat_key "
           "ORDER BY min(id) LIMIT 500")

OFFICER = ("SELECT id, organisation_id, name, unit_id, role, active FROM officer WHERE line_user_id = %s")
CONVERSATION = "SELECT flow, step, data FROM conversation WHERE line_user_id = %s"
ORG_MEASURES = ("SELECT id, ref, title, fiscal_year, period_start, period_end, cadence FROM measure "
                "WHERE organisation_id = %s AND active ORDER BY fiscal_year DESC, source_line")
ASSIGNED = "SELECT id FROM assignment WHERE measure_id = %s AND officer_id = %s AND active"
MEASURE = "SELECT id, ref, title, fiscal_year, period_start, period_end, cadence FROM measure WHERE id = %s"
OFFICER_MEASURES = ("SELECT m.id, m.ref, m.title, m.fiscal_year, m.period_start, m.period_end, m.cadence "
                    "FROM measure m JOIN assignment a ON a.measure_id = m.id "
                    "WHERE a.officer_id = %s AND a.active AND m.active ORDER BY m.fiscal_year, m.source_line, m.id")
OFFICER_REPORTS = ("SELECT id, measure_id, current_version, status, percent FROM statusreport "
                   "WHERE officer_id = %s AND period = %s")
REPORT = ("SELECT id, current_version FROM statusreport WHERE measure_id = %s AND officer_id = %s "
          "AND period = %s")
ORG_OFFICERS = ("SELECT o.id, o.name, o.unit_id, u.name FROM officer o "
                "LEFT JOIN unit u ON u.id = o.unit_id AND u.organisation_id = %s "
                "WHERE o.organisation_id = %s AND o.active")
ORG_ASSIGNMENTS = ("SELECT a.officer_id, m.id, m.ref, m.title, m.fiscal_year, m.period_start, m.period_end, "
                   "m.cadence, m.source_line FROM assignment a JOIN measure m ON m.id = a.measure_id "
                   "WHERE a.organisation_id = %s AND a.active AND m.organisation_id = %s "
                   "AND m.fiscal_year = ANY(%s) AND m.active "
                   "ORDER BY m.fiscal_year, m.source_line, m.id, a.officer_id")
ORG_REPORTS = ("SELECT measure_id, officer_id, status, percent FROM statusreport "
               "WHERE organisation_id = %s AND period = %s")
ORG_NAME = ("SELECT o.name, s.deadline_day FROM organisation o LEFT JOIN schedule s ON s.organisation_id = o.id "
            "WHERE o.id = %s")
SCORE_YEARS = "SELECT year_be FROM scoreyear WHERE organisation_id = %s ORDER BY year_be"
SCORE_ROWS = ("SELECT id, year_be, reported_overall, reported_level FROM scoreyear "
              "WHERE organisation_id = %s AND year_be = ANY(%s)")
SCORE_VALUES = ("SELECT year_be, kind, key, value FROM scorevalue WHERE organisation_id = %s "
                "AND year_be = ANY(%s) ORDER BY year_be, id")

STATUS_WORDS = {"ยังไม่ดำเนินการ": "not_started", "กำลังดำเนินการ": "in_progress",
                "อยู่ระหว่างดำเนินการ": "in_progress", "ดำเนินการแล้วเสร็จ": "done", "ดำเนินการแล้ว": "done",
                "มีปัญหา-อุปสรรค": "blocked"}
STATUS_LABEL = {"done": "ดำเนินการแล้ว", "in_progress": "อยู่ระหว่างดำเนินการ", "not_started": "ยังไม่ดำเนินการ",
                "blocked": "ติดปัญหา", "": "ยังไม่รายงาน"}
STATUS_COLOUR = {"done": "#1DB446", "in_progress": "#E3A008", "not_started": "#6B7280", "blocked": "#E02424",
                 "": "#9CA3AF"}
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
          "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def message_button(label: str) -> dict:
    return {"type": "action", "action": {"type": "message", "label": label[:20], "text": label}}


def text(body: str, quick: list[str] | None = None) -> dict:
    message = {"type": "text", "text": body}
    if quick:
        message["quickReply"] = {"items": [message_button(label) for label in quick]}
    return message


def period_label(period: date) -> str:
    return f"รอบเดือน{MONTHS[period.month - 1]} {period.year + 543}"


def fiscal_year_be(day: date) -> int:
    return day.year + 543 + (1 if day.month >= 10 else 0)


def due(row: tuple, period: date) -> bool:
    """Whether a measure row (id, ref, title, fiscal_year, start, end, cadence, ...) is due this month."""
    return is_due(period=period, start=row[4], end=row[5], cadence=row[6], fiscal_year_be=row[3])


class Handler:
    """One event at a time on this thread's own connection; returns the reply messages."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def handle(self, raw: dict, now: datetime) -> list[dict]:
        source = raw.get("source") or {}
        user = source.get("userId")
        message = raw.get("message") or {}
        if raw.get("type") != "message" or message.get("type") != "text" or not user:
            return []
        words = " ".join(message.get("text", "").split())
        cur = self.conn.cursor()
        officer = cur.execute(OFFICER, (user,)).fetchone()
        conversation = cur.execute(CONVERSATION, (user,)).fetchone()
        period = now.astimezone(TZ).date().replace(day=1)
        if officer is None:
            return [text("ยังไม่ได้ลงทะเบียนค่ะ")]
        if words == "สรุป":
            return self.summary(cur, officer, period) if officer[4] in ("supervisor", "admin") else \
                [text("คำสั่งนี้สำหรับหัวหน้าค่ะ")]
        if words == "งานของฉัน":
            return self.tasks(cur, officer, period)
        if words.startswith("รายงาน "):
            return self.start(cur, officer, user, words.split(" ", 1)[1], period, now)
        if conversation is not None:
            return self.step(cur, officer, user, conversation, words, period, now)
        if "คะแนน" in words:
            return self.score(cur, officer, now)
        return [text("พิมพ์ ช่วยเหลือ เพื่อดูคำสั่งค่ะ")]

    # -- the reporting flow ---------------------------------------------------------------

    def start(self, cur, officer, user, ref, period, now) -> list[dict]:
        measures = cur.execute(ORG_MEASURES, (officer[1],)).fetchall()
        measure = next((m for m in measures if m[1] == ref), None)
        if measure is None or cur.execute(ASSIGNED, (measure[0], officer[0])).fetchone() is None:
            return [text(f"ไม่พบมาตรการ {ref} ของท่านค่ะ")]
        data = Json({"m": measure[0], "p": period.strftime("%Y-%m"), "for": None})
        # As the product does: read the conversation again, then insert it or replace an open one.
        if cur.execute(CONVERSATION, (user,)).fetchone() is None:
            cur.execute("INSERT INTO conversation (line_user_id, flow, step, data, updated_at, expires_at) "
                        "VALUES (%s, 'report', 'status', %s, %s, %s)", (user, data, now, now + FLOW_LIFE))
        else:
            cur.execute("UPDATE conversation SET flow = 'report', step = 'status', data = %s, updated_at = %s, "
                        "expires_at = %s WHERE line_user_id = %s", (data, now, now + FLOW_LIFE, user))
        return [text(f"มาตรการ {measure[1]} {measure[2]}\nสถานะเป็นอย่างไรบ้างคะ",
                     ["ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้ว", "มีปัญหา-อุปสรรค"])]

    def _save_step(self, cur, user, data, step, now) -> None:
        # The product writes the data and the step in two statements; so does the floor.
        cur.execute("UPDATE conversation SET data = %s, updated_at = %s, expires_at = %s WHERE line_user_id = %s",
                    (Json(data), now, now + FLOW_LIFE, user))
        cur.execute("UPDATE conversation SET step = %s WHERE line_user_id = %s", (step, user))

    def step(self, cur, officer, user, conversation, words, period, now) -> list[dict]:
        _flow, step, data = conversation
        if step == "status":
            data["s"] = STATUS_WORDS.get(words, "in_progress")
            next_step = "percent" if data["s"] == "in_progress" else "summary"
            self._save_step(cur, user, data, next_step, now)
            cur.execute(MEASURE, (data["m"],)).fetchone()
            if next_step == "percent":
                return [text("คืบหน้าประมาณกี่เปอร์เซ็นต์คะ (กดเลือกหรือพิมพ์ตัวเลข 0–100)",
                             ["25%", "50%", "75%", "100%"])]
            return [text("สรุปผลการดำเนินการสั้น ๆ ค่ะ ทำอะไรไปแล้วบ้าง")]
        if step == "percent":
            digits = re.search(r"\d+", words)
            data["pc"] = min(100, int(digits.group())) if digits else None
            self._save_step(cur, user, data, "summary", now)
            cur.execute(MEASURE, (data["m"],)).fetchone()
            return [text("สรุปผลการดำเนินการสั้น ๆ ค่ะ ทำอะไรไปแล้วบ้าง")]
        if step == "summary":
            data["sum"] = words[:2000]
            self._save_step(cur, user, data, "more", now)
            cur.execute(MEASURE, (data["m"],)).fetchone()
            return [{**text("มีผลลัพธ์/ความสำเร็จ หรือรูปหลักฐานเพิ่มไหมคะ พิมพ์ผลลัพธ์ หรือส่งรูป/ไฟล์ได้เลย "
                             "ถ้าไม่มีกด ไปยืนยัน"),
                     "quickReply": {"items": [message_button("ไปยืนยัน"),
                                              {"type": "action", "action": {"type": "camera", "label": "ถ่ายรูป"}},
                                              {"type": "action", "action": {"type": "cameraRoll",
                                                                            "label": "เลือกรูป"}}]}}]
        if step == "more":
            self._save_step(cur, user, data, "confirm", now)
            measure = cur.execute(MEASURE, (data["m"],)).fetchone()
            status = STATUS_LABEL[data.get("s", "")] + (f" {data['pc']}%" if data.get("pc") is not None else "")
            return [text(f"กรุณาตรวจสอบรายงานค่ะ\nมาตรการ: {measure[1]} {measure[2]}\nรอบ: {period_label(period)}\n"
                         f"สถานะ: {status}\nผลการดำเนินการ: {data.get('sum', '')}", ["ยืนยัน", "แก้ไข", "ยกเลิก"])]
        return self.confirm(cur, officer, user, data, period, now)

    def confirm(self, cur, officer, user, data, period, now) -> list[dict]:
        measure = cur.execute(MEASURE, (data["m"],)).fetchone()
        status, percent = data.get("s", "in_progress"), data.get("pc")
        existing = cur.execute(REPORT, (measure[0], officer[0], period)).fetchone()
        if existing is None:
            report_id, version = cur.execute(
                "INSERT INTO statusreport (organisation_id, measure_id, officer_id, period, current_version, status, "
                "percent, created_at, updated_at) VALUES (%s, %s, %s, %s, 1, %s, %s, %s, %s) RETURNING id",
                (officer[1], measure[0], officer[0], period, status, percent, now, now)).fetchone()[0], 1
        else:
            report_id, version = existing[0], existing[1] + 1
            cur.execute("UPDATE statusreport SET current_version = %s, status = %s, percent = %s, updated_at = %s "
                        "WHERE id = %s", (version, status, percent, now, report_id))
        cur.execute("INSERT INTO reportversion (report_id, version, status, percent, summary, outcome, obstacles, "
                    "reported_by_officer_id, webhook_event_id, via, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, '', '', %s, NULL, 'chat', %s) RETURNING id",
                    (report_id, version, status, percent, data.get("sum", ""), officer[0], now)).fetchone()
        cur.execute("DELETE FROM conversation WHERE line_user_id = %s", (user,))
        reported = {r[1] for r in cur.execute(OFFICER_REPORTS, (officer[0], period)).fetchall()}
        left = [m for m in cur.execute(OFFICER_MEASURES, (officer[0],)).fetchall()
                if due(m, period) and m[0] not in reported]
        closing = "รายงานครบทุกมาตรการของรอบนี้แล้วค่ะ" if not left else \
            "ยังเหลือ " + ", ".join(f"มาตรการ {m[1]} {m[2][:40]}" for m in left[:5])
        return [text(f"บันทึกรายงานมาตรการ {measure[1]} {period_label(period)} แล้วค่ะ (ฉบับที่ {version}) "
                     f"ขอบคุณค่ะ\n{closing}")]

    # -- commands ---------------------------------------------------------------------------

    def tasks(self, cur, officer, period) -> list[dict]:
        measures = [m for m in cur.execute(OFFICER_MEASURES, (officer[0],)).fetchall() if due(m, period)]
        reports = {r[1]: (r[3], r[4]) for r in cur.execute(OFFICER_REPORTS, (officer[0], period)).fetchall()}
        pending = [m for m in measures if m[0] not in reports]
        heading = (f"งานของท่าน{period_label(period)}: ครบกำหนด {len(measures)} มาตรการ "
                   f"ยังไม่รายงาน {len(pending)} มาตรการ")
        if not measures:
            return [text(heading)]
        how = "กดปุ่ม หรือพิมพ์ เช่น รายงาน 1 ดำเนินการแล้ว 100% สรุปสิ่งที่ทำ"
        bubbles, lines = [], []
        for m in measures[:12]:
            status, percent = reports.get(m[0], ("", None))
            label = STATUS_LABEL[status] + (f" {percent}%" if status == "in_progress" and percent else "")
            lines.append(f"• {m[1]} {m[2][:40]}… — {label}")
            bubbles.append({"type": "bubble", "size": "kilo", "body": {
                "type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                    {"type": "text", "text": f"มาตรการ {m[1]}", "size": "xs", "color": "#6B7280"},
                    {"type": "text", "text": m[2], "wrap": True, "weight": "bold", "size": "sm", "maxLines": 4},
                    {"type": "text", "text": label, "size": "xs", "color": STATUS_COLOUR[status], "wrap": True}]},
                "footer": {"type": "box", "layout": "vertical", "contents": [
                    {"type": "button", "style": "primary", "height": "sm", "color": "#06C755", "action": {
                        "type": "postback", "label": "รายงานผล",
                        "data": f"a=rep&m={m[1]}&p={period:%Y-%m}", "displayText": f"รายงานมาตรการ {m[1]}"}}]}})
        return [text(f"{heading}\nมี {len(measures)} มาตรการ เลื่อนดูด้านล่างแล้วกดรายงานได้เลยค่ะ\n{how}"),
                {"type": "flex", "altText": "\n".join([heading, *lines, how])[:1500],
                 "contents": {"type": "carousel", "contents": bubbles}}]

    def summary(self, cur, officer, period) -> list[dict]:
        org = officer[1]
        this_year = fiscal_year_be(period)
        units = {row[0]: row[3] or "ไม่ระบุหน่วยงาน" for row in cur.execute(ORG_OFFICERS, (org, org)).fetchall()}
        assignments = cur.execute(ORG_ASSIGNMENTS, (org, org, [this_year, this_year + 1])).fetchall()
        reports = {(r[0], r[1]): r[2] for r in cur.execute(ORG_REPORTS, (org, period)).fetchall()}
        name, deadline_day = cur.execute(ORG_NAME, (org,)).fetchone()
        per_unit: dict[str, list[int]] = {}
        per_measure: dict[int, list[str]] = {}
        for officer_id, measure_id, *rest in assignments:
            if officer_id not in units or not is_due(period=period, start=rest[3], end=rest[4], cadence=rest[5],
                                                      fiscal_year_be=rest[2]):
                continue
            status = reports.get((measure_id, officer_id), "")
            counts = per_unit.setdefault(units[officer_id], [0, 0])
            counts[0] += bool(status)
            counts[1] += 1
            per_measure.setdefault(measure_id, []).append(status)
        sent, total = sum(c[0] for c in per_unit.values()), sum(c[1] for c in per_unit.values())
        share = round(100 * sent / total) if total else 0
        by_status = dict.fromkeys(("done", "in_progress", "not_started", "blocked", ""), 0)
        for statuses in per_measure.values():
            reported = [s for s in statuses if s]
            by_status[min(reported, key=list(by_status).index) if reported else ""] += 1
        deadline = f"อีก {max(0, (deadline_day or 10) - datetime.now(TZ).day)} วันถึงกำหนดส่ง"
        title = f"สรุปความคืบหน้า{period_label(period)}"

        def row(colour: str, label: str, value: str) -> dict:
            return {"type": "box", "layout": "horizontal", "contents": [
                {"type": "text", "text": "●", "wrap": True, "size": "sm", "color": colour, "flex": 0},
                {"type": "text", "text": label, "wrap": True, "size": "sm", "flex": 5, "margin": "sm"},
                {"type": "text", "text": value, "wrap": True, "size": "sm", "align": "end", "flex": 1,
                 "weight": "bold"}]}

        body = [
            {"type": "box", "layout": "horizontal", "contents": [
                {"type": "text", "text": f"ส่งรายงานแล้ว {sent}/{total}", "wrap": True, "size": "sm", "flex": 5,
                 "gravity": "bottom"},
                {"type": "text", "text": f"{share}%", "wrap": True, "size": "xxl", "weight": "bold", "align": "end",
                 "flex": 2, "color": "#E02424"}]},
            {"type": "box", "layout": "vertical", "contents": [
                {"type": "box", "layout": "vertical", "contents": [], "backgroundColor": "#E02424", "height": "6px",
                 "width": f"{share}%"}], "backgroundColor": "#E5E7EB", "height": "6px", "cornerRadius": "3px",
             "margin": "sm"},
            {"type": "text", "text": deadline, "wrap": True, "size": "xs", "color": "#6B7280"},
            {"type": "separator", "margin": "md"},
            {"type": "text", "text": f"มาตรการที่ครบกำหนด {len(per_measure)} รายการ", "wrap": True, "size": "sm",
             "weight": "bold", "margin": "md"},
            *(row(STATUS_COLOUR[s], STATUS_LABEL[s], str(n)) for s, n in by_status.items()),
            {"type": "separator", "margin": "md"},
            {"type": "text", "text": "รายหน่วยงาน (ส่งแล้ว/ครบกำหนด)", "wrap": True, "size": "sm", "weight": "bold",
             "margin": "md"},
        ]
        for unit, (reported, owed) in sorted(per_unit.items()):
            body += [row("#06C755", unit, f"{reported}/{owed} ({round(100 * reported / owed)}%)"),
                     {"type": "box", "layout": "vertical", "contents": [
                         {"type": "box", "layout": "vertical", "contents": [], "backgroundColor": "#06C755",
                          "height": "6px", "width": f"{round(100 * reported / owed)}%"}],
                      "backgroundColor": "#E5E7EB", "height": "6px", "cornerRadius": "3px", "margin": "sm"}]
        alt = "\n".join([title, name, f"ส่งรายงานแล้ว {sent}/{total} ({share}%)", deadline,
                         *(f"• {unit} {c[0]}/{c[1]}" for unit, c in sorted(per_unit.items()))])
        footer = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "style": "secondary", "height": "sm", "action": {
                "type": "message", "label": label, "text": label}} for label in ("ค้างส่ง", "สรุปปี", "กราฟ")]}
        return [{"type": "flex", "altText": alt[:1500], "contents": {
            "type": "bubble", "size": "mega",
            "header": {"type": "box", "layout": "vertical", "paddingBottom": "none", "contents": [
                {"type": "text", "text": name, "wrap": True, "size": "xs", "color": "#6B7280"},
                {"type": "text", "text": title, "wrap": True, "weight": "bold", "size": "md"}]},
            "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
            "footer": footer},
            "quickReply": {"items": [message_button(label) for label in
                                     ["ค้างส่ง", "สรุปปี", "กราฟ", *(f"สรุป {unit}" for unit in sorted(per_unit))][:13]]}}]

    def score(self, cur, officer, now) -> list[dict]:
        org = officer[1]
        years = [r[0] for r in cur.execute(SCORE_YEARS, (org,)).fetchall()][-2:]
        if not years:
            return [text("ยังไม่มีคะแนน ITA ของหน่วยงานค่ะ")]
        cur.execute(SCORE_ROWS, (org, years)).fetchall()
        indicators: dict[int, list[float]] = {}
        for year, kind, _key, value in cur.execute(SCORE_VALUES, (org, years)).fetchall():
            if kind == "indicator" and value is not None:
                indicators.setdefault(year, []).append(float(value))
        overall = {year: sum(v) / len(v) for year, v in indicators.items() if v}
        year = years[-1]
        this = overall.get(year, 0.0)
        lines = [f"คะแนน ITA ปี {year}: {this:.2f} คะแนน", "ระดับผลการประเมิน: ผ่านดี",
                 f"IIT {this:.2f} · EIT {this:.2f} · OIT {this:.2f}"]
        if len(years) > 1 and years[0] in overall:
            lines.append(f"เทียบกับปี {years[0]} ({overall[years[0]]:.2f}): ▲ {this - overall[years[0]]:.2f} คะแนน")
        return [{**text("\n".join(lines)), "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": label, "text": said}}
            for label, said in (("คะแนนปีนี้", "คะแนน ITA ปีนี้"), ("ต่ำกว่า 85", "ตัวชี้วัดไหนต่ำกว่า 85"),
                                ("ตัวชี้วัดต่ำสุด", "ตัวชี้วัดไหนต่ำสุด"), ("เทียบปีที่แล้ว", "เทียบกับปีที่แล้ว"),
                                ("กราฟคะแนน", "กราฟคะแนน"))]}}]


class Worker:
    """LISTEN for stored chats, and handle each chat's events one at a time on a pool of threads."""

    def __init__(self, url: str, line_url: str, token: str, threads: int) -> None:
        self.url = url
        self.reply_url = line_url.rstrip("/") + "/v2/bot/message/reply"
        # The SDK's client: a urllib3 PoolManager, keep-alive, bearer token, JSON body.
        self.http = urllib3.PoolManager(num_pools=4, maxsize=threads, retries=False,
                                        timeout=urllib3.Timeout(connect=3.0, read=10.0))
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                        "Accept": "application/json", "User-Agent": "tidtam-minimal/1"}
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="minimal")
        self.local = threading.local()
        self.lock = threading.Lock()
        self.active: dict[str, bool] = {}  # chat -> look again when done
        self.stop = threading.Event()

    def connection(self) -> psycopg.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None or conn.closed:
            conn = self.local.conn = psycopg.connect(self.url)
        return conn

    def submit(self, chat: str) -> None:
        with self.lock:
            if chat in self.active:
                self.active[chat] = True
                return
            self.active[chat] = False
        self.pool.submit(self.drain, chat)

    def drain(self, chat: str) -> None:
        while True:
            try:
                while not self.stop.is_set() and self.handle_next(chat):
                    pass
            except Exception as exc:  # a bench tool: say what broke and go on with the next chat
                print(f"minimal worker: {chat}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                self.local.conn = None
            with self.lock:
                if self.active.get(chat) and not self.stop.is_set():
                    self.active[chat] = False
                    continue
                self.active.pop(chat, None)
                return

    def handle_next(self, chat: str) -> bool:
        conn = self.connection()
        now = datetime.now(UTC)
        with conn.transaction():
            row = conn.execute(CLAIM, {"now": now, "chat": chat, "stale": now - STALE}).fetchone()
        if row is None:
            return False
        event_id, payload, received_at = row
        raw = json.loads(payload)
        if now - received_at > timedelta(seconds=50):
            raw.pop("replyToken", None)
        try:
            with conn.transaction():
                reply = Handler(conn).handle(raw, now)
                conn.execute(FINISH, ("answering" if reply else "done", datetime.now(UTC), event_id))
        except psycopg.DatabaseError as exc:
            # As the product does: the event is marked failed and the chat goes on (no apology sent here).
            print(f"minimal worker: event {event_id} failed: {type(exc).__name__}: {exc}", file=sys.stderr,
                  flush=True)
            with conn.transaction():
                conn.execute("UPDATE webhookevent SET status = 'failed', error = %s, handled_at = %s "
                             "WHERE webhook_event_id = %s", (type(exc).__name__, datetime.now(UTC), event_id))
            return True
        token = raw.get("replyToken")
        if reply and token:
            body = json.dumps({"replyToken": token, "messages": reply[:5], "notificationDisabled": False})
            response = self.http.request("POST", self.reply_url, body=body.encode(), headers=self.headers,
                                         preload_content=False)
            response.drain_conn()
            response.release_conn()
            if response.status != 200:
                print(f"minimal worker: reply answered {response.status}", file=sys.stderr, flush=True)
        if reply:
            with conn.transaction():
                conn.execute(ANSWERED, (event_id,))
        return True

    def run(self) -> None:
        listener = psycopg.connect(self.url, autocommit=True)
        listener.execute(f"LISTEN {CHANNEL}")
        for (chat,) in listener.execute(WAITING).fetchall():
            self.submit(chat)
        print("minimal worker: handling webhook events", flush=True)
        while not self.stop.is_set():
            for notice in listener.notifies(timeout=0.5):
                self.submit(notice.payload)
        listener.close()
        self.pool.shutdown(wait=True)


def lower_priority(nice: int) -> None:
    """As bot.worker does: a session and autogroup of its own, niced, so the web comes first."""
    try:
        os.setsid()
    except OSError:
        pass
    try:
        with open("/proc/self/autogroup", "w") as autogroup:
            autogroup.write(str(nice))
    except OSError:
        pass
    os.nice(nice)


def main() -> None:
    url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    if not url.startswith("postgresql"):
        raise SystemExit("the minimal worker needs PostgreSQL (LISTEN)")
    worker = Worker(url, os.environ["LINE_API_BASE_URL"], os.environ["LINE_CHANNEL_ACCESS_TOKEN"],
                    int(os.environ.get("HANDLER_THREADS", "4")))
    nice = int(os.environ.get("WORKER_NICE", "10"))
    if nice:
        lower_priority(nice)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop.set())
    signal.signal(signal.SIGINT, lambda *_: worker.stop.set())
    worker.run()


if __name__ == "__main__":
    main()
