"""Put a rendered card (or any sprite) on a scanned page or into a hand-held photo, with effects.

A sprite is an RGB uint8 array plus an alpha mask (uint8). A plan is drawn first (page size,
angles, how much of the frame the sprite fills) so the caller can render the card at about the
pixel size it will have; compose then places it and degrades the result."""
import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import fonts, textgen, textures

MAX_BYTES = 2_000_000
MIN_PHOTO_CARD_PX = 460  # card long side in a photo, at least


@dataclass
class Plan:
    mode: str  # scan | photo
    width: int  # output image size
    height: int
    k90: int  # quarter turns, counter-clockwise
    skew: float  # extra in-plane degrees, counter-clockwise
    fill: float  # sprite extent / frame extent
    sprite_width: int  # pixel width to render the sprite at
    extra: dict = field(default_factory=dict)

    @property
    def rotation(self) -> float:
        return round((self.k90 * 90 + self.skew) % 360, 1)


def _rot_extent(w, h, deg):
    a = math.radians(deg)
    return abs(w * math.cos(a)) + abs(h * math.sin(a)), abs(w * math.sin(a)) + abs(h * math.cos(a))


def plan_scan(rnd, aspect: float) -> Plan:
    """aspect = sprite height / width."""
    shape = rnd.random()
    if shape < 0.45:
        pw = rnd.randint(1000, 1400)
        ph = int(pw * 1.414)
    elif shape < 0.7:
        ph = rnd.randint(900, 1300)
        pw = int(ph * 1.414)
    else:
        pw = rnd.randint(900, 1700)
        ph = int(pw * rnd.uniform(0.62, 1.1))
    r = rnd.random()
    k90 = 0 if r < 0.7 else (1 if r < 0.8 else (2 if r < 0.9 else 3))
    skew = 0.0 if rnd.random() < 0.25 else rnd.uniform(-3, 3)
    fill = rnd.uniform(0.4, 0.95)
    ex_w, ex_h = _rot_extent(1.0, aspect, k90 * 90 + skew)
    sw = fill * pw / ex_w
    sw = min(sw, 0.95 * pw / ex_w, 0.95 * ph / ex_h)
    return Plan("scan", pw, ph, k90, skew, fill, max(320, int(sw)))


def plan_photo(rnd, aspect: float) -> Plan:
    long_side = rnd.randint(800, 2000)
    ratio = rnd.choice((4 / 3, 4 / 3, 16 / 9, 3 / 2, 1.0))
    if rnd.random() < 0.5:
        w, h = long_side, int(long_side / ratio)
    else:
        w, h = int(long_side / ratio), long_side
    r = rnd.random()
    k90 = 0 if r < 0.55 else (1 if r < 0.7 else (2 if r < 0.85 else 3))
    skew = rnd.triangular(-30, 30, 0)
    fill = rnd.uniform(0.25, 0.95)
    pitch, yaw = rnd.uniform(-1, 1) * rnd.choice((0, 10, 25)), rnd.uniform(-1, 1) * rnd.choice((0, 10, 25))
    ex_w, ex_h = _rot_extent(1.0, aspect, k90 * 90 + skew)
    room = min(w / ex_w, h / ex_h)
    fill = max(fill, min(0.95, MIN_PHOTO_CARD_PX / room))  # keep the card big enough to read
    sw = fill * room
    return Plan("photo", w, h, k90, skew, fill, max(320, int(sw)), {"pitch": pitch, "yaw": yaw})


