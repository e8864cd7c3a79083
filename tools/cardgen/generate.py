"""Library API: generate one image or a whole set with truth.jsonl."""
import json
import os
import random
from pathlib import Path

import cv2
import numpy as np

from . import capture, cardbase, defects, negatives, people, quads, render_back, render_front, stress, watermark

MODES = ("scan", "photo", "both", "negative") + stress.MODES + defects.MODES
# The stress modes stay out of the default mix: a seed's default set must not change.
DEFAULT_MIX = {"scan": 0.3, "photo": 0.5, "both": 0.1, "negative": 0.1}
cv2.setNumThreads(1)


def image_seed(seed: int, index: int) -> int:
    return int(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, index]).generate_state(1)[0])


def _card(person, side, width, rnd, mark):
    img, mask = (render_front if side == "Front" else render_back).render(person, width, rnd)
    if mark:
        watermark.apply(img, side.lower(), rnd)
    return np.asarray(img), mask


def _both_sprite(person, sprite_width, layout, rnd, mark):
    """Both sides on one sprite. Returns (rgb, alpha, {side: (x, y, w, h) of that card in the sprite})."""
    vertical, gap, shift, back_first = layout
    cw = int(sprite_width / (1 + shift)) if vertical else int(sprite_width / (2 + gap))
    front, fm = _card(person, "Front", cw, rnd, mark and rnd.random() < 0.7)
    back, bm = _card(person, "Back", cw, rnd, mark and rnd.random() < 0.7)
    ch = front.shape[0]
    if vertical:
        w, h = cw + int(cw * shift), 2 * ch + int(ch * gap)
    else:
        w, h = 2 * cw + int(cw * gap), ch
    rgb = np.zeros((h, w, 3), np.uint8)
    a = np.zeros((h, w), np.uint8)
    first, second = ((back, bm), (front, fm)) if back_first else ((front, fm), (back, bm))
    if vertical:
        dx = int(cw * shift)
        x1, x2 = (0, dx) if rnd.random() < 0.5 else (dx, 0)
        spots = [(x1, 0), (x2, h - ch)]
    else:
        spots = [(0, 0), (w - cw, 0)]
    order = ("Back", "Front") if back_first else ("Front", "Back")
    rects = {}
    for side, (img, m), (x, y) in zip(order, (first, second), spots):
        rgb[y:y + ch, x:x + cw] = img
        a[y:y + ch, x:x + cw] = m
        rects[side] = (x, y, cw, ch)
    return rgb, a, rects


def generate_one(seed: int, mode: str, rare_names: float = 0.08) -> tuple:
    """Build one image. Returns (encoded bytes, file extension, truth dict without 'file')."""
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    if mode == "negative":
        img, how, _kind = negatives.make(rnd, nrng)
        data, ext = capture.encode(img, rnd, how)
        return data, ext, {"side": "None", "mode": "negative", "rotation": 0.0, "seed": seed}
    person = people.make_person(rnd, rare_names)
    if mode in stress.MODES:
        return _stress_one(seed, mode, person, rnd, nrng)
    if mode == "pairs":
        return _pair_one(seed, person, people.make_person(rnd, rare_names), rnd, nrng)
    if mode in defects.MODES:
        return _defect_one(seed, person, rnd, nrng, "temporary" if mode == "temporary" else None)
    how = mode if mode in ("scan", "photo") else ("scan" if rnd.random() < 0.6 else "photo")
    mark = how == "scan" and rnd.random() < 0.35
    if mode == "both":
        vertical = rnd.random() < 0.75
        layout = (vertical, rnd.uniform(0.12, 0.6) if vertical else rnd.uniform(0.05, 0.3),
                  rnd.uniform(0, 0.15), rnd.random() < 0.15)
        aspect = ((2 + layout[1]) * 0.631 / (1 + layout[2])) if vertical else 0.631 / (2 + layout[1])
        plan = (capture.plan_scan if how == "scan" else capture.plan_photo)(rnd, aspect)
        sprite, alpha, rects = _both_sprite(person, plan.sprite_width, layout, rnd, mark)
        side = "Both"
        if how == "photo" and rnd.random() < 0.5:  # a photographed photocopy: cards on a sheet
            sprite, alpha, rects = _on_sheet(sprite, alpha, rects, rnd, nrng)
    else:
        side = "Front" if rnd.random() < 0.5 else "Back"
        plan = (capture.plan_scan if how == "scan" else capture.plan_photo)(rnd, cardbase.CARD_MM[1] / cardbase.CARD_MM[0])
        sprite, alpha = _card(person, side, min(plan.sprite_width, 1800), rnd, mark)
        rects = {side: (0, 0, sprite.shape[1], sprite.shape[0])}
    if how == "scan":
        img = capture.scan(plan, sprite, alpha, rnd, nrng)
    else:
        img = capture.photo(plan, sprite, alpha, rnd, nrng)
    data, ext = capture.encode(img, rnd, how)
    truth = {"side": side, "mode": how}
    truth.update(person.truth())
    truth["rotation"] = plan.rotation
    truth.update(_where(rects, sprite.shape, plan.extra["quad"], plan.width, plan.height))
    truth["seed"] = seed
    return data, ext, truth


