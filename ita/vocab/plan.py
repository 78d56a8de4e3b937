"""Thai words for measure plans and results reports.

`ita.plan_text`, `ita.plan_sheet` and `ita.units` match against these lists;
nothing else in those modules should spell a Thai word.  Header keywords are
matched against a header cell with every space removed, so they are written
without spaces too.  Where one keyword contains another, the rules are ordered
so the more specific field wins (ระยะเวลาดำเนินการ is a period, not steps).
"""

# --- column headers -------------------------------------------------------

# Field names a measure-table column can carry.
FIELD_NUMBER = "number"
FIELD_SECTION = "section"
FIELD_TITLE = "title"
FIELD_STEPS = "steps"
FIELD_RESPONSIBLE = "responsible"
FIELD_PERIOD = "period"
FIELD_PERIOD_START = "period_start"
FIELD_PERIOD_END = "period_end"
FIELD_CADENCE = "cadence"
FIELD_RESULT = "result"
FIELD_OUTCOME = "outcome"
FIELD_INDICATOR = "indicator"
FIELD_QUESTION = "question"
# Columns a plan may have that Tidtam does not import (budget, evidence…).
FIELD_IGNORED = "ignored"

# (field, keywords that must start the header, keywords found anywhere in it).
# Checked in this order; the first rule with a hit names the column.
HEADER_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (FIELD_NUMBER, ("ลำดับ", "เลขที่"), ()),
    (FIELD_PERIOD_START, (), ("วันเริ่ม", "เดือนเริ่ม", "เริ่มต้น", "เริ่มดำเนินการ")),
    (FIELD_PERIOD_END, (), ("วันสิ้นสุด", "เดือนสิ้นสุด", "สิ้นสุด", "แล้วเสร็จ")),
    (
        FIELD_PERIOD,
        (),
        ("ระยะเวลา", "ห้วงเวลา", "ช่วงเวลา", "กำหนดเวลา", "ระยะดำเนินการ", "ปฏิทิน", "เดือนที่ดำเนินการ"),
    ),
    (FIELD_CADENCE, (), ("ความถี่", "รอบการรายงาน", "รอบรายงาน")),
    (FIELD_RESPONSIBLE, ("หน่วยงาน",), ("ผู้รับผิดชอบ", "รับผิดชอบ", "ผู้ดำเนินการ", "หน่วยงานที่ดำเนินการ")),
    (FIELD_OUTCOME, (), ("ผลลัพธ์", "ความสำเร็จ", "ผลที่ได้รับ", "ผลที่คาดว่า", "ผลสัมฤทธิ์", "ผลผลิต")),
    (
        FIELD_RESULT,
        (),
        ("สรุปผล", "ผลการดำเนินการ", "ผลการดำเนินงาน", "ผลการปฏิบัติ", "ผลดำเนินการ", "ผลการติดตาม"),
    ),
    (FIELD_QUESTION, (), ("ข้อคำถาม", "ประเด็นคำถาม")),
    (FIELD_INDICATOR, (), ("ตัวชี้วัด",)),
    (
        FIELD_IGNORED,
        (),
        (
            "งบประมาณ",
            "หมายเหตุ",
            "หลักฐาน",
            "ปัญหา",
            "อุปสรรค",
            "ข้อเสนอแนะ",
            "เป้าหมาย",
            "ค่าเป้าหมาย",
            "สถานะ",
            "คะแนน",
            "ร้อยละ",
            "วัตถุประสงค์",
            "สถานที่",
            "พื้นที่ดำเนินการ",
            "แหล่งที่มา",
        ),
    ),
    # A header that starts with มาตรการ names the measure even when it goes on
    # "/แนวทางการดำเนินการ" (a steps word).
    (FIELD_TITLE, ("มาตรการ",), ()),
    (
        FIELD_STEPS,
        (),
        ("ขั้นตอน", "วิธีการ", "วิธีดำเนินการ", "วิธีปฏิบัติ", "แนวทางการดำเนิน", "แนวทางปฏิบัติ"),
    ),
    (FIELD_SECTION, ("หมวด", "ส่วนที่", "ส่วน", "มิติ", "ด้าน"), ()),
    (FIELD_TITLE, (), ("มาตรการ", "แนวทาง", "โครงการ", "กิจกรรม", "ประเด็น")),
    # Last, so "มาตรการ/แนวทางการดำเนินการ" stays the title column.
    (FIELD_STEPS, (), ("การดำเนินการ", "การดำเนินงาน", "รายละเอียด")),
)