def _quad(w, h, plan: Plan, rnd, perspective=True) -> np.ndarray:
    """Where the sprite corners (tl, tr, br, bl) land in the output image."""
    pts = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]], np.float64)
    if perspective:
        p, y = math.radians(plan.extra.get("pitch", 0)), math.radians(plan.extra.get("yaw", 0))
        rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
        ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
        pts = pts @ (rx @ ry).T
        f = 1.8 * max(w, h)
        pts = pts[:, :2] * (f / (f + pts[:, 2:3]))
    else:
        pts = pts[:, :2]
    a = math.radians(plan.k90 * 90 + plan.skew)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    pts = pts @ rot.T
    bw, bh = np.ptp(pts[:, 0]), np.ptp(pts[:, 1])
    W, H = plan.width, plan.height
    if plan.mode == "photo":
        s = plan.fill / max(bw / W, bh / H)
    else:
        s = plan.sprite_width / w
    s = min(s, 0.96 * W / bw, 0.96 * H / bh)
    pts *= s
    bw, bh = bw * s, bh * s
    mx, my = (W - bw) / 2, (H - bh) / 2
    cx = W / 2 + rnd.uniform(-mx, mx) * 0.9
    cy = H / 2 + rnd.uniform(-my, my) * 0.9
    pts += [cx - (pts[:, 0].min() + pts[:, 0].max()) / 2, cy - (pts[:, 1].min() + pts[:, 1].max()) / 2]
    return pts.astype(np.float32)


