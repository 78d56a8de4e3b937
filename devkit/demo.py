"""Demo data written for the project: a fictional อบต. with units, staff, measures and scores.

The plan is produced as a text document in the style of real reports (TAB
separated table rows, Thai digits, section headings) for the CURRENT fiscal
year and loaded through the same importer an admin uses, so the demo also
exercises the real parser. Officers get fixed LINE user ids (``Udemo…``) that
the simulator uses. Loading is idempotent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from ita.plan_text import parse_plan_text
from ita.score_text import parse_score_text
from ita.scores import INDICATORS
from ita.thai import fiscal_year, to_thai_digits
from models import Officer, utcnow
from models.people import upsert_officer
from models.plan import apply_plan, assign_automatically, find_organisation
from models.scores import save_year_scores

ORG = "องค์การบริหารส่วนตำบลบ้านตัวอย่าง"
DISTRICT = "เมืองสาธิต"
PROVINCE = "ตัวอย่าง"


@dataclass(frozen=True)
class DemoOfficer:
    user_id: str
    name: str
    position: str
    unit: str
    role: str


OFFICERS = [
    DemoOfficer("Udemo-palad", "นายประเสริฐ มั่นคง", "ปลัด อบต.", "สำนักปลัด", "supervisor"),
    DemoOfficer("Udemo-coord", "นางสาวกมลวรรณ ใฝ่ดี", "นักวิเคราะห์นโยบายและแผน (ผู้ประสานงาน ITA)", "สำนักปลัด",
                "supervisor"),
    DemoOfficer("Udemo-admin", "นายธนากร ระบบดี", "นักวิชาการคอมพิวเตอร์", "สำนักปลัด", "admin"),
    DemoOfficer("Udemo-somchai", "นายสมชาย ใจดี", "นักวิชาการเงินและบัญชี", "กองคลัง", "officer"),
    DemoOfficer("Udemo-malee", "นางมาลี ศรีสุข", "เจ้าพนักงานพัสดุ", "กองคลัง", "officer"),
    DemoOfficer("Udemo-wichai", "นายวิชัย ช่างดี", "นายช่างโยธา", "กองช่าง", "officer"),
    DemoOfficer("Udemo-suda", "นางสาวสุดา รักเรียน", "นักวิชาการศึกษา", "กองการศึกษา", "officer"),
    DemoOfficer("Udemo-anan", "นายอนันต์ ยุติธรรม", "นิติกร", "งานนิติการ", "officer"),
    DemoOfficer("Udemo-pim", "นางสาวพิมพ์ใจ บุคคลดี", "นักทรัพยากรบุคคล", "สำนักปลัด", "officer"),
    DemoOfficer("Udemo-nok", "นางนกน้อย ประชาสัมพันธ์", "เจ้าพนักงานธุรการ", "สำนักปลัด", "officer"),
]
UNREGISTERED_USER = "Udemo-newcomer"
REGISTERED_DEMO = [o for o in OFFICERS if o.user_id != "Udemo-malee"]  # มาลี registers in the simulator

# (section, title, steps, responsible, period in document style, cadence word)
MEASURES = [
    ("ส่วนที่ ๑ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายใน", None, None, None, None),
    (None, "จัดทำคู่มือหรือมาตรฐานการปฏิบัติงานของทุกกอง",
     "๑. ทุกกองทบทวนคู่มือการปฏิบัติงานอย่างน้อยกองละ ๑ ภารกิจ ๒. เผยแพร่คู่มือบนเว็บไซต์", "ทุกส่วนราชการ",
     "ตุลาคม {y1} - มีนาคม {y2}"),
    (None, "ประชุมชี้แจงการใช้งบประมาณให้บุคลากรทราบ", "๑. จัดประชุมประจำเดือน ๒. รายงานผลการเบิกจ่าย",
     "กองคลัง", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "ส่งเสริมการใช้ทรัพย์สินของราชการอย่างถูกต้อง",
     "๑. จัดทำแนวปฏิบัติการยืมพัสดุ ๒. ติดประกาศขั้นตอนการยืม", "กองคลัง (งานพัสดุ)",
     "ต.ค.{y1}- ธ.ค.{y1}"),
    (None, "ประเมินผลการปฏิบัติงานของบุคลากรอย่างเป็นธรรม",
     "๑. แจ้งหลักเกณฑ์การประเมิน ๒. ประกาศผลการประเมิน", "สำนักปลัด (งานการเจ้าหน้าที่)",
     "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "เสริมสร้างความรู้เรื่องผลประโยชน์ทับซ้อน", "๑. จัดอบรมบุคลากร ๒. ทำแบบทดสอบหลังอบรม",
     "งานนิติการ", "มกราคม - มีนาคม {y2}"),
    (None, "เปิดช่องทางร้องเรียนการทุจริตที่ปลอดภัยต่อผู้แจ้ง",
     "๑. ปรับปรุงแบบฟอร์มร้องเรียนออนไลน์ ๒. รายงานผลการจัดการเรื่องร้องเรียนรายไตรมาส", "งานนิติการ",
     "ตุลาคม {y1} - กันยายน {y2} (รายไตรมาส)"),
    ("ส่วนที่ ๒ มาตรการสำหรับผู้มีส่วนได้ส่วนเสียภายนอก", None, None, None, None),
    (None, "ปรับปรุงคุณภาพการให้บริการประชาชน", "๑. สำรวจความพึงพอใจ ๒. ลดขั้นตอนการขออนุญาตก่อสร้าง",
     "กองช่าง", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "ประชาสัมพันธ์ข้อมูลข่าวสารผ่านหลายช่องทาง", "๑. เผยแพร่ข่าวทางเพจและไลน์ ๒. จัดบอร์ดประชาสัมพันธ์",
     "สำนักปลัด", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "รับฟังความคิดเห็นของประชาชนเพื่อปรับปรุงการทำงาน", "๑. จัดเวทีประชาคม ๒. สรุปข้อเสนอแนะ",
     "สำนักปลัด", "เมษายน - มิถุนายน {y2}"),
    (None, "พัฒนาระบบ E-Service สำหรับการขอรับบริการ", "๑. เปิดบริการออนไลน์ ๒. รายงานสถิติการใช้งาน",
     "สำนักปลัด", "ตุลาคม {y1} - กันยายน {y2} (รอบ ๖ เดือน)"),
    (None, "ส่งเสริมความโปร่งใสในการรับนักเรียนศูนย์พัฒนาเด็กเล็ก", "๑. ประกาศหลักเกณฑ์การรับสมัคร ๒. ประกาศผล",
     "กองการศึกษา", "มกราคม - พฤษภาคม {y2}"),
    ("ส่วนที่ ๓ มาตรการการเปิดเผยข้อมูลสาธารณะ", None, None, None, None),
    (None, "เผยแพร่แผนการจัดซื้อจัดจ้างประจำปี", "๑. จัดทำแผนจัดซื้อจัดจ้าง ๒. เผยแพร่บนเว็บไซต์ภายในเวลาที่กำหนด",
     "กองคลัง (งานพัสดุ)", "ตุลาคม {y1} - ธันวาคม {y1}"),
    (None, "เผยแพร่ผลการจัดซื้อจัดจ้างรายเดือน", "๑. สรุปผลการจัดซื้อจัดจ้างทุกเดือน ๒. เผยแพร่บนเว็บไซต์",
     "กองคลัง", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "เผยแพร่รายงานการกำกับติดตามการใช้งบประมาณรอบ ๖ เดือน",
     "๑. จัดทำรายงาน ๒. เสนอผู้บริหาร ๓. เผยแพร่บนเว็บไซต์", "กองคลัง", "ตุลาคม {y1} - กันยายน {y2} (รอบ ๖ เดือน)"),
    (None, "ปรับปรุงข้อมูลพื้นฐานบนเว็บไซต์ให้เป็นปัจจุบัน", "๑. ตรวจสอบข้อมูลทุกเดือน ๒. แก้ไขข้อมูลที่ไม่เป็นปัจจุบัน",
     "สำนักปลัด", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "เผยแพร่มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "๑. ประกาศมาตรการ ๒. รายงานผลการดำเนินการ",
     "สำนักปลัด", "ตุลาคม {y1} - กันยายน {y2}"),
    (None, "จัดทำแผนป้องกันการทุจริตและรายงานผล", "๑. จัดทำแผน ๒. รายงานความก้าวหน้ารายไตรมาส",
     "งานนิติการ", "ตุลาคม {y1} - กันยายน {y2} (รายไตรมาส)"),
]

# The indicator each measure targets, in plan order (the plan's ตัวชี้วัด column), so questions such as
# "มาตรการของตัวชี้วัดที่ 9" and the advice answers have something to point at in the demo.
MEASURE_INDICATORS = (1, 2, 4, 3, 5, 5, 6, 7, 8, 8, 6, 9, 9, 9, 9, 10, 10)

# Indicator scores for the two most recent assessments (fictional).
SCORES = {
    1: (96.12, 98.40), 2: (88.35, 92.10), 3: (94.80, 95.55), 4: (82.14, 87.90), 5: (90.00, 93.27),
    6: (91.45, 90.12), 7: (86.30, 89.75), 8: (80.25, 84.60), 9: (87.50, 95.00), 10: (71.43, 85.71),
}


def plan_text(year_be: int) -> str:
    """The demo plan as a report exported to text, for fiscal year ``year_be``."""
    y1, y2 = to_thai_digits(str(year_be - 1)[-2:]), to_thai_digits(str(year_be)[-2:])
    header = "มาตรการ/แนวทาง\tขั้นตอน/วิธีการดำเนินการ\tหน่วยงานผู้รับผิดชอบ\tระยะเวลาดำเนินการ\tตัวชี้วัด"
    lines = [
        f"แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {to_thai_digits(str(year_be))}",
        ORG, f"อำเภอ{DISTRICT} จังหวัด{PROVINCE}", "",
    ]
    number = 0
    for section, title, steps, unit, period in MEASURES:
        if section:
            lines += ["", section, "", header]
            continue
        number += 1
        indicator = to_thai_digits(str(MEASURE_INDICATORS[number - 1]))
        lines.append(f"{to_thai_digits(str(number))}. {title}\t{steps}\t{unit}\t{period.format(y1=y1, y2=y2)}"
                     f"\tตัวชี้วัดที่ {indicator}")
    return "\n".join(lines) + "\n"


def score_text() -> str:
    """A two-year indicator comparison table in the style of real reports."""
    lines = ["ผลการประเมินคุณธรรมและความโปร่งใส (ITA) " + ORG, "",
             "ตัวชี้วัด\tปี 2568\tปี 2569\tผลต่าง"]
    for number, (previous, current) in SCORES.items():
        lines.append(f"{number}. {INDICATORS[number].name}\t{previous:.2f}\t{current:.2f}\t{current - previous:+.2f}")
    return "\n".join(lines) + "\n"


def load_demo(session: Session, *, today: date, now: datetime | None = None) -> dict[str, int]:
    """Create or refresh the demo organisation for the fiscal year of ``today``."""
    now = now or utcnow()
    year = fiscal_year(today)
    doc = parse_plan_text(plan_text(year))
    org = find_organisation(session, ORG, create=True, district=DISTRICT, province=PROVINCE)
    result = apply_plan(session, doc, organisation=org, fiscal_year=year, now=now)
    for demo in OFFICERS:
        officer = upsert_officer(session, organisation_id=org.id, name=demo.name, unit=demo.unit, role=demo.role,
                                 position=demo.position, now=now).officer
        if demo in REGISTERED_DEMO and officer.line_user_id is None:
            clash = session.exec(select(Officer).where(Officer.line_user_id == demo.user_id)).first()
            if clash is None:
                officer.line_user_id, officer.linked_at, officer.display_name = demo.user_id, now, demo.name
                session.add(officer)
    session.flush()
    assigned = assign_automatically(session, organisation_id=org.id, fiscal_year=year, now=now)
    scores = _load_scores(session, org.id)
    return {"measures": len(doc.measures), "created": result.created, "officers": len(OFFICERS),
            "assignments": assigned, "score_years": scores, "organisation_id": org.id}


def _load_scores(session: Session, organisation_id: int) -> int:
    document = parse_score_text(score_text())
    for scores in document.years.values():
        save_year_scores(session, organisation_id=organisation_id, scores=scores, source="demo")
    return len(document.years)
