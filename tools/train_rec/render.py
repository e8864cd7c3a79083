"""Degraded text lines shaped like ID-card values, rendered with the card generator's fonts,
its guilloche background and capture effects (blur, JPEG 30-90, small-then-upscaled, noise,
uneven light, glare, stamps behind the text)."""
import functools
import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from tools.cardgen import cardbase, fonts, names, people, regions, textures
from tools.cardgen.capture import add_noise

VALUE_RGB = (20, 20, 22)


def _font_kind(rnd):
    r = rnd.random()
    return "sans" if r < 0.8 else ("sans_bold" if r < 0.93 else "serif_bold")


@functools.lru_cache(maxsize=None)
def _master(side: str) -> np.ndarray:
    return np.asarray(cardbase.background(side, 1500, random.Random(side)))


def _background_crop(w: int, h: int, rnd) -> Image.Image:
    """A piece of the card generator's guilloche background at a random scale, tinted."""
    m = _master(rnd.choice(("front", "back")))
    mh, mw = m.shape[:2]
    s = rnd.uniform(0.4, 1.6)  # master pixels per line pixel
    cw, ch = min(mw, max(8, int(w * s))), min(mh, max(8, int(h * s)))
    x0, y0 = rnd.randint(0, mw - cw), rnd.randint(0, mh - ch)
    crop = cv2.resize(m[y0:y0 + ch, x0:x0 + cw], (w, h), interpolation=cv2.INTER_LINEAR)
    tint = np.array([rnd.uniform(-8, 4), rnd.uniform(-6, 4), rnd.uniform(-6, 6)], np.float32)
    return Image.fromarray(np.clip(crop.astype(np.float32) + tint, 0, 255).astype(np.uint8))


