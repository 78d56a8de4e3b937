"""Drawing the rich menu images: coloured tiles, a simple white icon and a big Thai label.

LINE wants 2500 px wide images, 1686 or 843 px tall, PNG or JPEG of at most
1 MB. A phone shows the image about 360 points wide, so a 2500 px image is
shrunk about seven times: labels are drawn 120-150 px tall to stay readable.
Everything is drawn at twice the size and scaled down, for smooth edges.

The Thai font is found by ``thai_font_path()``: $TIDTAM_THAI_FONT when set,
then the Noto Sans Thai of the ``fontpkg-noto-sans-thai`` PyPI package when
installed (SIL Open Font Licence), otherwise a bold Thai font of the system
(Debian's ``fonts-thai-tlwg``).
"""
from __future__ import annotations

import functools
import importlib.util
import io
import math
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

WIDTH = 2500
HEIGHTS = (1686, 843)
MAX_BYTES = 1024 * 1024
# Bump when the drawing changes, so line-setup replaces menus already on LINE.
STYLE_VERSION = 1

SCALE = 2  # drawn at twice the size, then scaled down
BACKGROUND = "#E9EDF2"
GAP = 14  # px between tiles (final size)
RADIUS = 40
LABEL_MAX_PX = 150
LABEL_MIN_PX = 90
LABEL_MARGIN = 50  # px between a label and its tile's sides
WHITE = "#FFFFFF"
BOLD_WEIGHT = 700  # for a variable font such as Noto Sans Thai

# Bold Thai faces, best first: sans-serif and plain, for small screens.
_SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf",
    "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf",
    "/usr/share/fonts/opentype/tlwg/Loma-Bold.otf",
    "/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf",
    "/usr/share/fonts/opentype/tlwg/Garuda-Bold.otf",
    "/usr/share/fonts/truetype/tlwg/Waree-Bold.ttf",
    "/usr/share/fonts/opentype/tlwg/Waree-Bold.otf",
    "/usr/share/fonts/truetype/tlwg/Umpush-Bold.ttf",
)
_FONT_PACKAGE = "fontpkg_noto_sans_thai"
FONT_ENV = "TIDTAM_THAI_FONT"  # the same override ita.progress_chart honours
NO_FONT_MESSAGE = (
    "no Thai font found for the rich menu images: install one with "
    "`.venv/bin/pip install fontpkg-noto-sans-thai` (no root needed) or "
    "`apt-get install fonts-thai-tlwg` (Debian/Ubuntu)"
)


class ThaiFontMissing(RuntimeError):
    """No Thai font is installed; the message says how to install one."""


def _package_font() -> Path | None:
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).glob("files/*.ttf")):
            return path
    return None


