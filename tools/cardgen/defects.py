"""The mode `defects`: good photos of one card (or both sides) with one thing wrong that a KYC
backend must be told of, for the warnings of issue 13. Each picture's truth names its defect and
the warning codes it should raise ("warnings"; "clean" pictures expect none).

Defects: clean (a good photo), clean_scan (a flat colour scan), border_incomplete (part of the card
outside the frame), occluded (fingers over the values), glare (a washed-out spot over values),
blurred, too_small, too_dark, overexposed, copy_bw / copy_colour (the card photocopied on paper,
photographed), reshoot (the card shown on a screen and photographed: subpixel stripes, moiré),
expired (a back whose period ended), invalid_date (a back whose period is 7 years),
number_mismatch (a front whose check character is wrong), two_cards (front and back in one photo),
and, only when asked for (the mode `temporary`), temporary (a back of a 临时居民身份证: that title,
a period of three months).

The base shot is milder than `geometry`: upright +-15 deg, keystone up to 0.12, the card 45-85 %
of the frame's short side, even light, no glare, no blur, JPEG 80-92.

The mode `pairs`: two cards of two different people in one such photo (a clerk photographing two
applicants' cards, a couple's cards side by side): two fronts, two backs, or one's front beside the
other's back; side by side or one above the other, each card turned on its own, none covering the
other. Nothing is wrong with them (no warning expected); the truth's "cards" lists both."""
import datetime as dt
import math

import cv2
import numpy as np

from . import capture, ids, people, quads, textures

MODES = ("defects", "pairs", "temporary")
PAIRS = ("two_fronts", "two_backs", "front_back")
DEFECTS = ("clean", "clean_scan", "border_incomplete", "occluded", "glare", "blurred", "too_small",
           "too_dark", "overexposed", "copy_bw", "copy_colour", "reshoot", "expired", "invalid_date",
           "number_mismatch", "two_cards")
# Made only when asked for (generate_defect, or the mode `temporary`): drawing it among DEFECTS
# would change every seed's defects set.
ASKED_ONLY = ("temporary",)
EXPECTED = {"copy_bw": ["copy"], "copy_colour": ["copy"], "clean": [], "clean_scan": [], "two_cards": []}
SKIN_RGB = ((233, 185, 155), (214, 160, 125), (198, 140, 105), (170, 115, 85), (240, 200, 175))


def expected(defect: str) -> list:
    return EXPECTED.get(defect, [defect])


def adjust_person(person, defect: str, rnd):
    """The card's values made to carry the defect (rules), else as drawn."""
    if defect == "expired":
        years = rnd.choice((5, 10, 20))
        end = people.REFERENCE_DATE - dt.timedelta(days=rnd.randint(60, 2000))
        start = people._add_years(end, -years)
        if start > person.birth + dt.timedelta(days=30):
            person.valid_from, person.valid_to = start, end
        else:  # born after such a card's issue: a short child's card that ran out
            person.valid_from, person.valid_to = person.birth + dt.timedelta(days=40), \
                people._add_years(person.birth + dt.timedelta(days=40), 5)
    elif defect == "invalid_date":
        person.valid_to = people._add_years(person.valid_from, 7)
    elif defect == "temporary":  # issued on a recent day, valid three months (临时居民身份证管理办法)
        person.temporary = True
        person.valid_from = people.REFERENCE_DATE - dt.timedelta(days=rnd.randint(0, 80))
        person.valid_to = people.add_months(person.valid_from, 3)
    elif defect == "number_mismatch":
        body, check = person.id[:17], person.id[17]
        person.id = body + rnd.choice([c for c in "0123456789X" if c != check])
    return person


def side_for(defect: str, rnd) -> str:
    if defect in ("expired", "invalid_date", "temporary"):
        return "Back"
    if defect == "number_mismatch":
        return "Front"
    return "Front" if rnd.random() < 0.5 else "Back"


def plan_frame(rnd, card_frac=(0.45, 0.85), card_px=(640, 1100)):
    frac = rnd.uniform(*card_frac)
    short = int(np.clip(rnd.uniform(*card_px) / frac, 720, 2400))
    ratio = rnd.choice((4 / 3, 16 / 9, 3 / 2))
    W, H = (min(int(short * ratio), 3200), short) if rnd.random() < 0.6 else (short, min(int(short * ratio), 3200))
    return W, H, frac * min(W, H)


