"""Read a measure plan or results report from exported or pasted text.

A thin entry point over the pipeline in `ita.plan`: the text becomes
paragraphs and tables (`ita.documents.text_reader`), and the same table
finding and measure reading as for every other format runs on it.  The
cleaning and header helpers are re-exported for callers that used them here.
"""

from __future__ import annotations

from ita.documents import read_text
from ita.messages import msg
from ita.plan import read_plan_document
from ita.plan_model import PlanDocument, PlanImportError
from ita.tables import HeaderMatch, header_field, match_header
from ita.textclean import clean_text, fix_wrap_spaces, squash, strip_markup

__all__ = [
    "HeaderMatch",
    "clean_text",
    "fix_wrap_spaces",
    "header_field",
    "match_header",
    "parse_plan_text",
    "squash",
    "strip_markup",
]


def parse_plan_text(
    text: str,
    *,
    fiscal_year_be: int | None = None,
    org_name: str | None = None,
    source_format: str = "text",
    columns: str | dict[str, int] | None = None,
) -> PlanDocument:
    """Read a plan or results report from exported text; raise PlanImportError if unusable."""
    if not isinstance(text, str) or not text.strip():
        raise PlanImportError(msg("plan.empty"))
    document = read_text(text, "text", source_format)
    return read_plan_document(document, fiscal_year_be=fiscal_year_be, org_name=org_name, columns=columns)
