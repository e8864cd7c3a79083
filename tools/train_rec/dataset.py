"""Line texts (train / held-apart eval), rendering, and frozen-backbone features (computed once)."""
import hashlib
import json
import multiprocessing as mp
import os
import random

import numpy as np

from tools.cardgen import names

from . import charset as charset_mod
from . import model, render

KINDS = ("rare_name", "place", "lookalike", "minority", "ordinary", "clean")


def _minority_name(rnd) -> str:
    g = rnd.choice(("男", "女"))
    nat = rnd.choice(names.DOT_NATIONS + names.TIBETAN_NATIONS + names.MONGOLIAN_NATIONS + ("俄罗斯",))
    return names.person_name(rnd, g, nat)


def _ordinary(rnd) -> str:
    r = rnd.random()
    if r < 0.4:
        return render.ordinary_name(rnd)
    if r < 0.8:
        return render.address_piece(rnd)
    return render.authority_line(rnd)


def make_texts(n: int, seed: int, cs: dict, avoid: set = frozenset(), clean: int = 0) -> list:
    """[(text, kind, target_char)] of about n lines: every rare_name/place char several times,
    look-alike lines (the target char replaced by one of its look-alikes), minority, ordinary."""
    rnd = random.Random(seed)
    g = cs["groups"]
    targets = list(g["rare_name"]) + list(g["place"])
    place = set(g["place"])
    looks = cs["lookalikes"]
    pw = charset_mod.place_words_for(place)
    n_rare, n_look = int(n * 0.52), int(n * 0.2)
    n_min, n_ord = int(n * 0.06), n - int(n * 0.52) - int(n * 0.2) - int(n * 0.06)
    out, seen = [], set(avoid)
    known = model.class_of()

    def add(text, kind, ch):
        if text in seen or not text or any(c not in known for c in text):
            return False
        seen.add(text)
        out.append((text, kind, ch))
        return True

    def target_line(ch):
        return render.place_with(rnd, ch, pw) if ch in place else render.name_with(rnd, ch)

    order = []
    while len(order) < n_rare:
        t = targets[:]
        rnd.shuffle(t)
        order += t
    for ch in order[:n_rare]:
        for _ in range(20):
            if add(target_line(ch), "place" if ch in place else "rare_name", ch):
                break
    order = []
    while len(order) < n_look:
        t = [c for c in targets if looks.get(c)]
        rnd.shuffle(t)
        order += t
    for ch in order[:n_look]:
        for _ in range(20):
            text = target_line(ch)
            look = rnd.choice(looks[ch])
            if add(text.replace(ch, look), "lookalike", ch):
                break
    for _ in range(n_min):
        for _ in range(20):
            if add(_minority_name(rnd), "minority", ""):
                break
    for _ in range(n_ord):
        for _ in range(20):
            if add(_ordinary(rnd), "ordinary", ""):
                break
    for _ in range(clean):
        for _ in range(20):
            if add(_ordinary(rnd), "clean", ""):
                break
    return out


def make_lookalike_texts(n: int, seed: int, cs: dict, avoid: set = frozenset()) -> list:
    """n extra look-alike lines (kind "lookalike"): a rare/place line with its character replaced
    by one of its look-alikes, drawn with their own seed so the main sets stay as they were."""
    rnd = random.Random(seed)
    g = cs["groups"]
    place = set(g["place"])
    looks = cs["lookalikes"]
    pw = charset_mod.place_words_for(place)
    known = model.class_of()
    out, seen = [], set(avoid)
    targets = [c for c in list(g["rare_name"]) + list(g["place"]) if looks.get(c)]
    order = []
    while len(order) < n:
        t = targets[:]
        rnd.shuffle(t)
        order += t
    for ch in order[:n]:
        for _ in range(20):
            text = render.place_with(rnd, ch, pw) if ch in place else render.name_with(rnd, ch)
            text = text.replace(ch, rnd.choice(looks[ch]))
            if text and text not in seen and all(c in known for c in text):
                seen.add(text)
                out.append((text, "lookalike", ch))
                break
    return out


def render_line(text: str, kind: str, line_seed: int) -> np.ndarray:
    rnd = random.Random(line_seed)
    nrng = np.random.default_rng(line_seed)
    img = render.draw_line(text, rnd)
    if kind == "clean":
        return img
    return render.degrade(img, rnd, nrng, strength=rnd.choice((0.5, 1.0, 1.0, 1.3)))


_SESS = None


def _init_worker():
    global _SESS
    _SESS = model.session(model.base_bytes(), 1, features=True)


def _work(args):
    text, kind, line_seed = args
    img = render_line(text, kind, line_seed)
    return model.run_features(_SESS, img).astype(np.float32)


def _source_digest() -> str:
    h = hashlib.sha256(model.BASE_SHA256.encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for f in ("render.py", "dataset.py", "model.py", os.path.join("..", "cardgen", "names.py")):
        with open(os.path.join(here, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def features_cached(lines: list, seed: int, workers: int, cache_dir: str = "", log=print) -> list:
    """features(), kept in cache_dir under a digest of the lines, the seed, the base model and the
    rendering/feature code: a rerun with identical inputs reads them instead of recomputing."""
    if not cache_dir:
        return features(lines, seed, workers)
    h = hashlib.sha256(_source_digest().encode())
    h.update(json.dumps([seed, lines], ensure_ascii=False).encode())
    path = os.path.join(cache_dir, f"feat-{h.hexdigest()[:24]}.npz")
    if os.path.exists(path):
        with np.load(path) as z:
            X, T = z["X"], z["T"]
        log(f"features of {len(lines)} lines read from {path}")
        return np.split(X, np.cumsum(T)[:-1])
    out = features(lines, seed, workers)
    os.makedirs(cache_dir, exist_ok=True)
    tmp = path + ".tmp.npz"
    np.savez(tmp, X=np.concatenate(out), T=np.array([len(f) for f in out], np.int64))
    os.replace(tmp, path)
    return out


def features(lines: list, seed: int, workers: int) -> list:
    """Per line [T, 120] features of the frozen backbone (one process per worker, 1 thread each)."""
    jobs = [(t, k, seed * 1_000_003 + i) for i, (t, k, _) in enumerate(lines)]
    if workers <= 1:
        _init_worker()
        return [_work(j) for j in jobs]
    with mp.get_context("fork").Pool(workers, initializer=_init_worker) as pool:
        return pool.map(_work, jobs, chunksize=16)
