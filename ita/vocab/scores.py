"""Thai words for ITA scores: indicators, tools, levels, table labels and questions.

`ita.scores`, `ita.score_text` and `ita.questions` match against these lists;
nothing else in those modules should spell a Thai word.  Lists that are
searched as substrings are ordered longest first where a shorter entry is a
prefix of a longer one (ผ่านดีเยี่ยม before ผ่านดี before ผ่าน).
"""

# Official indicator names, 1–10, in the NACC's wording.
INDICATOR_NAMES: dict[int, str] = {
    1: "การปฏิบัติหน้าที่",
    2: "การใช้งบประมาณ",
    3: "การใช้อำนาจ",
    4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต",
    6: "คุณภาพการดำเนินงาน",
    7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงการทำงาน",
    9: "การเปิดเผยข้อมูล",
    10: "การป้องกันการทุจริต",
}

# Other ways documents and officers name the same indicators.
INDICATOR_ALIASES: dict[int, tuple[str, ...]] = {
    1: ("ปฏิบัติหน้าที่",),
    2: ("ใช้งบประมาณ", "งบประมาณ"),
    3: ("ใช้อำนาจ",),
    4: ("การใช้ทรัพย์สินของทางราชการ", "ใช้ทรัพย์สินของราชการ", "ทรัพย์สินของราชการ", "ทรัพย์สินราชการ"),
    5: ("แก้ไขปัญหาการทุจริต", "การแก้ปัญหาการทุจริต"),
    6: ("คุณภาพการดำเนินการ", "คุณภาพการดำเนินงาน"),
    7: ("ประสิทธิภาพในการสื่อสาร", "การสื่อสาร"),
    8: ("การปรับปรุงระบบการทำงาน", "ปรับปรุงการทำงาน", "ปรับปรุงระบบการทำงาน"),
    9: ("เปิดเผยข้อมูล",),
    10: ("ป้องกันการทุจริต", "การป้องกันทุจริต"),
}

# Thai names of the three assessment tools (แบบวัด) and shorter forms.
TOOL_NAMES: dict[str, str] = {
    "IIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
    "EIT": "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
    "OIT": "แบบวัดการเปิดเผยข้อมูลสาธารณะ",
}
TOOL_ALIASES: dict[str, tuple[str, ...]] = {
    "IIT": (
        "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
        "แบบวัดการรับรู้ผู้มีส่วนได้ส่วนเสียภายใน",
        "ผู้มีส่วนได้ส่วนเสียภายใน",
        "แบบวัดภายใน",
    ),
    "EIT": (
        "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก",
        "แบบวัดการรับรู้ผู้มีส่วนได้ส่วนเสียภายนอก",
        "ผู้มีส่วนได้ส่วนเสียภายนอก",
        "แบบวัดภายนอก",
    ),
    "OIT": (
        "แบบวัดการเปิดเผยข้อมูลสาธารณะ",
        "การเปิดเผยข้อมูลสาธารณะ",
        "เปิดเผยข้อมูลสาธารณะ",
        "ข้อมูลสาธารณะ",
    ),
}

# Levels from fiscal 2566; longest first because each contains the next.
LEVEL_EXCELLENT = "ผ่านดีเยี่ยม"
LEVEL_GOOD = "ผ่านดี"
LEVEL_PASS = "ผ่าน"
LEVEL_FAIL = "ไม่ผ่าน"
LEVELS: tuple[str, ...] = (LEVEL_EXCELLENT, LEVEL_GOOD, LEVEL_FAIL, LEVEL_PASS)

# Words that introduce a question code in text: "ข้อ o12", "ข้อคำถาม o12", "ข้อที่ o12".
QUESTION_PREFIXES: tuple[str, ...] = ("ข้อคำถามที่", "ข้อคำถาม", "ข้อที่", "ข้อ")
# A question named without a code, which a score sentence cannot be filed under.
QUESTION_WITHOUT_CODE = "ข้อคำถาม"

# Words that introduce an indicator: "ตัวชี้วัดที่ 9", "ตัวชี้วัด ๙".
INDICATOR_WORD = "ตัวชี้วัด"
INDICATOR_NUMBER_PREFIXES: tuple[str, ...] = ("ตัวชี้วัดที่", "ตัวชี้วัด", "ตัวที่")