def _fontconfig_fonts() -> list[Path]:
    """Thai fonts fontconfig knows, bold ones first."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run([fc_list, ":lang=th", "file", "style"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        file, _, style = line.partition(":")
        if file.strip().lower().endswith((".ttf", ".otf")):
            found.append((0 if "bold" in style.lower() and "oblique" not in style.lower()
                          and "italic" not in style.lower() else 1, file.strip()))
    return [Path(f) for _, f in sorted(found)]


@functools.cache
def thai_font_path() -> Path:
    """The Thai font to draw with; raise ThaiFontMissing when there is none."""
    configured = os.environ.get(FONT_ENV, "").strip()
    if configured and Path(configured).is_file():
        return Path(configured)
    packaged = _package_font()
    if packaged is not None:
        return packaged
    for candidate in _SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    for candidate in _fontconfig_fonts():
        if candidate.is_file():
            return candidate
    raise ThaiFontMissing(NO_FONT_MESSAGE)


@functools.lru_cache(maxsize=32)
def _font(size: int, path: Path | None = None) -> ImageFont.FreeTypeFont:
    path = path or thai_font_path()
    # Thai needs shaping (vowels and tone marks stacked on consonants): raqm does it.
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    font = ImageFont.truetype(str(path), size, layout_engine=layout)
    try:
        axes = font.get_variation_axes()
    except (OSError, AttributeError):
        return font  # a static font
    values = []
    for axis in axes:
        name = axis.get("name", b"")
        name = name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)
        values.append(BOLD_WEIGHT if "weight" in name.lower() else axis["default"])
    font.set_variation_by_axes(values)
    return font


@dataclass(frozen=True)
class Tile:
    """One button of a menu image: its box (final pixels), label, icon name and colour."""

    x: int
    y: int
    width: int
    height: int
    label: str
    icon: str
    colour: str


def render_menu(width: int, height: int, tiles: list[Tile], *, font_path: Path | None = None) -> bytes:
    """Draw a menu image and return it as PNG bytes (at most 1 MB)."""
    if width != WIDTH or height not in HEIGHTS:
        raise ValueError(f"a rich menu image is {WIDTH}x{HEIGHTS[0]} or {WIDTH}x{HEIGHTS[1]}")
    s = SCALE
    image = Image.new("RGB", (width * s, height * s), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for tile in tiles:
        label_px = _label_size(tile, font_path)
        _draw_tile(draw, tile, _font(label_px * s, font_path), label_px, font_path)
    image = image.reduce(s)  # a box filter: every final pixel averages 2x2 drawn ones
    data = _png(image)
    if len(data) > MAX_BYTES:
        data = _png(image.quantize(colors=128, method=Image.Quantize.MEDIANCUT))
    return data


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _label_size(tile: Tile, font_path: Path | None) -> int:
    """The label's pixel size: as big as the tile allows, up to LABEL_MAX_PX."""
    size = min(LABEL_MAX_PX, tile.height // 5)
    needed = _font(100, font_path).getlength(tile.label)
    room = tile.width - GAP - 2 * LABEL_MARGIN
    if needed:
        size = min(size, int(100 * room / needed))
    return max(size, LABEL_MIN_PX)


def _draw_tile(draw: ImageDraw.ImageDraw, tile: Tile, font: ImageFont.FreeTypeFont, label_px: int,
               font_path: Path | None) -> None:
    s = SCALE
    half = GAP // 2
    box = ((tile.x + half) * s, (tile.y + half) * s,
           (tile.x + tile.width - half) * s - 1, (tile.y + tile.height - half) * s - 1)
    draw.rounded_rectangle(box, radius=RADIUS * s, fill=tile.colour)
    inner_h = tile.height - GAP
    icon_size = int(min(inner_h * 0.42, tile.width * 0.42, 360))
    gap = int(inner_h * 0.07)
    block = icon_size + gap + label_px
    top = tile.y + half + (inner_h - block) / 2 - label_px * 0.08
    cx = tile.x + tile.width / 2
    ICONS[tile.icon](draw, cx * s, (top + icon_size / 2) * s, icon_size * s, tile.colour, font_path)
    label_y = (top + icon_size + gap + label_px / 2) * s
    draw.text((cx * s, label_y), tile.label, font=font, fill=WHITE, anchor="mm")


# -- icons: white line drawings centred on (cx, cy), ``size`` across ------------------

IconDrawer = Callable[[ImageDraw.ImageDraw, float, float, float, str, Path | None], None]


def _line_width(size: float) -> int:
    return max(2, int(size * 0.075))


def _icon_register(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A person with a plus: sign up."""
    r = size * 0.2
    head_cx, head_cy = cx - size * 0.12, cy - size * 0.2
    d.ellipse((head_cx - r, head_cy - r, head_cx + r, head_cy + r), fill=WHITE)
    body = (cx - size * 0.47, cy + size * 0.06, cx + size * 0.23, cy + size * 0.76)
    d.pieslice(body, 180, 360, fill=WHITE)
    px, py, arm = cx + size * 0.3, cy + size * 0.05, size * 0.17
    w = _line_width(size) * 1.3
    d.ellipse((px - arm * 1.55, py - arm * 1.55, px + arm * 1.55, py + arm * 1.55), fill=bg)
    d.line((px - arm, py, px + arm, py), fill=WHITE, width=int(w))
    d.line((px, py - arm, px, py + arm), fill=WHITE, width=int(w))


def _icon_help(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A question mark in a ring."""
    w = _line_width(size)
    r = size * 0.46
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=w)
    d.text((cx, cy), "?", font=_font(int(size * 0.62), font_path), fill=WHITE, anchor="mm")


def _icon_tasks(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A clipboard with two ticked lines."""
    w = _line_width(size)
    left, right, top, bottom = cx - size * 0.36, cx + size * 0.36, cy - size * 0.4, cy + size * 0.48
    d.rounded_rectangle((left, top, right, bottom), radius=size * 0.08, outline=WHITE, width=w)
    d.rounded_rectangle((cx - size * 0.16, top - size * 0.09, cx + size * 0.16, top + size * 0.09),
                        radius=size * 0.04, fill=WHITE)
    for row in (0, 1, 2):
        y = cy - size * 0.12 + row * size * 0.22
        x0 = left + size * 0.12
        if row < 2:
            d.line((x0, y, x0 + size * 0.06, y + size * 0.06, x0 + size * 0.17, y - size * 0.07),
                   fill=WHITE, width=int(w * 0.8), joint="curve")
        else:
            d.ellipse((x0 + size * 0.03, y - w * 0.6, x0 + size * 0.03 + w * 1.2, y + w * 0.6), fill=WHITE)
        d.line((x0 + size * 0.26, y, right - size * 0.1, y), fill=WHITE, width=int(w * 0.8))


def _icon_report(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A sheet with a pencil: write a report."""
    w = _line_width(size)
    left, top, right, bottom = cx - size * 0.42, cy - size * 0.44, cx + size * 0.2, cy + size * 0.44
    d.rounded_rectangle((left, top, right, bottom), radius=size * 0.06, outline=WHITE, width=w)
    for row in range(3):
        y = top + size * (0.22 + row * 0.18)
        d.line((left + size * 0.12, y, right - size * (0.12 + 0.1 * (row == 2)), y), fill=WHITE, width=int(w * 0.7))
    # The pencil, at 45 degrees over the sheet's right edge.
    angle = math.radians(-45)
    length, half = size * 0.62, size * 0.085
    bx, by = cx + size * 0.08, cy + size * 0.34  # the tip
    ux, uy = math.cos(angle), math.sin(angle)
    nx, ny = -uy, ux
    tip_len = size * 0.14

    def point(t: float, n: float) -> tuple[float, float]:
        return (bx + ux * t + nx * n, by + uy * t + ny * n)

    body = [point(tip_len, -half), point(length, -half), point(length, half), point(tip_len, half)]
    d.polygon([point(tip_len - w, -half - w), point(length + w, -half - w),
               point(length + w, half + w), point(tip_len - w, half + w), point(-w * 1.5, 0)], fill=bg)
    d.polygon(body, fill=WHITE)
    d.polygon([point(0, 0), point(tip_len, -half), point(tip_len, half)], fill=WHITE)
    d.line([point(length - size * 0.1, -half), point(length - size * 0.1, half)], fill=bg, width=int(w * 0.6))


def _icon_history(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A clock with an arrow turning back."""
    w = _line_width(size)
    r = size * 0.42
    gap_start, gap_end = 160, 215  # degrees, clockwise from three o'clock
    d.arc((cx - r, cy - r, cx + r, cy + r), gap_end, gap_start + 360, fill=WHITE, width=w)
    # The arrow head sits on the ring where it opens, pointing anticlockwise (back in time).
    theta = math.radians(gap_end)
    px, py = cx + (r - w / 2) * math.cos(theta), cy + (r - w / 2) * math.sin(theta)
    tx, ty = math.sin(theta), -math.cos(theta)  # tangent, anticlockwise
    rx, ry = math.cos(theta), math.sin(theta)  # radial
    head = size * 0.17
    d.polygon([(px + tx * head, py + ty * head),
               (px + rx * head * 0.75, py + ry * head * 0.75),
               (px - rx * head * 0.75, py - ry * head * 0.75)], fill=WHITE)
    d.line((cx, cy - r * 0.6, cx, cy, cx + r * 0.45, cy + r * 0.3), fill=WHITE, width=w, joint="curve")
    d.ellipse((cx - w * 0.5, cy - w * 0.5, cx + w * 0.5, cy + w * 0.5), fill=WHITE)


def _icon_score(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """Three rising bars on a base line."""
    w = _line_width(size)
    base = cy + size * 0.42
    bar = size * 0.2
    for i, height in enumerate((0.35, 0.58, 0.84)):
        x0 = cx - size * 0.4 + i * size * 0.29
        d.rounded_rectangle((x0, base - size * height, x0 + bar, base), radius=size * 0.03, fill=WHITE)
    d.line((cx - size * 0.48, base + w * 0.9, cx + size * 0.48, base + w * 0.9), fill=WHITE, width=w)


def _icon_summary(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A pie chart with one slice pulled out."""
    r = size * 0.4
    cx, cy = cx - size * 0.03, cy + size * 0.03
    d.pieslice((cx - r, cy - r, cx + r, cy + r), -30, 270, fill=WHITE)
    off = size * 0.09
    ox, oy = cx + off * math.cos(math.radians(-60)), cy + off * math.sin(math.radians(-60))
    d.pieslice((ox - r, oy - r, ox + r, oy + r), 270, 330, fill=WHITE)


def _icon_pending(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """An hourglass: still waiting."""
    w = _line_width(size)
    top, bottom = cy - size * 0.44, cy + size * 0.44
    half = size * 0.3
    d.line((cx - half - w, top, cx + half + w, top), fill=WHITE, width=w)
    d.line((cx - half - w, bottom, cx + half + w, bottom), fill=WHITE, width=w)
    d.line((cx - half, top, cx - half, top + size * 0.1, cx + half, bottom - size * 0.1, cx + half, bottom),
           fill=WHITE, width=w, joint="curve")
    d.line((cx + half, top, cx + half, top + size * 0.1, cx - half, bottom - size * 0.1, cx - half, bottom),
           fill=WHITE, width=w, joint="curve")
    d.polygon([(cx - half * 0.55, top + size * 0.16), (cx + half * 0.55, top + size * 0.16), (cx, cy - size * 0.03)],
              fill=WHITE)
    d.polygon([(cx, bottom - size * 0.2), (cx - half * 0.75, bottom - w), (cx + half * 0.75, bottom - w)],
              fill=WHITE)


def _icon_remind(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A bell."""
    top, rim = cy - size * 0.36, cy + size * 0.26
    r = size * 0.27
    d.pieslice((cx - r, top, cx + r, top + 2 * r), 180, 360, fill=WHITE)
    d.polygon([(cx - r, top + r - 1), (cx + r, top + r - 1), (cx + size * 0.42, rim), (cx - size * 0.42, rim)],
              fill=WHITE)
    d.rounded_rectangle((cx - size * 0.46, rim - size * 0.02, cx + size * 0.46, rim + size * 0.08),
                        radius=size * 0.04, fill=WHITE)
    c = size * 0.1
    d.ellipse((cx - c, rim + size * 0.08, cx + c, rim + size * 0.08 + 2 * c), fill=WHITE)
    k = size * 0.06
    d.ellipse((cx - k, top - k * 1.6, cx + k, top + k * 0.4), fill=WHITE)


def _icon_annual(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A calendar page with a document fold: the year's report."""
    w = _line_width(size)
    left, right, top, bottom = cx - size * 0.42, cx + size * 0.42, cy - size * 0.34, cy + size * 0.44
    d.rounded_rectangle((left, top, right, bottom), radius=size * 0.07, outline=WHITE, width=w)
    d.rectangle((left, top, right, top + size * 0.2), fill=WHITE)
    d.rounded_rectangle((left, top, right, top + size * 0.2), radius=size * 0.07, fill=WHITE)
    for x in (cx - size * 0.22, cx + size * 0.22):
        d.rounded_rectangle((x - w * 0.6, top - size * 0.12, x + w * 0.6, top + size * 0.06),
                            radius=w * 0.5, fill=WHITE)
    cell = size * 0.13
    for row in range(2):
        for col in range(3):
            x = left + size * 0.14 + col * size * 0.22
            y = top + size * 0.3 + row * size * 0.2
            d.rounded_rectangle((x, y, x + cell, y + cell * 0.8), radius=cell * 0.15, fill=WHITE)


def _icon_web(d: ImageDraw.ImageDraw, cx: float, cy: float, size: float, bg: str, font_path: Path | None) -> None:
    """A laptop: the console in the browser."""
    w = _line_width(size)
    left, right, top, bottom = cx - size * 0.36, cx + size * 0.36, cy - size * 0.34, cy + size * 0.2
    d.rounded_rectangle((left, top, right, bottom), radius=size * 0.05, outline=WHITE, width=w)
    d.rounded_rectangle((left + w * 1.6, top + w * 1.6, right - w * 1.6, bottom - w * 1.6), radius=size * 0.02,
                        fill=WHITE)
    d.rounded_rectangle((cx - size * 0.48, bottom + size * 0.06, cx + size * 0.48, bottom + size * 0.16),
                        radius=size * 0.04, fill=WHITE)


ICONS: dict[str, IconDrawer] = {
    "register": _icon_register,
    "help": _icon_help,
    "tasks": _icon_tasks,
    "report": _icon_report,
    "history": _icon_history,
    "score": _icon_score,
    "summary": _icon_summary,
    "pending": _icon_pending,
    "remind": _icon_remind,
    "annual": _icon_annual,
    "web": _icon_web,
}
