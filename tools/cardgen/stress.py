"""Geometry-stress and hard photos: the modes `geometry` and `hard`.

geometry: legible photos with strong geometry — any in-plane rotation, keystone up to 0.35, the card
    from 25 % of the frame's short side up to filling it, on wood / cloth / dark / white / printed
    paper, about a third with a printed form of another person's ID-like data beside the card;
    shade and glare as ordinary photos have (capture.photo_effects).
hard: small cards (25-40 % of the short side), tilted, dim or blown-out light, blur, JPEG 35-65;
    still legible to a human.

The card's outline is placed directly (corners moved to make the keystone) rather than through a
camera model, so the keystone range is exact."""
import math
from dataclasses import dataclass

import cv2
import numpy as np

from . import capture, cardbase, forms, quads, textures

MODES = ("geometry", "hard")
BACKGROUNDS = ("wood", "cloth", "dark", "white", "printed")
MAX_KEYSTONE = {"geometry": 0.35, "hard": 0.25}
FRAC = {"geometry": (0.25, 1.0), "hard": (0.25, 0.40)}  # card long side / frame short side
CARD_PX = {"geometry": (480, 1000), "hard": (380, 620)}  # card long side in pixels, before clamping
SHORT_SIDE = (720, 2400)  # frame short side; long side at most LONG_MAX
LONG_MAX = 3200
FORM_SHARE = 1 / 3


@dataclass
class Shot:
    mode: str
    width: int
    height: int
    rotation: float  # counter-clockwise degrees of the card, [0, 360)
    quad: np.ndarray  # where the card sprite's corners land: tl, tr, br, bl (float32)

    @property
    def card_px(self) -> float:
        top, _, bottom, _ = quads.edge_lengths(self.quad)
        return (top + bottom) / 2


def plan(mode: str, rnd) -> Shot:
    frac = rnd.uniform(*FRAC[mode])
    card_px = rnd.uniform(*CARD_PX[mode])
    short = int(np.clip(card_px / frac, *SHORT_SIDE))
    ratio = rnd.choice((4 / 3, 4 / 3, 16 / 9, 3 / 2, 1.0))
    long = min(int(short * ratio), LONG_MAX)
    W, H = (long, short) if rnd.random() < 0.5 else (short, long)
    angle = rnd.uniform(0, 360) if mode == "geometry" else _tilted(rnd)
    outline = _keystoned(rnd.uniform(0, MAX_KEYSTONE[mode]), rnd)
    pts = _fit(quads.rotate(outline, angle), frac * short, W, H, rnd)
    return Shot(mode, W, H, round(angle % 360, 1), pts.astype(np.float32))


def _tilted(rnd) -> float:
    """Mostly upright, sometimes a quarter turn, always some skew (as hand-held phones are)."""
    r = rnd.random()
    k90 = 0 if r < 0.55 else (1 if r < 0.7 else (2 if r < 0.85 else 3))
    return k90 * 90 + rnd.triangular(-35, 35, 0)


def _keystoned(k: float, rnd) -> np.ndarray:
    """A card outline (long side 1, centred) with one edge k shorter than the opposite edge.

    Order matters for an exact keystone: foreshortening along the tilt, then a smaller keystone on
    the other pair of edges, then the main one (which leaves its pair's ratio exactly 1 - k)."""
    h = cardbase.CARD_MM[1] / cardbase.CARD_MM[0]
    q = np.array([[-0.5, -h / 2], [0.5, -h / 2], [0.5, h / 2], [-0.5, h / 2]], np.float64)
    edge = rnd.randrange(4)  # 0 top, 1 right, 2 bottom, 3 left
    axis = 1 if edge % 2 == 0 else 0  # a shorter top/bottom edge means a tilt about the x axis
    q[:, axis] *= 1 - k * rnd.uniform(0, 0.6)
    q = _shrink_edge(q, (edge + rnd.choice((1, 3))) % 4, k * rnd.uniform(0, 0.5))
    return _shrink_edge(q, edge, k)


def _shrink_edge(q: np.ndarray, edge: int, k: float) -> np.ndarray:
    """Move the two ends of an edge towards its middle so it becomes (1 - k) as long."""
    q = q.copy()
    i, j = edge, (edge + 1) % 4
    mid = (q[i] + q[j]) / 2
    q[i] = mid + (q[i] - mid) * (1 - k)
    q[j] = mid + (q[j] - mid) * (1 - k)
    return q


