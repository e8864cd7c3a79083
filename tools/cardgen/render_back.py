"""国徽面: the back of the card with emblem, title, issuing authority and validity period."""
import math

from PIL import Image, ImageDraw

from . import cardbase
from .people import Person

LABEL_RGB = (44, 118, 170)
VALUE_RGB = (22, 22, 24)
RED = (200, 30, 32)
GOLD = (238, 190, 60)


def _star(cx, cy, r, rot=0.0):
    pts = []
    for i in range(10):
        a = rot - math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.38
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def draw_emblem(img: Image.Image, cx: float, cy: float, r: float, rnd) -> None:
    """A simple red-and-gold circular emblem: ring, stars, gate silhouette, wheat arcs. No text."""
    s = 2  # supersample for smooth edges
    size = int(r * 2.3 * s)
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    c = size / 2
    R = r * s
    red = cardbase.jitter_color(rnd, RED, 12)
    gold = cardbase.jitter_color(rnd, GOLD, 12)
    d.ellipse((c - R * 1.08, c - R * 1.08, c + R * 1.08, c + R * 1.08), fill=gold + (255,))
    d.ellipse((c - R * 0.98, c - R * 0.98, c + R * 0.98, c + R * 0.98), fill=red + (255,))
    for k in range(12):  # wheat-ear arcs around the rim
        a = math.pi * (0.15 + 0.7 * k / 11)
        for sx in (-1, 1):
            px, py = c + sx * R * 0.86 * math.cos(a), c + R * 0.86 * math.sin(a) - R * 0.05
            d.ellipse((px - R * 0.07, py - R * 0.11, px + R * 0.07, py + R * 0.11), fill=gold + (255,))
    d.polygon(_star(c, c - R * 0.45, R * 0.22), fill=gold + (255,))
    for k, a in enumerate((-0.9, -0.45, 0.45, 0.9)):
        px, py = c + R * 0.45 * math.sin(a), c - R * 0.45 + R * 0.38 * (0.6 + 0.4 * abs(a))
        d.polygon(_star(px, py - R * 0.05 * (1 - abs(a)), R * 0.08, rot=a), fill=gold + (255,))
    # gate: base, body, roof
    d.rectangle((c - R * 0.5, c + R * 0.38, c + R * 0.5, c + R * 0.48), fill=gold + (255,))
    d.rectangle((c - R * 0.4, c + R * 0.12, c + R * 0.4, c + R * 0.36), fill=gold + (255,))
    d.polygon([(c - R * 0.5, c + R * 0.12), (c + R * 0.5, c + R * 0.12), (c + R * 0.36, c - R * 0.02),
               (c - R * 0.36, c - R * 0.02)], fill=gold + (255,))
    for k in range(-2, 3):
        d.rectangle((c + k * R * 0.15 - R * 0.03, c + R * 0.22, c + k * R * 0.15 + R * 0.03, c + R * 0.36),
                    fill=red + (255,))
    layer = layer.resize((size // s, size // s), Image.LANCZOS)
    img.paste(layer, (int(cx - size / s / 2), int(cy - size / s / 2)), layer)


def render(person: Person, width: int, rnd) -> tuple:
    """Returns (RGB PIL image, alpha mask ndarray) of the back at the given pixel width."""
    img = cardbase.background("back", width, rnd)
    w, h = img.size
    d = ImageDraw.Draw(img)
    label = cardbase.jitter_color(rnd, LABEL_RGB, 10)
    value = cardbase.jitter_color(rnd, VALUE_RGB, 8)
    title = cardbase.jitter_color(rnd, (25, 25, 28), 8)
    draw_emblem(img, w * 0.155, h * 0.26, w * 0.085, rnd)
    cardbase.text(d, (w * 0.355, h * 0.20), "中华人民共和国", "sans_bold", int(w * 0.047), title,
                  spacing=w * 0.024)
    if person.temporary:  # 临时居民身份证: the same line, two characters longer, set closer
        cardbase.text(d, (w * 0.27, h * 0.40), "临时居民身份证", "serif_bold", int(w * 0.07), title,
                      spacing=w * 0.018)
    else:
        cardbase.text(d, (w * 0.31, h * 0.40), "居民身份证", "serif_bold", int(w * 0.07), title,
                      spacing=w * 0.046)
    fl = int(w * 0.026)
    fv = int(w * 0.0365 * rnd.uniform(0.97, 1.03))
    lx, vx = w * 0.23, w * 0.40
    cardbase.text(d, (lx, h * 0.72), "签发机关", "sans", fl, label)
    cardbase.text(d, (vx, h * 0.72), person.authority, "sans", fv, value, max_width=w * 0.56)
    cardbase.text(d, (lx, h * 0.86), "有效期限", "sans", fl, label)
    cardbase.text(d, (vx, h * 0.86), person.valid_text(), "sans", fv, value, max_width=w * 0.56)
    return img, cardbase.corner_mask(w)