def _stress_one(seed, mode, person, rnd, nrng) -> tuple:
    """One `geometry` or `hard` photo of a single card (see stress.py)."""
    side = "Front" if rnd.random() < 0.5 else "Back"
    shot = stress.plan(mode, rnd)
    sprite, alpha = _card(person, side, stress.sprite_width(shot), rnd, False)
    data, ext = stress.capture_card(shot, sprite, alpha, rnd, nrng)
    truth = {"side": side, "mode": mode}
    truth.update(person.truth())
    truth["rotation"] = shot.rotation
    truth.update(_where({side: (0, 0, sprite.shape[1], sprite.shape[0])}, sprite.shape, shot.quad,
                        shot.width, shot.height))
    truth["seed"] = seed
    return data, ext, truth


def generate_defect(seed: int, defect: str) -> tuple:
    """One `defects` picture with the given defect (tests ask for each): (bytes, ext, truth)."""
    known = defects.DEFECTS + defects.ASKED_ONLY
    if defect not in known:
        raise ValueError(f"unknown defect: {defect} (use {', '.join(known)})")
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    return _defect_one(seed, people.make_person(rnd), rnd, nrng, defect)


def _defect_one(seed, person, rnd, nrng, defect=None) -> tuple:
    """One `defects` picture (see defects.py): a good photo with one thing wrong."""
    def both(p, width):
        return _both_sprite(p, width, (False, rnd.uniform(0.08, 0.2), 0.0, False), rnd, False)

    data, ext, truth, person, shape, rects, q, W, H = defects.make(
        person, rnd, nrng, lambda p, side, width: _card(p, side, width, rnd, False), both, defect)
    truth.update(person.truth())
    truth["rotation"] = 0.0
    truth.update(_where(rects, shape, q, W, H))
    truth["seed"] = seed
    return data, ext, truth


def generate_pair(seed: int, kind: str) -> tuple:
    """One `pairs` photo of the given kind (tests ask for each): (bytes, ext, truth)."""
    if kind not in defects.PAIRS:
        raise ValueError(f"unknown pair: {kind} (use {', '.join(defects.PAIRS)})")
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    return _pair_one(seed, people.make_person(rnd), people.make_person(rnd), rnd, nrng, kind)


def _pair_one(seed, first, second, rnd, nrng, kind=None) -> tuple:
    """One `pairs` photo (see defects.py): two people's cards. The top-level truth is the first
    card's (left or upper); "cards" lists both, each with its side, values and quad."""
    data, ext, truth, placed, W, H = defects.make_pair(
        (first, second), rnd, nrng, lambda p, side, width: _card(p, side, width, rnd, False), kind)
    truth.update(first.truth())
    truth["rotation"] = 0.0
    truth["quad"] = quads.as_truth(placed[0][2])
    truth.update(quads.truth_keys(placed[0][2], W, H))
    truth["cards"] = [{"side": side, **person.truth(), "quad": quads.as_truth(q)} for side, person, q in placed]
    truth["seed"] = seed
    return data, ext, truth