def card_outline(rnd, long_px: float, W: int, H: int, inside=True) -> np.ndarray:
    h = 54.0 / 85.6
    q = np.array([[-0.5, -h / 2], [0.5, -h / 2], [0.5, h / 2], [-0.5, h / 2]], np.float64)
    k = rnd.uniform(0, 0.12)
    i = rnd.randrange(4)
    j = (i + 1) % 4
    mid = (q[i] + q[j]) / 2
    q[i], q[j] = mid + (q[i] - mid) * (1 - k), mid + (q[j] - mid) * (1 - k)
    q = quads.rotate(q, rnd.uniform(-15, 15)) * long_px
    bw, bh = np.ptp(q[:, 0]), np.ptp(q[:, 1])
    s = min(1.0, 0.94 * W / bw, 0.94 * H / bh) if inside else 1.0
    q *= s
    mx, my = max(0.0, (W - np.ptp(q[:, 0])) / 2 - 0.02 * W), max(0.0, (H - np.ptp(q[:, 1])) / 2 - 0.02 * H)
    cx, cy = W / 2 + rnd.uniform(-mx, mx), H / 2 + rnd.uniform(-my, my)
    return (q + [cx, cy]).astype(np.float32)


def cut_off(q: np.ndarray, W: int, H: int, rnd) -> np.ndarray:
    """The card moved so that 10-30 % of its width or height lies outside the frame."""
    q = q.copy()
    side = rnd.randrange(4)
    share = rnd.uniform(0.10, 0.30)
    if side == 0:
        q[:, 0] += -q[:, 0].min() - share * np.ptp(q[:, 0])
    elif side == 1:
        q[:, 0] += W - q[:, 0].max() + share * np.ptp(q[:, 0])
    elif side == 2:
        q[:, 1] += -q[:, 1].min() - share * np.ptp(q[:, 1])
    else:
        q[:, 1] += H - q[:, 1].max() + share * np.ptp(q[:, 1])
    return q


