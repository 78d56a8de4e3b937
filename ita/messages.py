"""What the document importers say to people, in English and in Thai, side by side.

Every error and warning of the importers (`ita.documents`, `ita.plan`,
`ita.tables`, `ita.measures`, `ita.staff`, `ita.score_text`) is a `Message`:
a short code and its parameters, never a ready-made sentence.  ``en()`` is
the plain English the CLI prints and the logs keep; ``th()`` the polite,
short Thai the admin console shows.  Both templates of a code live in
`TEXTS`, one pair per code, with the same placeholders (a test checks).

Parameters are the document's own words (a cell, a unit's name: quoted as
they are), numbers, years in Buddhist era, and other Messages (a label such
as "indicator 5" / "ตัวชี้วัดที่ 5" inside a sentence), which are rendered
in the same language.  Two conversions beyond Python's ``!r``:

- ``{where!p}`` a place the readers wrote ("page 2 table 1 row 4"): as is in
  English, "หน้า 2 ตาราง 1 แถว 4" in Thai (`thai_place`);
- ``{start!m}`` a month (a date): "2024-10" in English, "ต.ค. 2567" in Thai.

Exceptions whose reason is a Message derive from `MessageError`: ``str()``
stays the English line, ``.message`` is the Message.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ita.thai import format_month

# code: (English, Thai).  English says what the CLI can do (its options); Thai
# what the console offers (the column picker, the choice of place to believe).
TEXTS: dict[str, tuple[str, str]] = {
    # -- wrappers -------------------------------------------------------------------
    "at_line": ("line {line}: {text}", "บรรทัด {line}: {text}"),
    # -- reading a file (ita.documents) ---------------------------------------------
    "document.not_found": ("File not found: {file}", "ไม่พบไฟล์ {file}"),
    "document.folder": ("{file} is a folder, not a file.", "{file} เป็นโฟลเดอร์ ไม่ใช่ไฟล์"),
    "document.unreadable": ("Cannot read {file}: {reason}.", "อ่านไฟล์ {file} ไม่ได้ ({reason})"),
    "document.empty": ("The file is empty.", "ไฟล์นี้ว่างเปล่า"),
    "document.fake_pdf": (
        "{name} is not a PDF file although its name ends .pdf; export it again.",
        "ไฟล์ {name} ชื่อลงท้ายด้วย .pdf แต่ไม่ใช่ไฟล์ PDF กรุณาส่งออก (export) เป็น PDF ใหม่อีกครั้งค่ะ",
    ),
    "document.archive": (
        "{name} is an archive Tidtam cannot read; use {supported}.",
        "ไฟล์ {name} เป็นไฟล์บีบอัดที่ระบบอ่านไม่ได้ กรุณาใช้ไฟล์ {supported} ค่ะ",
    ),
    "document.supported": (".txt, .md, .html, .docx, .pdf, .xlsx or .csv", ".txt .md .html .docx .pdf .xlsx หรือ .csv"),
    "document.damaged": (
        "The file {name} could not be opened: it is damaged or not really a {suffix} file; open it and save it again.",
        "เปิดไฟล์ {name} ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ {suffix} จริง กรุณาเปิดไฟล์แล้วบันทึกใหม่อีกครั้งค่ะ",
    ),
    "document.old_format": (
        "Cannot read {suffix} files: {advice}, or export it as text.",
        "ระบบยังอ่านไฟล์ {suffix} ไม่ได้ กรุณา{advice} หรือส่งออกเป็นไฟล์ข้อความค่ะ",
    ),
    "advice.word_to_docx": ("open it in Word and save it as .docx", "เปิดในโปรแกรม Word แล้วบันทึกเป็น .docx"),
    "advice.excel_to_xlsx": ("open it in Excel and save it as .xlsx", "เปิดในโปรแกรม Excel แล้วบันทึกเป็น .xlsx"),
    "advice.save_docx": ("save it as .docx", "บันทึกเป็น .docx"),
    "advice.save_xlsx": ("save it as .xlsx", "บันทึกเป็น .xlsx"),
    "document.old_office": (
        "{name} is an old Office (.doc/.xls) file: save it as .docx or .xlsx and try again.",
        "ไฟล์ {name} เป็นไฟล์ Office รุ่นเก่า (.doc/.xls) กรุณาบันทึกเป็น .docx หรือ .xlsx แล้วลองอีกครั้งค่ะ",
    ),
    "document.xlsx_unopenable": (
        "The spreadsheet {name} could not be opened: it is damaged or not an .xlsx file ({kind}).",
        "เปิดไฟล์ตาราง {name} ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx ({kind})",
    ),
    "document.xlsx_damaged": (
        "The spreadsheet {name} could not be read: it is damaged ({kind}).",
        "อ่านไฟล์ตาราง {name} ไม่ได้ ไฟล์เสียหาย ({kind})",
    ),
    "document.hidden_sheet": (
        "Sheet '{sheet}' is hidden in Excel; not read (unhide it if it holds data to import).",
        "แผ่นงาน '{sheet}' ถูกซ่อนไว้ใน Excel ระบบจึงไม่อ่าน (ถ้ามีข้อมูลที่ต้องนำเข้า กรุณายกเลิกการซ่อนก่อนค่ะ)",
    ),
    "document.csv_unreadable": ("The CSV file could not be read: {error}.", "อ่านไฟล์ CSV ไม่ได้ ({error})"),
    "document.pdf_unopenable": (
        "{name} could not be opened as a PDF ({kind}); export the document from Word again, or send the .docx instead.",
        "เปิดไฟล์ {name} เป็น PDF ไม่ได้ ({kind}) กรุณาส่งออกจาก Word เป็น PDF ใหม่ หรือใช้ไฟล์ .docx แทนค่ะ",
    ),
    "document.pdf_damaged_page": (
        "{name} has a damaged page ({kind}); export it again.",
        "ไฟล์ {name} มีหน้าที่เสียหาย ({kind}) กรุณาส่งออกไฟล์ใหม่อีกครั้งค่ะ",
    ),
    "document.pdf_scan": (
        "{name} is a scanned image with no text layer, so nothing can be read from it; "
        "import the original Word or Excel file, or run OCR on the PDF and try again.",
        "ไฟล์ {name} เป็นภาพสแกนที่ไม่มีตัวอักษรให้อ่าน กรุณาใช้ไฟล์ Word หรือ Excel ต้นฉบับ "
        "หรือแปลง PDF ด้วย OCR ก่อนแล้วลองอีกครั้งค่ะ",
    ),
    "document.not_text": (
        "The file is not readable text (tried UTF-8, UTF-16 and TIS-620/cp874); save it as UTF-8 text and try again.",
        "อ่านไฟล์นี้เป็นข้อความไม่ได้ (ลองแล้วทั้ง UTF-8, UTF-16 และ TIS-620) "
        "กรุณาบันทึกเป็นไฟล์ข้อความแบบ UTF-8 แล้วลองอีกครั้งค่ะ",
    ),
    "document.docx_unopenable": (
        "{name} could not be opened as a Word .docx file ({kind}); open it in Word and save it again as .docx, "
        "or export it as text.",
        "เปิดไฟล์ {name} เป็นไฟล์ Word (.docx) ไม่ได้ ({kind}) กรุณาเปิดใน Word แล้วบันทึกเป็น .docx ใหม่ "
        "หรือส่งออกเป็นไฟล์ข้อความค่ะ",
    ),
    # -- plans: stops (ita.plan, ita.tables, ita.measures) ----------------------------
    "plan.empty": ("The document is empty.", "เอกสารนี้ไม่มีข้อความ"),
    "plan.internal": (
        "{name} could not be read ({detail}); please report this file to the Tidtam team.",
        "ระบบขัดข้องระหว่างอ่านไฟล์ {name} ({detail}) กรุณาส่งไฟล์นี้ให้ทีม Tidtam ตรวจสอบค่ะ",
    ),
    "plan.no_table_below_header": (
        "No measure table found: expected a header row with a มาตรการ/แนวทาง column "
        "and ผู้รับผิดชอบ, ระยะเวลาดำเนินการ or ขั้นตอน columns.",
        "ไม่พบตารางมาตรการ ตารางต้องมีแถวหัวตารางที่มีคอลัมน์ มาตรการ/แนวทาง "
        "และคอลัมน์ ผู้รับผิดชอบ ระยะเวลาดำเนินการ หรือ ขั้นตอน",
    ),
    "plan.no_rows": (
        "The measure table has a header but no measure rows.",
        "ตารางมาตรการมีหัวตาราง แต่ไม่มีแถวมาตรการ",
    ),
    "plan.bad_year": (
        "{given!r} is not a fiscal year; give it in Buddhist era, e.g. 2568.",
        "{given} ไม่ใช่ปีงบประมาณ กรุณาระบุเป็นปี พ.ศ. เช่น 2568 ค่ะ",
    ),
    "plan.no_table": (
        "No measure table found: the document has no table with a มาตรการ/แนวทาง column and "
        "ผู้รับผิดชอบ, ระยะเวลาดำเนินการ or ขั้นตอน columns. Export it keeping its tables, "
        "or copy the measures into the spreadsheet template (.xlsx).",
        "ไม่พบตารางมาตรการ เอกสารไม่มีตารางที่มีคอลัมน์ มาตรการ/แนวทาง และคอลัมน์ ผู้รับผิดชอบ "
        "ระยะเวลาดำเนินการ หรือ ขั้นตอน กรุณาส่งออกเอกสารโดยคงตารางไว้ "
        "หรือคัดลอกมาตรการลงในแบบฟอร์มมาตรการ (.xlsx) ค่ะ",
    ),
    "plan.choose_table": (
        "No table was recognised as the measure table; choose its columns, "
        "e.g. --columns measure=2,unit=3,period=5 (the tables found are listed).",
        "ระบบยังไม่แน่ใจว่าตารางใดเป็นตารางมาตรการ กรุณาเลือกตารางและคอลัมน์ของมาตรการค่ะ",
    ),
    "plan.columns_do_not_fit": (
        "No table has {needed} columns, so the chosen columns do not fit; check the column numbers.",
        "ไม่มีตารางใดมีถึง {needed} คอลัมน์ คอลัมน์ที่เลือกจึงไม่ตรงกับตาราง กรุณาตรวจการเลือกคอลัมน์ค่ะ",
    ),
    # The choice of columns: written by hand only on the command line (--columns);
    # the console's column picker cannot produce these, but a tampered form could.
    "columns.not_a_pair": (
        "--columns: {part!r} is not NAME=COLUMN, e.g. measure=2,unit=3,period=5.",
        "การเลือกคอลัมน์ “{part}” ไม่ถูกต้อง กรุณาเลือกคอลัมน์ใหม่ค่ะ",
    ),
    "columns.unknown_name": (
        "--columns: unknown column name {name!r}; use {known}.",
        "ไม่รู้จักชนิดคอลัมน์ “{name}” กรุณาเลือกจาก {known} ค่ะ",
    ),
    "columns.not_a_number": (
        "--columns: {role}={number!r} needs a column number counted from 1.",
        "คอลัมน์ของ “{role}” ต้องเป็นเลขคอลัมน์ นับจาก 1 (ได้รับ “{number}”) ค่ะ",
    ),
    "columns.from_one": (
        "--columns: {role}={column}: columns are counted from 1.",
        "คอลัมน์ของ “{role}” ต้องนับจาก 1 (ได้รับ {column}) ค่ะ",
    ),
    "columns.need_measure": (
        "--columns must name the measure column, e.g. measure=2,unit=3,period=5.",
        "กรุณาเลือกคอลัมน์ที่เป็น มาตรการ อย่างน้อยหนึ่งคอลัมน์ค่ะ",
    ),
    "columns.twice": (
        "--columns names the same column or the same role twice.",
        "เลือกคอลัมน์เดียวกันหรือชนิดเดียวกันซ้ำสองครั้ง กรุณาเลือกใหม่ค่ะ",
    ),
    # What a column holds, as the CLI's --columns names it and as the console's picker labels it.
    "column.number": ("number", "ลำดับ"),
    "column.section": ("group", "ประเด็น/กลุ่ม"),
    "column.title": ("measure", "มาตรการ"),
    "column.steps": ("steps", "ขั้นตอน/วิธีการ"),
    "column.responsible": ("unit", "ผู้รับผิดชอบ"),
    "column.period": ("period", "ระยะเวลา"),
    "column.period_start": ("start", "เดือนเริ่ม"),
    "column.period_end": ("end", "เดือนสิ้นสุด"),
    "column.cadence": ("cadence", "ความถี่การรายงาน"),
    "column.result": ("result", "ผลการดำเนินการ"),
    "column.outcome": ("outcome", "ผลลัพธ์"),
    "column.indicator": ("indicator", "ตัวชี้วัด"),
    "column.question": ("question", "ข้อคำถาม"),
    "column.ignored": ("ignored", "ไม่ใช้"),
    # -- plans: how a table's columns were read (ita.tables) ----------------------------
    "plan.table_note": ("{where}: {note}", "{where!p}: {note}"),
    "table.approach_is_measure": (
        "column {column} ({header}) read as the measures, beside the steps",
        "อ่านคอลัมน์ {column} ({header}) เป็นมาตรการ คู่กับคอลัมน์ขั้นตอน",
    ),
    "table.unnamed_column": (
        "column {column} has no known header; read as {role}",
        "คอลัมน์ {column} ไม่มีหัวตารางที่รู้จัก จึงอ่านเป็น {role}",
    ),
    "table.group_column": (
        "column {column} is filled on few rows; read as a group of measures",
        "คอลัมน์ {column} มีข้อความเพียงไม่กี่แถว จึงอ่านเป็นกลุ่มของมาตรการ",
    ),
    "table.measure_column": (
        "column {column} has no measure header; read as the measures",
        "คอลัมน์ {column} ไม่มีหัวตารางว่ามาตรการ จึงอ่านเป็นมาตรการ",
    ),
    "table.steps_column": ("column {column} read as the steps", "อ่านคอลัมน์ {column} เป็นขั้นตอนการดำเนินการ"),
    # -- plans: warnings about measures (ita.measures) ----------------------------------
    "plan.extra_cells": (
        "Row has more cells than the header; ignored: {cells!r}",
        "แถวนี้มีช่องมากกว่าหัวตาราง ไม่ได้นำเข้าช่องที่เกิน: “{cells}”",
    ),
    "plan.no_title": (
        "Row has no measure title; not imported: {cells!r}",
        "แถวนี้ไม่มีชื่อมาตรการ จึงไม่ได้นำเข้า: “{cells}”",
    ),
    "plan.split_cell": (
        "The measure cell numbers {count} measures; each is imported with the row's other cells.",
        "ช่องมาตรการนี้มี {count} มาตรการ นำเข้าแยกเป็นมาตรการละรายการ โดยใช้ช่องอื่นของแถวเดียวกัน",
    ),
    "plan.org_spellings": (
        "The organisation's name is spelt {count} ways ({spellings}); using the most frequent, {name!r}. "
        "To use another, name it (--org on the command line).",
        "ชื่อหน่วยงานในเอกสารเขียนไว้ {count} แบบ ({spellings}) ระบบใช้แบบที่พบบ่อยที่สุด คือ “{name}”",
    ),
    "plan.spelling": ("{name!r} ×{times}", "“{name}” ×{times}"),
    "plan.district_variant": (
        "District {district!r} is spelt like a variant of the organisation's name; using {chosen!r}.",
        "ชื่ออำเภอ “{district}” สะกดคล้ายชื่อหน่วยงาน จึงใช้ “{chosen}”",
    ),
    "plan.year_guessed": (
        "No fiscal year in the title; guessed {year} from the measures' periods.",
        "ชื่อเอกสารไม่ระบุปีงบประมาณ ระบบเดาว่าเป็นปี {year} จากระยะเวลาดำเนินการของมาตรการ",
    ),
    "plan.no_year": (
        "No fiscal year found; periods without a year could not be read.",
        "ไม่พบปีงบประมาณในเอกสาร ระยะเวลาที่ไม่ระบุปีจึงอ่านไม่ได้ กรุณาระบุปีงบประมาณค่ะ",
    ),
    "plan.no_unit": ("Measure {title!r} has no responsible unit.", "มาตรการ “{title}” ไม่มีหน่วยงานผู้รับผิดชอบ"),
    "plan.unknown_unit": (
        "Unknown responsible unit {unit!r}; check the spelling or add the unit.",
        "ไม่รู้จักหน่วยงาน “{unit}” กรุณาตรวจการสะกด หรือเพิ่มหน่วยงานนี้ค่ะ",
    ),
    "plan.ticks_gap": (
        "Ticked in {ticked} months of {span}; followed up from the first ticked month to the last.",
        "ทำเครื่องหมายไว้ {ticked} เดือนจาก {span} เดือน ระบบจะติดตามตั้งแต่เดือนแรกถึงเดือนสุดท้ายที่ทำเครื่องหมาย",
    ),
    "plan.period_unreadable_no_year": (
        "Could not read the period {text!r} and no fiscal year is known.",
        "อ่านระยะเวลาดำเนินการ “{text}” ไม่ได้ และไม่ทราบปีงบประมาณ",
    ),
    "plan.no_period_no_year": (
        "No period given and no fiscal year is known.",
        "ไม่ระบุระยะเวลาดำเนินการ และไม่ทราบปีงบประมาณ",
    ),
    "plan.period_unreadable": (
        "Could not read the period {text!r}; assuming the whole fiscal year {year}.",
        "อ่านระยะเวลาดำเนินการ “{text}” ไม่ได้ จึงถือว่าทั้งปีงบประมาณ {year}",
    ),
    "plan.no_period": (
        "No period given; assuming the whole fiscal year {year}.",
        "ไม่ระบุระยะเวลาดำเนินการ จึงถือว่าทั้งปีงบประมาณ {year}",
    ),
    "plan.period_note": (
        "Period {text!r} read as {start!m} to {end!m}: {note}",
        "อ่านระยะเวลา “{text}” เป็น {start!m} ถึง {end!m}: {note}",
    ),
    "plan.unknown_cadence": (
        "Unknown reporting frequency {stated!r}; using monthly.",
        "ไม่รู้จักความถี่การรายงาน “{stated}” จึงใช้รายเดือน",
    ),
    "plan.number_again": (
        "Measure number {number} is used again (first on line {first}); keyed as {key!r}.",
        "มาตรการข้อ {number} ซ้ำกับข้อที่บรรทัด {first} จึงแยกเป็น “{key}”",
    ),
    # -- staff lists (ita.staff) ---------------------------------------------------------
    "staff.unreadable": ("cannot read {path}: {reason}", "อ่านไฟล์ {path} ไม่ได้ ({reason})"),
    "staff.bad_xlsx": ("{name} is not a readable .xlsx workbook", "ไฟล์ {name} ไม่ใช่ไฟล์ Excel (.xlsx) ที่อ่านได้"),
    "staff.wrong_type": (
        "{name}: use an .xlsx or .csv file (columns: ชื่อ-สกุล, ตำแหน่ง, หน่วยงาน, บทบาท, โทรศัพท์)",
        "ไฟล์ {name} ใช้ไม่ได้ กรุณาใช้ไฟล์ .xlsx หรือ .csv ค่ะ (คอลัมน์: ชื่อ-สกุล, ตำแหน่ง, หน่วยงาน, บทบาท, โทรศัพท์)",
    ),
    "staff.no_header": (
        "no header row with a name column (ชื่อ-สกุล) in the first 20 rows",
        "ไม่พบแถวหัวตารางที่มีคอลัมน์ ชื่อ-สกุล ใน 20 แถวแรก",
    ),
    "staff.no_rows": ("the file has a header but no staff rows", "ไฟล์มีหัวตาราง แต่ไม่มีรายชื่อเจ้าหน้าที่"),
    "staff.unknown_role": (
        "unknown role {role!r} for {name}; using officer",
        "ไม่รู้จักบทบาท “{role}” ของ {name} จึงกำหนดเป็นเจ้าหน้าที่",
    ),
    # -- scores: stops (ita.score_text) ------------------------------------------------
    "score.not_text": ("expected the document as text", "ระบบต้องการเอกสารที่เป็นข้อความ"),
    "score.binary": (
        "the text contains binary data; export the document as plain text",
        "ไฟล์มีข้อมูลที่ไม่ใช่ข้อความปนอยู่ กรุณาส่งออกเอกสารเป็นไฟล์ข้อความธรรมดาค่ะ",
    ),
    "score.internal": (
        "internal error while reading scores ({kind})",
        "ระบบขัดข้องระหว่างอ่านคะแนน ({kind}) กรุณาส่งไฟล์นี้ให้ทีม Tidtam ตรวจสอบค่ะ",
    ),
    "score.internal_in": (
        "internal error while reading {source} ({kind})",
        "ระบบขัดข้องระหว่างอ่าน {source} ({kind}) กรุณาส่งไฟล์นี้ให้ทีม Tidtam ตรวจสอบค่ะ",
    ),
    "score.year_not_whole": ("the year must be a whole number such as 2567", "ปีต้องเป็นตัวเลข เช่น 2567"),
    "score.year_implausible": (
        "{year} is not a plausible assessment year",
        "{year} ไม่ใช่ปีที่มีการประเมิน ITA กรุณาระบุปี พ.ศ. เช่น 2567 ค่ะ",
    ),
    "score.encoding": (
        "the file is not UTF-8, UTF-16 or Thai Windows (cp874) text",
        "ไฟล์นี้ไม่ใช่ไฟล์ข้อความแบบ UTF-8, UTF-16 หรือ Windows ภาษาไทย (cp874)",
    ),
    "score.no_file": ("cannot open {name}: no such file", "ไม่พบไฟล์ {name}"),
    "score.cannot_open": ("cannot open {name}: {reason}", "เปิดไฟล์ {name} ไม่ได้ ({reason})"),
    "score.bad_workbook": ("{name} is not a readable Excel workbook", "ไฟล์ {name} ไม่ใช่ไฟล์ Excel ที่อ่านได้"),
    "score.damaged_sheet": ("{name} has a damaged sheet", "ไฟล์ {name} มีแผ่นงานที่เสียหาย"),
    "score.bad_csv": ("the CSV file is malformed: {error}", "ไฟล์ CSV มีรูปแบบไม่ถูกต้อง ({error})"),
    "score.contradicts": (
        "the document contradicts itself: {first}; check the document, then choose with "
        "--prefer first|last|PLACE (e.g. --prefer 'line 39')",
        "เอกสารให้ตัวเลขไม่ตรงกัน: {first} กรุณาตรวจกับเอกสารต้นฉบับ แล้วเลือกว่าจะเชื่อตัวเลขจากที่ใดค่ะ",
    ),
    "score.contradicts_more": (
        "the document contradicts itself: {first} (and {more} more); check the document, then choose with "
        "--prefer first|last|PLACE (e.g. --prefer 'line 39')",
        "เอกสารให้ตัวเลขไม่ตรงกัน: {first} (และอีก {more} รายการ) "
        "กรุณาตรวจกับเอกสารต้นฉบับ แล้วเลือกว่าจะเชื่อตัวเลขจากที่ใดค่ะ",
    ),
    "score.conflict": ("{year} {what} is {given}", "ปี {year} {what} เป็น {given}"),
    "score.value_at": ("{value} at {place}", "{value} ที่ {place!p}"),
    # -- scores: what a figure is ------------------------------------------------------
    "label.indicator": ("indicator {key}", "ตัวชี้วัดที่ {key}"),
    "label.tool": ("tool {key}", "แบบวัด {key}"),
    "label.question": ("question {key}", "ข้อคำถาม {key}"),
    "label.eit_part": ("EIT part {key}", "EIT ส่วนที่ {key}"),
    "label.overall": ("the overall", "คะแนนภาพรวม"),
    "label.level": ("the level", "ระดับผลการประเมิน"),
    "label.other": ("{kind} {key}", "{kind} {key}"),
    # What a score sentence was about when it cannot be filed.
    "label.unknown_question": ("a question", "ข้อคำถามที่อ่านรหัสข้อไม่ได้"),
    "label.unknown_uncoded_question": ("a question without a code", "ข้อคำถามที่ไม่ระบุรหัสข้อ"),
    "label.unknown_indicator_number": ("an unknown indicator", "ตัวชี้วัดที่เลขไม่ถูกต้อง"),
    "label.unknown_indicator_name": ("an unrecognised indicator", "ตัวชี้วัดที่อ่านชื่อไม่ออก"),
    # -- scores: warnings ---------------------------------------------------------------
    "score.preferred": (
        "{year} {what}: tables disagree; kept {value} as preferred",
        "ปี {year} {what}: ตารางให้ค่าไม่ตรงกัน เก็บค่า {value} ตามที่เลือก",
    ),
    "score.sentences_disagree": (
        "{year} {what} is given as {values} in sentences; not stored",
        "ปี {year} {what} ในข้อความระบุไว้ไม่ตรงกัน คือ {values} จึงไม่ได้บันทึก",
    ),
    "score.value_on": ("{value} ({place})", "{value} ({place!p})"),
    "score.differs_here": (
        "{year} {what} is {value} here but {kept} on {place}; kept {kept}",
        "ปี {year} {what} ที่นี่เป็น {value} แต่ที่{place!p}เป็น {kept} จึงเก็บค่า {kept}",
    ),
    "score.tool_vs_indicators": (
        "{year} {tool} is given as {given:.2f} but its indicators average {computed:.2f}",
        "ปี {year} เอกสารระบุคะแนน {tool} เป็น {given:.2f} แต่ค่าเฉลี่ยของตัวชี้วัดเป็น {computed:.2f}",
    ),
    "score.disagreement": ("{year}: {reasons}", "ปี {year}: {reasons}"),
    "score.overall_differs": (
        "the reported overall score {reported:.2f} differs from {computed:.2f} computed as 0.3·IIT + 0.3·EIT + 0.4·OIT",
        "คะแนนภาพรวมที่เอกสารระบุ {reported:.2f} ไม่ตรงกับที่คำนวณได้ {computed:.2f} (0.3·IIT + 0.3·EIT + 0.4·OIT)",
    ),
    "score.level_differs": (
        "the reported level {reported} differs from the computed level {computed}",
        "ระดับที่เอกสารระบุ ({reported}) ไม่ตรงกับระดับที่คำนวณได้ ({computed})",
    ),
    "score.none_found": (
        "no score table or score sentence was recognised: scores are read from tables with one row per "
        "indicator, tool or question and a คะแนน or year column (Word, Excel, HTML, TAB-separated text), and from "
        "sentences such as 'ปี 2568 ได้ 86.38 คะแนน'; otherwise copy the scores into the score template "
        "(flask --app bot score-template scores.xlsx) and import that",
        "ไม่พบตารางคะแนนหรือข้อความที่ระบุคะแนน ระบบอ่านคะแนนจากตารางที่มีแถวละหนึ่งตัวชี้วัด แบบวัด หรือข้อคำถาม "
        "และมีคอลัมน์คะแนนหรือคอลัมน์ปี และจากข้อความเช่น “ปี 2568 ได้ 86.38 คะแนน” "
        "หากเอกสารไม่เป็นแบบนี้ กรุณากรอกคะแนนลงในแบบฟอร์มคะแนนแล้วนำเข้าแบบฟอร์มนั้นค่ะ",
    ),
    "score.not_a_row_kind": (
        "row '{label}' is not an indicator, tool, question or total; skipped",
        "แถว “{label}” ไม่ใช่ตัวชี้วัด แบบวัด ข้อคำถาม หรือคะแนนรวม จึงข้ามไป",
    ),
    "score.name_like_other": (
        "indicator {number}'s name {name!r} reads like indicator {other}; kept the row's number {number}",
        "ชื่อตัวชี้วัดที่ {number} “{name}” อ่านได้เหมือนตัวชี้วัดที่ {other} จึงใช้เลขของแถว ({number})",
    ),
    "score.name_unknown": (
        "indicator {number}'s name {name!r} matches no indicator; kept the row's number {number}",
        "ชื่อตัวชี้วัดที่ {number} “{name}” ไม่ตรงกับตัวชี้วัดใด จึงใช้เลขของแถว ({number})",
    ),
    "score.part_average": (
        "row '{label}' averages the rows above it, not the whole assessment; not stored as the overall",
        "แถว “{label}” เป็นค่าเฉลี่ยของแถวด้านบน ไม่ใช่ของทั้งการประเมิน จึงไม่ได้บันทึกเป็นคะแนนภาพรวม",
    ),
    "score.change_column": (
        "the change column says {change:+.2f} but {later_value:.2f} − {earlier_value:.2f} = {expected:+.2f} "
        "({later} − {earlier})",
        "คอลัมน์ผลต่างระบุ {change:+.2f} แต่ {later_value:.2f} − {earlier_value:.2f} = {expected:+.2f} "
        "({later} − {earlier})",
    ),
    "score.sentence_no_year": (
        "score {value:g} for {what} names no year; give the assessment year",
        "คะแนน {value:g} ของ{what}ไม่ได้ระบุปี กรุณาระบุปีที่ประเมินค่ะ",
    ),
    "score.out_of_range": (
        "{year} score {value:g} is outside 0–100; skipped",
        "ปี {year} คะแนน {value:g} อยู่นอกช่วง 0–100 จึงข้ามไป",
    ),
    "score.not_ours": (
        "{year} score {value:.2f} belongs to {what}; skipped",
        "ปี {year} คะแนน {value:.2f} เป็นของ{what} จึงข้ามไป",
    ),
    "score.aligned_with_spaces": (
        "the tables are aligned with spaces; columns were read by their gaps, check the figures",
        "ตารางในเอกสารจัดแนวด้วยช่องว่าง ระบบแบ่งคอลัมน์ตามช่องว่าง กรุณาตรวจตัวเลขค่ะ",
    ),
    "score.row_not_read": (
        "a table row with figures was not read as scores ('{cells}'); if it holds ITA scores, "
        "check its headers or enter them in the score template",
        "แถวตารางที่มีตัวเลข (“{cells}”) ไม่ได้อ่านเป็นคะแนน หากเป็นคะแนน ITA "
        "กรุณาตรวจหัวตาราง หรือกรอกลงในแบบฟอร์มคะแนนค่ะ",
    ),
    "score.table_no_year": (
        "a score table names no year and the document does not name exactly one; give the assessment year "
        "to read it",
        "ตารางคะแนนไม่ระบุปี และเอกสารไม่ได้ระบุปีไว้ปีเดียว กรุณาระบุปีที่ประเมินค่ะ",
    ),
    "score.row_bad_year": (
        "'{year}' is not a Buddhist-era year; row skipped",
        "“{year}” ไม่ใช่ปี พ.ศ. จึงข้ามแถวนี้",
    ),
    "score.row_no_year": ("no year on this row; row skipped", "แถวนี้ไม่ระบุปี จึงข้ามไป"),
    "score.row_unknown": ("cannot tell what '{what}' is; row skipped", "ไม่ทราบว่า “{what}” คืออะไร จึงข้ามแถวนี้"),
    "score.row_bad_level": ("'{text}' is not a level; row skipped", "“{text}” ไม่ใช่ระดับผลการประเมิน จึงข้ามแถวนี้"),
    "score.row_bad_score": (
        "'{text}' is not a score from 0 to 100; row skipped",
        "“{text}” ไม่ใช่คะแนน 0–100 จึงข้ามแถวนี้",
    ),
}

LANGUAGES = ("en", "th")


def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


# The placeholders of each code (the English ones; a test checks the Thai has the same).
_FIELDS = {code: _fields(english) for code, (english, _) in TEXTS.items()}


@dataclass(frozen=True)
class Message:
    """A sentence for a person: its code in `TEXTS` and the values for its placeholders."""

    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code not in TEXTS:
            raise KeyError(f"no message {self.code!r} in ita.messages.TEXTS")
        if set(self.params) != _FIELDS[self.code]:
            raise TypeError(f"message {self.code!r} takes {sorted(_FIELDS[self.code])}, got {sorted(self.params)}")

    def en(self) -> str:
        """Plain English, for the CLI and the logs."""
        return self.render("en")

    def th(self) -> str:
        """Polite, short Thai, for the console."""
        return self.render("th")

    def render(self, language: str) -> str:
        template = TEXTS[self.code][LANGUAGES.index(language)]
        return _FORMATTERS[language].vformat(template, (), self.params)

    def __str__(self) -> str:
        return self.en()


def msg(code: str, **params: object) -> Message:
    """The Message ``code`` with these values: ``msg("plan.no_period", year=2568)``."""
    return Message(code, params)


@dataclass(frozen=True)
class Joined:
    """Several values (Messages or plain text) shown as one: "a and b" / "a และ b"."""

    items: tuple[object, ...]
    en: str = "; "
    th: str = " "

    def render(self, language: str) -> str:
        separator = self.en if language == "en" else self.th
        return separator.join(_rendered(item, language) for item in self.items)


def joined(items: Iterable[object], en: str = "; ", th: str = " ") -> Joined:
    return Joined(tuple(items), en, th)


def _rendered(value: object, language: str) -> object:
    if isinstance(value, Message | Joined):
        return value.render(language)
    return value


_PLACE_WORDS = (
    (re.compile(r"\bline (\d+)"), r"บรรทัด \1"),
    (re.compile(r"\bparagraph (\d+)"), r"ย่อหน้า \1"),
    (re.compile(r"\bpage (\d+)"), r"หน้า \1"),
    (re.compile(r"\btable (\d+)"), r"ตาราง \1"),
    (re.compile(r"\brow (\d+)"), r"แถว \1"),
    (re.compile(r"\bsheet '"), "แผ่นงาน '"),
)


def thai_place(where: str) -> str:
    """A reader's place in Thai: "page 2 table 1 row 4" → "หน้า 2 ตาราง 1 แถว 4" (file names kept)."""
    for pattern, thai in _PLACE_WORDS:
        where = pattern.sub(thai, where)
    return where


