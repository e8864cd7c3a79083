"""Where a card lies in the output image: its four corners, keystone and size, for the truth.

Coordinates follow OpenCV: pixel centres at integer coordinates, so an image W pixels wide spans
x = -0.5 .. W - 0.5. Corners are in reading order of the upright card: left-top, right-top,
right-bottom, left-bottom."""
import math

import cv2
import numpy as np


def sprite_to_frame(sprite_shape, quad) -> np.ndarray:
    """The homography capture.composite applies: sprite pixel coordinates -> output pixel coordinates
    (the sprite's corner points (0, 0), (w, 0), (w, h), (0, h) land on quad)."""
    h, w = sprite_shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
    return cv2.getPerspectiveTransform(src.astype(np.float32), np.asarray(quad, np.float32)).astype(np.float64)


def rect_corners(m: np.ndarray, x: float, y: float, w: float, h: float) -> np.ndarray:
    """Outline corners of the sprite rectangle holding pixels x..x+w-1, y..y+h-1, mapped by m.
    The outline is half a pixel outside the outer pixel centres: that is where the warped,
    bilinearly interpolated alpha crosses one half."""
    x0, y0, x1, y1 = x - 0.5, y - 0.5, x + w - 0.5, y + h - 0.5
    pts = np.array([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]], np.float64)
    return cv2.perspectiveTransform(pts, m)[0]


def as_truth(quad) -> list:
    """[[x, y], ...] rounded to 0.1 px (JSON-friendly)."""
    return [[round(float(x), 1), round(float(y), 1)] for x, y in quad]


def edge_lengths(quad) -> tuple:
    """(top, right, bottom, left) edge lengths of a tl, tr, br, bl quad."""
    q = np.asarray(quad, np.float64)
    return tuple(float(np.hypot(*(q[(i + 1) % 4] - q[i]))) for i in range(4))


def keystone(quad) -> float:
    """1 - shortest/longest of opposite edges, the larger of the two pairs (0 for a parallelogram)."""
    top, right, bottom, left = edge_lengths(quad)
    return max(1 - min(top, bottom) / max(top, bottom), 1 - min(left, right) / max(left, right))


def card_frac(quad, width: int, height: int) -> float:
    """The card's long side in the image (mean of its top and bottom edges) / the image's short side."""
    top, _, bottom, _ = edge_lengths(quad)
    return (top + bottom) / 2 / min(width, height)


def truth_keys(quad, width: int, height: int) -> dict:
    return {"keystone": round(keystone(quad), 3), "card_frac": round(card_frac(quad, width, height), 3)}


def rotate(pts: np.ndarray, degrees: float) -> np.ndarray:
    """Turn points counter-clockwise on screen (y points down), as capture._quad does."""
    a = math.radians(degrees)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    return pts @ rot.T


def expanded(quad, margin: float) -> np.ndarray:
    """A convex quad grown about its centroid so that each edge moves out by about margin px or more
    (exactly margin for the long edges of a rectangle)."""
    q = np.asarray(quad, np.float64)
    c = q.mean(axis=0)
    short = min(edge_lengths(q))
    return c + (q - c) * (1 + 2 * margin / max(short, 1e-6))


def overlaps(a, b) -> bool:
    """True when two convex quads share any area (one inside the other included)."""
    area, _ = cv2.intersectConvexConvex(np.asarray(a, np.float32), np.asarray(b, np.float32))
    return area > 0
