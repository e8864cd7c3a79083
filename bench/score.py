"""Scores idcard-ocr batch output (JSONL) against a truth.jsonl (generator's or external_cards').

Usage: python bench/score.py TRUTH.jsonl RESULTS.jsonl [--show-errors]
"""
import argparse
import json
import os
import sys
from collections import defaultdict

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
        if r is None:
            continue
        resp = r["response"]
        groups = ["all", "mode:" + t.get("mode", "?"), "side:" + t.get("side", "?")]
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
        parts = [f"{k}={row[k][0]}/{row[k][1]}" for k in ["card"] + FRONT + BACK + ["refusal"] if k in row]
        print(f"{g:14s} " + " ".join(parts))
    ms = sorted(r["ms"] for r in results)
    if ms:
        print(f"latency median={ms[len(ms)//2]:.1f}ms p90={ms[int(len(ms)*0.9)]:.1f}ms n={len(ms)}")
    if a.show_errors:
        for e in errors:
            print("ERR", os.path.basename(e[0])[-40:], e[1], "want", repr(e[2]), "got", repr(e[3]))


if __name__ == "__main__":
    sys.exit(main())
