"""Images without any ID card: documents, textures, scenes, receipts, blank pages, bank cards."""
import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import capture, cardbase, fonts, textgen, textures

KINDS = ("document", "texture", "scene", "receipt", "blank", "bankcard")


def _document_page(w, rnd, nrng) -> np.ndarray:
    h = int(w * 1.414)
    page = textures.paper(h, w, rnd, nrng)
    pil = Image.fromarray(page)
    d = ImageDraw.Draw(pil)
    m = int(w * 0.08)
    size = max(12, int(w * rnd.uniform(0.018, 0.028)))
    title = textgen.sentence(rnd)[:rnd.randint(6, 14)]
    tf = fonts.get("sans_bold", int(size * 1.6))
    d.text(((w - tf.getlength(title)) / 2, m), title, font=tf, fill=(20, 20, 20))
    y = m + size * 4
    font = fonts.get("sans", size)
    per_line = max(4, int((w - 2 * m) / size))
    while y < h - m - size * 2:
        para = "".join(textgen.sentence(rnd) for _ in range(rnd.randint(2, 6)))
        para = "　　" + para
        for i in range(0, len(para), per_line):
            if y >= h - m - size * 2:
                break
            d.text((m, y), para[i:i + per_line], font=font, fill=(25, 25, 25))
            y += int(size * 1.7)
        y += size
    return np.asarray(pil).copy()


