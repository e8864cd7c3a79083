"""Shared card drawing: size, guilloche backgrounds, rounded-corner mask, text helpers."""
import functools

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import fonts

CARD_MM = (85.6, 54.0)
CORNER_MM = 3.18
_MASTER_W = 1500


def card_size(width: int) -> tuple:
    return int(width), int(round(width * CARD_MM[1] / CARD_MM[0]))


@functools.lru_cache(maxsize=None)
def _master_background(side: str) -> np.ndarray:
    """A light guilloche pattern, computed once per process with fixed parameters."""
    w, h = card_size(_MASTER_W)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    x /= w
    y /= h
    base = np.empty((h, w, 3), np.float32)
    if side == "front":
        top, bottom = np.array([247, 245, 238], np.float32), np.array([238, 243, 247], np.float32)
    else:
        top, bottom = np.array([240, 244, 248], np.float32), np.array([247, 243, 236], np.float32)
    t = (0.6 * x + 0.4 * y)[..., None]
    base[:] = top * (1 - t) + bottom * t
    # Wavy line families and a rosette: thin lines where a phase crosses zero.
    f1 = np.sin(2 * np.pi * (22 * y + 0.9 * np.sin(2 * np.pi * (1.5 * x + 0.2 * y))))
    f2 = np.sin(2 * np.pi * (30 * x + 1.2 * np.sin(2 * np.pi * (2.0 * y - 0.3 * x))))
    cx, cy = (0.45, 0.55) if side == "front" else (0.6, 0.45)
    r = np.sqrt((x - cx) ** 2 * 2.5 + (y - cy) ** 2)
    th = np.arctan2(y - cy, x - cx)
    f3 = np.sin(2 * np.pi * (26 * r + 0.6 * np.sin(14 * th)))
    l1 = np.exp(-(f1 ** 2) / 0.03)[..., None]
    l2 = np.exp(-(f2 ** 2) / 0.02)[..., None]
    l3 = (np.exp(-(f3 ** 2) / 0.03) * np.clip(1.3 - 2.2 * r, 0, 1))[..., None]
    blue = np.array([150, 185, 215], np.float32)
    pink = np.array([225, 180, 175], np.float32)
    green = np.array([175, 210, 190], np.float32)
    img = base
    img = img * (1 - 0.22 * l1) + blue * 0.22 * l1
    img = img * (1 - 0.16 * l2) + (pink if side == "front" else green) * 0.16 * l2
    img = img * (1 - 0.28 * l3) + (pink if side == "back" else blue) * 0.28 * l3
    return np.clip(img, 0, 255).astype(np.uint8)


def background(side: str, width: int, rnd) -> Image.Image:
    master = _master_background(side)
    mh, mw = master.shape[:2]
    frac = rnd.uniform(0.85, 1.0)
    cw, ch = int(mw * frac), int(mh * frac)
    x0, y0 = rnd.randint(0, mw - cw), rnd.randint(0, mh - ch)
    w, h = card_size(width)
    img = cv2.resize(master[y0:y0 + ch, x0:x0 + cw], (w, h), interpolation=cv2.INTER_AREA)
    tint = np.array([rnd.uniform(-8, 4), rnd.uniform(-6, 4), rnd.uniform(-6, 6)], np.float32)
    img = np.clip(img.astype(np.float32) + tint, 0, 255).astype(np.uint8)
    return Image.fromarray(img)


@functools.lru_cache(maxsize=64)
def corner_mask(width: int) -> np.ndarray:
    w, h = card_size(width)
    r = int(round(width * CORNER_MM / CARD_MM[0]))
    m = Image.new("L", (w * 2, h * 2), 0)
    ImageDraw.Draw(m).rounded_rectangle((0, 0, w * 2 - 1, h * 2 - 1), radius=r * 2, fill=255)
    return np.asarray(m.resize((w, h), Image.BILINEAR))


def jitter_color(rnd, rgb, amount=12):
    return tuple(int(max(0, min(255, c + rnd.uniform(-amount, amount)))) for c in rgb)


def text(draw, xy, s, kind, size, fill, anchor="lm", spacing=0.0, max_width=None):
    """Draw s with its left-middle at xy. spacing adds extra advance per character (pixels).
    max_width squeezes the spacing, then the font size, so the text fits. Returns the end x."""
    font = fonts.get(kind, size)
    width = font.getlength(s) + spacing * (len(s) - 1)
    if max_width and width > max_width:
        if spacing > 0 and len(s) > 1:
            spacing = max(0.0, (max_width - font.getlength(s)) / (len(s) - 1))
            width = font.getlength(s) + spacing * (len(s) - 1)
        while width > max_width and size > 8:
            size -= 1
            font = fonts.get(kind, size)
            width = font.getlength(s) + spacing * (len(s) - 1)
    x, y = xy
    if spacing == 0:
        draw.text((x, y), s, font=font, fill=fill, anchor=anchor)
        return x + width
    for ch in s:
        draw.text((x, y), ch, font=font, fill=fill, anchor=anchor)
        x += font.getlength(ch) + spacing
    return x - spacing
