"""Font lookup: Noto Sans/Serif CJK SC and OCR-B, resolved at run time via fontconfig."""
import functools
import os
import shutil
import subprocess

from PIL import Image, ImageDraw, ImageFont

# fontconfig pattern, then known Debian paths (file, face index) tried when fc-match is absent.
_FONTS = {
    "sans": ("Noto Sans CJK SC:style=Regular",
             [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)], "fonts-noto-cjk"),
    "sans_bold": ("Noto Sans CJK SC:style=Bold",
                  [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)], "fonts-noto-cjk"),
    "serif_bold": ("Noto Serif CJK SC:style=Bold",
                   [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)], "fonts-noto-cjk"),
    "ocrb": ("OCR B:style=Regular", [("/usr/share/fonts/opentype/ocr-b/OCRB.otf", 0)], "fonts-ocr-b"),
}


class FontMissing(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def font_path(kind: str) -> tuple:
    """(path, face index) of a font kind; raises FontMissing with the Debian package to install."""
    pattern, fallbacks, package = _FONTS[kind]
    family = pattern.split(":")[0].lower()
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", pattern, "--format=%{family}|%{file}|%{index}"],
                                 capture_output=True, text=True, timeout=20).stdout
            fam, path, index = out.split("|")
            if family in fam.lower() and os.path.exists(path):
                return path, int(index or 0)
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    for path, index in fallbacks:
        if os.path.exists(path):
            return path, index
    raise FontMissing(f"font '{pattern}' not found: install the Debian package {package} "
                      f"(apt-get install {package})")


@functools.lru_cache(maxsize=512)
def get(kind: str, size: int) -> ImageFont.FreeTypeFont:
    path, index = font_path(kind)
    return ImageFont.truetype(path, max(6, int(size)), index=index)


def _raster(kind: str, ch: str) -> bytes:
    img = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(img).text((8, 8), ch, font=get(kind, 32), fill=255)
    return img.tobytes()


@functools.lru_cache(maxsize=None)
def _notdef(kind: str) -> bytes:
    return _raster(kind, "\U000F0000")


def has_glyph(kind: str, ch: str) -> bool:
    """True when the font has a real glyph for ch (not the .notdef box)."""
    return _raster(kind, ch) != _notdef(kind)
