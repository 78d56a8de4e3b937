"""Thai words for progress replies: status labels and phrases, percent words, commands.

`ita.status` turns these into patterns.  The phrase tiers are checked in the
order of ``STATUS_TIERS`` (most specific first, negations before positives);
inside a tier the longest phrase wins.  Phrases are written without spaces:
the matcher allows a space between any two letters, as officers type
"ดำเนินการ แล้ว" and PDF exports wrap words.
"""

# Keyed by the Status value so this module need not import ita.status.
STATUS_LABELS_TH: dict[str, str] = {
    "not_started": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "blocked": "มีปัญหา-อุปสรรค",
}

NOT_STARTED_WORDS: tuple[str, ...] = (
    "ยังไม่ได้ดำเนินการ",
    "ยังไม่ดำเนินการ",
    "ไม่ได้ดำเนินการ",
    "ยังไม่ได้เริ่ม",
    "ยังไม่เริ่ม",
    "ยังไม่ได้ทำ",
    "ยังไม่ทำ",
    "ไม่ได้ทำ",
    "not started",
    "not_started",
)

# Negated "done" that still means work is under way, and partial progress.
PARTIAL_WORDS: tuple[str, ...] = (
    "ยังไม่แล้วเสร็จ",
    "ยังไม่เสร็จสิ้น",
    "ยังไม่เสร็จ",
    "ยังไม่สำเร็จ",
    "ยังไม่เรียบร้อย",
    "ยังไม่ครบ",
    "ดำเนินการบางส่วน",
    "บางส่วน",
    "เกือบเสร็จ",
    "ใกล้เสร็จ",
    "partially",
    "partial",
)

# Negated "done" that means it failed or will not be finished in time.
FAILED_WORDS: tuple[str, ...] = (
    "ไม่แล้วเสร็จ",
    "ไม่เสร็จ",
    "ไม่สำเร็จ",
    "ไม่เรียบร้อย",
    "ไม่ทัน",
)

DONE_WORDS: tuple[str, ...] = (
    "ดำเนินการแล้วเสร็จ",
    "ดำเนินการเสร็จสิ้น",
    "ดำเนินการเสร็จแล้ว",
    "ดำเนินการเสร็จ",
    "ดำเนินการแล้ว",
    "แล้วเสร็จ",
    "เสร็จสิ้น",
    "เสร็จเรียบร้อย",
    "เสร็จแล้ว",
    "เรียบร้อยแล้ว",
    "เรียบร้อย",
    "ทำแล้ว",
    "ทำเสร็จ",
    "สำเร็จ",
    "เสร็จ",
    "done",
    "finished",
    "completed",
    "complete",
)

BLOCKED_WORDS: tuple[str, ...] = (
    "มีปัญหา-อุปสรรค",
    "มีปัญหา/อุปสรรค",
    "มีปัญหาและอุปสรรค",
    "มีปัญหาอุปสรรค",
    "มีปัญหา",
    "ติดปัญหา",
    "พบปัญหา",
    "เจอปัญหา",
    "มีอุปสรรค",
    "ติดอุปสรรค",
    "พบอุปสรรค",
    "ติดขัด",
    "ล่าช้า",
    "blocked",
    "delayed",
    "stuck",
)

# "เลื่อน" (postponed) unless it is a promotion (เลื่อนขั้น, เลื่อนตำแหน่ง).
POSTPONED_WORD: str = "เลื่อน"
POSTPONED_NOT_BEFORE: tuple[str, ...] = ("ขั้น", "ตำแหน่ง", "ระดับ", "ชั้น")

# "รอ…" (waiting for …) only with these objects: bare รอ is inside รอบ, รอง, กรอก.
WAITING_WORD: str = "รอ"
WAITING_OBJECTS: tuple[str, ...] = (
    "อนุมัติ",
    "การ",
    "งบประมาณ",
    "เอกสาร",
    "ผล",
    "ดำเนินการ",
    "ตอบ",
    "เซ็น",
    "ลงนาม",
    "ประชุม",
    "คำสั่ง",
    "หนังสือ",
    "เบิก",
    "จ่าย",
    "ส่ง",
    "ตรวจ",
    "พิจารณา",
    "ผู้",
    "ข้อมูล",
    "ระเบียบ",
    "อยู่",
)

IN_PROGRESS_WORDS: tuple[str, ...] = (
    "อยู่ระหว่างดำเนินการ",
    "อยู่ในระหว่างดำเนินการ",
    "ระหว่างดำเนินการ",
    "กำลังดำเนินการ",
    "อยู่ระหว่าง",
    "กำลังทำ",
    "กำลัง",
    "คืบหน้า",
    "เริ่มดำเนินการแล้ว",
    "เริ่มดำเนินการ",
    "เริ่มแล้ว",
    "in progress",
    "in_progress",
    "ongoing",
)

# Said alone these do not tell whether the work is finished: ask.
AMBIGUOUS_WORDS: tuple[str, ...] = ("ดำเนินการ", "ดำเนินงาน")

# Phrases that contain a status word but deny it ("ไม่มีปัญหา" is not blocked).
NEUTRAL_WORDS: tuple[str, ...] = (
    "ไม่มีปัญหาและอุปสรรค",
    "ไม่มีปัญหาอุปสรรค",
    "ไม่มีปัญหา",
    "ไม่มีอุปสรรค",
    "ไม่พบปัญหา",
    "ไม่พบอุปสรรค",
    "ไม่ติดปัญหา",
    "ไม่ติดขัด",
    "ไม่ล่าช้า",
    "ไม่เลื่อน",
    # Nouns: "success", "orderliness".
    "ความสำเร็จ",
    "ความเรียบร้อย",
)

# Words that follow a number to make it a percentage.
PERCENT_SUFFIXES: tuple[str, ...] = (
    "%",
    "％",
    "เปอร์เซ็นต์",
    "เปอร์เซนต์",
    "เปอร์เซ็นท์",
    "เปอร์เซ็น",
    "เปอร์เซน",
    "เปอเซ็นต์",
    "เปอเซ็น",
    "เปอร์",
    "percent",
    "pct",
)
# Words that precede a number to make it a percentage.
PERCENT_PREFIXES: tuple[str, ...] = ("ร้อยละ",)

# A report typed as text: "รายงาน 1.2 ดำเนินการแล้ว 100% …".
REPORT_WORDS: tuple[str, ...] = ("รายงานผล", "รายงาน", "report")
# Words that may stand before a measure number: "รายงาน ข้อ 3", "มาตรการที่ 2".
MEASURE_NUMBER_PREFIXES: tuple[str, ...] = ("มาตรการที่", "มาตรการ", "ข้อที่", "ข้อ", "ที่", "no.", "no", "#")
