"""人像面: the front of the card with name, gender, nationality, birth, address, ID number, portrait."""
import numpy as np
from PIL import Image, ImageDraw

from . import cardbase, fonts
from .people import Person

LABEL_RGB = (44, 118, 170)
VALUE_RGB = (22, 22, 24)


def wrap_address(addr: str, font, max_w: float) -> list:
    lines, cur = [], ""
    for ch in addr:
        if cur and font.getlength(cur + ch) > max_w:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines


def draw_portrait(img: Image.Image, box, rnd) -> None:
    """A fictional head-and-shoulders silhouette (no real face) that fades into the card."""
    x0, y0, x1, y1 = [int(v) for v in box]
    w, h = x1 - x0, y1 - y0
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    skin = cardbase.jitter_color(rnd, rnd.choice([(232, 196, 170), (214, 170, 140), (190, 150, 120)]), 10)
    hair = cardbase.jitter_color(rnd, (30, 28, 30), 12)
    cloth = cardbase.jitter_color(rnd, rnd.choice([(40, 45, 60), (70, 70, 75), (30, 60, 110), (240, 240, 240)]), 15)
    cx = w * rnd.uniform(0.47, 0.53)
    head_w, head_h = w * rnd.uniform(0.48, 0.56), h * rnd.uniform(0.5, 0.56)
    head_top = h * rnd.uniform(0.08, 0.12)
    # shoulders and neck
    d.rectangle((cx - head_w * 0.2, head_top + head_h * 0.8, cx + head_w * 0.2, h * 0.8), fill=skin + (255,))
    d.ellipse((cx - w * 0.62, h * 0.74, cx + w * 0.62, h * 1.5), fill=cloth + (255,))
    # hair behind, head, hair fringe
    long_hair = rnd.random() < 0.4
    if long_hair:
        d.rounded_rectangle((cx - head_w * 0.6, head_top - h * 0.02, cx + head_w * 0.6, head_top + head_h * 1.15),
                            radius=int(head_w * 0.4), fill=hair + (255,))
    d.ellipse((cx - head_w / 2, head_top, cx + head_w / 2, head_top + head_h), fill=skin + (255,))
    d.chord((cx - head_w * 0.54, head_top - h * 0.03, cx + head_w * 0.54, head_top + head_h * 0.55),
            180, 360, fill=hair + (255,))
    ex = head_w * 0.18
    ey = head_top + head_h * 0.5
    for sx in (-1, 1):  # simple dot eyes and ears
        d.ellipse((cx + sx * ex - 3, ey - 3, cx + sx * ex + 3, ey + 3), fill=(40, 35, 35, 255))
    d.line((cx - head_w * 0.1, head_top + head_h * 0.78, cx + head_w * 0.1, head_top + head_h * 0.78),
           fill=(150, 90, 90, 255), width=max(1, int(w * 0.01)))
    # fade the rectangle edges into the background, like the printed photo
    alpha = np.asarray(layer.split()[3], np.float32)
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    xx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    fade = np.clip(np.minimum(np.minimum(xx, 1 - xx) * 12, np.minimum(yy, 1.5) * 12), 0, 1)
    layer.putalpha(Image.fromarray((alpha * fade * 0.92).astype(np.uint8)))
    img.paste(layer, (x0, y0), layer)


def render(person: Person, width: int, rnd) -> tuple:
    """Returns (RGB PIL image, alpha mask ndarray) of the front at the given pixel width."""
    img = cardbase.background("front", width, rnd)
    w, h = img.size
    d = ImageDraw.Draw(img)
    label = cardbase.jitter_color(rnd, LABEL_RGB, 10)
    value = cardbase.jitter_color(rnd, VALUE_RGB, 8)
    fl = int(w * 0.026)  # label size
    fv = int(w * 0.0365 * rnd.uniform(0.97, 1.03))  # value size
    lx, vx = w * 0.06, w * 0.18
    dy = h * rnd.uniform(-0.008, 0.008)
    lsp = fl * 0.6  # gap inside two-character labels

    def row(y):
        return h * y + dy

    cardbase.text(d, (lx, row(0.12)), "姓名", "sans", fl, label, spacing=lsp)
    cardbase.text(d, (vx, row(0.12)), person.name, "sans", fv, value, max_width=w * 0.43)
    cardbase.text(d, (lx, row(0.25)), "性别", "sans", fl, label, spacing=lsp)
    cardbase.text(d, (vx, row(0.25)), person.gender, "sans", fv, value)
    cardbase.text(d, (w * 0.30, row(0.25)), "民族", "sans", fl, label, spacing=lsp)
    cardbase.text(d, (w * 0.41, row(0.25)), person.nationality, "sans", fv, value)
    cardbase.text(d, (lx, row(0.37)), "出生", "sans", fl, label, spacing=lsp)
    b = person.birth
    x = cardbase.text(d, (vx, row(0.37)), f"{b.year}", "sans", fv, value)
    x = cardbase.text(d, (x + w * 0.012, row(0.37)), "年", "sans", fl, label)
    cardbase.text(d, (w * 0.352, row(0.37)), f"{b.month}", "sans", fv, value, anchor="rm")
    cardbase.text(d, (w * 0.362, row(0.37)), "月", "sans", fl, label)
    cardbase.text(d, (w * 0.43, row(0.37)), f"{b.day}", "sans", fv, value, anchor="rm")
    cardbase.text(d, (w * 0.44, row(0.37)), "日", "sans", fl, label)
    cardbase.text(d, (lx, row(0.50)), "住址", "sans", fl, label, spacing=lsp)
    afont = fonts.get("sans", fv)
    lines = wrap_address(person.addr, afont, fv * 11.05)
    step = h * 0.074
    if len(lines) > 4:  # squeeze: never happens with generated addresses, kept for safety
        step = h * 0.30 / (len(lines) - 1)
    for i, line in enumerate(lines):
        cardbase.text(d, (vx, row(0.50) + i * step), line, "sans", fv, value)
    cardbase.text(d, (lx, row(0.82)), "公民身份号码", "sans", int(fl * 1.05), label)
    cardbase.text(d, (w * 0.34, row(0.82)), person.id, "ocrb", int(w * 0.043), value,
                  spacing=w * 0.0052, max_width=w * 0.58)
    draw_portrait(img, (w * 0.62, h * 0.10, w * 0.92, h * 0.76), rnd)
    return img, cardbase.corner_mask(w)
