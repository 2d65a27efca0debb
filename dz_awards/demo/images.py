"""The pictures drawn for the demo with Pillow, so that it needs no image files on disk.

Shared pieces: `font`, `gradient`, `wrap` (words into lines of a width) and
`draw_emblem` (a white shield, heart, road, check or cross; EMBLEMS describes
each for alternative text). Made from them: the campaign posters and outcome
charts agencies upload with their nominations (with camera EXIF and a text
chunk that the upload check must remove), and the posters of library profiles
that have no picture of their own.
"""

import io
import re
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo


def font(size):
    """Pillow's own scalable font at `size` pixels: no font file needed."""
    return ImageFont.load_default(size=size)


def gradient(size, top, bottom):
    """An RGB image of `size` fading from the colour `top` to the colour `bottom`."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def wrap(draw, text, face, width):
    """`text` cut into lines no wider than `width` pixels in the font `face`."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=face) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def draw_emblem(draw, emblem, cx, cy, r):
    """Draw the white `emblem` (a key of EMBLEMS) centred on (cx, cy), within radius `r`."""
    white = (255, 255, 255)
    if emblem == "shield":
        draw.polygon(
            [
                (cx - r * 0.6, cy - r * 0.6),
                (cx, cy - r * 0.75),
                (cx + r * 0.6, cy - r * 0.6),
                (cx + r * 0.55, cy + r * 0.1),
                (cx, cy + r * 0.75),
                (cx - r * 0.55, cy + r * 0.1),
            ],
            fill=white,
        )
    elif emblem == "heart":
        k = r * 0.33
        draw.ellipse([cx - 2 * k, cy - 1.6 * k, cx, cy + 0.4 * k], fill=white)
        draw.ellipse([cx, cy - 1.6 * k, cx + 2 * k, cy + 0.4 * k], fill=white)
        draw.polygon(
            [
                (cx - 1.93 * k, cy - 0.2 * k),
                (cx, cy - 0.6 * k),
                (cx + 1.93 * k, cy - 0.2 * k),
                (cx, 2 * k + cy),
            ],
            fill=white,
        )
    elif emblem == "road":
        draw.polygon(
            [
                (cx - r * 0.15, cy - r * 0.7),
                (cx + r * 0.15, cy - r * 0.7),
                (cx + r * 0.6, cy + r * 0.65),
                (cx - r * 0.6, cy + r * 0.65),
            ],
            fill=white,
        )
        dark = (40, 40, 40)
        for i in range(4):
            top = cy - r * 0.6 + i * r * 0.35
            half = 0.02 * r + i * 0.015 * r
            draw.rectangle([cx - half, top, cx + half, top + r * 0.2], fill=dark)
    elif emblem == "check":
        draw.line(
            [(cx - r * 0.5, cy), (cx - r * 0.12, cy + r * 0.4), (cx + r * 0.55, cy - r * 0.45)],
            fill=white,
            width=round(r * 0.2),
            joint="curve",
        )
    elif emblem == "cross":
        arm = r * 0.18
        draw.rectangle([cx - arm, cy - r * 0.6, cx + arm, cy + r * 0.6], fill=white)
        draw.rectangle([cx - r * 0.6, cy - arm, cx + r * 0.6, cy + arm], fill=white)


EMBLEMS = {
    "shield": "a white shield",
    "heart": "a white heart",
    "road": "a white road with a dashed center line",
    "check": "a white check mark",
    "cross": "a white cross",
}


def campaign_poster_jpeg(poster, agency_name):
    """A 960 by 540 JPEG poster, saved with camera EXIF that the upload check must remove."""
    image = gradient((960, 540), poster.top[1], poster.bottom[1]).convert("RGBA")
    # Faint white diagonal stripes for texture, and a dark panel that keeps the words legible.
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for x in range(-540, 960, 60):
        shapes.line([(x, 540), (x + 540, 0)], fill=(255, 255, 255, 22), width=12)
    shapes.rounded_rectangle([390, 90, 930, 330], radius=18, fill=(0, 0, 0, 110))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    cx, cy, r = 200, 250, 150
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=10)
    draw_emblem(draw, poster.emblem, cx, cy, r)
    headline_font, small_font = font(50), font(24)
    y = 112
    for line in wrap(draw, poster.headline, headline_font, 500):
        draw.text((414, y), line, font=headline_font, fill=(255, 255, 255))
        y += 62
    draw.text((414, y + 20), agency_name, font=small_font, fill=(240, 240, 240))
    draw.rectangle([0, 500, 960, 540], fill=(255, 255, 255))
    draw.text(
        (24, 507),
        "Destination Zero: every officer home safe",
        font=small_font,
        fill=poster.bottom[1],
    )
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"  # Make
    exif[0x0110] = "DemoCam 5"  # Model
    exif[0x013B] = agency_name  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def campaign_poster_alt_text(poster, agency_name):
    """What the campaign poster shows, in words."""
    return (
        f"Campaign poster: {EMBLEMS[poster.emblem]} in a circle on a background fading from "
        f"{poster.top[0]} to {poster.bottom[0]}, with the words \u201c{poster.headline}\u201d "
        f"and the name {agency_name}."
    )


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _number(text):
    match = _NUMBER.search(text or "")
    return float(match.group().replace(",", "")) if match else None


