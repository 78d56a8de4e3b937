"""Progress charts as PNG files: completion by unit (bars) and by month (a line).

Pure drawing: plain numbers and labels in, a PNG file out, through matplotlib's
object-oriented API on the Agg canvas (no pyplot, no global state, so it is
safe in a worker thread). Thai labels need a font with Thai glyphs;
``thai_font_path`` finds one on this machine (fontconfig, the usual font
folders, fonts shipped inside installed Python packages). Without one the
chart is still drawn, with romanised ASCII labels, never an error.
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ita.thai import ce_to_be, month_name

FONT_ENV = "TIDTAM_THAI_FONT"
THAI_SAMPLE = 0x0E01  # ก
FONT_SUFFIXES = (".ttf", ".otf")
# Sans faces first: they read best at chart sizes.
PREFERRED_FONTS = ("sarabun", "notosansthai", "notosansthaiui", "loma", "garuda", "waree", "umpush", "kanit",
                   "prompt", "thsarabun", "laksaman", "kinnari", "norasi", "tlwgtypo")
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                    "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
ASCII_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GREEN, AMBER, GREY = "#1DB446", "#E3A008", "#9CA3AF"


# -- fonts -----------------------------------------------------------------------

def _has_thai(path: str) -> bool:
    # Last Resort fonts map every code point to a placeholder box: no use for labels.
    if "lastresort" in Path(path).name.lower().replace(" ", "").replace("-", ""):
        return False
    try:
        from matplotlib.ft2font import FT2Font

        return THAI_SAMPLE in FT2Font(path).get_charmap()
    except Exception:  # an unreadable or unsupported font file is simply not a candidate
        return False


def _rank(path: str) -> tuple[int, int, str]:
    name = Path(path).stem.lower().replace("-", "").replace("_", "").replace(" ", "")
    styled = any(word in name for word in ("bold", "italic", "oblique", "light", "thin", "black"))
    preference = next((i for i, key in enumerate(PREFERRED_FONTS) if name.startswith(key)), len(PREFERRED_FONTS))
    return styled, preference, name


def _fontconfig_candidates() -> list[str]:
    if shutil.which("fc-list") is None:
        return []
    try:
        result = subprocess.run(["fc-list", ":lang=th", "file"], capture_output=True, text=True, timeout=10,
                                check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    paths = (line.split(":", 1)[0].strip() for line in result.stdout.splitlines())
    return [p for p in paths if p.lower().endswith(FONT_SUFFIXES)]


def _files_under(roots: Sequence[str]) -> list[str]:
    found = []
    for root in roots:
        root = os.path.expanduser(root)
        if not os.path.isdir(root):
            continue
        for folder, _dirs, files in os.walk(root):
            found += [os.path.join(folder, f) for f in files if f.lower().endswith(FONT_SUFFIXES)]
    return found


def _package_dirs() -> list[str]:
    dirs = set(site.getsitepackages()) if hasattr(site, "getsitepackages") else set()
    dirs |= {p for p in sys.path if p.endswith("site-packages")}
    return sorted(dirs)


@lru_cache(maxsize=1)
def thai_font_path() -> str | None:
    """A font file with Thai glyphs on this machine, or None when there is none.

    Looks at $TIDTAM_THAI_FONT, then fontconfig (``fc-list :lang=th``), then the
    usual font folders, then fonts inside installed Python packages; sans
    faces and regular weights are preferred.
    """
    configured = os.environ.get(FONT_ENV)
    if configured and os.path.isfile(configured) and _has_thai(configured):
        return configured
    for candidates in (_fontconfig_candidates, lambda: _files_under(SYSTEM_FONT_DIRS),
                       lambda: _files_under(_package_dirs())):
        for path in sorted(set(candidates()), key=_rank):
            if _has_thai(path):
                return path
    return None


# -- the chart -----------------------------------------------------------------------

@dataclass(frozen=True)
class ChartText:
    """The fixed words on the chart, in one language."""

    units_title: str
    months_title: str
    period_legend: str
    year_legend: str
    axis: str
    no_data: str


ASCII_TEXT = ChartText(units_title="Completion by unit (%)", months_title="Completion by month (%)",
                       period_legend="this month", year_legend="fiscal year so far", axis="%",
                       no_data="nothing due")


@dataclass(frozen=True)
class UnitBar:
    name: str
    period_percent: float | None  # None: nothing due this month
    year_percent: float | None


@dataclass(frozen=True)
class ProgressChart:
    title: str
    units: Sequence[UnitBar]
    months: Sequence[tuple[date, float | None]]  # first day of the month, completion (None: nothing due)
    ascii_title: str = ""  # the title when there is no Thai font; romanised from ``title`` when empty


@dataclass(frozen=True)
class DrawResult:
    path: Path
    preview_path: Path | None
    thai: bool  # False when labels fell back to ASCII


def romanise(text: str) -> str:
    """ASCII for a Thai label (Royal Institute romanisation), for charts without a Thai font."""
    if text.isascii():
        return text
    try:
        from pythainlp.transliterate import romanize

        words = [romanize(word, engine="royin") if not word.isascii() else word for word in text.split()]
        result = " ".join(w for w in words if w)
    except Exception:  # romanisation is cosmetic; never fail a chart over it
        result = ""
    result = "".join(ch for ch in result if ch.isascii() and ch.isprintable()).strip()
    return result[:1].upper() + result[1:] if result else "?"


def month_label(month: date, *, thai: bool) -> str:
    year = ce_to_be(month.year) % 100
    if thai:
        return f"{month_name(month.month, abbr=True)} {year:02d}"
    return f"{ASCII_MONTHS[month.month - 1]} {year:02d}"


def draw_progress_chart(chart: ProgressChart, path: Path, *, text: ChartText, preview_path: Path | None = None,
                        font_path: str | None = None, use_thai: bool | None = None,
                        dpi: int = 120, preview_dpi: int = 40) -> DrawResult:
    """Draw unit bars (this month and the year so far) above the monthly line and save it as PNG.

    ``use_thai`` None means: Thai labels when a Thai font is found.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    if use_thai is None or use_thai:
        font_path = font_path or thai_font_path()
    thai = bool(font_path) and use_thai is not False
    font = FontProperties(fname=font_path) if thai else FontProperties(family="DejaVu Sans")
    words = text if thai else ASCII_TEXT

    def label(value: str) -> str:
        return value if thai else romanise(value)

    units = list(chart.units)
    unit_height = max(2.2, 0.55 * len(units) + 1.2)
    figure = Figure(figsize=(10, unit_height + 4.2), layout="constrained")
    FigureCanvasAgg(figure)
    top, bottom = figure.subplots(2, 1, height_ratios=[unit_height, 4.0])
    figure.suptitle(chart.title if thai else (chart.ascii_title or romanise(chart.title)), fontproperties=font,
                    fontsize=15)

    names = [label(u.name) for u in units]
    positions = list(range(len(units)))
    bar = 0.38
    period_values = [u.period_percent or 0 for u in units]
    year_values = [u.year_percent or 0 for u in units]
    top.barh([p - bar / 2 for p in positions], period_values, height=bar, color=GREEN, label=words.period_legend)
    top.barh([p + bar / 2 for p in positions], year_values, height=bar, color=AMBER, label=words.year_legend)
    for p, unit in zip(positions, units):
        for offset, value in ((-bar / 2, unit.period_percent), (bar / 2, unit.year_percent)):
            top.text((value or 0) + 1, p + offset, f"{value:.0f}%" if value is not None else "-",
                     va="center", fontsize=9, fontproperties=font)
    top.set_yticks(positions, names)
    top.invert_yaxis()
    top.set_xlim(0, 110)
    top.set_title(words.units_title, fontproperties=font, fontsize=12, loc="left")
    # Above the bars, beside the title, so it never hides a bar.
    top.legend(prop=font, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, frameon=False)
    if not units:
        top.text(55, 0, words.no_data, ha="center", fontproperties=font, color=GREY)

    months = list(chart.months)
    xs = list(range(len(months)))
    ys = [value if value is not None else float("nan") for _, value in months]
    bottom.plot(xs, ys, marker="o", color=GREEN, linewidth=2)
    for x, value in zip(xs, ys):
        if value == value:  # not NaN
            bottom.annotate(f"{value:.0f}%", (x, value), textcoords="offset points", xytext=(0, 7), ha="center",
                            fontsize=9, fontproperties=font)
    bottom.set_xticks(xs, [month_label(m, thai=thai) for m, _ in months])
    bottom.set_xlim(-0.5, max(len(months), 2) - 0.5)
    bottom.set_ylim(0, 110)
    bottom.set_ylabel(words.axis, fontproperties=font)
    bottom.set_title(words.months_title, fontproperties=font, fontsize=12, loc="left")
    bottom.grid(axis="y", alpha=0.3)
    for axis in (top, bottom):
        for tick in [*axis.get_xticklabels(), *axis.get_yticklabels()]:
            tick.set_fontproperties(font)
        axis.spines[["top", "right"]].set_visible(False)

    path = Path(path)
    figure.savefig(path, format="png", dpi=dpi)
    if preview_path is not None:
        figure.savefig(preview_path, format="png", dpi=preview_dpi)
    return DrawResult(path, Path(preview_path) if preview_path else None, thai)
