"""Names benchmark: the recognizer as published ("base") vs with its fine-tuned last layer
("tuned", models/rec_tuning.bin), same images, same binary (`--recognizer base|tuned`).

    .venv/bin/python bench/names_bench.py [--bin build/idcard-ocr] [--count 120] [--seed 11]
        [--rare-names 0.5] [--external DIR | --no-external] [--out bench/out/names]

Generates fronts (photos and scans, cardgen --rare-names: that share of Han names holds a rare
character of tools/train_rec/data/rare_name_chars.txt) and reads them with both recognizers.
Reports per recognizer and per set (photos, scans, external cards):
  - names right (every character), names with a rare character right, rare characters right;
  - look-alike false positives: names without a rare character answered with one;
  - card-exact (every field) and each field, so that no field is worse with the tuning.
Writes OUT/report.md, OUT/report.json and OUT/errors.md (each wrong name: file, printed, read by
base and tuned; generated cards only, external names are never written out).
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import score as S  # noqa: E402

RARE = set((REPO / "tools" / "train_rec" / "data" / "rare_name_chars.txt").read_text(encoding="utf-8").strip())
FIELDS = ["card"] + S.FRONT + S.BACK


def load_jsonl(p):
    return [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]


def read_all(binary, recognizer, files, out_jsonl):
    cmd = [binary, "--recognizer", recognizer, "batch"] + files + ["--out", str(out_jsonl), "--workers", "1"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"batch failed ({p.returncode}): {p.stderr[-2000:]}")
    return load_jsonl(out_jsonl)


def name_stats(truth, results):
    by_file = {os.path.basename(r["file"]): r["response"] for r in results}
    s = {"names": [0, 0], "rare_names": [0, 0], "rare_chars": [0, 0], "false_rare": [0, 0]}
    for t in truth:
        if t.get("side") not in ("Front", "Both") or not t.get("name") or t["name"] == "illegible":
            continue
        want = t["name"]
        got = by_file.get(os.path.basename(t["file"]), {}).get("name") or ""
        s["names"][0] += got == want
        s["names"][1] += 1
        rare = [c for c in want if c in RARE]
        if rare:
            s["rare_names"][0] += got == want
            s["rare_names"][1] += 1
            for c in rare:  # the rare character read, wherever in the name
                s["rare_chars"][0] += c in got
                s["rare_chars"][1] += 1
        else:
            s["false_rare"][0] += any(c in RARE for c in got)
            s["false_rare"][1] += 1
    return s


def wrong_names(truth, by_rec):
    """Rows (file, printed, base reading, tuned reading) for names either recognizer got wrong."""
    got = {rec: {os.path.basename(r["file"]): (r["response"].get("name") or "") for r in res}
           for rec, res in by_rec.items()}
    rows = []
    for t in truth:
        if t.get("side") not in ("Front", "Both") or not t.get("name") or t["name"] == "illegible":
            continue
        f = os.path.basename(t["file"])
        if any(got[rec].get(f, "") != t["name"] for rec in got):
            rows.append((f, t["name"], got.get("base", {}).get(f, ""), got.get("tuned", {}).get(f, ""),
                         "".join(c for c in t["name"] if c in RARE)))
    return rows


def pct(v):
    return f"{100.0 * v[0] / v[1]:.1f} % ({v[0]}/{v[1]})" if v[1] else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=str(REPO / "build" / "idcard-ocr"))
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--rare-names", type=float, default=0.5)
    ap.add_argument("--external", default=str(REPO / ".." / "shared" / "external_cards"))
    ap.add_argument("--no-external", action="store_true")
    ap.add_argument("--out", default=str(REPO / "bench" / "out" / "names"))
    a = ap.parse_args()
    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    sets = []
    for mode in ("photo", "scan"):
        d = out / f"{mode}_s{a.seed}_n{a.count}_r{a.rare_names}"
        if not (d / "truth.jsonl").exists():
            subprocess.run([sys.executable, "-m", "tools.cardgen", "--out", str(d), "--seed", str(a.seed),
                            "--modes", mode, "--count", str(a.count), "--rare-names", str(a.rare_names),
                            "--quiet"], check=True, cwd=REPO)
        sets.append((mode + "s", d))
    if not a.no_external and Path(a.external, "truth.jsonl").exists():
        sets.append(("external", Path(a.external).resolve()))
    report = {"argv": sys.argv[1:], "sets": {}}
    errors = ["| set | file | printed | base | tuned | rare |", "|---|---|---|---|---|---|"]
    for name, d in sets:
        truth = load_jsonl(d / "truth.jsonl")
        files = [str(d / t["file"]) for t in truth]
        report["sets"][name] = {}
        by_rec = {}
        for rec in ("base", "tuned"):
            print(f"names_bench: {name} {rec} ({len(files)} images)", file=sys.stderr)
            results = by_rec[rec] = read_all(a.bin, rec, files, out / f"{name}_{rec}.jsonl")
            stats, _ = S.score(truth, results)
            report["sets"][name][rec] = {"names": name_stats(truth, results),
                                         "fields": {k: list(v) for k, v in stats["all"].items()}}
        if name != "external":  # the evaluation set's names stay out of any file
            errors += [f"| {name} | " + " | ".join(r) + " |" for r in wrong_names(truth, by_rec)]
    json.dump(report, open(out / "report.json", "w"), ensure_ascii=False, indent=1)
    lines = ["| set | recognizer | names right | rare-character names right | rare characters right "
             "| names given a rare character they lack | card-exact | fields worse than base |",
             "|---|---|---|---|---|---|---|---|"]
    for name, by_rec in report["sets"].items():
        base_fields = by_rec["base"]["fields"]
        for rec, r in by_rec.items():
            n, f = r["names"], r["fields"]
            worse = [k for k in FIELDS if k in f and k in base_fields and f[k][0] < base_fields[k][0]]
            lines.append(f"| {name} | {rec} | {pct(n['names'])} | {pct(n['rare_names'])} | {pct(n['rare_chars'])} "
                         f"| {pct(n['false_rare'])} | {pct(f.get('card', [0, 0]))} | "
                         f"{', '.join(worse) if rec != 'base' and worse else '–'} |")
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "errors.md").write_text("\n".join(errors) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