# Table row labels and sentence subjects.
OVERALL_LABELS: tuple[str, ...] = (
    "คะแนนภาพรวม",
    "คะแนนเฉลี่ย",
    "คะแนนรวม",
    "ผลคะแนนรวม",
    "ภาพรวม",
    "เฉลี่ย",
    "รวม",
)
OVERALL_SENTENCE_SUBJECTS: tuple[str, ...] = (
    "ภาพรวม",
    "ผลการประเมิน ITA",
    "ผลการประเมินITA",
    "ผลคะแนน ITA",
    "คะแนน ITA",
    "คะแนนภาพรวม",
    "คะแนนเฉลี่ย",
    "คะแนนรวม",
)
LEVEL_LABELS: tuple[str, ...] = ("ระดับผลการประเมิน", "ผลการประเมิน", "ระดับ")
EIT_PART_WORD = "ส่วนที่"

# Score table headers.
CHANGE_HEADERS: tuple[str, ...] = ("ผลต่าง", "เปลี่ยนแปลง", "เพิ่มขึ้น", "ลดลง", "เพิ่ม/ลด", "+/-")
SCORE_HEADER = "คะแนน"
INCREASE_WORDS: tuple[str, ...] = ("เพิ่มขึ้น", "เพิ่ม", "สูงขึ้น")
DECREASE_WORDS: tuple[str, ...] = ("ลดลง", "ลด", "ต่ำลง")
NO_CHANGE_WORDS: tuple[str, ...] = ("เท่าเดิม", "คงที่", "ไม่เปลี่ยนแปลง")

# Sentence form: "ปี ๒๕๖๗ ได้ ๙๑.๐๗ คะแนน", "ปี ๒๕๖๖ = ๙๒.๕๑ คะแนน", "มีคะแนนเฉลี่ย ๙๗.๗๒".
SENTENCE_YEAR_PREFIX = "ปี"
SENTENCE_BUDGET_WORDS: tuple[str, ...] = ("งบประมาณ", "งบ")
SENTENCE_CONNECTORS: tuple[str, ...] = ("ได้รับ", "ได้", "มี", "เท่ากับ")
SENTENCE_SCORE_WORD = "คะแนน"
SENTENCE_OVERALL_QUALIFIERS: tuple[str, ...] = ("เฉลี่ย", "รวม", "ภาพรวม")

# Organisation names: the prefix and the name that follows it.
ORG_PREFIXES: tuple[str, ...] = (
    "องค์การบริหารส่วนตำบล",
    "องค์การบริหารส่วนจังหวัด",
    "เทศบาลนคร",
    "เทศบาลเมือง",
    "เทศบาลตำบล",
)
# Words that end an organisation name written without a following space.
ORG_NAME_STOPS: tuple[str, ...] = ("ประจำปี", "อำเภอ", "จังหวัด", "ได้", "มี", "โดย", "ซึ่ง", "และ")

# The score template (XLSX/CSV).
TEMPLATE_SHEET = "คะแนน"
TEMPLATE_NOTES_SHEET = "คำอธิบาย"
TEMPLATE_EXAMPLE_MARK = "ตัวอย่าง"
TEMPLATE_KIND_INDICATOR = "ตัวชี้วัด"
TEMPLATE_KIND_TOOL = "แบบวัด"
TEMPLATE_KIND_QUESTION = "ข้อคำถาม"
TEMPLATE_KIND_OVERALL = "คะแนนรวม"
TEMPLATE_KIND_LEVEL = "ระดับ"
TEMPLATE_KINDS: tuple[str, ...] = (
    TEMPLATE_KIND_INDICATOR,
    TEMPLATE_KIND_TOOL,
    TEMPLATE_KIND_QUESTION,
    TEMPLATE_KIND_OVERALL,
    TEMPLATE_KIND_LEVEL,
)
TEMPLATE_HEADERS: tuple[str, ...] = (
    "ปีประเมิน (พ.ศ.)",
    "ประเภท (" + "/".join(TEMPLATE_KINDS) + ")",
    "รหัส/ลำดับ",
    "ชื่อ",
    "คะแนน",
    "แหล่งที่มา",
)
TEMPLATE_NOTES: tuple[str, ...] = (
    "แบบฟอร์มนำเข้าคะแนน ITA สำหรับบอทติดตาม (Tidtam)",
    "กรอกหนึ่งคะแนนต่อหนึ่งแถว ในแผ่นงาน “คะแนน”",
    "ปีประเมิน (พ.ศ.): ปีงบประมาณที่ประเมิน เช่น 2567 หรือ 67",
    "ประเภท: ตัวชี้วัด / แบบวัด / ข้อคำถาม / คะแนนรวม / ระดับ",
    "รหัส/ลำดับ: ตัวชี้วัด 1–10, แบบวัด IIT / EIT / OIT (EIT ส่วนที่ 1 และ 2 เขียน EIT1 / EIT2), "
    "ข้อคำถาม เช่น i1, e5, o12; คะแนนรวมและระดับเว้นว่างได้",
    "ชื่อ: ไม่บังคับ ใช้ช่วยอ่าน (ถ้าไม่ใส่รหัส ระบบจะเดาตัวชี้วัดจากชื่อ)",
    "คะแนน: 0–100 ทศนิยมสองตำแหน่ง ใช้เลขไทยหรือเลขอารบิกก็ได้; แถวระดับใส่ ผ่านดีเยี่ยม / ผ่านดี / ผ่าน / ไม่ผ่าน",
    "แหล่งที่มา: ไม่บังคับ เช่น รายงานผล ITAS",
    "แถวที่ขึ้นต้นด้วยคำว่า “ตัวอย่าง” ในช่องแรก ระบบจะข้ามไป ลบทิ้งได้",
    "คะแนนรวมคำนวณจาก 0.3 × IIT + 0.3 × EIT + 0.4 × OIT; ถ้ากรอกคะแนนรวมเอง ระบบจะเทียบและแจ้งเมื่อไม่ตรงกัน",
)

