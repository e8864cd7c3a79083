"""Scores idcard-ocr batch output (JSONL) against a truth.jsonl (generator's or external_cards').

Usage: python bench/score.py TRUTH.jsonl RESULTS.jsonl [--show-errors]

Card-level exact match ("card") = errcode 0, the right `type` (Front for a front, Back for a
back; a picture showing both sides may answer either) and every expected field equal.
Negatives (side None) count as right only when refused with errcode 101001.
An image with no result line counts as wrong.

Card position (`position`): for a truth row with a `quad` (the card's corners, cardgen), the
answer's `card_pos` (batch --detail) is compared corner by corner in reading order (left-top,
right-top, right-bottom, left-bottom); error = mean corner distance / the true card width (mean of
its top and bottom edges). For a Both image the front's `quad` is the reference, or `back_quad`
when the answer is Back. A card with no `card_pos` (refused, not found, no --detail) has no error
and counts as outside every tolerance.
"""
import argparse
import json
import math
import os
import statistics
import sys
from collections import defaultdict

CORNERS = ("left_top", "right_top", "right_bottom", "left_bottom")

FRONT = ["name", "gender", "nationality", "birth", "addr", "id"]
BACK = ["authority", "valid_date"]


def expected(t):
    """Truth row -> the WeChat-shaped fields we must answer."""
    exp = {}
    side = t.get("side")
    if side in ("Front", "Both"):
        for k in ["name", "gender", "nationality", "addr", "id"]:
            exp[k] = t[k]
        exp["birth"] = t["birth"].replace("-", "")
    if side in ("Back", "Both"):
        exp["authority"] = t["authority"]
        exp["valid_date"] = t["valid_from"].replace(".", "") + "-" + (
            "长期" if t["valid_to"] == "长期" else t["valid_to"].replace(".", ""))
    return exp


def score(truth_rows, results):
    by_file = {os.path.basename(r["file"]): r for r in results}
    stats = defaultdict(lambda: defaultdict(lambda: [0, 0]))  # group -> field -> [ok, n]
    errors = []
    for t in truth_rows:
        r = by_file.get(os.path.basename(t["file"]))
        resp = r["response"] if r is not None else {}
        groups = groups_of(t)
        if t.get("side") in (None, "None"):
            ok = resp.get("errcode") == 101001
            for g in groups:
                stats[g]["card"][0] += ok
                stats[g]["card"][1] += 1
                stats[g]["refusal"][0] += ok
                stats[g]["refusal"][1] += 1
            if not ok:
                errors.append((t["file"], "refusal", 101001, resp.get("errcode")))
            continue
        exp = expected(t)
        card_ok = resp.get("errcode") == 0
        want_type = {"Front": ("Front",), "Back": ("Back",), "Both": ("Front", "Back")}.get(t.get("side"), ())
        type_ok = resp.get("type") in want_type
        card_ok &= type_ok
        for g in groups:
            stats[g]["type"][0] += type_ok
            stats[g]["type"][1] += 1
        if not type_ok:
            errors.append((t["file"], "type", "/".join(want_type), resp.get("type")))
        for k, v in exp.items():
            got = resp.get(k)
            ok = got == v
            card_ok &= ok
            for g in groups:
                stats[g][k][0] += ok
                stats[g][k][1] += 1
            if not ok:
                errors.append((t["file"], k, v, got))
        for g in groups:
            stats[g]["card"][0] += card_ok
            stats[g]["card"][1] += 1
    return stats, errors


def groups_of(t):
    return ["all", "mode:" + t.get("mode", "?"), "side:" + t.get("side", "?")]


def corner_error(card_pos, quad):
    """Mean distance of the four answered corners to the true ones / the true card width."""
    true = [tuple(p) for p in quad]
    got = [(card_pos[k]["x"], card_pos[k]["y"]) for k in CORNERS]
    mean_dist = sum(math.dist(a, b) for a, b in zip(got, true)) / 4
    width = (math.dist(true[0], true[1]) + math.dist(true[3], true[2])) / 2
    return mean_dist / width


