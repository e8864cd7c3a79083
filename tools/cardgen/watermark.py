"""'复印无效'-style marks that people stamp or write on ID copies."""

import numpy as np
from PIL import Image, ImageDraw

from . import fonts

TEXTS = ("复印无效", "再次复印无效", "仅供办理业务使用", "此复印件仅供备案使用", "复印无效", "仅限本次使用")
# Card-relative boxes free of fields: front portrait area, back band between title and authority.
SAFE = {"front": [(0.64, 0.12, 0.95, 0.74)], "back": [(0.24, 0.50, 0.95, 0.66)]}

def apply(card: Image.Image, side: str, rnd) -> Image.Image:
    """Stamp a mark on the card; over fields only rarely (and then faint). Returns the card."""
    w, h = card.size
    s = rnd.choice(TEXTS)
    color = rnd.choice([(200, 30, 30), (120, 120, 120), (30, 60, 160), (40, 40, 40)])
    over_fields = rnd.random() < 0.15
    if over_fields:
        x0, y0, x1, y1 = 0.1 * w, 0.3 * h, 0.9 * w, 0.7 * h
        opacity = rnd.uniform(0.15, 0.3)
        angle = rnd.uniform(-25, 25)
        y0, y1 = 0.42 * h, 0.58 * h  # text about as tall as a printed line, faint
    else:
        bx = rnd.choice(SAFE[side])
        x0, y0, x1, y1 = bx[0] * w, bx[1] * h, bx[2] * w, bx[3] * h
        opacity = rnd.uniform(0.5, 0.9)
        angle = rnd.uniform(-8, 8)
    bw, bh = x1 - x0, y1 - y0
    size = int(min(bh * 0.55, bw / (len(s) + 0.8)))
    if size < 8:
        return card
    font = fonts.get("serif_bold" if rnd.random() < 0.5 else "sans_bold", size)
    tw = int(font.getlength(s))
    pad = size // 3
    layer = Image.new("RGBA", (tw + 2 * pad, size + 2 * pad + size // 3), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    a = int(255 * opacity)
    d.text((pad, pad), s, font=font, fill=color + (a,))
    if rnd.random() < 0.6:
        d.rectangle((1, 1, layer.width - 2, layer.height - 2), outline=color + (a,), width=max(1, size // 12))
    layer = layer.rotate(angle, expand=True, resample=Image.BILINEAR)
    if layer.width > bw or layer.height > bh:
        k = min(bw / layer.width, bh / layer.height)
        layer = layer.resize((max(1, int(layer.width * k)), max(1, int(layer.height * k))), Image.BILINEAR)
    px = int(x0 + rnd.uniform(0, max(0, bw - layer.width)))
    py = int(y0 + rnd.uniform(0, max(0, bh - layer.height)))
    card.paste(layer, (px, py), layer)
    return card

def stamp_box(card: Image.Image, box, text: str = "复印无效", color=(60, 60, 60), opacity: float = 0.9) -> Image.Image:
    """A boxed stamp laid over the card at `box` (fractions x0, y0, x1, y1 of the card), text
    filling it, as contest sets put over a value (the value beneath is partly hidden). Returns the card."""
    w, h = card.size
    x0, y0, x1, y1 = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    layer = Image.new("RGBA", card.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    fill = tuple(color) + (int(255 * opacity),)
    d.rectangle((x0, y0, x1, y1), outline=fill, width=max(2, int((y1 - y0) / 30)))
    font = fonts.get("serif_bold", int((y1 - y0) * 0.6))
    d.text((x0 + (y1 - y0) * 0.08, y0 + (y1 - y0) * 0.12), text, font=font, fill=fill)
    return Image.alpha_composite(card.convert("RGBA"), layer).convert("RGB")


def page_mark(img, keepout, rnd):
    """A mark on the page outside the card (numpy RGB/gray image); returns the image."""
    H, W = img.shape[:2]
    s = rnd.choice(TEXTS)
    size = max(14, int(W * rnd.uniform(0.025, 0.05)))
    font = fonts.get("sans_bold", size)
    tw = font.getlength(s)
    for _ in range(10):
        x, y = rnd.uniform(0, max(1, W - tw)), rnd.uniform(0, max(1, H - size * 1.5))
        if not (x < keepout[2] and x + tw > keepout[0] and y < keepout[3] and y + size * 1.5 > keepout[1]):
            pil = Image.fromarray(img)
            ImageDraw.Draw(pil).text((x, y), s, font=font, fill=(160, 40, 40) if img.ndim == 3 else 90)
            return np.asarray(pil).copy()
    return img
