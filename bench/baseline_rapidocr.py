"""Baseline peer: RapidOCR (PyPI) generic pipeline + keyword/regex field extraction.

The point is a fair, competent "what a reasonable engineer would build in a day" baseline:
RapidOCR's default det+cls+rec pipeline (models shipped in its wheel), the text boxes
de-skewed and put in reading order, then keyword/regex extraction into the same
WeChat ocr.idcard JSON our binary answers.

Usage (writes the same JSONL shape as `idcard-ocr batch`: {"file","ms","response"}):
    python bench/baseline_rapidocr.py PATH... --out results.jsonl [--threads 2]
    python bench/baseline_rapidocr.py PATH... --throughput --workers 2     # images/s only

Timing: models load once; one warm-up image (the first input) is run before the timed
loop and excluded. `ms` is wall time per image: file read + decode + OCR + extraction.
`profile.model_ms` is the time spent inside onnxruntime InferenceSession.run for that image.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import re
import sys
import time
from pathlib import Path

import cv2
import numpy as np

IMG_EXT = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}

# ---------------------------------------------------------------- model-time accounting
_MODEL_S = [0.0]


def _patch_ort_timer():
    import onnxruntime as ort

    orig = ort.InferenceSession.run
    if getattr(orig, "_bench_timed", False):
        return

    def run(self, *a, **kw):
        t = time.perf_counter()
        try:
            return orig(self, *a, **kw)
        finally:
            _MODEL_S[0] += time.perf_counter() - t

    run._bench_timed = True
    ort.InferenceSession.run = run


def make_engine(threads: int):
    _patch_ort_timer()
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "error",
        "EngineConfig.onnxruntime.intra_op_num_threads": int(threads),
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


# ---------------------------------------------------------------- geometry / reading order
class Box:
    __slots__ = ("text", "score", "cx", "cy", "h", "w", "ang")

    def __init__(self, pts, text, score):
        pts = np.asarray(pts, dtype=np.float64).reshape(4, 2)
        self.text = re.sub(r"\s+", "", text)
        self.score = float(score)
        c = pts.mean(axis=0)
        self.cx, self.cy = float(c[0]), float(c[1])
        e01 = pts[1] - pts[0]
        e12 = pts[2] - pts[1]
        l01, l12 = float(np.hypot(*e01)), float(np.hypot(*e12))
        long_e = e01 if l01 >= l12 else e12
        self.w, self.h = max(l01, l12), max(1.0, min(l01, l12))
        a = math.degrees(math.atan2(long_e[1], long_e[0]))  # long-edge direction, mod 180
        while a <= -90:
            a += 180
        while a > 90:
            a -= 180
        self.ang = a


def dominant_angle(boxes):
    """Text direction (degrees, in (-90, 90]) from the longer boxes, weighted by length."""
    cand = [b for b in boxes if b.w > 1.5 * b.h and len(b.text) >= 2] or boxes
    if not cand:
        return 0.0
    # circular mean on doubled angles (direction is defined mod 180)
    s = sum(b.w * math.sin(math.radians(2 * b.ang)) for b in cand)
    c = sum(b.w * math.cos(math.radians(2 * b.ang)) for b in cand)
    return math.degrees(math.atan2(s, c)) / 2


class UBox:
    """A box in the upright frame."""
    __slots__ = ("text", "x0", "x1", "y", "h")

    def __init__(self, text, x0, x1, y, h):
        self.text, self.x0, self.x1, self.y, self.h = text, x0, x1, y, h


def upright(boxes, angle, flip):
    a = math.radians(-angle + (180 if flip else 0))
    ca, sa = math.cos(a), math.sin(a)
    out = []
    for b in boxes:
        x = b.cx * ca - b.cy * sa
        y = b.cx * sa + b.cy * ca
        out.append(UBox(b.text, x - b.w / 2, x + b.w / 2, y, b.h))
    return out


def rows_of(ub):
    """Group upright boxes into rows (reading order: top-down, then left-right)."""
    if not ub:
        return []
    hs = sorted(b.h for b in ub)
    hmed = hs[len(hs) // 2]
    rows = []
    for b in sorted(ub, key=lambda b: b.y):
        if rows and abs(b.y - rows[-1]["y"]) < 0.5 * max(hmed, min(b.h, rows[-1]["h"])):
            r = rows[-1]
            r["boxes"].append(b)
            n = len(r["boxes"])
            r["y"] += (b.y - r["y"]) / n
        else:
            rows.append({"y": b.y, "h": b.h, "boxes": [b]})
    for r in rows:
        r["boxes"].sort(key=lambda b: b.x0)
    return rows


# ---------------------------------------------------------------- field extraction
FRONT_LABELS = {
    "name": re.compile(r"姓名"),
    "gender": re.compile(r"性别"),
    "nation": re.compile(r"民族"),
    "birth": re.compile(r"出生"),
    "addr": re.compile(r"住址"),
    "idlabel": re.compile(r"公民身份号码|身份号码|公民身份"),
}
BACK_LABELS = {
    "authority": re.compile(r"签发机关|签发机美|签发机"),
    "valid": re.compile(r"有效期限|有效期"),
}
ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{16}[0-9Xx×]|[1-9][0-9]{14,16})(?![0-9])")
BIRTH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
VALID_RE = re.compile(
    r"(\d{4})[.\-·,]?(\d{2})[.\-·,]?(\d{2})\s*[-—–~至一_]+\s*(?:(\d{4})[.\-·,]?(\d{2})[.\-·,]?(\d{2})|(长期))")


def _find_label(ub, pat):
    best = None
    for b in ub:
        if pat.search(b.text):
            if best is None or len(b.text) < len(best.text):
                best = b
    return best


_TOL = [0.0]  # extra row tolerance from the label pitch (set per image in extract)


def _pitch(labels):
    """Median distance between consecutive printed label rows (labels in printed order, None = missed)."""
    d = []
    prev = None
    for i, b in enumerate(labels):
        if b is None:
            continue
        if prev is not None and b.y > prev[1].y:
            d.append((b.y - prev[1].y) / (i - prev[0]))
        prev = (i, b)
    d.sort()
    return d[len(d) // 2] if d else 0.0


def _row_text_right_of(ub, label_box, pat, hmed, max_w):
    """Text on the label's row, from the label rightwards (label stripped)."""
    tol = max(0.6 * max(hmed, label_box.h), _TOL[0])
    on_row = [b for b in ub if abs(b.y - label_box.y) < tol
              and b.x1 > label_box.x0 - 0.5 * hmed and b.x0 < label_box.x0 + max_w]
    on_row.sort(key=lambda b: b.x0)
    s = "".join(b.text for b in on_row)
    m = pat.search(s)
    return s[m.end():] if m else s