def _receipt(w, rnd, nrng) -> np.ndarray:
    h = int(w * rnd.uniform(1.8, 3.0))
    img = np.full((h, w, 3), rnd.randint(235, 252), np.uint8)
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    size = max(10, w // 22)
    font = fonts.get("sans", size)
    y = size
    d.text((w * 0.2, y), rnd.choice(("购物小票", "收银凭条", "销售单", "结账单")), font=fonts.get("sans_bold", int(size * 1.4)),
           fill=(20, 20, 20))
    y += size * 3
    d.text((size, y), textgen.today_like(rnd), font=font, fill=(30, 30, 30))
    y += size * 2
    total = 0.0
    while y < h - size * 5:
        price = rnd.randint(1, 9999) / 100
        total += price
        d.text((size, y), rnd.choice(textgen.SHORT)[:4] + f" x{rnd.randint(1, 5)}", font=font, fill=(30, 30, 30))
        d.text((w * 0.65, y), f"{price:.2f}", font=font, fill=(30, 30, 30))
        y += int(size * 1.6)
    d.text((size, y + size), f"合计: {total:.2f}", font=fonts.get("sans_bold", size), fill=(10, 10, 10))
    return np.asarray(pil).copy()


def _bankcard(w, rnd, nrng):
    h = int(w * 54 / 85.6)
    c0 = np.array([rnd.randint(0, 200) for _ in range(3)], np.float32)
    c1 = np.clip(c0 + rnd.uniform(30, 90), 0, 255)
    t = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    img = np.broadcast_to(c0 * (1 - t) + c1 * t, (h, w, 3)).astype(np.uint8).copy()
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    d.rounded_rectangle((w * 0.1, h * 0.35, w * 0.22, h * 0.52), radius=w // 80, fill=(212, 180, 90))
    light = (245, 245, 245) if c0.mean() < 140 else (20, 20, 20)
    num = " ".join("".join(str(rnd.randrange(10)) for _ in range(4)) for _ in range(4))
    d.text((w * 0.08, h * 0.62), num, font=fonts.get("ocrb", int(w * 0.06)), fill=light)
    d.text((w * 0.08, h * 0.1), rnd.choice(("储蓄卡", "信用卡", "DEBIT", "借记卡")), font=fonts.get("sans_bold", int(w * 0.05)),
           fill=light)
    d.text((w * 0.6, h * 0.8), f"{rnd.randint(1, 12):02d}/{rnd.randint(26, 33)}", font=fonts.get("ocrb", int(w * 0.04)),
           fill=light)
    return np.asarray(pil).copy(), cardbase.corner_mask(w)


def _scene(h, w, rnd, nrng):
    sky0 = np.array([rnd.randint(90, 160), rnd.randint(140, 200), rnd.randint(200, 255)], np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = np.broadcast_to(sky0 * (1 - t) + np.array([235, 235, 240], np.float32) * t, (h, w, 3)).astype(np.uint8).copy()
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    if rnd.random() < 0.6:
        r = w * rnd.uniform(0.03, 0.07)
        cx, cy = w * rnd.uniform(0.1, 0.9), h * rnd.uniform(0.08, 0.3)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 240, 200))
    for layer in range(rnd.randint(1, 3)):
        base = h * (0.45 + 0.12 * layer)
        xs = np.linspace(0, w, 12)
        pts = [(0, h)] + [(float(x), float(base - h * rnd.uniform(0, 0.2))) for x in xs] + [(w, h)]
        g = 80 + 40 * layer
        d.polygon(pts, fill=(rnd.randint(40, 90), g + rnd.randint(0, 40), rnd.randint(40, 90)))
    for _ in range(rnd.randint(0, 8)):
        x, y = w * rnd.random(), h * rnd.uniform(0.55, 0.9)
        r = w * rnd.uniform(0.02, 0.06)
        d.rectangle((x - r * 0.15, y, x + r * 0.15, y + r * 1.5), fill=(90, 60, 40))
        d.ellipse((x - r, y - r * 1.6, x + r, y + r * 0.4), fill=(30, rnd.randint(90, 140), 40))
    out = np.asarray(pil).copy()
    grass = textures.smooth_noise(h, w, 6, nrng)[..., None] * 30
    return (out.astype(np.float32) + grass - 15).clip(0, 255).astype(np.uint8)


def make(rnd, nrng) -> tuple:
    """(image, capture mode 'scan'|'photo', kind)."""
    kind = rnd.choice(KINDS)
    if kind == "document":
        if rnd.random() < 0.5:
            w = rnd.randint(900, 1400)
            return capture.scan_effects(_document_page(w, rnd, nrng), rnd, nrng), "scan", kind
        plan = capture.plan_photo(rnd, 1.414)
        sprite = _document_page(plan.sprite_width, rnd, nrng)
        return capture.photo(plan, sprite, np.full(sprite.shape[:2], 255, np.uint8), rnd, nrng), "photo", kind
    if kind == "receipt":
        plan = capture.plan_photo(rnd, 2.4)
        sprite = _receipt(plan.sprite_width, rnd, nrng)
        plan.extra["pitch"] = plan.extra["yaw"] = 0
        return capture.photo(plan, sprite, np.full(sprite.shape[:2], 255, np.uint8), rnd, nrng), "photo", kind
    if kind == "bankcard":
        if rnd.random() < 0.5:
            plan = capture.plan_scan(rnd, 54 / 85.6)
            sprite, alpha = _bankcard(plan.sprite_width, rnd, nrng)
            return capture.scan(plan, sprite, alpha, rnd, nrng), "scan", kind
        plan = capture.plan_photo(rnd, 54 / 85.6)
        sprite, alpha = _bankcard(plan.sprite_width, rnd, nrng)
        return capture.photo(plan, sprite, alpha, rnd, nrng), "photo", kind
    plan = capture.plan_photo(rnd, 0.63)
    W, H = plan.width, plan.height
    if kind == "blank":
        v = rnd.randint(215, 252)
        img = np.full((H, W, 3), v, np.uint8)
        if rnd.random() < 0.5:
            cv2.line(img, (W // 2, 0), (W // 2 + rnd.randint(-20, 20), H), (v - 25,) * 3, 2)
        return capture.scan_effects(img, rnd, nrng), "scan", kind
    if kind == "scene":
        img = _scene(H, W, rnd, nrng)
    else:
        img = textures.make(rnd.choice(list(textures.TEXTURES)), H, W, rnd, nrng)
        if rnd.random() < 0.5:
            cells = textures.table_lines(img, rnd) if rnd.random() < 0.5 else None
            lo = max(14, int(min(W, H) * 0.018))
            img = capture.draw_text_items(img, rnd, [], rnd.randint(4, 20), (lo, lo * 2), cells)
    quad = np.array([[0, 0], [W, 0], [W, H], [0, H]], np.float32)
    return capture.photo_effects(img, np.zeros((H, W), np.uint8), quad, rnd, nrng), "photo", kind