# Question parsing: politeness and question words are noise to strip.
POLITE_PARTICLES: tuple[str, ...] = (
    "ครับผม",
    "ครับ",
    "คับ",
    "ค่ะ",
    "คะ",
    "ค่า",
    "จ้า",
    "จ้ะ",
    "จ๊ะ",
    "นะคะ",
    "นะครับ",
    "นะ",
    "หน่อย",
    "ด้วย",
)
QUESTION_WORDS: tuple[str, ...] = (
    "เท่าไหร่",
    "เท่าไร",
    "เท่าใด",
    "กี่คะแนน",
    "อะไร",
    "ไหน",
    "ยังไง",
    "อย่างไร",
    "มั้ย",
    "ไหม",
    "หรือเปล่า",
)
SCORE_WORDS: tuple[str, ...] = ("คะแนน", "ผลคะแนน", "ผลการประเมิน", "ผลประเมิน", "ได้กี่", "ได้เท่า")
LEVEL_WORDS: tuple[str, ...] = ("ระดับ", "ผ่านไหม", "ผ่านมั้ย", "ผ่านหรือไม่", "ผ่านเกณฑ์", "ไม่ผ่าน", "ผลผ่าน")
LOWEST_WORDS: tuple[str, ...] = ("ต่ำที่สุด", "ต่ำสุด", "น้อยที่สุด", "น้อยสุด", "แย่ที่สุด", "แย่สุด", "อ่อนที่สุด")
HIGHEST_WORDS: tuple[str, ...] = ("สูงที่สุด", "สูงสุด", "มากที่สุด", "มากสุด", "ดีที่สุด", "ดีสุด", "เยอะที่สุด")
BELOW_WORDS: tuple[str, ...] = ("ต่ำกว่า", "น้อยกว่า", "ไม่ถึง", "ไม่เกิน", "ต่ำกว่าเกณฑ์", "ไม่ผ่านเกณฑ์")
# Asking which ones failed implies the national target as threshold.
FAIL_WORDS: tuple[str, ...] = ("ไม่ผ่าน", "ต่ำกว่าเกณฑ์", "ไม่ถึงเกณฑ์", "ตกเกณฑ์")
ABOVE_WORDS: tuple[str, ...] = ("สูงกว่า", "มากกว่า", "เกินกว่า", "เกิน", "ตั้งแต่")
PASS_WORDS: tuple[str, ...] = ("ผ่านเกณฑ์", "ถึงเกณฑ์")
COMPARE_WORDS: tuple[str, ...] = (
    "เปรียบเทียบ",
    "เทียบ",
    "กับปีที่แล้ว",
    "กับปีก่อน",
    "เพิ่มขึ้น",
    "ลดลง",
    "ต่างกัน",
    "ผลต่าง",
    "ขึ้นหรือลง",
    "ขึ้นหรือ",
    "ดีขึ้น",
    "แย่ลง",
)
MEASURE_WORDS: tuple[str, ...] = ("มาตรการ", "แนวทาง", "โครงการ", "กิจกรรม")
CHART_WORDS: tuple[str, ...] = ("กราฟ", "แผนภูมิ", "ชาร์ต", "แผนภาพ")
# Asking "which ones" turns a threshold into a list rather than a yes/no.
ITEM_WORDS: tuple[str, ...] = (
    "ตัวชี้วัดไหน",
    "ตัวชี้วัดใด",
    "ตัวชี้วัดอะไร",
    "ข้อไหน",
    "ข้อใด",
    "ตัวไหน",
    "ด้านไหน",
    "เรื่องไหน",
    "อะไรบ้าง",
    "กี่ตัว",
    "กี่ข้อ",
)
# Relative years are kept as offsets; the caller resolves them against today.
RELATIVE_YEARS: tuple[tuple[str, int], ...] = (
    ("ปีก่อนหน้า", -1),
    ("ปีที่แล้ว", -1),
    ("ปีที่ผ่านมา", -1),
    ("ปีก่อน", -1),
    ("ปีกลาย", -1),
    ("ปีล่าสุด", 0),
    ("ปีนี้", 0),
    ("ปีปัจจุบัน", 0),
    ("ปีหน้า", 1),
)
# Alone or with a year these mean "the whole organisation's result".
OVERALL_WORDS: tuple[str, ...] = ("ภาพรวม", "คะแนนรวม", "คะแนนเฉลี่ย", "รวม", "ITA")

