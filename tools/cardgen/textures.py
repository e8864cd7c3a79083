"""Cheap procedural backgrounds: wood, fabric, marble, plain desk, ruled paper / table forms.

Textures are computed at half resolution and scaled up (they are out of focus in photos anyway)."""
import cv2
import numpy as np


def smooth_noise(h: int, w: int, cell: int, nrng) -> np.ndarray:
    """Smooth value noise in [0, 1], shape (h, w), float32."""
    small = nrng.random((max(2, h // cell + 2), max(2, w // cell + 2)), dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _colorize(t: np.ndarray, c0, c1) -> np.ndarray:
    c0 = np.asarray(c0, np.float32)
    c1 = np.asarray(c1, np.float32)
    return (c0 + t[..., None] * (c1 - c0)).clip(0, 255).astype(np.uint8)


def wood(h, w, rnd, nrng):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    n = smooth_noise(h, w, 24, nrng)
    freq = rnd.uniform(0.05, 0.12)
    grain = 0.5 + 0.5 * np.sin(freq * (y if rnd.random() < 0.5 else x) + 9 * n + 3 * smooth_noise(h, w, 6, nrng))
    base = rnd.choice([((120, 72, 40), (180, 125, 80)), ((150, 110, 70), (210, 170, 120)),
                       ((70, 45, 30), (120, 80, 50)), ((190, 160, 120), (230, 205, 170))])
    return _colorize(grain * 0.8 + 0.2 * n, *base)


def fabric(h, w, rnd, nrng):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    p = rnd.uniform(2.0, 4.0)
    weave = 0.5 + 0.25 * np.sin(x * p) + 0.25 * np.sin(y * p)
    t = 0.6 * weave + 0.4 * smooth_noise(h, w, 8, nrng)
    c = np.array([rnd.randint(20, 200) for _ in range(3)], np.float32)
    return _colorize(t, c * 0.7, np.minimum(c * 1.15 + 20, 255))


def marble(h, w, rnd, nrng):
    t = 0.5 * smooth_noise(h, w, 60, nrng) + 0.3 * smooth_noise(h, w, 20, nrng) + 0.2 * smooth_noise(h, w, 6, nrng)
    veins = np.exp(-((np.sin(t * rnd.uniform(12, 25)) ** 2) / 0.02))
    base = rnd.choice([((200, 200, 198), (240, 240, 236)), ((40, 40, 44), (90, 90, 96)), ((210, 200, 185), (245, 240, 230))])
    img = _colorize(t, *base).astype(np.float32)
    img -= veins[..., None] * rnd.uniform(20, 60)
    return img.clip(0, 255).astype(np.uint8)


def desk(h, w, rnd, nrng):
    c = np.array([rnd.randint(30, 235) for _ in range(3)], np.float32)
    t = 0.7 * np.linspace(0, 1, w, dtype=np.float32)[None, :] + 0.3 * smooth_noise(h, w, 40, nrng)
    return _colorize(t, c * 0.8, np.minimum(c * 1.1 + 10, 255))


def paper(h, w, rnd, nrng, ruled=False):
    c = rnd.uniform(225, 252)
    t = smooth_noise(h, w, 50, nrng)
    img = _colorize(t, (c - 6, c - 6, c - 9), (c, c, c - 3))
    if ruled:
        step = rnd.randint(max(14, h // 40), max(15, h // 18))
        color = rnd.choice([(150, 170, 200), (160, 160, 160), (200, 150, 150)])
        img[::step, :] = color
    return img


def dark(h, w, rnd, nrng):
    """A black or dark-coloured surface (a desk, a phone case, a dark cloth)."""
    c = np.array([rnd.randint(8, 60) for _ in range(3)], np.float32)
    t = 0.6 * smooth_noise(h, w, 40, nrng) + 0.4 * smooth_noise(h, w, 5, nrng)
    return _colorize(t, c * 0.6, c * 1.3 + 8)


def white(h, w, rnd, nrng):
    """A white desk or sheet: little contrast with the card's light background."""
    c = rnd.uniform(215, 250)
    t = 0.8 * smooth_noise(h, w, 60, nrng) + 0.2 * smooth_noise(h, w, 4, nrng)
    return _colorize(t, (c - 12, c - 10, c - 10), (min(255, c + 5),) * 3)


TEXTURES = {"wood": wood, "fabric": fabric, "marble": marble, "desk": desk, "paper": paper, "dark": dark,
            "white": white}


def make(kind: str, h: int, w: int, rnd, nrng) -> np.ndarray:
    """RGB uint8 background of the given kind, built at half size then scaled up."""
    hh, ww = max(8, h // 2), max(8, w // 2)
    img = TEXTURES[kind](hh, ww, rnd, nrng)
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)


def table_lines(img: np.ndarray, rnd) -> list:
    """Draw a ruled table (like a form or spreadsheet printout). Returns the cell rectangles."""
    h, w = img.shape[:2]
    x0, y0 = int(w * rnd.uniform(0.02, 0.15)), int(h * rnd.uniform(0.02, 0.15))
    x1, y1 = int(w * rnd.uniform(0.85, 0.98)), int(h * rnd.uniform(0.85, 0.98))
    ncol, nrow = rnd.randint(2, 6), rnd.randint(4, 14)
    xs = np.linspace(x0, x1, ncol + 1).astype(int)
    ys = np.linspace(y0, y1, nrow + 1).astype(int)
    color = rnd.choice([(60, 60, 60), (90, 90, 110), (30, 30, 30)])
    t = max(1, w // 900)
    for x in xs:
        cv2.line(img, (int(x), y0), (int(x), y1), color, t)
    for y in ys:
        cv2.line(img, (x0, int(y)), (x1, int(y)), color, t)
    return [(int(xs[i]), int(ys[j]), int(xs[i + 1]), int(ys[j + 1])) for i in range(ncol) for j in range(nrow)]