# Whole header cells that mean "the number column" even though short words
# like ที่ or ข้อ only count when the cell is nothing else.
NUMBER_HEADERS_EXACT: tuple[str, ...] = ("ที่", "ข้อ", "no", "no.", "#", "ลำดับ", "ลำดับที่", "เลขที่")

# Header words of other tables (score comparisons), which end a measure table.
OTHER_TABLE_HEADER_WORDS: tuple[str, ...] = ("เปลี่ยนแปลง", "ผลต่าง", "เพิ่มขึ้น", "ลดลง", "ระดับ", "แบบวัด")
# "ปี ๒๕๖๖", "ปีงบประมาณ พ.ศ. 2567" as a column header.
YEAR_HEADER_PREFIXES: tuple[str, ...] = ("ปีงบประมาณ", "ปี")

# A header longer than this (spaces removed) is data, not a header.
MAX_HEADER_LENGTH = 60

# --- wrap spaces ---------------------------------------------------------------

# Fixed phrases of these documents that a PDF line wrap often splits with a
# space ("ยกระดับผล การประเมิน"); a space inside one of them is removed.  Unit
# names (below) are added to this list by the parser.
WRAP_COMPOUNDS: tuple[str, ...] = (
    "ประจำปีงบประมาณ",
    "ปีงบประมาณ",
    "ผลการประเมิน",
    "การประเมิน",
    "ผลการดำเนินการ",
    "ผลการดำเนินงาน",
    "การดำเนินงาน",
    "ระยะเวลาดำเนินการ",
    "ผู้รับผิดชอบ",
    "ส่วนราชการ",
    "เจ้าหน้าที่",
    "พนักงานส่วนตำบล",
    "องค์การบริหารส่วนตำบล",
    "องค์กรปกครองส่วนท้องถิ่น",
    "คุณธรรมและความโปร่งใส",
    "ความโปร่งใส",
    "การปรับปรุงการทำงาน",
    "การป้องกันการทุจริต",
    "การแก้ไขปัญหาการทุจริต",
    "การเปิดเผยข้อมูล",
    "ข้อมูลข่าวสาร",
    "ข้อมูลสาธารณะ",
    "ประสิทธิภาพการสื่อสาร",
    "คุณภาพการดำเนินงาน",
    "การใช้งบประมาณ",
    "การใช้ทรัพย์สินของราชการ",
    "การปฏิบัติหน้าที่",
    "มาตรฐานทางจริยธรรม",
    "ประมวลจริยธรรม",
    "จริยธรรม",
    "สื่อสังคมออนไลน์",
    "ประชาสัมพันธ์",
    "การจัดซื้อจัดจ้าง",
    "ผู้ใต้บังคับบัญชา",
    "ผู้บังคับบัญชา",
    "หน่วยงานภาครัฐ",
    "ข้อร้องเรียน",
    "ผู้มีส่วนได้ส่วนเสีย",
)

# --- document title and organisation --------------------------------------