# --- words the score-table reader needs beyond the labels above ---
LEVEL_WORD = "ระดับ"
# Words before a year in a cell or a sentence: "ปี 2567", "ปีงบประมาณ 2567", "ประจำปี 2567".
YEAR_PREFIXES: tuple[str, ...] = ("ปีงบประมาณ", "ปีงบ", "ประจำปี", "ปี")
BUDGET_YEAR_WORDS: tuple[str, ...] = ("ปีงบประมาณ", "ปีงบ")
# What else a year header cell may say: "ปี 2567 (คะแนน)", "ผลการประเมิน 2567".
YEAR_CELL_NOISE: tuple[str, ...] = ("ผลการประเมิน", "ผลคะแนน", "คะแนน", "การประเมิน", "ผล")
# The header of a table's year column when years are rows.
YEAR_COLUMN_LABELS: tuple[str, ...] = ("ปี", "ปีงบประมาณ", "ปีประเมิน", "ปีที่ประเมิน", "พ.ศ.")
# Headers of the label column of a single-year score table.
# (แบบวัด: a table of tool scores, "แบบวัด | คะแนน".)
ROW_LABEL_HEADERS: tuple[str, ...] = ("ตัวชี้วัด", "ข้อ", "รายการ", "รหัส", "ลำดับ", "รายละเอียด", "แบบวัด")
# A per-question column is often headed ผลการประเมิน rather than คะแนน.
SCORE_HEADERS: tuple[str, ...] = ("คะแนน", "ผลคะแนน", "ผลการประเมิน")
# An EIT part label: "ผู้มีส่วนได้ส่วนเสียภายนอก ส่วนที่ 1".
EIT_WORDS: tuple[str, ...] = ("ภายนอก",)
# In a sentence an indicator's name ends where one of these begins.
SENTENCE_NAME_STOPS: tuple[str, ...] = ("มี", "ได้", "ปี", "ตัวชี้วัด")
# Between a score and the level that follows it: "๙๗.๗๒ คะแนน อยู่ในระดับ “ผ่านดี”".
SENTENCE_LEVEL_LEADS: tuple[str, ...] = ("คะแนน", "ผลการประเมิน", "อยู่ใน", "ระดับ")
# "ผ่านเกณฑ์" (met the target) is not the level ผ่าน.
NOT_A_LEVEL_SUFFIX = "เกณฑ์"

# Template columns, by the start of their header.
TEMPLATE_COLUMN_PREFIXES: dict[str, tuple[str, ...]] = {
    "year": ("ปีประเมิน", "ปี"),
    "kind": ("ประเภท",),
    "code": ("รหัส", "ลำดับ"),
    "name": ("ชื่อ",),
    "score": ("คะแนน",),
    "source": ("แหล่งที่มา", "ที่มา"),
}
TEMPLATE_OVERALL_KINDS: tuple[str, ...] = ("คะแนนรวม", "คะแนนเฉลี่ย", "คะแนนภาพรวม")
TEMPLATE_EXAMPLE_SOURCE = "รายงานผล ITAS"