def composite(dst: np.ndarray, sprite: np.ndarray, alpha: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp sprite onto dst (in place) so its corners land on quad. Returns the full-frame alpha."""
    h, w = sprite.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    H, W = dst.shape[:2]
    x0, y0 = max(0, int(quad[:, 0].min()) - 2), max(0, int(quad[:, 1].min()) - 2)
    x1, y1 = min(W, int(quad[:, 0].max()) + 3), min(H, int(quad[:, 1].max()) + 3)
    m = cv2.getPerspectiveTransform(src, quad - np.array([x0, y0], np.float32))
    size = (x1 - x0, y1 - y0)
    warped = cv2.warpPerspective(sprite, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    a = cv2.warpPerspective(alpha, m, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    roi = dst[y0:y1, x0:x1]
    a3 = a[..., None].astype(np.uint16)
    roi[:] = ((roi.astype(np.uint16) * (255 - a3) + warped.astype(np.uint16) * a3 + 127) // 255).astype(np.uint8)
    full = np.zeros((H, W), np.uint8)
    full[y0:y1, x0:x1] = a
    return full


def draw_text_items(img: np.ndarray, rnd, keepout, count: int, size_px=(16, 48), cells=None) -> np.ndarray:
    """Distracting text drawn only where it cannot touch the keep-out rectangles (the card area)."""
    if count <= 0:
        return img
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    H, W = img.shape[:2]
    dark = rnd.random() < 0.85
    keepout = list(keepout)
    placed = []
    for _ in range(count * 4):
        if count <= 0:
            break
        s = textgen.item(rnd)
        size = rnd.randint(*size_px)
        font = fonts.get("sans" if rnd.random() < 0.8 else "sans_bold", size)
        tw = font.getlength(s)
        if cells and rnd.random() < 0.8:
            cx0, cy0, cx1, cy1 = rnd.choice(cells)
            size = max(10, min(size, int((cy1 - cy0) * 0.6)))
            font = fonts.get("sans", size)
            s = s[: max(1, int((cx1 - cx0 - 6) / max(1, size)))]
            tw = font.getlength(s)
            x, y = cx0 + 4, (cy0 + cy1) / 2 - size / 2
        else:
            x, y = rnd.uniform(0, max(1, W - tw)), rnd.uniform(0, max(1, H - size * 1.3))
        box = (x - 4, y - 4, x + tw + 4, y + size * 1.4 + 4)
        if any(box[0] < k[2] and box[2] > k[0] and box[1] < k[3] and box[3] > k[1] for k in keepout + placed):
            continue
        placed.append(box)
        color = tuple(rnd.randint(0, 70) for _ in range(3)) if dark else tuple(rnd.randint(180, 255) for _ in range(3))
        d.text((x, y), s, font=font, fill=color)
        count -= 1
    return np.asarray(pil).copy()


def _keepout(quad: np.ndarray, W: int, H: int, margin: float) -> tuple:
    m = margin * max(W, H)
    return (quad[:, 0].min() - m, quad[:, 1].min() - m, quad[:, 0].max() + m, quad[:, 1].max() + m)


# ---------------------------------------------------------------- effects
def _blur(img, rnd, strength=1.0):
    r = rnd.random()
    if r < 0.5 * strength:
        sigma = rnd.uniform(0.4, 1.6) * strength
        return cv2.GaussianBlur(img, (0, 0), sigma)
    if r < 0.7 * strength:
        n = rnd.choice((3, 5, 7, 9))
        k = np.zeros((n, n), np.float32)
        a = rnd.uniform(0, math.pi)
        c = n // 2
        for t in np.linspace(-c, c, 2 * n):
            k[int(round(c + t * math.sin(a))), int(round(c + t * math.cos(a)))] = 1
        return cv2.filter2D(img, -1, k / k.sum())
    return img


def add_noise(img, rnd, sigma):
    """Add gaussian noise with OpenCV's RNG (fast), seeded from rnd so results are reproducible."""
    cv2.setRNGSeed(rnd.getrandbits(31))
    n = np.empty(img.shape, np.int16)
    cv2.randn(n, 0, sigma)
    return cv2.add(img, n, dtype=cv2.CV_8U)


def photo_effects(img, alpha_full, quad, rnd, nrng, blur=True) -> np.ndarray:
    """Shadow, uneven and dim light, white balance, glare, blur (unless blur=False: the caller
    blurs to its own measure), noise."""
    H, W = img.shape[:2]
    sw, sh = max(8, W // 8), max(8, H // 8)
    f = np.ones((sh, sw), np.float32)  # brightness gain, computed small then scaled up
    if rnd.random() < 0.6:  # soft shadow of the card on the surface
        a = cv2.resize(alpha_full, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        shadow = cv2.GaussianBlur(a, (0, 0), 2.0)
        dx, dy = rnd.randint(-3, 3), rnd.randint(0, 4)
        shadow = np.roll(np.roll(shadow, dy, 0), dx, 1)
        f *= 1 - 0.35 * shadow * (1 - a)
    if rnd.random() < 0.8:  # uneven light
        lo = rnd.uniform(0.6, 0.95)
        f *= lo + (1.1 - lo) * textures.smooth_noise(sh, sw, max(sw, sh) // 3, nrng)
    if rnd.random() < 0.3:  # dim room
        f *= rnd.uniform(0.45, 0.85)
    wb = np.array([rnd.uniform(0.92, 1.06), 1.0, rnd.uniform(0.9, 1.08)], np.float32)
    gain = np.clip(f[..., None] * wb * 128, 0, 255).astype(np.uint8)
    gain = cv2.resize(gain, (W, H), interpolation=cv2.INTER_LINEAR)
    out = cv2.multiply(img, gain, scale=1 / 128.0)
    if rnd.random() < 0.4:  # glare spots on the card
        for _ in range(rnd.randint(1, 2)):
            t = rnd.random()
            cx = quad[0, 0] * (1 - t) + quad[2, 0] * t + rnd.uniform(-0.1, 0.1) * W
            cy = quad[0, 1] * (1 - t) + quad[2, 1] * t + rnd.uniform(-0.1, 0.1) * H
            size = np.ptp(quad[:, 0]) * rnd.uniform(0.05, 0.2)
            sx, sy = size * rnd.uniform(0.6, 1.6), size * rnd.uniform(0.6, 1.6)
            amp = rnd.uniform(70, 150)
            x0, x1 = int(max(0, cx - 3 * sx)), int(min(W, cx + 3 * sx))
            y0, y1 = int(max(0, cy - 3 * sy)), int(min(H, cy + 3 * sy))
            if x1 <= x0 or y1 <= y0:
                continue
            gx = np.exp(-(((np.arange(x0, x1, dtype=np.float32) - cx) / sx) ** 2) / 2)
            gy = np.exp(-(((np.arange(y0, y1, dtype=np.float32) - cy) / sy) ** 2) / 2)
            g = (np.outer(gy, gx) * amp).astype(np.uint8)
            roi = out[y0:y1, x0:x1]
            roi[:] = cv2.add(roi, cv2.merge([g, g, g]))
    if blur:
        out = _blur(out, rnd)
    if rnd.random() < 0.6:
        out = add_noise(out, rnd, rnd.uniform(2, 8))
    return out


def scan_effects(img, rnd, nrng) -> np.ndarray:
    look = rnd.random()
    out = cv2.GaussianBlur(img, (0, 0), rnd.uniform(0.3, 0.9)) if rnd.random() < 0.7 else img
    if look < 0.25:  # photocopy: grey, hard contrast, toner speckle
        g = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY).astype(np.float32)
        lo, k = rnd.uniform(40, 90), rnd.uniform(1.3, 1.8)
        g = ((g - lo) * k + lo * 0.6).clip(0, 255)
        H, W = g.shape
        n = int(H * W / rnd.uniform(800, 4000))
        ys, xs = nrng.integers(0, H, n), nrng.integers(0, W, n)
        g[ys, xs] = nrng.integers(0, 120, n)
        out = add_noise(g.astype(np.uint8), rnd, rnd.uniform(1, 4))
    elif look < 0.5:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)
    return out


def encode(img: np.ndarray, rnd, mode: str) -> tuple:
    """(bytes, extension). Photos are JPEG 40-95; scans PNG or JPEG. Always under MAX_BYTES."""
    bgr = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    if mode == "scan" and rnd.random() < 0.3:
        ok, buf = cv2.imencode(".png", bgr, [cv2.IMWRITE_PNG_COMPRESSION, 3])
        if ok and len(buf) < MAX_BYTES:
            return buf.tobytes(), "png"
    q = rnd.randint(40, 95) if mode == "photo" else rnd.randint(75, 95)
    while True:
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, q])
        if len(buf) < MAX_BYTES or q <= 30:
            return buf.tobytes(), "jpg"
        q -= 10


