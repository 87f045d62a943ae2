"""Draw a red round seal (公章) image for a holder that has no scanned seal image.

The image is the visible part of an electronic seal (certificates/seals.py): the
holder's name along the upper arc, a five-pointed star in the middle and an optional
line below it, in seal red on a transparent background. The CJK font is found with
fontconfig (fonts-noto-cjk).
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

SEAL_RED = (220, 20, 30)
DEFAULT_SIZE = 480
# Candidates in order: Song-style (宋体) letters are what a round official seal carries.
FONT_PATTERNS = (
    "Noto Serif CJK SC:bold",
    "Noto Sans CJK SC:bold",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
)
FALLBACK_FONT_FILES = (
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
)


class SealFontMissing(RuntimeError):
    """No CJK font is installed (apt install fonts-noto-cjk)."""


@functools.cache
def cjk_font_file() -> tuple[str, int]:
    """The file and face index of a Simplified-Chinese font, found once per process."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        for pattern in FONT_PATTERNS:
            result = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
                [fc_match, "-f", "%{file}\n%{index}\n%{family}", pattern],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            lines = result.stdout.split("\n")
            if result.returncode == 0 and len(lines) >= 3 and "CJK" in lines[2] and Path(lines[0]).exists():
                return lines[0], int(lines[1] or 0)
    for path, index in FALLBACK_FONT_FILES:
        if Path(path).exists():
            return path, index
    raise SealFontMissing("No CJK font found: install fonts-noto-cjk.")


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    path, index = cjk_font_file()
    return ImageFont.truetype(path, size=size, index=index)


def _glyph(char: str, *, height: int, width: int) -> Image.Image:
    """One character as an alpha mask of ``width`` x ``height`` pixels (squeezed if narrower)."""
    box = int(height * 1.25)
    mask = Image.new("L", (box, box), 0)
    ImageDraw.Draw(mask).text((box / 2, box / 2), char, font=_font(height), fill=255, anchor="mm")
    bbox = mask.getbbox()
    if bbox is None:  # a space
        return Image.new("L", (width, height), 0)
    mask = mask.crop(bbox)
    scale = min(width / mask.width, height / mask.height)
    # Narrow glyphs keep their shape; wide ones are squeezed sideways as seal engravers do.
    target_w = min(width, max(1, round(mask.width * scale)))
    target_h = max(1, round(mask.height * min(height / mask.height, 1.15 * scale)))
    return mask.resize((target_w, min(height, target_h)), Image.Resampling.LANCZOS)


def _paste_centred(canvas: Image.Image, glyph: Image.Image, centre: tuple[float, float]) -> None:
    layer = Image.new("L", canvas.size, 0)
    layer.paste(glyph, (round(centre[0] - glyph.width / 2), round(centre[1] - glyph.height / 2)))
    canvas.paste(ImageChops.lighter(canvas, layer))


def _star(centre: tuple[float, float], radius: float) -> list[tuple[float, float]]:
    cx, cy = centre
    inner = radius * math.sin(math.radians(18)) / math.sin(math.radians(126))
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def seal_image_draw(holder_name: str, *, bottom_text: str = "", size: int = DEFAULT_SIZE) -> Image.Image:
    """A round seal for ``holder_name`` as an RGBA image of ``size`` x ``size`` pixels.

    Every pixel is seal red; the alpha channel carries the drawing, so the image
    compresses to little and prints like ink over the page.
    """
    name = "".join(holder_name.split()) or "?"
    mask = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    centre = (size / 2, size / 2)
    ring = max(2, round(size * 0.035))
    outer = size / 2 - 2
    draw.ellipse(
        (centre[0] - outer, centre[1] - outer, centre[0] + outer, centre[1] + outer), outline=255, width=ring
    )
    draw.polygon(_star(centre, size * 0.15), fill=255)

    # The name runs clockwise along the upper arc, each letter upright towards the rim.
    char_height = round(size * 0.13)
    text_radius = outer - ring - size * 0.03 - char_height / 2
    # A long name may run further down the rim unless a line under the star needs the room.
    widest = 240.0 if bottom_text else 290.0
    degrees = min(240.0, max(150.0, 22.0 * len(name)))
    if len(name) > 18:
        degrees = min(widest, 240.0 + 5.0 * (len(name) - 18))
    span = math.radians(degrees)
    pitch = text_radius * span / len(name)
    char_width = round(min(char_height * 1.0, pitch * 0.92))
    if pitch < char_height * 0.5:  # very long names: smaller letters rather than a thread
        char_height = round(max(size * 0.08, pitch * 1.6))
        text_radius = outer - ring - size * 0.03 - char_height / 2
        char_width = round(text_radius * span / len(name) * 0.92)
    for i, char in enumerate(name):
        theta = -span / 2 + span * (i + 0.5) / len(name)
        glyph = _glyph(char, height=char_height, width=char_width).rotate(
            -math.degrees(theta), resample=Image.Resampling.BICUBIC, expand=True
        )
        position = (centre[0] + text_radius * math.sin(theta), centre[1] - text_radius * math.cos(theta))
        _paste_centred(mask, glyph, position)

    if bottom_text:
        line_height = round(size * 0.09)
        max_width = size * 0.5
        per_char = min(line_height * 1.0, max_width / len(bottom_text))
        y = centre[1] + size * 0.25
        x0 = centre[0] - per_char * len(bottom_text) / 2
        for i, char in enumerate(bottom_text):
            glyph = _glyph(char, height=line_height, width=round(per_char * 0.92))
            _paste_centred(mask, glyph, (x0 + per_char * (i + 0.5), y))

    image = Image.new("RGBA", (size, size), (*SEAL_RED, 0))
    image.putalpha(mask)
    return image


def seal_image_png(holder_name: str, *, bottom_text: str = "", size: int = DEFAULT_SIZE) -> bytes:
    """The seal of :func:`seal_image_draw` as PNG bytes."""
    buffer = io.BytesIO()
    seal_image_draw(holder_name, bottom_text=bottom_text, size=size).save(buffer, format="PNG")
    return buffer.getvalue()