# Organisation kinds, full form first, then abbreviations, with the full form
# an abbreviation stands for.
ORG_KINDS: tuple[tuple[str, str], ...] = (
    ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล"),
    ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด"),
    ("เทศบาลตำบล", "เทศบาลตำบล"),
    ("เทศบาลเมือง", "เทศบาลเมือง"),
    ("เทศบาลนคร", "เทศบาลนคร"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("ทต.", "เทศบาลตำบล"),
    ("ทม.", "เทศบาลเมือง"),
    ("ทน.", "เทศบาลนคร"),
)
DISTRICT_WORDS: tuple[str, ...] = ("อำเภอ", "เขต")
PROVINCE_WORDS: tuple[str, ...] = ("จังหวัด",)
# Longest first: "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "ปีงบประมาณ ๒๕๖๗", "ประจำปี พ.ศ. ๒๕๖๗".
FISCAL_YEAR_WORDS: tuple[str, ...] = ("ประจำปีงบประมาณ", "ปีงบประมาณ", "ประจำปี")
BUDDHIST_ERA_WORD = "พ.ศ."

# --- sections -------------------------------------------------------------

# Words that open a numbered heading: "ส่วนที่ ๑ …", "มิติที่ ๒ …".
SECTION_WORDS: tuple[str, ...] = ("ส่วนที่", "มิติที่", "ด้านที่", "หมวดที่", "ตอนที่", "ประเด็นที่")
# A heading that names an indicator: its measures belong to that indicator.
INDICATOR_SECTION_WORDS: tuple[str, ...] = ("ตัวชี้วัดที่",)
# "ตัวชี้วัดที่ 9" inside a cell.
INDICATOR_NUMBER_WORDS: tuple[str, ...] = ("ตัวชี้วัดที่", "ตัวชี้วัด")

# --- cadence ----------------------------------------------------------------

CADENCE_MONTHLY = "monthly"
CADENCE_QUARTERLY = "quarterly"
CADENCE_SIX_MONTHLY = "six_monthly"
# Matched against text with spaces removed and Arabic digits; checked in order.
CADENCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        CADENCE_SIX_MONTHLY,
        ("ราย6เดือน", "รอบ6เดือน", "ทุก6เดือน", "6เดือนครั้ง", "ครึ่งปี", "รายครึ่งปี", "six_monthly"),
    ),
    (CADENCE_QUARTERLY, ("รายไตรมาส", "ทุกไตรมาส", "ไตรมาสละ", "ทุก3เดือน", "ราย3เดือน", "ไตรมาส", "quarterly")),
    (CADENCE_MONTHLY, ("รายเดือน", "ทุกเดือน", "เดือนละ", "monthly")),
)
# Labels the spreadsheet template offers, by cadence.
CADENCE_LABELS: dict[str, str] = {
    CADENCE_MONTHLY: "รายเดือน",
    CADENCE_QUARTERLY: "รายไตรมาส",
    CADENCE_SIX_MONTHLY: "ราย 6 เดือน",
}

# --- responsible units ------------------------------------------------------

