"""The website badge of a finalist or winner: a PNG drawn with Pillow, and its text alternative.

`badge_png(certificate)` takes the names the certificate was issued with and
returns the bytes of a 300 by 300 pixel PNG (`scale=2` draws it at 600 by 600
for high-density screens); `badge_alt_text(certificate)` is the text
alternative an agency puts on its own page, which names the agency the picture
does not show.

The text is drawn in a TrueType font found on the machine (DejaVu, which the
PDFs use too). Pillow's built-in bitmap font has no sizes worth reading, so a
machine without the font refuses to draw (`BadgeFontMissingError`) rather than
draw something unreadable. Every colour the text is drawn in has a contrast
of at least 4.5:1 with the badge's background (`TEXT_COLOURS`, checked by the
tests from the drawn pixels).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PIL import Image, ImageDraw, ImageFont

from dz_awards.core.errors import ServiceError

if TYPE_CHECKING:
    from collections.abc import Sequence

SIZE = 300
# Where Debian (and most Linux systems) keep the DejaVu fonts; the first that has them wins.
FONT_DIRS: Sequence[Path] = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)
REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"

NAVY = (11, 46, 89)  # the site's and the PDFs' dark blue
WHITE = (255, 255, 255)
GOLD = (232, 184, 74)
# (colour, what it is drawn for): text in WHITE and GOLD, on NAVY.
TEXT_COLOURS = (WHITE, GOLD)
BACKGROUND = NAVY

AWARD_NAME = "Destination Zero National Officer Safety and Wellness Awards"
AWARD_LABELS = {"winner": "Winner", "finalist": "Finalist"}


class BadgeFontMissingError(ServiceError):
    """No TrueType font to draw the badge's text with; the message says what to install."""


class Issued(Protocol):
    """What a badge is drawn from: the names a certificate was issued with."""

    award: str
    category: str
    year: int
    agency: str


def award_label(award: str) -> str:
    return AWARD_LABELS.get(award, award.title())


def badge_alt_text(certificate: Issued) -> str:
    """The text alternative to use with the badge, naming the agency the picture leaves out.

    "Destination Zero 2026 Winner, Officer Wellness — Riverton Police Department"
    """
    return (
        f"Destination Zero {certificate.year} {award_label(certificate.award)}, "
        f"{certificate.category} — {certificate.agency}"
    )


def font_path(name: str) -> Path:
    """The path of the TrueType font `name` in the first of FONT_DIRS that has it."""
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(folder) for folder in FONT_DIRS)
    raise BadgeFontMissingError(
        f"The badge cannot be drawn: the font {name} is not in {searched}. "
        "Install the DejaVu fonts (Debian: fonts-dejavu-core)."
    )


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size)


def _width(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> float:
    return draw.textlength(text, font=font)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: float
) -> list[str]:
    """`text` in lines no wider than `width` (a single word wider than that keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and _width(draw, f"{lines[-1]} {word}", font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def fit_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    *,
    name: str,
    size: int,
    smallest: int,
    width: float,
    max_lines: int = 1,
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font from `size` down to `smallest` in which `text` fits `max_lines`
    lines of `width`; at `smallest`, the first `max_lines` lines, the last cut short (…)."""
    for each in range(size, smallest - 1, -1):
        font = _font(name, each)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= max_lines and all(_width(draw, line, font) <= width for line in lines):
            return font, lines
    kept = lines[:max_lines]
    while kept[-1] and _width(draw, f"{kept[-1]}…", font) > width:
        kept[-1] = kept[-1][:-1].rstrip()
    kept[-1] = f"{kept[-1]}…"
    return font, kept


def _centred(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    *,
    top: float,
    colour: tuple[int, int, int],
    scale: int,
    gap: float = 1.15,
) -> float:
    """Draw `lines` centred from `top`; returns where the next line may start."""
    ascent, descent = font.getmetrics()
    height = ascent + descent
    for line in lines:
        draw.text((SIZE * scale / 2, top), line, font=font, fill=colour, anchor="ma")
        top += height * gap
    return top


def badge_image(certificate: Issued, *, scale: int = 1) -> Image.Image:
    """The badge as a Pillow image (RGBA, SIZE times `scale` pixels square)."""
    side = SIZE * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=24 * scale, fill=BACKGROUND)
    inset = 10 * scale
    draw.rounded_rectangle(
        (inset, inset, side - 1 - inset, side - 1 - inset),
        radius=16 * scale,
        outline=GOLD,
        width=2 * scale,
    )
    width = (SIZE - 56) * scale

    def fit(
        text: str, name: str, size: int, smallest: int, max_lines: int = 1
    ) -> tuple[ImageFont.FreeTypeFont, list[str]]:
        return fit_text(
            draw,
            text,
            name=name,
            size=size * scale,
            smallest=smallest * scale,
            width=width,
            max_lines=max_lines,
        )

    font, lines = fit("DESTINATION ZERO", BOLD, 20, 12)
    top = _centred(draw, lines, font, top=32 * scale, colour=WHITE, scale=scale)
    font, lines = fit(str(certificate.year), BOLD, 50, 30)
    top = _centred(draw, lines, font, top=top + 2 * scale, colour=GOLD, scale=scale, gap=1.0)
    font, lines = fit(award_label(certificate.award).upper(), BOLD, 38, 20)
    top = _centred(draw, lines, font, top=top, colour=WHITE, scale=scale, gap=1.0)
    rule = top + 6 * scale
    draw.line(
        (side / 2 - 40 * scale, rule, side / 2 + 40 * scale, rule), fill=GOLD, width=2 * scale
    )
    font, lines = fit(certificate.category, REGULAR, 20, 13, max_lines=2)
    _centred(draw, lines, font, top=rule + 12 * scale, colour=WHITE, scale=scale)
    font, lines = fit("Officer Safety and Wellness Awards", REGULAR, 13, 10)
    _centred(draw, lines, font, top=(SIZE - 44) * scale, colour=GOLD, scale=scale)
    return image


def badge_png(certificate: Issued, *, scale: int = 1) -> bytes:
    """The badge as PNG bytes (no metadata), SIZE times `scale` pixels square."""
    buffer = io.BytesIO()
    badge_image(certificate, scale=scale).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