def _fit(pts: np.ndarray, card_px: float, W: int, H: int, rnd) -> np.ndarray:
    """Scale the outline so its long side is card_px (less if it would not fit), then place it
    anywhere it lies wholly inside the frame with a small margin."""
    top, _, bottom, _ = quads.edge_lengths(pts)
    s = card_px / ((top + bottom) / 2)
    bw, bh = np.ptp(pts[:, 0]), np.ptp(pts[:, 1])
    s = min(s, 0.96 * W / bw, 0.96 * H / bh)
    pts = pts * s
    bw, bh = bw * s, bh * s
    mx, my = (W - bw) / 2 - 0.01 * W, (H - bh) / 2 - 0.01 * H
    cx, cy = W / 2 + rnd.uniform(-mx, mx), H / 2 + rnd.uniform(-my, my)
    return pts + [cx - (pts[:, 0].min() + pts[:, 0].max()) / 2, cy - (pts[:, 1].min() + pts[:, 1].max()) / 2]


def sprite_width(shot: Shot) -> int:
    """Render the card at about the size it has in the frame (its longer long edge)."""
    top, _, bottom, _ = quads.edge_lengths(shot.quad)
    return int(np.clip(max(top, bottom), 320, 1800))


# ---------------------------------------------------------------- the picture
def background(kind: str, H: int, W: int, rnd, nrng, keepout) -> np.ndarray:
    if kind == "printed":  # a printed page under the card: text all around it, none on it
        bg = textures.make("paper", H, W, rnd, nrng)
        lo = max(14, int(min(W, H) * 0.018))
        return capture.draw_text_items(bg, rnd, [keepout], rnd.randint(20, 45), (lo, lo * 2))
    return textures.make({"cloth": "fabric"}.get(kind, kind), H, W, rnd, nrng)


def _keepout_box(quad, W: int, H: int) -> tuple:
    q = quads.expanded(quad, 0.02 * max(W, H))
    return q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()


def geometry(shot: Shot, sprite, alpha, rnd, nrng) -> np.ndarray:
    W, H = shot.width, shot.height
    kind = rnd.choice(BACKGROUNDS)
    bg = background(kind, H, W, rnd, nrng, _keepout_box(shot.quad, W, H))
    if rnd.random() < FORM_SHARE:
        forms.place(bg, shot.quad, shot.rotation, rnd, nrng)
    a = capture.composite(bg, sprite, alpha, shot.quad)
    return capture.photo_effects(bg, a, shot.quad, rnd, nrng)


def hard(shot: Shot, sprite, alpha, rnd, nrng) -> np.ndarray:
    W, H = shot.width, shot.height
    kind = rnd.choice(BACKGROUNDS)
    bg = background(kind, H, W, rnd, nrng, _keepout_box(shot.quad, W, H))
    a = capture.composite(bg, sprite, alpha, shot.quad)
    out = capture.photo_effects(bg, a, shot.quad, rnd, nrng, blur=False)
    out = _bad_light(out, rnd)
    out = _defocus(out, shot.card_px, rnd)
    return capture.add_noise(out, rnd, rnd.uniform(3, 9))


def _bad_light(img, rnd) -> np.ndarray:
    """Underexposed (dark, flat) or overexposed: a gamma lift, then a gain that clips the light card
    background to white. The curve keeps dark print dark even under a glare spot (a plain gain
    would wash glared text out, which a person could not read either)."""
    if rnd.random() < 0.5:
        return cv2.convertScaleAbs(img, alpha=rnd.uniform(0.3, 0.5), beta=rnd.uniform(0, 10))
    gamma, gain = rnd.uniform(0.45, 0.7), rnd.uniform(1.0, 1.15)
    lut = np.clip(255 * (np.arange(256) / 255) ** gamma * gain, 0, 255).astype(np.uint8)
    return cv2.LUT(img, lut)


def _defocus(img, card_px: float, rnd) -> np.ndarray:
    """Focus or hand-shake blur, scaled with the card so the text stays legible to a person."""
    scale = card_px / 500
    if rnd.random() < 0.6:
        return cv2.GaussianBlur(img, (0, 0), rnd.uniform(0.6, 1.2) * scale)
    n = max(3, int(round(rnd.uniform(3, 6) * scale)) | 1)
    a = rnd.uniform(0, math.pi)
    k = np.zeros((n, n), np.float32)
    c = n // 2
    for t in np.linspace(-c, c, 2 * n):
        k[int(round(c + t * math.sin(a))), int(round(c + t * math.cos(a)))] = 1
    return cv2.filter2D(img, -1, k / k.sum())


def capture_card(shot: Shot, sprite, alpha, rnd, nrng) -> tuple:
    """(encoded JPEG bytes, 'jpg') of the shot with the card sprite in it."""
    img = (geometry if shot.mode == "geometry" else hard)(shot, sprite, alpha, rnd, nrng)
    quality = rnd.randint(60, 92) if shot.mode == "geometry" else rnd.randint(35, 65)
    return capture.encode_jpeg(img, quality), "jpg"