# Canonical unit names and the other ways documents write them (spaces do not
# matter: everything is compared with spaces removed).
UNITS: dict[str, tuple[str, ...]] = {
    "สำนักปลัด": (
        "สำนักงานปลัด",
        "สำนักปลัดฯ",
        "สำนักปลัดองค์การบริหารส่วนตำบล",
        "สำนักปลัดอบต.",
        "สำนักปลัดเทศบาล",
        "สำนักงานปลัดเทศบาล",
        "สป.",
    ),
    "กองคลัง": ("กองการคลัง", "ส่วนการคลัง", "ส่วนการเงินและบัญชี", "กองคลังฯ"),
    "กองช่าง": ("ส่วนโยธา", "กองโยธา", "กองช่างฯ", "ส่วนช่าง"),
    "กองการศึกษา": (
        "กองการศึกษาศาสนาและวัฒนธรรม",
        "กองการศึกษาฯ",
        "ส่วนการศึกษา",
        "ส่วนการศึกษาศาสนาและวัฒนธรรม",
    ),
    "กองสาธารณสุขและสิ่งแวดล้อม": ("กองสาธารณสุข", "ส่วนสาธารณสุข", "ส่วนสาธารณสุขและสิ่งแวดล้อม"),
    "กองสวัสดิการสังคม": ("ส่วนสวัสดิการสังคม", "กองสวัสดิการ"),
    "กองส่งเสริมการเกษตร": ("ส่วนส่งเสริมการเกษตร",),
    "กองการเจ้าหน้าที่": ("ส่วนการเจ้าหน้าที่",),
    "กองยุทธศาสตร์และงบประมาณ": ("กองยุทธศาสตร์",),
    "กองวิชาการและแผนงาน": ("ส่วนวิชาการและแผนงาน",),
    "หน่วยตรวจสอบภายใน": ("งานตรวจสอบภายใน", "ตรวจสอบภายใน"),
    "งานพัสดุ": ("งานพัสดุและทรัพย์สิน", "งานพัสดุฯ", "งานจัดซื้อจัดจ้าง"),
    "งานการเจ้าหน้าที่": ("งานบุคคล", "งานบริหารงานบุคคล", "งานการเจ้าหน้าที่ฯ"),
    "งานนิติการ": ("งานนิติกร", "งานกฎหมายและคดี", "งานนิติการฯ"),
    "งานงบประมาณ": ("งานงบประมาณฯ",),
    "งานนโยบายและแผน": (
        "งานแผน/นโยบาย",
        "งานแผนและนโยบาย",
        "งานวิเคราะห์นโยบายและแผน",
        "งานแผนงาน",
        "งานแผน",
    ),
    "งานบริหารงานทั่วไป": ("งานบริหารทั่วไป",),
    "งานธุรการ": ("งานสารบรรณ",),
    "งานการเงินและบัญชี": ("งานการเงิน", "งานบัญชี", "งานการเงินบัญชี"),
    "งานจัดเก็บรายได้": ("งานพัฒนาและจัดเก็บรายได้", "งานจัดเก็บและพัฒนารายได้", "งานพัฒนารายได้"),
    "งานประชาสัมพันธ์": (),
    "งานป้องกันและบรรเทาสาธารณภัย": ("งานป้องกันฯ", "งานป้องกันบรรเทาสาธารณภัย"),
    "งานทะเบียนราษฎร": ("งานทะเบียนราษฎร์",),
    "งานแผนที่ภาษีและทะเบียนทรัพย์สิน": ("งานแผนที่ภาษี",),
    "งานสวัสดิการสังคม": ("งานพัฒนาชุมชน",),
    "งานส่งเสริมสุขภาพ": (),
    "งานเทคโนโลยีสารสนเทศ": ("งานไอที", "งานสารสนเทศ"),
}

# "Everyone": ทุก + one of these, spaces removed ("ทุกส่วน ราชการ").
EVERYONE_PREFIX = "ทุก"
EVERYONE_AFTER: tuple[str, ...] = (
    "ส่วนราชการ",
    "ภารกิจงาน",
    "ภารกิจ",
    "หน่วยงาน",
    "ส่วนงาน",
    "กอง",
    "สำนัก",
    "ฝ่าย",
    "งาน",
    "คน",
    "ส่วน",
)
EVERYONE_WORDS: tuple[str, ...] = ("ทุกส่วนราชการ", "เจ้าหน้าที่ทุกภารกิจงาน", "ทุกกอง", "ทุกหน่วยงาน")
# Honorifics before a person's name; นายก (the elected head) is not นาย + ก….
PERSON_TITLES: tuple[str, ...] = (
    "ว่าที่ร้อยตรีหญิง",
    "ว่าที่ร้อยตรี",
    "ว่าที่ ร.ต.",
    "ว่าที่ร.ต.",
    "นางสาว",
    "น.ส.",
    "นาย",
    "นาง",
    "ดร.",
)
# Positions without a unit: kept as a person so the importer can match the officer.
POSITION_WORDS: tuple[str, ...] = (
    "นายกองค์การบริหารส่วนตำบล",
    "นายกอบต.",
    "นายกเทศมนตรี",
    "รองนายก",
    "ปลัดองค์การบริหารส่วนตำบล",
    "ปลัดอบต.",
    "ปลัดเทศบาล",
    "รองปลัด",
    "ปลัด",
    "ผู้ประสานงาน",
    "คณะทำงาน",
    "ผู้บริหาร",
)
# Separators between units in one cell (besides new lines and dash bullets).
UNIT_SEPARATORS: tuple[str, ...] = (",", "，", ";", "、", " และ", "และ ", "•")