def _where(rects, sprite_shape, sprite_quad, width, height) -> dict:
    """Truth keys saying where the card(s) are: each card's rectangle in the sprite mapped by the
    homography that put the sprite's corners on sprite_quad. Pure arithmetic: no random numbers,
    so recording it leaves every image as it was. For both sides, `quad` is the front."""
    m = quads.sprite_to_frame(sprite_shape, sprite_quad)
    corners = {side: quads.rect_corners(m, *rect) for side, rect in rects.items()}
    main = corners["Front"] if "Front" in corners else corners["Back"]
    out = {"quad": quads.as_truth(main)}
    if len(corners) == 2:
        out["back_quad"] = quads.as_truth(corners["Back"])
    out.update(quads.truth_keys(main, width, height))
    return out


def _on_sheet(sprite, alpha, rects, rnd, nrng):
    """The sprite printed on a larger sheet of paper (margin m); the card rectangles move by m."""
    h, w = sprite.shape[:2]
    m = int(max(w, h) * rnd.uniform(0.05, 0.2))
    from . import textures
    sheet = textures.paper(h + 2 * m, w + 2 * m, rnd, nrng)
    roi = sheet[m:m + h, m:m + w]
    a3 = alpha[..., None].astype(np.uint16)
    roi[:] = ((roi.astype(np.uint16) * (255 - a3) + sprite.astype(np.uint16) * a3) // 255).astype(np.uint8)
    rects = {side: (x + m, y + m, rw, rh) for side, (x, y, rw, rh) in rects.items()}
    return sheet, np.full(sheet.shape[:2], 255, np.uint8), rects


def parse_mix(modes=None, mix=None) -> dict:
    weights = dict(DEFAULT_MIX)
    if mix:
        weights = {}
        for part in mix.split(","):
            k, v = part.split("=")
            if k.strip() not in MODES:
                raise ValueError(f"unknown mode in --mix: {k}")
            weights[k.strip()] = float(v)
    if modes:
        wanted = [m.strip() for m in modes.split(",") if m.strip()]
        for m in wanted:
            if m not in MODES:
                raise ValueError(f"unknown mode: {m} (use {', '.join(MODES)})")
        weights = {m: weights.get(m, 0.0) or 1.0 for m in wanted} if not mix else \
            {m: weights.get(m, 0.0) for m in wanted}
    if sum(weights.values()) <= 0:
        raise ValueError("mode weights sum to zero")
    return weights


def parse_counts(text: str) -> dict:
    """'geometry=30,hard=30' -> {'geometry': 30, 'hard': 30}."""
    counts = {}
    for part in text.split(","):
        k, _, v = part.partition("=")
        if k.strip() not in MODES or not v.strip().isdigit():
            raise ValueError(f"--counts wants mode=N pairs of {', '.join(MODES)}: {part!r}")
        counts[k.strip()] = int(v)
    return counts


def generate_set(out_dir, count: int, seed: int, modes=None, mix=None, counts=None, progress=None,
                 rare_names: float = 0.08) -> list:
    """Write count images and out_dir/truth.jsonl. counts={'scan': 12, ...} fixes exact numbers
    per mode (then count and mix are ignored). Returns the truth records."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    master = random.Random(seed)
    if counts:
        sequence = [m for m in MODES for _ in range(counts.get(m, 0))]
    else:
        weights = parse_mix(modes, mix)
        names, w = list(weights), list(weights.values())
        sequence = [master.choices(names, weights=w)[0] for _ in range(count)]
    records = []
    for i, mode in enumerate(sequence):
        s = image_seed(seed, i)
        data, ext, truth = generate_one(s, mode, rare_names)
        label = "both" if truth["side"] == "Both" else mode
        side = truth["side"].lower()
        name = f"{i:05d}_{label}_{side}.{ext}" if mode != "negative" else f"{i:05d}_negative.{ext}"
        if mode == "both":
            name = f"{i:05d}_both_{truth['mode']}.{ext}"
        if mode in ("defects", "temporary"):
            name = f"{i:05d}_defects_{truth['defect']}_{side}.{ext}"
        if mode == "pairs":
            name = f"{i:05d}_pairs_{truth['pair']}.{ext}"
        with open(out / name, "wb") as f:
            f.write(data)
        records.append({"file": name, **truth})
        if progress:
            progress(i + 1, len(sequence))
    tmp = out / "truth.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, out / "truth.jsonl")
    return records
