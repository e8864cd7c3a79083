"""Benchmark idcard-ocr against the RapidOCR baseline peer, same images, same run.

    .venv/bin/python bench/run_bench.py --bin build/idcard-ocr [--count 200] [--seed 7]
        [--set DIR] [--external DIR | --no-external] [--out bench/out] [--workers-list 1,2,4]
        [--tp-images 60] [--stress N]

Measures, per system: card-level exact match (every field right) per field, per side, scan vs
photo, refusals of negatives; median / p90 latency one image at a time, warm (one warm-up image
excluded); throughput (images/s) with N workers on the same first --tp-images images; and the
share of time outside model inference (ours: from `"profile"` in batch lines when the binary
supports --profile, else n/a; baseline: time inside onnxruntime InferenceSession.run).
Writes OUT/report.md, OUT/report.json, raw JSONL results and error lists.

--stress N (default 0: none of this) also generates N `geometry` + N `hard` photos (seed + 1000,
into OUT/stress) and reads them with both systems (ours with --detail), so card-exact is reported
for scans, ordinary photos, geometry photos and hard photos; and it measures ours' card position
(card_pos vs the truth quad, see score.py) on the stress set and, in a separate --detail pass
that leaves the timed run as it was, on the main set. Per-image errors: OUT/position_*.tsv.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import score as S  # noqa: E402

PY = sys.executable
IMG_EXT = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}


def shown(path) -> str:
    """A path as the report prints it: relative to the repository, so a report reads the same on
    every machine (paths outside it, such as ../shared/external_cards, keep their ../)."""
    return os.path.relpath(Path(path).resolve(), REPO)


def shown_argv(argv) -> list:
    """The command line with its existing paths relative to the repository."""
    return [shown(x) if os.path.isabs(x) and os.path.exists(x) else x for x in argv]


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def load_jsonl(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]


def images_of(d, truth):
    names = [t["file"] for t in truth]
    return [str(Path(d) / n) for n in names if (Path(d) / n).suffix.lower() in IMG_EXT]


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return {}


def bin_supports(binary, flag):
    h = subprocess.run([binary, "batch", "--help"], capture_output=True, text=True)
    return flag in (h.stdout + h.stderr)


def prepare_warmup(files, out):
    """A copy of the first image under another name, read first and left out of the timings."""
    wd = out / "warmup"
    wd.mkdir(parents=True, exist_ok=True)
    src = Path(files[0])
    dst = wd / ("zz_warmup" + src.suffix)
    shutil.copyfile(src, dst)
    return str(dst)


# ------------------------------------------------------------------------------ ours
def ours_batch(binary, files, out_jsonl, workers, profile, warm=None, detail=False):
    cmd = [binary, "batch"] + ([warm] if warm else []) + list(files) + ["--out", str(out_jsonl),
                                                                       "--workers", str(workers)]
    if profile:
        cmd.append("--profile")
    if detail:
        cmd.append("--detail")
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        log("ours failed", p.returncode, p.stderr[-2000:])
        raise SystemExit(1)
    summ = last_json(p.stderr)
    summ["process_wall_s"] = round(wall, 3)
    return summ


def ours_throughput(binary, files, workers, out):
    summ = ours_batch(binary, files, out / f"ours_tp_w{workers}.jsonl", workers, False)
    ips = summ.get("images_per_s") or round(len(files) / summ["process_wall_s"], 3)
    return {"workers": workers, "images": len(files), "images_per_s": ips, "summary": summ}


# ------------------------------------------------------------------------------ baseline
def base_seq(files, out_jsonl, warm):
    listf = out_jsonl.with_suffix(".list")
    cmd = [PY, str(HERE / "baseline_rapidocr.py")] + list(files) + ["--out", str(out_jsonl), "--threads", "2",
                                                                   "--warmup", warm]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        log("baseline failed", p.stderr[-2000:])
        raise SystemExit(1)
    return last_json(p.stderr)


def base_throughput(files, workers):
    cmd = [PY, str(HERE / "baseline_rapidocr.py")] + list(files) + ["--throughput", "--workers", str(workers)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        log("baseline throughput failed", p.stderr[-2000:])
        raise SystemExit(1)
    return last_json(p.stdout)


# ------------------------------------------------------------------------------ analysis
def model_share(results):
    prof = [r["profile"] for r in results if isinstance(r.get("profile"), dict)
            and r["profile"].get("model_ms") is not None]
    if not prof:
        return None
    tot = sum(p.get("total_ms") or 0 for p in prof)
    mod = sum(p["model_ms"] for p in prof)
    if tot <= 0:
        return None
    return {"model_ms_mean": round(mod / len(prof), 1), "total_ms_mean": round(tot / len(prof), 1),
            "outside_model_share": round(1 - mod / tot, 4), "n": len(prof)}


def evaluate(name, truth, results, skip, out):
    results = [r for r in results if os.path.basename(r["file"]) not in skip]
    stats, errors = S.score(truth, results)
    with open(out / f"errors_{name}.txt", "w", encoding="utf-8") as fo:
        for e in errors:
            fo.write(f"{os.path.basename(e[0])}\t{e[1]}\twant={e[2]!r}\tgot={e[3]!r}\n")
    return {"stats": S.summarize(stats), "latency": S.latency(results), "profile": model_share(results),
            "n_errors": len(errors)}


def card_position(name, truth, results, skip, out):
    """Card-position summary per group (score.position); per-image errors to OUT/position_NAME.tsv."""
    results = [r for r in results if os.path.basename(r["file"]) not in skip]
    by_file = {os.path.basename(r["file"]): r["response"] for r in results}
    with open(out / f"position_{name}.tsv", "w", encoding="utf-8") as fo:
        fo.write("file\tmode\terror_pct_of_width\n")
        for t in truth:
            if t.get("quad"):
                resp = by_file.get(os.path.basename(t["file"]), {})
                pos = resp.get("card_pos")
                err = S.corner_error(pos, S.reference_quad(t, resp)) if pos else None
                fo.write(f"{t['file']}\t{t.get('mode')}\t{'' if err is None else f'{100 * err:.2f}'}\n")
    return S.position_summary(S.position(truth, results))


def generate(out_dir, seed, count=None, counts=None):
    if out_dir.exists():
        shutil.rmtree(out_dir)
    how = ["--counts", counts, "--count", "0"] if counts else ["--count", str(count)]
    subprocess.run([PY, "-m", "tools.cardgen", "--out", str(out_dir), "--seed", str(seed), "--quiet"] + how,
                   check=True, cwd=REPO)


def fmt_pct(ok_n):
    if not ok_n or not ok_n[1]:
        return "–"
    return f"{100.0 * ok_n[0] / ok_n[1]:.1f} % ({ok_n[0]}/{ok_n[1]})"


FIELDS = ["type", "name", "gender", "nationality", "birth", "addr", "id", "authority", "valid_date"]


def acc_table(ev_ours, ev_base, groups):
    lines = ["| group | ours: card exact | baseline: card exact |", "|---|---|---|"]
    for g, label in groups:
        o = ev_ours["stats"].get(g, {})
        b = ev_base["stats"].get(g, {})
        if not o and not b:
            continue
        key = "refusal" if g == "mode:negative" else "card"
        lines.append(f"| {label} | {fmt_pct(o.get(key))} | {fmt_pct(b.get(key))} |")
    return "\n".join(lines)


def field_table(ev_ours, ev_base, groups):
    head = "| field | " + " | ".join(f"ours {lab}" for _, lab in groups) + " | " + \
           " | ".join(f"baseline {lab}" for _, lab in groups) + " |"
    lines = [head, "|---|" + "---|" * (2 * len(groups))]
    for f in FIELDS:
        cells = []
        for ev in (ev_ours, ev_base):
            for g, _ in groups:
                v = ev["stats"].get(g, {}).get(f)
                cells.append(f"{100.0 * v[0] / v[1]:.1f}" if v and v[1] else "–")
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def lat_row(label, ev):
    lat, pr = ev["latency"], ev["profile"]
    share = f"{100 * pr['outside_model_share']:.1f} %" if pr else "n/a"
    return f"| {label} | {lat['median_ms']} | {lat['p90_ms']} | {lat['mean_ms']} | {share} |"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=str(REPO / "build" / "idcard-ocr"))
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--set", help="existing folder with images + truth.jsonl (skips generation)")
    ap.add_argument("--external", default=str(REPO / ".." / "shared" / "external_cards"))
    ap.add_argument("--no-external", action="store_true")
    ap.add_argument("--out", default=str(REPO / "bench" / "out"))
    ap.add_argument("--workers-list", default="1,2,4")
    ap.add_argument("--tp-images", type=int, default=60, help="throughput on the first N images (0 = all)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--stress", type=int, default=0,
                    help="also N geometry + N hard photos (seed + 1000) and the card-position metric")
    a = ap.parse_args()

    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    binary = str(Path(a.bin).resolve())
    t_start = time.time()
    profile = bin_supports(binary, "--profile")
    log("binary", binary, "profile:", profile)

    if a.set:
        set_dir = Path(a.set).resolve()
    else:
        set_dir = out / f"set_s{a.seed}_n{a.count}"
        log("generating", a.count, "images seed", a.seed)
        generate(set_dir, a.seed, count=a.count)

    datasets = [("synthetic", set_dir)]
    if a.stress > 0:
        stress_seed = a.seed + 1000
        log("generating", a.stress, "geometry +", a.stress, "hard images seed", stress_seed)
        generate(out / "stress", stress_seed, counts=f"geometry={a.stress},hard={a.stress}")
        datasets.append(("stress", out / "stress"))
    if not a.no_external and Path(a.external, "truth.jsonl").exists():
        datasets.append(("external", Path(a.external).resolve()))

    report = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                          "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                                       if l.startswith("model name")), "?")},
              "binary": shown(binary), "argv": shown_argv(sys.argv), "datasets": {}}
    for name, d in datasets:
        truth = load_jsonl(d / "truth.jsonl")
        files = images_of(d, truth)
        warm = prepare_warmup(files, out)
        skip = {os.path.basename(warm)}
        ds = {"dir": shown(d), "images": len(files)}
        # the stress set is read with --detail for card_pos; the main set's timed run stays as it was
        detail = name == "stress"
        log(name, len(files), "images: ours, 1 worker", "--detail" if detail else "")
        ds["ours_batch_summary"] = ours_batch(binary, files, out / f"ours_{name}.jsonl", 1, profile, warm, detail)
        ds["ours"] = evaluate(f"ours_{name}", truth, load_jsonl(out / f"ours_{name}.jsonl"), skip, out)
        if a.stress > 0 and name != "external":
            pos_jsonl = out / f"ours_{name}.jsonl"
            if not detail:
                log(name, "ours --detail pass (card position)")
                pos_jsonl = out / f"ours_{name}_detail.jsonl"
                ours_batch(binary, files, pos_jsonl, 1, False, warm, detail=True)
            ds["ours_position"] = card_position(name, truth, load_jsonl(pos_jsonl), skip, out)
        if not a.no_baseline:
            log(name, "baseline, one at a time")
            ds["baseline_summary"] = base_seq(files, out / f"baseline_{name}.jsonl", warm)
            ds["baseline"] = evaluate(f"baseline_{name}", truth, load_jsonl(out / f"baseline_{name}.jsonl"),
                                      skip, out)
        if name == "synthetic":
            tp_files = files[:a.tp_images] if a.tp_images else files
            ds["throughput"] = {"ours": [], "baseline": []}
            for w in [int(x) for x in a.workers_list.split(",") if x]:
                log("throughput ours workers", w)
                ds["throughput"]["ours"].append(ours_throughput(binary, tp_files, w, out))
                if not a.no_baseline:
                    log("throughput baseline workers", w)
                    ds["throughput"]["baseline"].append(base_throughput(tp_files, w))
        report["datasets"][name] = ds
        json.dump(report, open(out / "report.json", "w"), ensure_ascii=False, indent=1)
    report["elapsed_s"] = round(time.time() - t_start, 1)
    json.dump(report, open(out / "report.json", "w"), ensure_ascii=False, indent=1)
    md = render(report, a)
    (out / "report.md").write_text(md, encoding="utf-8")
    print(md)
    return 0


def render(report, a):
    m = report["machine"]
    L = [f"# idcard-ocr benchmark", "",
         f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['platform']}. Binary: `{report['binary']}`.",
         f"Command: `{' '.join(report['argv'])}`. Elapsed {report.get('elapsed_s')} s.", ""]
    groups = [("all", "all"), ("mode:scan", "scans"), ("mode:photo", "photos"), ("mode:geometry", "geometry photos"),
              ("mode:hard", "hard photos"), ("side:Front", "front"), ("side:Back", "back"),
              ("side:Both", "both sides"), ("mode:negative", "negatives → 101001"), ("mode:external", "external")]
    empty = {"stats": {}, "latency": {"median_ms": None, "p90_ms": None, "mean_ms": None}, "profile": None}
    if any("ours_position" in ds for ds in report["datasets"].values()):
        L += capture_summary(report["datasets"], empty)
    for name, ds in report["datasets"].items():
        ours, base = ds["ours"], ds.get("baseline", empty)
        L += [f"## {name} ({ds['images']} images, `{ds['dir']}`)", "",
              "Card-level exact match (errcode 0, right type, every field right; negatives: refused):", "",
              acc_table(ours, base, groups), ""]
        fg = [(g, lab) for g, lab in [("all", "all"), ("mode:scan", "scan"), ("mode:photo", "photo"),
                                      ("mode:geometry", "geometry"), ("mode:hard", "hard"),
                                      ("mode:external", "ext")] if g in ours["stats"]]
        L += ["Per-field exact match (%):", "", field_table(ours, base, fg), ""]
        if "ours_position" in ds:
            L += ["Card position, ours (`card_pos` under `--detail` vs the truth corners; error = mean corner "
                  "distance / card width):", "", position_table(ds["ours_position"], groups), ""]
        L += ["Latency, one image at a time, warm (ms):", "",
              "| system | median | p90 | mean | share of time outside model inference |", "|---|---|---|---|---|",
              lat_row("ours", ours), lat_row("baseline (RapidOCR)", base) if "baseline" in ds else "", ""]
        if ours["latency"]["median_ms"] and base["latency"]["median_ms"]:
            L += [f"Speed-up, median: **{base['latency']['median_ms'] / ours['latency']['median_ms']:.1f}×**; "
                  f"mean: **{base['latency']['mean_ms'] / ours['latency']['mean_ms']:.1f}×**.", ""]
        if "throughput" in ds:
            tp = ds["throughput"]
            L += [f"Throughput (images/s, first {tp['ours'][0]['images'] if tp['ours'] else '?'} images):", "",
                  "| workers | ours | baseline |", "|---|---|---|"]
            for i, o in enumerate(tp["ours"]):
                b = tp["baseline"][i]["images_per_s"] if i < len(tp["baseline"]) else "–"
                L.append(f"| {o['workers']} | {o['images_per_s']} | {b} |")
            L.append("")
    return "\n".join(L) + "\n"


def fmt_share(x):
    return "–" if x is None else f"{100 * x:.1f} %"


def position_table(pos, groups):
    lines = ["| group | cards | with position | median error | ≤ 2 % | ≤ 5 % | no position |",
             "|---|---|---|---|---|---|---|"]
    for g, label in groups:
        p = pos.get(g)
        if not p:
            continue
        med = "–" if p["median_pct"] is None else f"{p['median_pct']:.1f} %"
        lines.append(f"| {label} | {p['n']} | {p['with_pos']} | {med} | {fmt_share(p['within_2pct'])} | "
                     f"{fmt_share(p['within_5pct'])} | {p['no_pos']} |")
    return "\n".join(lines)


def capture_summary(datasets, empty):
    """One table across the generated sets: card-exact and card position per kind of capture."""
    L = ["## By capture (generated sets)", "",
         "Card exact: every field right. Position: ours' `card_pos` within 2 % / 5 % of the card's width "
         "(mean of the four corners) — shares of all cards; the baseline gives no position.", "",
         "| capture | ours: card exact | baseline: card exact | ours: median position error | ≤ 2 % | ≤ 5 % |"
         " no position |", "|---|---|---|---|---|---|---|"]
    for g, label in [("mode:scan", "scans"), ("mode:photo", "ordinary photos"),
                     ("mode:geometry", "geometry photos"), ("mode:hard", "hard photos")]:
        for name in ("synthetic", "stress"):
            ds = datasets.get(name)
            if not ds or g not in ds["ours"]["stats"]:
                continue
            o, b = ds["ours"]["stats"][g], ds.get("baseline", empty)["stats"].get(g, {})
            p = ds.get("ours_position", {}).get(g)
            cells = ["–"] * 4 if not p else [
                "–" if p["median_pct"] is None else f"{p['median_pct']:.1f} %", fmt_share(p["within_2pct"]),
                fmt_share(p["within_5pct"]), str(p["no_pos"])]
            L.append(f"| {label} | {fmt_pct(o.get('card'))} | {fmt_pct(b.get('card'))} | " + " | ".join(cells) + " |")
    return L + [""]


if __name__ == "__main__":
    sys.exit(main())