# --- spreadsheet template -------------------------------------------------

TEMPLATE_SHEET = "มาตรการ"
TEMPLATE_NOTES_SHEET = "คำอธิบาย"
TEMPLATE_EXAMPLE_MARK = "ตัวอย่าง"
TEMPLATE_ORG_LABEL = "ชื่อหน่วยงาน"
TEMPLATE_YEAR_LABEL = "ปีงบประมาณ (พ.ศ.)"
# Labels above the header that carry the organisation and the fiscal year.
ORG_LABELS: tuple[str, ...] = ("ชื่อหน่วยงาน", "หน่วยงาน", "ชื่อองค์กร", "องค์กรปกครองส่วนท้องถิ่น")
YEAR_LABELS: tuple[str, ...] = ("ปีงบประมาณ", "ประจำปี", "ปีพ.ศ.")

TEMPLATE_TITLE = "แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
# (field, header, width, explanation for the notes sheet)
TEMPLATE_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    (
        FIELD_NUMBER,
        "ลำดับ/เลขที่มาตรการ",
        12,
        "เลขที่ของมาตรการตามเอกสาร เช่น 1, 2 หรือ 1.1 (ใช้เลขไทยหรือเลขอารบิกก็ได้) เลขเดียวกันในหมวดเดียวกันไม่ควรซ้ำกัน",
    ),
    (
        FIELD_SECTION,
        "หมวด/ส่วน",
        28,
        'หัวข้อที่มาตรการนี้อยู่ เช่น "ส่วนที่ 1 มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายใน" '
        'ถ้ามีหลายชั้นให้คั่นด้วย > เช่น "ส่วนที่ 1 … > 1.1 …" เว้นว่างได้',
    ),
    (FIELD_TITLE, "มาตรการ/แนวทาง", 45, "ชื่อมาตรการหรือแนวทาง (จำเป็นต้องกรอก)"),
    (
        FIELD_STEPS,
        "ขั้นตอน/วิธีการดำเนินการ",
        55,
        "ขั้นตอนหรือวิธีการดำเนินการ กด Alt+Enter เพื่อขึ้นบรรทัดใหม่ในช่องเดียวกัน",
    ),
    (
        FIELD_RESPONSIBLE,
        "หน่วยงานผู้รับผิดชอบ",
        28,
        "กอง/สำนัก/งานที่รับผิดชอบ เช่น สำนักปลัด, กองคลัง, งานพัสดุ หลายหน่วยงานให้คั่นด้วยจุลภาค "
        'หรือขึ้นบรรทัดใหม่ ถ้าทุกหน่วยงานต้องทำให้เขียนว่า "ทุกส่วนราชการ" '
        "ถ้าเป็นบุคคลให้เขียนชื่อ-สกุล เช่น นางสาวสมใจ ใจดี",
    ),
    (
        FIELD_PERIOD,
        "ระยะเวลาดำเนินการ",
        26,
        'ช่วงเดือนที่ดำเนินการ เช่น "ตุลาคม 2567 - กันยายน 2568" หรือ "ต.ค. 67 - มี.ค. 68" ถ้าเว้นว่างจะถือว่าดำเนินการทั้งปีงบประมาณ',
    ),
    (
        FIELD_CADENCE,
        "ความถี่การรายงาน",
        18,
        "ความถี่ที่ระบบจะติดตามผล: รายเดือน, รายไตรมาส หรือ ราย 6 เดือน (เว้นว่าง = รายเดือน)",
    ),
    (
        FIELD_INDICATOR,
        "ตัวชี้วัดที่เกี่ยวข้อง",
        20,
        "เลขตัวชี้วัด ITA ที่มาตรการนี้มุ่งยกระดับ (1-10) เช่น 9 หรือ 9, 10 เว้นว่างได้",
    ),
    (
        FIELD_QUESTION,
        "ข้อคำถามที่เกี่ยวข้อง",
        20,
        "รหัสข้อคำถาม เช่น i1, e5, o12 หลายข้อให้คั่นด้วยจุลภาค เว้นว่างได้",
    ),
)
TEMPLATE_EXAMPLE_ROW: dict[str, str] = {
    FIELD_NUMBER: TEMPLATE_EXAMPLE_MARK,
    FIELD_SECTION: "ส่วนที่ 3 มาตรการการเปิดเผยข้อมูล",
    FIELD_TITLE: "(ตัวอย่าง - ระบบจะไม่นำเข้าแถวนี้) เผยแพร่ข้อมูลการจัดซื้อจัดจ้างเป็นรายเดือนบนเว็บไซต์",
    FIELD_STEPS: "1. จัดทำสรุปผลการจัดซื้อจัดจ้างประจำเดือน\n2. เผยแพร่บนเว็บไซต์ของหน่วยงาน",
    FIELD_RESPONSIBLE: "กองคลัง (งานพัสดุ)",
    FIELD_PERIOD: "ตุลาคม 2567 - กันยายน 2568",
    FIELD_CADENCE: "รายเดือน",
    FIELD_INDICATOR: "9",
    FIELD_QUESTION: "o12",
}
TEMPLATE_NOTES_INTRO: tuple[str, ...] = (
    "วิธีใช้แบบฟอร์มนำเข้ามาตรการ",
    '1. กรอกชื่อหน่วยงานและปีงบประมาณ (พ.ศ.) ในช่องด้านบนของแผ่นงาน "มาตรการ"',
    "2. กรอกมาตรการละหนึ่งแถว ใต้แถวหัวตาราง จะแทรกหรือลบคอลัมน์ก็ได้ ระบบอ่านหัวตารางตามความหมาย",
    '3. แถวที่ช่องแรกเขียนว่า "ตัวอย่าง" จะไม่ถูกนำเข้า ลบทิ้งหรือเก็บไว้ก็ได้',
    "4. บันทึกเป็น .xlsx (หรือ .csv แบบ UTF-8) แล้วส่งให้ผู้ดูแลระบบนำเข้า",
    "",
    "ความหมายของแต่ละคอลัมน์",
)