def draw_line(text: str, rnd, size: int = None, kind: str = None) -> np.ndarray:
    """The text on a crop of the card background (guilloche), with a margin like a detector box."""
    size = size or (rnd.randint(16, 26) if rnd.random() < 0.35 else rnd.randint(26, 44))
    kind = kind or _font_kind(rnd)
    font = fonts.get(kind, size)
    spacing = size * rnd.uniform(0.0, 0.25) if rnd.random() < 0.3 and len(text) <= 4 else 0.0
    tw = font.getlength(text) + spacing * (len(text) - 1)
    mx0, mx1 = rnd.uniform(0.05, 0.6) * size, rnd.uniform(0.05, 0.6) * size
    my0, my1 = rnd.uniform(0.08, 0.35) * size, rnd.uniform(0.08, 0.35) * size
    w, h = int(tw + mx0 + mx1) + 2, int(size * 1.05 + my0 + my1) + 2
    img = _background_crop(w, h, rnd)
    d = ImageDraw.Draw(img)
    if rnd.random() < 0.12:  # a stamp / seal edge behind the text
        col = (rnd.randint(170, 230), rnd.randint(30, 90), rnd.randint(30, 90))
        r = rnd.uniform(0.8, 2.0) * h
        cx, cy = rnd.uniform(0, w), rnd.uniform(-0.5, 1.5) * h
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=col, width=max(2, int(h * 0.06)))
        d.text((cx - r * 0.6, cy - size * 0.4), "仅限办理", font=fonts.get("sans", int(size * 0.8)), fill=col)
    if rnd.random() < 0.08:  # grey "copy" watermark text behind
        g = rnd.randint(150, 200)
        d.text((rnd.uniform(-w * 0.2, w * 0.5), rnd.uniform(-0.2, 0.5) * h), "复印无效",
               font=fonts.get("sans", int(size * rnd.uniform(0.7, 1.2))), fill=(g, g, g))
    col = cardbase.jitter_color(rnd, VALUE_RGB, 14)
    cardbase.text(d, (mx0, my0 + size * 0.55), text, kind, size, col, spacing=spacing)
    out = np.asarray(img.convert("RGB")).copy()
    if rnd.random() < 0.3:  # a small rotation / shear as an imperfect rectification leaves
        a = rnd.uniform(-1.5, 1.5)
        m = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.0)
        m[0, 1] += rnd.uniform(-0.08, 0.08)
        out = cv2.warpAffine(out, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    return out


def degrade(img: np.ndarray, rnd, nrng, strength: float = 1.0) -> np.ndarray:
    h, w = img.shape[:2]
    out = img
    if rnd.random() < 0.5 * strength:  # uneven light / dim
        f = 0.65 + 0.45 * textures.smooth_noise(max(2, h // 8), max(2, w // 8), max(2, w // 24), nrng)
        f = cv2.resize(f.astype(np.float32), (w, h)) * rnd.uniform(0.7, 1.05)
        out = np.clip(out.astype(np.float32) * f[..., None], 0, 255).astype(np.uint8)
    if rnd.random() < 0.2 * strength:  # glare
        cx, cy = rnd.uniform(0, w), rnd.uniform(0, h)
        s = rnd.uniform(0.3, 1.2) * h
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        g = np.exp(-(((xx - cx) / (s * rnd.uniform(1, 3))) ** 2 + ((yy - cy) / s) ** 2) / 2) * rnd.uniform(60, 170)
        out = np.clip(out.astype(np.float32) + g[..., None], 0, 255).astype(np.uint8)
    r = rnd.random()
    if r < 0.45 * strength:
        out = cv2.GaussianBlur(out, (0, 0), rnd.uniform(0.4, 1.8) * strength)
    elif r < 0.6 * strength:
        n = rnd.choice((3, 5, 7))
        k = np.zeros((n, n), np.float32)
        a = rnd.uniform(0, math.pi)
        c = n // 2
        for t in np.linspace(-c, c, 2 * n):
            k[int(round(c + t * math.sin(a))), int(round(c + t * math.cos(a)))] = 1
        out = cv2.filter2D(out, -1, k / k.sum())
    if rnd.random() < 0.45 * strength:  # small, then upscaled (a far-away card)
        f = rnd.uniform(0.3, 0.75)
        sw, sh = max(8, int(w * f)), max(8, int(h * f))
        out = cv2.resize(out, (sw, sh), interpolation=cv2.INTER_AREA)
        out = cv2.resize(out, (w, h), interpolation=rnd.choice((cv2.INTER_LINEAR, cv2.INTER_CUBIC)))
    if rnd.random() < 0.5 * strength:
        out = add_noise(out, rnd, rnd.uniform(2, 10))
    if rnd.random() < 0.7 * strength:
        q = rnd.randint(30, 90)
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q])
        out = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return out


# ---------------------------------------------------------------- line texts
def _given_pool(rnd):
    return names.MALE_CHARS if rnd.random() < 0.5 else names.FEMALE_CHARS


def name_with(rnd, ch: str) -> str:
    """A 2-4 character Han name holding ch (as surname or given-name character)."""
    given = [rnd.choice(_given_pool(rnd)) for _ in range(rnd.choice((1, 2, 2)))]
    if rnd.random() < 0.15:  # as a surname
        return ch + "".join(given)
    surname = rnd.choice(names.COMPOUND_SURNAMES) if rnd.random() < 0.05 else rnd.choice(names.SURNAMES)
    if len(given) == 1 and rnd.random() < 0.3:
        given.append(rnd.choice(_given_pool(rnd)))
    given[rnd.randrange(len(given))] = ch
    return surname + "".join(given)


def ordinary_name(rnd) -> str:
    g = rnd.choice(("男", "女"))
    nat = rnd.choice(names.NATIONALITIES) if rnd.random() < 0.3 else "汉"
    if nat == "汉":
        return names.han_name(rnd, g, rare_p=0.0)
    return names.person_name(rnd, g, nat)


def address_piece(rnd) -> str:
    reg = regions.pick(rnd)
    addr = people.make_address(rnd, reg, rnd.choice((1, 2, 2, 3)))
    n = rnd.randint(5, 12)
    s = rnd.randrange(0, max(1, len(addr) - n + 1))
    return addr[s:s + n]


def authority_line(rnd) -> str:
    return regions.authority(regions.pick(rnd), rnd)


def place_with(rnd, ch: str, place_words: dict) -> str:
    """An address/authority fragment holding ch: a real division/street/village name with it when
    there is one, else ch spliced into a generated address piece."""
    words = place_words.get(ch)
    if words:
        w = rnd.choice(words)
        r = rnd.random()
        if r < 0.35:
            return (address_piece(rnd)[:rnd.randint(0, 6)] + w)[-12:]
        if r < 0.55 and w.endswith(("县", "区", "市")):
            return w + "公安局"
        return (w + address_piece(rnd)[:rnd.randint(0, 6)])[:12]
    base = address_piece(rnd)
    i = rnd.randrange(len(base) + 1)
    return (base[:i] + ch + base[i:])[:12]