# --- words the question parser needs beyond the cues above ---
# Removed before fuzzy-matching what is left of a question against indicator names.
FILLER_WORDS: tuple[str, ...] = (
    "ของ",
    "เรื่อง",
    "ได้",
    "คือ",
    "บ้าง",
    "ที่",
    "เป็น",
    "มี",
    "ให้",
    "ดู",
    "ขอ",
    "เรา",
    "หน่วยงาน",
)
# "เทียบกับปีที่แล้ว": these before a past year make it the baseline.
COMPARE_BASE_WORDS: tuple[str, ...] = ("กับ", "จาก", "เทียบ", "กว่า")
# "ปี 66 กับ 67": the words joining two years.
YEAR_PAIR_WORDS: tuple[str, ...] = ("กับ", "และ", "ถึง")
# With a year, these make a bare question about the overall result: "ปี 67 ได้กี่…".
YEAR_SCORE_CUES: tuple[str, ...] = ("ผ่าน", "ได้กี่", "ได้เท่า")
# Any of these makes a chat message plausibly about scores.
SCORE_TOPIC_WORDS: tuple[str, ...] = (
    "คะแนน",
    "ตัวชี้วัด",
    "ระดับ",
    "ผลการประเมิน",
    "ผลประเมิน",
    "แบบวัด",
    "ข้อคำถาม",
    "ไม่ผ่าน",
    "ผ่านไหม",
    "ผ่านมั้ย",
    "ผ่านเกณฑ์",
    "ผ่านดี",
    "ต่ำกว่าเกณฑ์",
    *CHART_WORDS,
)

# --- per-question details and typos ----------------------------------------------

# Header words of the column that carries the assessor's advice on a question.
ADVICE_HEADERS: tuple[str, ...] = ("ข้อเสนอแนะ", "คำแนะนำ", "ข้อสังเกต", "ความเห็นผู้ตรวจ", "ความคิดเห็น")
# Tool names mistyped in real documents, read as the tool they stand for.
TOOL_TYPOS: dict[str, str] = {"ETT": "EIT", "0IT": "OIT", "IlT": "IIT"}

# --- sentences: figures that are not the organisation's score ------------------------------

# A number after these is a target or a maximum, never a score: "ผ่านเกณฑ์ค่าเป้าหมาย (๘๕ คะแนน)",
# "จากคะแนนเต็ม 100 คะแนน".
TARGET_WORDS: tuple[str, ...] = ("ค่าเป้าหมาย", "เป้าหมาย", "เกณฑ์", "คะแนนเต็ม", "ค่ามาตรฐาน")
# A number after these is a change between years: "เพิ่มขึ้น 6.71 คะแนน", "ลดลงจากปี 2567 จำนวน 1.72".
CHANGE_WORDS: tuple[str, ...] = ("เพิ่มขึ้น", "ลดลง", "สูงขึ้น", "ต่ำลง", "ผลต่าง", "ต่างกัน", "แตกต่าง")
# A number straight after these is a difference too: "สูงกว่าเกณฑ์ 1.38 คะแนน".
COMPARISON_WORDS: tuple[str, ...] = ("สูงกว่า", "ต่ำกว่า", "มากกว่า", "น้อยกว่า")
# Between a change word and its number: "เพิ่มขึ้นจากปี 2567 จำนวน 1.5".
CHANGE_FILLERS: tuple[str, ...] = ("จำนวน", "อยู่ที่", "อยู่", "เป็น", "ร้อยละ", "ถึง")
# A year written relative to another ("ปีที่แล้วได้ 88 คะแนน") cannot be filed under a year.
RELATIVE_YEAR_WORDS: tuple[str, ...] = ("ปีที่แล้ว", "ปีที่ผ่านมา", "ปีก่อนหน้า", "ปีก่อน", "ปีกลาย")
# Connectors that make a bare number the subject's score without the word คะแนน: "เท่ากับ 86.38".
EXACT_CONNECTORS: tuple[str, ...] = ("เท่ากับ", "=", ":")
# The level's own label in a sentence: "ระดับผลการประเมิน ผ่านดี".
LEVEL_SENTENCE_LABEL = "ผลการประเมิน"
# Header words of a column of targets beside the scores ("ค่าเป้าหมาย | คะแนนที่ได้"): not a label, not a score.
TARGET_HEADERS: tuple[str, ...] = ("ค่าเป้าหมาย", "เป้าหมาย", "เกณฑ์", "คะแนนเต็ม")

# What may follow คะแนน before the figure in a sentence: "คะแนนที่ได้ 94.04", "ได้คะแนนร้อยละ 88.32".
SENTENCE_SCORE_SUFFIXES: tuple[str, ...] = ("ที่ได้รับ", "ที่ได้")
PERCENT_WORDS: tuple[str, ...] = ("ร้อยละ",)