def encode_jpeg(img: np.ndarray, quality: int) -> bytes:
    """JPEG at the given quality, lowered in steps of 5 while the file is MAX_BYTES or more."""
    bgr = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2BGR)
    for q in range(quality, 9, -5):
        ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, q])
        if ok and len(buf) < MAX_BYTES:
            return buf.tobytes()
    raise ValueError(f"a {img.shape[1]}x{img.shape[0]} image does not fit in {MAX_BYTES} bytes")


# ---------------------------------------------------------------- whole captures
def scan(plan: Plan, sprite, alpha, rnd, nrng) -> np.ndarray:
    W, H = plan.width, plan.height
    if rnd.random() < 0.7:
        page = textures.paper(H // 2, W // 2, rnd, nrng)
        page = cv2.resize(page, (W, H))
    else:
        v = rnd.randint(195, 235)
        page = np.full((H, W, 3), v, np.uint8)
    quad = _quad(sprite.shape[1], sprite.shape[0], plan, rnd, perspective=False)
    composite(page, sprite, alpha, quad)
    plan.extra["quad"] = quad
    return scan_effects(page, rnd, nrng)


def photo(plan: Plan, sprite, alpha, rnd, nrng, text_p=0.75) -> np.ndarray:
    W, H = plan.width, plan.height
    kind = rnd.choice(("wood", "fabric", "marble", "desk", "paper", "paper", "table"))
    bg = textures.make("paper" if kind == "table" else kind, H, W, rnd, nrng)
    cells = textures.table_lines(bg, rnd) if kind == "table" else None
    quad = _quad(sprite.shape[1], sprite.shape[0], plan, rnd, perspective=True)
    if rnd.random() < text_p or kind in ("table", "paper"):
        lo = max(14, int(min(W, H) * 0.018))
        bg = draw_text_items(bg, rnd, [_keepout(quad, W, H, 0.02)], rnd.randint(3, 16), (lo, lo * 2), cells)
    a = composite(bg, sprite, alpha, quad)
    plan.extra["quad"] = quad
    return photo_effects(bg, a, quad, rnd, nrng)