def _clean(s):
    return s.strip(":：.,，。;；|·-_ ")


def extract(ub):
    """Upright boxes -> dict of WeChat fields + side flags."""
    if not ub:
        return None
    found = {k: _find_label(ub, p) for k, p in FRONT_LABELS.items()}
    bfound = {k: _find_label(ub, p) for k, p in BACK_LABELS.items()}
    # text height of the card itself (labels), not of whatever else is in the picture
    hs = sorted(b.h for b in list(found.values()) + list(bfound.values()) if b is not None) \
        or sorted(b.h for b in ub)
    hmed = hs[len(hs) // 2]
    fp = _pitch([found["name"], found["gender"] or found["nation"], found["birth"], found["addr"]])
    bp = _pitch([bfound["authority"], bfound["valid"]])
    all_text = "".join(b.text for b in ub)
    id_m = [m.group(1) for b in ub for m in ID_RE.finditer(b.text)]
    n_front = sum(v is not None for v in found.values())
    n_back = sum(v is not None for v in bfound.values())
    is_front = n_front >= 2 or (n_front >= 1 and bool(id_m))
    is_back = n_back >= 1 and (bool(VALID_RE.search(all_text)) or "居民身份证" in all_text or n_back == 2)
    if not is_front and not is_back:
        return None
    out = {}
    _TOL[0] = 0.5 * fp
    if is_front:
        lab = [b for b in found.values() if b is not None]
        lx = min(b.x0 for b in lab)
        card_w = 30 * hmed  # a card is ~ 30 label-heights wide
        y_top = min(b.y for b in lab) - 2 * hmed
        y_bot = max(b.y for b in lab) + (2 * hmed if found["idlabel"] else max(2 * hmed, 3 * fp))
        card = [b for b in ub if lx - 2 * hmed < b.x1 and b.x0 < lx + card_w and y_top < b.y < y_bot]
        L = FRONT_LABELS

        def after(key, width):
            lb = found[key]
            return _row_text_right_of(card, lb, L[key], hmed, width) if lb else ""

        # name: right of 姓名 (at most ~12 chars of the row; the portrait sits further right)
        name = _clean(after("name", 14 * hmed))
        name = re.split(r"性别|民族|出生", name)[0]
        out["name"] = re.sub(r"[^\u3400-\u9fff·]", "", name)
        # gender + nationality share a row
        row = after("gender", 20 * hmed) if found["gender"] else after("nation", 20 * hmed)
        g = re.search(r"性别\s*([男女])", ("性别" + row) if found["gender"] else row) or re.search(r"[男女]", row)
        out["gender"] = (g.group(1) if g and g.lastindex else (g.group(0) if g else ""))
        nrow = after("nation", 12 * hmed) if found["nation"] else ""
        if not nrow and "民族" in row:
            nrow = row.split("民族", 1)[1]
        out["nationality"] = re.sub(r"[^\u3400-\u9fff]", "", _clean(nrow))[:6]
        if not out["gender"]:  # label missed by the detector: a lone 男/女 on the card
            g = _first(card, lambda b: re.fullmatch(r"(性别)?[男女]", b.text))
            out["gender"] = g.text[-1] if g else ""
        if not out["nationality"]:
            m = re.search(r"民?族([\u3400-\u9fff]{1,5})", "".join(b.text for b in card))
            out["nationality"] = m.group(1) if m else ""
        # birth
        brow = after("birth", 20 * hmed)
        m = BIRTH_RE.search(brow) or BIRTH_RE.search("".join(b.text for b in card))
        out["birth"] = f"{int(m.group(1)):04d}{int(m.group(2)):02d}{int(m.group(3)):02d}" if m else ""
        # id: prefer the row of the 公民身份号码 label, else the longest number on the card
        idv = ""
        if found["idlabel"]:
            m = ID_RE.search(after("idlabel", 30 * hmed))
            idv = m.group(1) if m else ""
        if not idv:
            cands = [m.group(1) for b in card for m in ID_RE.finditer(b.text)] or id_m
            idv = max(cands, key=len) if cands else ""
        out["id"] = idv.upper().replace("×", "X")
        # addr: right of 住址, then following rows down to the id row, same column
        addr = ""
        if found["addr"]:
            a = found["addr"]
            first = _row_text_right_of(card, a, L["addr"], hmed, 20 * hmed)
            parts = [first]
            col_x = a.x1 - 0.5 * hmed if len(a.text) <= 3 else a.x0 + 2 * a.h
            idbox = _first(card, lambda b: b.y > a.y and ID_RE.search(b.text)
                           and len(ID_RE.search(b.text).group(1)) >= 17)
            stop_y = found["idlabel"].y if found["idlabel"] else (idbox.y if idbox else y_bot)
            rows = rows_of([b for b in card if b.y > a.y + 0.6 * hmed and b.y < stop_y - 0.6 * hmed
                            and b.x0 > col_x - hmed and b.x0 < lx + 20 * hmed])
            last_y = a.y
            for r in rows:
                if r["y"] - last_y > max(2.2 * hmed, 0.8 * fp):
                    break
                t = "".join(b.text for b in r["boxes"])
                if ID_RE.search(t) or FRONT_LABELS["idlabel"].search(t):
                    break
                parts.append(t)
                last_y = r["y"]
            addr = "".join(parts)
        out["addr"] = _clean(addr)
    _TOL[0] = 0.5 * bp
    if is_back:
        auth = ""
        if bfound["authority"]:
            auth = _clean(_row_text_right_of(ub, bfound["authority"], BACK_LABELS["authority"], hmed, 24 * hmed))
        out["authority"] = re.sub(r"[^\u3400-\u9fff0-9]", "", auth)
        vrow = ""
        if bfound["valid"]:
            vrow = _row_text_right_of(ub, bfound["valid"], BACK_LABELS["valid"], hmed, 24 * hmed)
        m = VALID_RE.search(vrow) or VALID_RE.search(all_text)
        if m:
            to = "长期" if m.group(7) else m.group(4) + m.group(5) + m.group(6)
            out["valid_date"] = m.group(1) + m.group(2) + m.group(3) + "-" + to
        else:
            out["valid_date"] = ""
    out["type"] = "Front" if is_front else "Back"
    return out


ANCHOR_RE = re.compile(r"姓名|性别|民族|出生|住址|公民身份|身份号码|签发机|有效期|中华人民共和国|居民身份证")
TITLE_RE = re.compile(r"中华人民共和国|居民身份证")


def _first(ub, pred):
    for b in ub:
        if pred(b):
            return b
    return None


def orient_score(ub):
    """Positive when the layout reads upright (card lines in their printed top-to-bottom order)."""
    front = [_find_label(ub, FRONT_LABELS["name"]),
             _first(ub, lambda b: BIRTH_RE.search(b.text)) or _find_label(ub, FRONT_LABELS["birth"]),
             _find_label(ub, FRONT_LABELS["addr"]),
             _first(ub, lambda b: ID_RE.search(b.text) and len(ID_RE.search(b.text).group(1)) >= 17)
             or _find_label(ub, FRONT_LABELS["idlabel"])]
    back = [_find_label(ub, TITLE_RE), _find_label(ub, BACK_LABELS["authority"]),
            _first(ub, lambda b: VALID_RE.search(b.text)) or _find_label(ub, BACK_LABELS["valid"])]
    s = 0
    for seq in (front, back):
        ys = [(i, b.y) for i, b in enumerate(seq) if b is not None]
        for (i, yi) in ys:
            for (j, yj) in ys:
                if i < j:
                    s += 1 if yi < yj else -1
    return s


def layout(res):
    """RapidOCR output -> boxes in an upright card frame (or None)."""
    if res is None or res.boxes is None or res.txts is None:
        return None
    boxes = [Box(p, t, s) for p, t, s in zip(res.boxes, res.txts, res.scores) if t and t.strip()]
    if not boxes:
        return None
    # the card's own text sets the direction (background clutter may sit at another angle)
    anchors = [b for b in boxes if ANCHOR_RE.search(b.text) or ID_RE.search(b.text)
               or BIRTH_RE.search(b.text) or VALID_RE.search(b.text)]
    ang = dominant_angle(anchors or boxes)
    ub = upright(boxes, ang, False)
    if orient_score(ub) < 0:
        ub = upright(boxes, ang, True)
    return ub


def read_image(engine, img):
    ub = layout(engine(img))
    return extract(ub) if ub else None


def respond(engine, path):
    data = Path(path).read_bytes()
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if img is None:
        return {"errcode": 101002, "errmsg": "invalid image"}
    fields = read_image(engine, img)
    if fields is None:
        return {"errcode": 101001, "errmsg": "no id card found"}
    out = {"errcode": 0, "errmsg": "ok"}
    out.update(fields)
    return out


def list_images(paths):
    files = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files += sorted(str(f) for f in p.iterdir() if f.suffix.lower() in IMG_EXT)
        else:
            files.append(str(p))
    return files


def run_sequential(files, out_path, threads, warmup=None):
    engine = make_engine(threads)
    respond(engine, warmup or files[0])  # warm-up, excluded
    n_ok = 0
    with open(out_path, "w", encoding="utf-8") as fo:
        for f in files:
            _MODEL_S[0] = 0.0
            t = time.perf_counter()
            resp = respond(engine, f)
            ms = (time.perf_counter() - t) * 1000
            n_ok += resp.get("errcode") == 0
            fo.write(json.dumps({"file": f, "ms": round(ms, 1), "response": resp,
                                 "profile": {"model_ms": round(_MODEL_S[0] * 1000, 1), "total_ms": round(ms, 1)}},
                                ensure_ascii=False) + "\n")
            fo.flush()
    return n_ok


_W = {}


def _winit(threads, warm):
    _W["e"] = make_engine(threads)
    respond(_W["e"], warm)


def _wrun(f):
    return respond(_W["e"], f).get("errcode")


def run_throughput(files, workers, threads):
    """images/s with `workers` processes (each warmed up first); threads per process."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_winit, initargs=(threads, files[0])) as pool:
        pool.map(_wrun, [files[0]] * workers, chunksize=1)  # make sure every worker is up
        t = time.perf_counter()
        pool.map(_wrun, files, chunksize=1)
        dt = time.perf_counter() - t
    return {"images": len(files), "workers": workers, "threads_per_worker": threads,
            "wall_s": round(dt, 3), "images_per_s": round(len(files) / dt, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--out", help="JSONL output (sequential mode)")
    ap.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads (sequential)")
    ap.add_argument("--warmup", help="warm-up image (default: first input)")
    ap.add_argument("--throughput", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    files = list_images(a.paths)
    if not files:
        print("no images", file=sys.stderr)
        return 2
    if a.throughput:
        thr = max(1, 2 // a.workers)
        print(json.dumps(run_throughput(files, a.workers, thr)))
        return 0
    if not a.out:
        ap.error("--out is required unless --throughput")
    t = time.perf_counter()
    run_sequential(files, a.out, a.threads, a.warmup)
    rows = [json.loads(l) for l in open(a.out, encoding="utf-8")]
    ms = sorted(r["ms"] for r in rows)
    print(json.dumps({"images": len(rows), "median_ms": ms[len(ms) // 2], "p90_ms": ms[int(len(ms) * 0.9)],
                      "wall_s": round(time.perf_counter() - t, 2)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