class _Formatter(string.Formatter):
    """str.format with Messages as values and the ``!p`` (place) and ``!m`` (month) conversions."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "p":
            return thai_place(str(value)) if self.language == "th" else str(value)
        if conversion == "m":
            assert isinstance(value, date)
            return format_month(value, abbr=True) if self.language == "th" else f"{value:%Y-%m}"
        return super().convert_field(_rendered(value, self.language), conversion)

    def format_field(self, value: object, format_spec: str) -> str:
        return super().format_field(_rendered(value, self.language), format_spec)


_FORMATTERS = {language: _Formatter(language) for language in LANGUAGES}


def require_message(owner: object, message: object) -> None:
    """Refuse a bare string where a `Message` belongs, so no English-only sentence creeps in."""
    if not isinstance(message, Message):
        raise TypeError(f"{type(owner).__name__} takes an ita.messages.Message, not {type(message).__name__}")


class MessageError(Exception):
    """An importer's stop whose reason is a `Message`: ``str()`` the English line, ``.message`` both languages."""

    def __init__(self, message: Message) -> None:
        require_message(self, message)
        super().__init__(" ".join(message.en().split()))
        self.message = message


def at_line(line: int | None, message: Message) -> Message:
    """The message with the line it is about in front ("line 12: …" / "บรรทัด 12: …"), if any."""
    return message if line is None else msg("at_line", line=line, text=message)


@dataclass(frozen=True)
class LineWarning:
    """Something an importer guessed, doubted or could not read, with the 1-based line (or sheet row) it is about.

    ``message`` is the English sentence (``str()`` puts the line in front, as
    the CLI prints it); ``what.th()`` and ``th()`` are the same in Thai.
    """

    line: int | None
    what: Message

    def __post_init__(self) -> None:
        require_message(self, self.what)

    @property
    def message(self) -> str:
        return self.what.en()

    def __str__(self) -> str:
        return at_line(self.line, self.what).en()

    def th(self) -> str:
        return at_line(self.line, self.what).th()