# A header starting with this ("แนวทางการดำเนินการ") names the measures when another column
# holds the steps (ขั้นตอน); alone it names the steps.
APPROACH_WORD = "แนวทาง"
# "มาตรการข้อ i3 …": the words before a question code that keys a measure; the key becomes
# the measure's question code and leaves its title.
QUESTION_KEY_PREFIXES: tuple[str, ...] = ("มาตรการข้อที่", "มาตรการข้อ", "มาตรการที่")

# Columns of a tick chart are fields named by this prefix and the column's months ("month:10",
# a quarter "month:10,11,12"); a measure runs from its first ticked month to its last.
FIELD_MONTH_PREFIX = "month:"
# A month cell holding one of these is not ticked.
UNTICKED_MARKS: tuple[str, ...] = ("-", "–", "—", "0", "×", "ไม่")

# Rows that close a plan table: the reporter's sign-off ("ลงชื่อ……ผู้รายงาน", "(นางสาว…)",
# "ตำแหน่ง …") and totals ("รวม 6 มาตรการ | 5,000"). They are never measures.
SIGN_OFF_PREFIXES: tuple[str, ...] = (
    "ลงชื่อ", "ลงนาม", "ตำแหน่ง", "ผู้รายงาน", "ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ", "ผู้เสนอ", "ผู้รับรอง",
)
TOTAL_WORD = "รวม"
TOTAL_QUALIFIERS: tuple[str, ...] = ("ทั้งสิ้น", "ทั้งหมด", "งบประมาณ", "เป็นเงิน", "จำนวน")
TOTAL_COUNTED: tuple[str, ...] = ("มาตรการ", "โครงการ", "กิจกรรม", "รายการ", "บาท")
