"""Read any supported file into the intermediate form (`ita.documents.blocks.SourceDocument`).

`read_document(path)` picks the reader by content first and extension second,
so a .txt holding HTML or a workbook without its extension still reads.
Everything that goes wrong raises `DocumentReadError` with one plain line.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ita.documents.blocks import (
    Block,
    DocumentReadError,
    Paragraph,
    Row,
    SourceDocument,
    Table,
)
from ita.documents.docx_reader import read_docx
from ita.documents.html_reader import read_html_text
from ita.documents.pdf_reader import read_pdf
from ita.documents.sheet_reader import read_csv, read_rows, read_xlsx
from ita.documents.text_reader import decode_text, read_text
from ita.messages import msg

__all__ = [
    "Block",
    "DocumentReadError",
    "Paragraph",
    "Row",
    "SourceDocument",
    "Table",
    "decode_text",
    "read_document",
    "read_rows",
    "read_text",
    "SUPPORTED",
]

SUPPORTED = ".txt, .md, .html, .docx, .pdf, .xlsx or .csv"
# Formats people will try that cannot be read directly; the message says what to do.
_OLD_OFFICE = {
    ".doc": "advice.word_to_docx",
    ".xls": "advice.excel_to_xlsx",
    ".odt": "advice.save_docx",
    ".ods": "advice.save_xlsx",
    ".rtf": "advice.save_docx",
}


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    return "zip"


def read_document(path: str | Path) -> SourceDocument:
    """Read a file of any supported format into paragraphs and tables."""
    file = Path(path)
    try:
        head = file.read_bytes()
    except FileNotFoundError:
        raise DocumentReadError(msg("document.not_found", file=str(file))) from None
    except IsADirectoryError:
        raise DocumentReadError(msg("document.folder", file=str(file))) from None
    except OSError as error:
        raise DocumentReadError(msg("document.unreadable", file=str(file), reason=error.strerror or str(error))) from None
    if not head.strip():
        raise DocumentReadError(msg("document.empty"))
    suffix = file.suffix.lower()
    if head.startswith(b"%PDF"):
        return read_pdf(file)
    if suffix == ".pdf":
        raise DocumentReadError(msg("document.fake_pdf", name=file.name))
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(file)
        if kind == "xlsx":
            return read_xlsx(file)
        if kind == "docx":
            return read_docx(file)
        if suffix in (".xlsx", ".xlsm"):
            return read_xlsx(file)
        if suffix == ".docx":
            return read_docx(file)
        raise DocumentReadError(msg("document.archive", name=file.name, supported=msg("document.supported")))
    if suffix in (".xlsx", ".xlsm", ".docx"):
        raise DocumentReadError(msg("document.damaged", name=file.name, suffix=suffix))
    if suffix in _OLD_OFFICE:
        raise DocumentReadError(msg("document.old_format", suffix=suffix, advice=msg(_OLD_OFFICE[suffix])))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentReadError(msg("document.old_office", name=file.name))
    if suffix in (".csv", ".tsv"):
        return read_csv(file)
    text = decode_text(head)
    if suffix in (".html", ".htm"):
        return read_html_text(text, file.name)
    fmt = "markdown" if suffix in (".md", ".markdown") else "text"
    return read_text(text, file.name, fmt)