def _chart_rows(outcomes):
    rows = [
        r for r in outcomes if _number(r["before"]) is not None and _number(r["after"]) is not None
    ]
    return rows[:4]


def chart_png(title, outcomes):
    """A 960 by 540 PNG bar chart of the outcomes' figures before and after (with a text chunk)."""
    rows = _chart_rows(outcomes)
    image = Image.new("RGB", (960, 540), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    grey, blue, ink = (160, 160, 160), (31, 90, 166), (33, 37, 41)
    draw.text((40, 24), f"Before and after: {title}", font=font(30), fill=ink)
    draw.rectangle([40, 74, 60, 94], fill=grey)
    draw.text((68, 72), "Before", font=font(20), fill=ink)
    draw.rectangle([160, 74, 180, 94], fill=blue)
    draw.text((188, 72), "After", font=font(20), fill=ink)
    base, top = 420, 150
    draw.line([(40, base), (920, base)], fill=ink, width=2)
    slot = 880 / max(len(rows), 1)
    label_font, value_font = font(16), font(20)
    for index, row in enumerate(rows):
        before, after = _number(row["before"]), _number(row["after"])
        biggest = max(before, after) or 1
        left = 40 + index * slot + slot * 0.2
        bar = slot * 0.28
        for offset, value, text, color in (
            (0, before, row["before"], grey),
            (bar + 6, after, row["after"], blue),
        ):
            height = max((base - top) * value / biggest, 2)
            x0 = left + offset
            draw.rectangle([x0, base - height, x0 + bar, base], fill=color)
            draw.text((x0 + 4, base - height - 26), text, font=value_font, fill=ink)
        y = base + 10
        for line in wrap(draw, row["metric"], label_font, slot - 16)[:4]:
            draw.text((40 + index * slot + 8, y), line, font=label_font, fill=ink)
            y += 20
    info = PngInfo()
    info.add_text("Software", "Spreadsheet export")  # removed when the upload is re-encoded
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def chart_alt_text(outcomes):
    rows = _chart_rows(outcomes)
    text = "Bar chart of measured outcomes before and after the program:"
    for row in rows:
        part = f" {row['metric']}, {row['before']} before and {row['after']} after;"
        if len(text) + len(part) > 298:
            break
        text += part
    return text.rstrip(";") + "."


# Library posters ---------------------------------------------------------------------


@lru_cache(maxsize=64)
def library_poster_png(title, agency_name, look):
    """A 960 by 540 PNG: a gradient, faint stripes, an emblem and the program's title.

    The same arguments always draw the same picture, so a process that loads the
    demo more than once (the tests do) draws each only once. The library turns it
    into its own JPEG renditions at once, so the PNG is compressed only lightly:
    the pixels are the same, at a fraction of the time.
    """
    image = gradient((960, 540), look.top, look.bottom).convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for x in range(-540, 960, 72):
        shapes.line([(x, 0), (x + 540, 540)], fill=(255, 255, 255, 18), width=14)
    shapes.ellipse([640, -160, 1120, 320], fill=(255, 255, 255, 20))
    image = Image.alpha_composite(image, overlay).convert("RGB")
    draw = ImageDraw.Draw(image)
    cx, cy, r = 170, 270, 120
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=8)
    draw_emblem(draw, look.emblem, cx, cy, r)
    big, small = font(44), font(24)
    lines = wrap(draw, title, big, 560)[:4]
    y = 270 - len(lines) * 28
    for line in lines:
        draw.text((340, y), line, font=big, fill=(255, 255, 255))
        y += 56
    draw.text((340, y + 16), agency_name, font=small, fill=(235, 235, 235))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def library_poster_alt_text(title, agency_name, look):
    """What the library poster shows, in words (at most 300 characters, as alt text allows)."""
    return (
        f"Poster: {EMBLEMS[look.emblem]} in a circle beside the words “{title}” and "
        f"“{agency_name}”, on a {look.colour} background."
    )[:300]