def mild_light(img, rnd, nrng) -> np.ndarray:
    H, W = img.shape[:2]
    sw, sh = max(8, W // 8), max(8, H // 8)
    f = 0.9 + 0.15 * textures.smooth_noise(sh, sw, max(sw, sh) // 3, nrng)
    wb = np.array([rnd.uniform(0.96, 1.04), 1.0, rnd.uniform(0.95, 1.05)], np.float32)
    gain = np.clip(f[..., None] * wb * 128, 0, 255).astype(np.uint8)
    gain = cv2.resize(gain, (W, H), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(img, gain, scale=1 / 128.0)


def point_in(q: np.ndarray, u: float, v: float) -> np.ndarray:
    """A point of the card at fractions (u, v) of its width and height (bilinear in the quad)."""
    top = q[0] + (q[1] - q[0]) * u
    bottom = q[3] + (q[2] - q[3]) * u
    return top + (bottom - top) * v


def value_spot(side: str, rnd) -> tuple:
    """(u, v) of a place where the card prints a value other than the line it is found by (the
    number on a front, the period on a back): a picture the reader still finds, to warn about."""
    if side == "Front":
        return rnd.choice(((0.3, 0.16), (0.3, 0.41), (0.35, 0.58), (0.4, 0.65)))
    return (rnd.uniform(0.55, 0.75), 0.74)


def fingers(img, q, side, rnd) -> np.ndarray:
    """One or two fingers from a side of the frame over a value row, skin-toned and shaded (a
    rounded capsule each)."""
    out = img.copy()
    H, W = img.shape[:2]
    card_w = float(np.linalg.norm(q[1] - q[0]))
    tip = point_in(q, *value_spot(side, rnd))
    # Come in from a side, as a hand holding the card does (along the rows: the number or the
    # period stays clear).
    angle = rnd.choice((0, 180)) + rnd.uniform(-12, 12)
    d = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
    colour = np.array(rnd.choice(SKIN_RGB), np.float32) * rnd.uniform(0.9, 1.05)
    width = card_w * rnd.uniform(0.08, 0.11)
    n = rnd.randint(1, 2) if side == "Front" else 1
    normal = np.array([-d[1], d[0]])
    layer = np.zeros((H, W), np.uint8)
    for k in range(n):
        t = tip + normal * width * 1.05 * (k - (n - 1) / 2) - d * width * rnd.uniform(0, 0.6) * (k % 2)
        end = t + d * max(W, H) * 1.5
        cv2.line(layer, tuple(int(c) for c in t), tuple(int(c) for c in end), 255, int(width), cv2.LINE_AA)
        cv2.circle(layer, tuple(int(c) for c in t), int(width / 2), 255, -1, cv2.LINE_AA)
    a = cv2.GaussianBlur(layer, (0, 0), max(1.0, width * 0.04)).astype(np.float32) / 255
    # Shading: darker at the fingers' edges (a distance transform across them).
    dist = cv2.distanceTransform((layer > 127).astype(np.uint8), cv2.DIST_L2, 5)
    shade = 0.75 + 0.3 * np.clip(dist / (width / 2), 0, 1)
    skin = (colour[None, None, :] * shade[..., None]).clip(0, 255)
    out = out.astype(np.float32) * (1 - a[..., None]) + skin * a[..., None]
    return out.clip(0, 255).astype(np.uint8)


def glare_spot(img, q, side, rnd) -> np.ndarray:
    """A reflection that washes a value out: a clipped white core with a soft halo."""
    H, W = img.shape[:2]
    card_w = float(np.linalg.norm(q[1] - q[0]))
    c = point_in(q, *value_spot(side, rnd))
    r = card_w * rnd.uniform(0.06, 0.09)
    sx, sy = r * rnd.uniform(0.9, 1.5), r * rnd.uniform(0.5, 0.8)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    g = np.exp(-(((xx - c[0]) / sx) ** 2 + ((yy - c[1]) / sy) ** 2) / 2)
    add = (g * rnd.uniform(300, 420))[..., None]
    return (img.astype(np.float32) + add).clip(0, 255).astype(np.uint8)


def photocopy(sprite, colour: bool, rnd, nrng) -> np.ndarray:
    """The card as a copier prints it: black-and-white (grey, hard contrast, toner specks) or
    colour (washed colours, halftone-like grain)."""
    if not colour:
        g = cv2.cvtColor(sprite, cv2.COLOR_RGB2GRAY).astype(np.float32)
        lo, k = rnd.uniform(40, 80), rnd.uniform(1.2, 1.6)
        g = ((g - lo) * k + lo * 0.7).clip(0, 255)
        n = int(g.size / rnd.uniform(1500, 4000))
        g[nrng.integers(0, g.shape[0], n), nrng.integers(0, g.shape[1], n)] = nrng.integers(0, 120, n)
        return cv2.cvtColor(g.astype(np.uint8), cv2.COLOR_GRAY2RGB)
    hsv = cv2.cvtColor(sprite, cv2.COLOR_RGB2HSV).astype(np.float32)
    hsv[..., 1] *= rnd.uniform(0.25, 0.45)
    hsv[..., 2] = (hsv[..., 2] * 1.08 + 8).clip(0, 255)
    out = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB).astype(np.float32)
    out += nrng.normal(0, 6, out.shape[:2])[..., None]
    return out.clip(0, 255).astype(np.uint8)


def screen_shot(sprite, q, W, H, rnd, nrng) -> np.ndarray:
    """The card shown on a screen (its pixel grid: R, G, B stripes, dark gaps between rows) and
    photographed: the grid lands at 0.6-1.6 photo pixels a screen pixel, which beats as moiré."""
    long_px = float(np.linalg.norm(q[1] - q[0]))
    pitch = rnd.uniform(0.6, 1.6)  # photo pixels per screen pixel
    sw = max(64, int(long_px / pitch))
    sh = int(sw * sprite.shape[0] / sprite.shape[1])
    screen = cv2.resize(sprite, (sw * 3, sh * 3), interpolation=cv2.INTER_AREA).astype(np.float32)
    depth = rnd.uniform(0.35, 0.6)  # how dark a subpixel's unlit neighbours look once photographed
    mask = np.full((sh * 3, sw * 3, 3), 1 - depth, np.float32)
    for c in range(3):  # subpixel c lights column c of each pixel's three
        mask[:, c::3, c] = 1.0
    mask[2::3, :, :] *= 1 - depth / 2  # the black matrix between rows
    lit = (screen * mask / mask.mean() * rnd.uniform(0.9, 1.05)).clip(0, 255)
    # Bezel around the picture: a dark screen margin.
    m = int(0.08 * sw * 3)
    panel = np.full((sh * 3 + 2 * m, sw * 3 + 2 * m, 3), rnd.uniform(8, 25), np.float32)
    panel[m:m + sh * 3, m:m + sw * 3] = lit
    panel = panel.clip(0, 255).astype(np.uint8)
    bg = textures.make(rnd.choice(("wood", "dark", "fabric")), H, W, rnd, nrng)
    # The card's quad grown by the bezel, so the card itself lands on q.
    ph, pw = panel.shape[:2]
    src = np.array([[m, m], [m + sw * 3, m], [m + sw * 3, m + sh * 3], [m, m + sh * 3]], np.float32)
    hm = cv2.getPerspectiveTransform(src, q.astype(np.float32))
    out = cv2.warpPerspective(panel, hm, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_TRANSPARENT, dst=bg)
    out = cv2.GaussianBlur(out, (0, 0), rnd.uniform(0.3, 0.6))
    return out


def make(person, rnd, nrng, card, both_sprite, defect=None) -> tuple:
    """One defect picture. `card(person, side, width)` renders a side (rgb, alpha);
    `both_sprite(person, width)` both sides on one sprite (rgb, alpha, rects). Returns
    (bytes, ext, truth dict without person keys, sprite shape, rects, quad, W, H). `defect`: the
    one to make (else drawn)."""
    drawn = rnd.choice(DEFECTS)  # drawn either way: a seed's other choices stay as they are
    defect = defect or drawn
    person = adjust_person(person, defect, rnd)
    side = "Both" if defect == "two_cards" else side_for(defect, rnd)
    W, H, long_px = plan_frame(rnd, card_px=(200, 300) if defect == "too_small" else (640, 1100),
                               card_frac=(0.15, 0.25) if defect == "too_small" else (0.45, 0.85))
    if side == "Both":
        sprite, alpha, rects = both_sprite(person, int(min(1800, long_px * 1.1)))
    else:
        sprite, alpha = card(person, side, int(np.clip(long_px * 1.1, 320, 1800)))
        rects = {side: (0, 0, sprite.shape[1], sprite.shape[0])}
    if defect in ("copy_bw", "copy_colour"):
        sprite = photocopy(sprite, defect == "copy_colour", rnd, nrng)
        alpha = np.full(alpha.shape, 255, np.uint8)  # cut from a sheet: square corners
    aspect = sprite.shape[0] / sprite.shape[1]
    q = card_outline(rnd, long_px, W, H)
    if side == "Both" or abs(aspect - 54 / 85.6) > 0.01:  # a sprite of another shape: its own outline
        q = _sprite_outline(rnd, sprite.shape, long_px, W, H)
    if defect == "border_incomplete":
        q = cut_off(q, W, H, rnd)
    if defect == "reshoot":
        img = screen_shot(sprite, q, W, H, rnd, nrng)
    else:
        kind = "white" if defect == "clean_scan" else rnd.choice(("wood", "fabric", "dark", "desk"))
        if defect in ("copy_bw", "copy_colour"):
            kind = "paper"
        bg = textures.make(kind, H, W, rnd, nrng)
        capture.composite(bg, sprite, alpha, q)
        img = bg if defect == "clean_scan" else mild_light(bg, rnd, nrng)
    if defect == "occluded":
        img = fingers(img, q, side if side != "Both" else "Front", rnd)
    elif defect == "glare":
        img = glare_spot(img, q, side, rnd)
    elif defect == "blurred":
        img = cv2.GaussianBlur(img, (0, 0), long_px * rnd.uniform(0.003, 0.0045))
    elif defect == "too_dark":
        img = cv2.convertScaleAbs(img, alpha=rnd.uniform(0.15, 0.28), beta=0)
    elif defect == "overexposed":
        gamma, gain = rnd.uniform(0.3, 0.45), rnd.uniform(1.15, 1.35)
        lut = np.clip(255 * (np.arange(256) / 255) ** gamma * gain, 0, 255).astype(np.uint8)
        img = cv2.LUT(img, lut)
    if defect not in ("clean_scan",):
        img = capture.add_noise(img, rnd, rnd.uniform(1.5, 3.5))
    data = capture.encode_jpeg(img, rnd.randint(80, 92))
    truth = {"side": side, "mode": "defects", "defect": defect, "warnings": expected(defect)}
    return data, "jpg", truth, person, sprite.shape, rects, q, W, H


def _sprite_outline(rnd, shape, long_px, W, H) -> np.ndarray:
    """An upright-ish outline of a sprite of any aspect (both sides on one sprite)."""
    h, w = shape[:2]
    s = min(long_px * 2.0 / max(w, h), 0.9 * W / w, 0.9 * H / h)
    q = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64) * s
    q -= q.mean(axis=0)
    q = quads.rotate(q, rnd.uniform(-8, 8))
    s2 = min(1.0, 0.94 * W / np.ptp(q[:, 0]), 0.94 * H / np.ptp(q[:, 1]))
    q *= s2
    return (q + [W / 2, H / 2]).astype(np.float32)


def pair_outlines(rnd, W_H=None) -> tuple:
    """(W, H, [quad, quad]): a frame and two card outlines in it, side by side (along the frame's
    long side, mostly) or one above the other, each turned +-8 deg with a keystone up to 0.08."""
    h = 54.0 / 85.6
    long_px = rnd.uniform(440, 820)  # each card's width in the photo
    row = rnd.random() < 0.7
    gap = rnd.uniform(0.06, 0.4)  # between the cards, in card widths (row) or heights (column)
    fill = rnd.uniform(0.72, 0.9)
    ratio = rnd.choice((4 / 3, 16 / 9, 3 / 2))
    extent = (long_px * (2 + gap), long_px * h) if row else (long_px, long_px * h * (2 + gap))
    landscape = (extent[0] >= extent[1]) if rnd.random() < 0.8 else (extent[0] < extent[1])
    aspect = ratio if landscape else 1 / ratio  # W / H
    H = max(extent[1], extent[0] / aspect) / fill
    if max(H, H * aspect) > 3200:  # a phone's largest photo: the cards smaller in it
        long_px *= 3200 / max(H, H * aspect)
        H = 3200 / max(1.0, aspect)
    H, W = int(H), int(H * aspect)
    angles = [rnd.uniform(-8, 8) for _ in range(2)]
    keystones = [(rnd.uniform(0, 0.08), rnd.randrange(4)) for _ in range(2)]
    shift = rnd.uniform(-0.15, 0.15)  # the second card off the first's line, in card heights
    base = np.array([[-0.5, -h / 2], [0.5, -h / 2], [0.5, h / 2], [-0.5, h / 2]], np.float64)
    out = []
    for k in range(2):
        q = base.copy()
        amount, i = keystones[k]
        j = (i + 1) % 4
        mid = (q[i] + q[j]) / 2
        q[i], q[j] = mid + (q[i] - mid) * (1 - amount), mid + (q[j] - mid) * (1 - amount)
        q = quads.rotate(q, angles[k]) * long_px
        sign = -1 if k == 0 else 1
        if row:
            c = (W / 2 + sign * long_px * (1 + gap) / 2, H / 2 + k * shift * long_px * h)
        else:
            c = (W / 2 + k * shift * long_px, H / 2 + sign * long_px * h * (1 + gap) / 2)
        out.append(q + c)
    # Turned, the cards may touch (each shrunk about its own centre) or leave the frame (both
    # shrunk about the frame's centre) until neither.
    centre = np.array([W / 2, H / 2])
    for _ in range(20):
        inside = all((q[:, 0] > 2).all() and (q[:, 0] < W - 3).all() and (q[:, 1] > 2).all()
                     and (q[:, 1] < H - 3).all() for q in out)
        touch = quads.overlaps(quads.expanded(out[0], 0.03 * long_px), out[1])
        if inside and not touch:
            break
        if touch:
            out = [q.mean(axis=0) + (q - q.mean(axis=0)) * 0.97 for q in out]
        else:
            out = [centre + (q - centre) * 0.95 for q in out]
    return W, H, [q.astype(np.float32) for q in out]


def make_pair(people_pair, rnd, nrng, card, kind=None) -> tuple:
    """One `pairs` photo. `card(person, side, width)` renders a side (rgb, alpha). Returns
    (bytes, ext, truth dict, [(side, person, quad), ...], W, H); `kind` one of PAIRS (else drawn)."""
    drawn = rnd.choice(PAIRS)
    kind = kind or drawn
    sides = {"two_fronts": ("Front", "Front"), "two_backs": ("Back", "Back"), "front_back": ("Front", "Back")}[kind]
    if kind == "front_back" and rnd.random() < 0.5:
        sides = ("Back", "Front")
    W, H, outlines = pair_outlines(rnd)
    bg = textures.make(rnd.choice(("wood", "fabric", "dark", "desk")), H, W, rnd, nrng)
    placed = []
    for side, person, q in zip(sides, people_pair, outlines):
        width = int(np.clip(np.linalg.norm(q[1] - q[0]) * 1.1, 320, 1800))
        sprite, alpha = card(person, side, width)
        capture.composite(bg, sprite, alpha, q)
        placed.append((side, person, q))
    img = mild_light(bg, rnd, nrng)
    img = capture.add_noise(img, rnd, rnd.uniform(1.5, 3.5))
    data = capture.encode_jpeg(img, rnd.randint(80, 92))
    truth = {"side": sides[0], "mode": "pairs", "pair": kind, "warnings": []}
    return data, "jpg", truth, placed, W, H
