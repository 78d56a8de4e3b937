"""Accuracy corpus report: run the importers over every document in a folder and print what they found.

    python -m devkit.corpus FOLDER [--verbose]

Per document: the measures (with their units and periods), the scores by
year, warnings, and a stop with its one-line reason when the importer
refused the document.  A document that stops cleanly is a result, not a
failure: the exit status is non-zero only when an importer crashed (raised
anything other than its own import error), which is a bug to fix.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from ita.documents import DocumentReadError, read_document
from ita.plan import PlanImportError, PlanTableChoiceError, read_plan_document
from ita.score_text import ScoreImportError, read_scores

DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".text", ".html", ".htm", ".docx", ".pdf", ".xlsx", ".xlsm", ".csv"})


def _plan_lines(path: Path, verbose: bool) -> tuple[list[str], bool]:
    lines: list[str] = []
    try:
        document = read_plan_document(read_document(path))
    except PlanTableChoiceError as error:
        return [f"  plan: STOP {error}", *("    " + line for line in error.describe().splitlines())], False
    except (PlanImportError, DocumentReadError) as error:
        return [f"  plan: STOP {error}"], False
    except Exception:  # noqa: BLE001 - the report must list every crash and go on
        return ["  plan: CRASH", *("    " + line for line in traceback.format_exc().splitlines())], True
    measures = document.measures
    with_unit = sum(1 for m in measures if m.responsible_units)
    with_period = sum(1 for m in measures if m.period_start and not m.period_assumed)
    lines.append(
        f"  plan: {document.org_name or '(no organisation)'}, year {document.fiscal_year_be}, "
        f"{len(measures)} measures, {with_unit} with a unit, {with_period} with a stated period, "
        f"{len(document.warnings)} warnings"
    )
    lines.append(f"  units: {', '.join(document.units) or '-'}")
    for measure in measures:
        period = (
            f"{measure.period_start:%Y-%m}..{measure.period_end:%Y-%m}{' (assumed)' if measure.period_assumed else ''}"
            if measure.period_start and measure.period_end
            else "no period"
        )
        links = " ".join([*(f"ind{n}" for n in measure.indicator_numbers), *measure.question_codes])
        units = ",".join(measure.responsible_units) or "no unit"
        lines.append(f"    {measure.key:<18} {units:<28} {period:<24} {links:<12} {measure.title[:50]}")
    if verbose:
        lines += [f"    warning: {w}" for w in document.warnings]
    return lines, False


def _score_lines(path: Path, verbose: bool) -> tuple[list[str], bool]:
    try:
        document = read_scores(path)
    except ScoreImportError as error:
        return [f"  scores: STOP {error}"], False
    except Exception:  # noqa: BLE001
        return ["  scores: CRASH", *("    " + line for line in traceback.format_exc().splitlines())], True
    if not document.years:
        return [f"  scores: none ({len(document.warnings)} warnings)"], False
    lines = [f"  scores: {document.org_name or '(no organisation)'}, {len(document.warnings)} warnings"]
    for year, scores in document.years.items():
        indicators = " ".join(f"{n}={v:.2f}" for n, v in sorted(scores.indicators.items()))
        tools = " ".join(f"{t}={v:.2f}" for t, v in scores.tools.items())
        questions = " ".join(f"{c}={v:g}" for c, v in scores.questions.items())
        overall = f"{scores.reported_overall:.2f}" if scores.reported_overall is not None else "-"
        computed = f"{scores.computed_overall:.2f}" if scores.computed_overall is not None else "-"
        lines.append(
            f"    {year}: indicators {len(scores.indicators)}/10 [{indicators}] tools [{tools or '-'}] "
            f"overall {overall} (computed {computed}) level {scores.reported_level or '-'}"
            + (f" questions [{questions}]" if questions else "")
        )
    if verbose:
        lines += [f"    warning: {w}" for w in document.warnings]
    return lines, False


def report(folder: Path, *, verbose: bool = False) -> tuple[str, bool]:
    """The report's text for every document in folder, and whether any importer crashed."""
    out: list[str] = []
    crashed = False
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
    for path in files:
        out.append(f"== {path.name}")
        for reader in (_plan_lines, _score_lines):
            lines, crash = reader(path, verbose)
            out += lines
            crashed = crashed or crash
    out.append(f"{len(files)} document(s){'; an importer CRASHED' if crashed else ''}")
    return "\n".join(out), crashed


def main(argv: list[str] | None = None) -> int:
    """Print the corpus report for a folder; exit 1 only when an importer crashed."""
    parser = argparse.ArgumentParser(prog="python -m devkit.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every warning too")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"Error: {args.folder} is not a folder.", file=sys.stderr)
        return 2
    text, crashed = report(args.folder, verbose=args.verbose)
    print(text)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