def reference_quad(t, resp):
    """The truth corners card_pos should match: the back's for a Both image answered as Back."""
    if t.get("side") == "Both" and resp.get("type") == "Back" and t.get("back_quad"):
        return t["back_quad"]
    return t.get("quad")


def position(truth_rows, results):
    """Card-position errors per group: {group: {"errors": [...], "missing": [files]}} for truth rows
    with a quad; an image without card_pos (or without a result line) goes to missing."""
    by_file = {os.path.basename(r["file"]): r for r in results}
    out = defaultdict(lambda: {"errors": [], "missing": []})
    for t in truth_rows:
        if not t.get("quad"):
            continue
        r = by_file.get(os.path.basename(t["file"]))
        resp = r["response"] if r is not None else {}
        pos = resp.get("card_pos")
        err = corner_error(pos, reference_quad(t, resp)) if pos and all(k in pos for k in CORNERS) else None
        for g in groups_of(t):
            if err is None:
                out[g]["missing"].append(t["file"])
            else:
                out[g]["errors"].append(err)
    return out


def position_summary(pos, limits=(0.02, 0.05)):
    """{group: {n, with_pos, no_pos, median_pct, within_2pct, within_5pct}}; shares are of all n
    cards (one without a position counts as outside), the median is of those with a position."""
    summary = {}
    for g, v in pos.items():
        errs, n = v["errors"], len(v["errors"]) + len(v["missing"])
        row = {"n": n, "with_pos": len(errs), "no_pos": len(v["missing"]),
               "median_pct": round(100 * statistics.median(errs), 2) if errs else None}
        for lim in limits:
            row[f"within_{round(lim * 100)}pct"] = round(sum(e <= lim for e in errs) / n, 4) if n else None
        summary[g] = row
    return summary


def pct(ok_n):
    ok, n = ok_n
    return 100.0 * ok / n if n else float("nan")


def summarize(stats):
    """stats -> plain dict {group: {field: [ok, n]}} (JSON-friendly)."""
    return {g: {k: list(v) for k, v in row.items()} for g, row in stats.items()}


def latency(results, skip=()):
    """median / p90 / mean of the `ms` of result lines (files in `skip` left out)."""
    ms = sorted(r["ms"] for r in results if os.path.basename(r["file"]) not in skip)
    if not ms:
        return {"n": 0, "median_ms": None, "p90_ms": None, "mean_ms": None}
    return {"n": len(ms), "median_ms": ms[len(ms) // 2], "p90_ms": ms[min(len(ms) - 1, int(len(ms) * 0.9))],
            "mean_ms": round(sum(ms) / len(ms), 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("results")
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args()
    truth = [json.loads(l) for l in open(a.truth, encoding="utf-8") if l.strip()]
    results = [json.loads(l) for l in open(a.results, encoding="utf-8") if l.strip()]
    stats, errors = score(truth, results)
    for g in sorted(stats):
        row = stats[g]
        parts = [f"{k}={row[k][0]}/{row[k][1]}" for k in ["card", "type"] + FRONT + BACK + ["refusal"] if k in row]
        print(f"{g:14s} " + " ".join(parts))
    for g, row in sorted(position_summary(position(truth, results)).items()):
        print(f"position {g:14s} n={row['n']} with_pos={row['with_pos']} median={row['median_pct']}% "
              f"<=2%: {row['within_2pct']} <=5%: {row['within_5pct']}")
    lat = latency(results)
    if lat["n"]:
        print(f"latency median={lat['median_ms']:.1f}ms p90={lat['p90_ms']:.1f}ms n={lat['n']}")
    if a.show_errors:
        for e in errors:
            print("ERR", os.path.basename(e[0])[-40:], e[1], "want", repr(e[2]), "got", repr(e[3]))


if __name__ == "__main__":
    sys.exit(main())
