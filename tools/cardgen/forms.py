"""A printed form lying beside the card, carrying ID-like text of another person.

Its lines look like card fields ("公民身份号码 110101199001011237", "姓名 王嘉龙", an address, a
validity span) so a reader that takes text from outside the card gets a wrong but plausible answer.
No line of the form comes near the card: lines whose outline would reach the card's (grown)
outline are not printed, so every such text in the image is truly outside the card."""
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import capture, fonts, people, quads, textures

VALUE_SIZE = 0.0365  # the card's value text height / card width (render_front)
TITLES = ("居民身份证申领登记表", "个人信息登记表", "住宿登记表", "入职信息采集表", "业务办理申请表", "身份信息核验单")


@dataclass
class Line:
    text: str
    x: float  # left-top of the text in sheet pixels
    y: float
    size: int
    bold: bool = False

    def box(self) -> tuple:
        """(x, y, w, h) of the area the text may cover, padded a little."""
        font = fonts.get("sans_bold" if self.bold else "sans", self.size)
        pad = self.size * 0.3
        return self.x - pad, self.y - pad, font.getlength(self.text) + 2 * pad, self.size * 1.4 + 2 * pad


def _field_texts(rnd) -> list:
    """Label + value strings of a made-up person, in the order a form lists them."""
    p = people.make_person(rnd)
    birth = f"{p.birth:%Y.%m.%d}" if rnd.random() < 0.5 else f"{p.birth.year}年{p.birth.month}月{p.birth.day}日"
    sep = rnd.choice((" ", "：", "  "))
    phone = "1" + rnd.choice("3578") + "".join(str(rnd.randrange(10)) for _ in range(9))
    texts = [f"姓名{sep}{p.name}", f"性别{sep}{p.gender}    民族{sep}{p.nationality}", f"出生日期{sep}{birth}",
             f"{rnd.choice(('公民身份号码', '身份证号码', '证件号码'))}{sep}{p.id}", f"住址{sep}{p.addr}",
             f"签发机关{sep}{p.authority}", f"有效期限{sep}{p.valid_text()}", f"联系电话{sep}{phone}"]
    if rnd.random() < 0.5:
        texts.append(f"填表日期{sep}{rnd.randint(2015, 2025)}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日")
    return texts


def layout(width: int, height: int, size: int, rnd) -> list:
    """The form's lines in sheet pixels (text size `size`): a title, then one field per row."""
    margin = width * rnd.uniform(0.06, 0.1)
    lines = [Line(rnd.choice(TITLES), margin, margin, int(size * 1.3), bold=True)]
    y = margin + size * 3
    for text in _field_texts(rnd):
        if y > height - margin - size * 1.5:
            break
        lines.append(Line(text, margin, y, size))
        y += size * rnd.uniform(2.0, 2.8)
    return lines


def render(width: int, height: int, lines: list, rnd, nrng) -> np.ndarray:
    """A sheet of paper with row rules and the given lines."""
    sheet = textures.paper(height, width, rnd, nrng)
    pil = Image.fromarray(sheet)
    d = ImageDraw.Draw(pil)
    ink = tuple(rnd.randint(10, 50) for _ in range(3))
    rule = tuple(rnd.randint(90, 150) for _ in range(3))
    for ln in lines:
        font = fonts.get("sans_bold" if ln.bold else "sans", ln.size)
        d.text((ln.x, ln.y), ln.text, font=font, fill=ink)
        if not ln.bold:  # a table rule under the row, as printed forms have
            x, y, w, h = ln.box()
            d.line((x, y + h, width - ln.x, y + h), fill=rule, width=max(1, ln.size // 12))
    return np.asarray(pil).copy()


def _sheet_quad(card_quad, card_angle: float, rnd) -> np.ndarray:
    """A sheet about the card's size or larger, turned roughly like the card, centred beside it."""
    q = np.asarray(card_quad, np.float64)
    top, _, bottom, _ = quads.edge_lengths(q)
    card_w = (top + bottom) / 2
    sw = card_w * rnd.uniform(0.9, 1.8)
    sh = sw * rnd.uniform(0.6, 1.4)
    rect = np.array([[-sw / 2, -sh / 2], [sw / 2, -sh / 2], [sw / 2, sh / 2], [-sw / 2, sh / 2]])
    sheet = quads.rotate(rect, card_angle + rnd.uniform(-20, 20))
    direction = rnd.uniform(0, 2 * np.pi)
    reach = (card_w + max(sw, sh)) / 2 * rnd.uniform(0.7, 1.15)
    centre = q.mean(axis=0) + reach * np.array([np.cos(direction), np.sin(direction)])
    return sheet + centre


def place(bg: np.ndarray, card_quad, card_angle: float, rnd, nrng, tries: int = 8) -> bool:
    """Draw a form onto bg (in place) beside the card. Returns False when no placement left at least
    three lines of the form inside the frame and away from the card (the card fills the frame)."""
    H, W = bg.shape[:2]
    keep = quads.expanded(card_quad, max(10.0, 0.04 * min(quads.edge_lengths(card_quad))))
    top, _, bottom, _ = quads.edge_lengths(card_quad)
    card_w = (top + bottom) / 2
    for _ in range(tries):
        sheet_quad = _sheet_quad(card_quad, card_angle, rnd)
        top, right, _, _ = quads.edge_lengths(sheet_quad)
        sw = int(min(1600, max(200, top)))
        sh = int(sw * right / top)
        # text about as big as the card's values (3.65 % of the card's width) so it competes with them
        size = max(12, int(VALUE_SIZE * card_w * rnd.uniform(0.8, 1.5) * sw / top))
        lines = layout(sw, sh, size, rnd)
        m = quads.sprite_to_frame((sh, sw), sheet_quad)
        kept = [ln for ln in lines if _visible_and_apart(quads.rect_corners(m, *ln.box()), keep, W, H)]
        if len(kept) < 3:
            continue
        sprite = render(sw, sh, kept, rnd, nrng)
        capture.composite(bg, sprite, np.full((sh, sw), 255, np.uint8), sheet_quad.astype(np.float32))
        return True
    return False


def _visible_and_apart(line_quad, keep, W: int, H: int) -> bool:
    cx, cy = np.asarray(line_quad).mean(axis=0)
    return 0 <= cx < W and 0 <= cy < H and not quads.overlaps(line_quad, keep)
