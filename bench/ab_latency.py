"""Two builds of idcard-ocr timed against each other on the same images, interleaved.

    .venv/bin/python bench/ab_latency.py OLD_BIN NEW_BIN [--set DIR] [--rounds 3]

On a shared machine the speed of a whole run drifts by several per cent between runs (the same
binary measured 178 and 198 ms an hour apart), more than most changes are worth. So the two
binaries run in turns (old, new, old, new, ...), each image keeps its fastest time over the rounds
(noise only ever adds time), and the answer is the median over images of new/old, with the
medians of the minima. The answers of the two are compared too: a speed change that also
changes what is read says so.

Prints a small report; exit status 0. DIR defaults to the seed-7 benchmark set in bench/out.
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_batch(binary, images, out):
    subprocess.run([binary, "batch", str(images), "--out", str(out), "--workers", "1"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = [json.loads(line) for line in open(out, encoding="utf-8") if line.strip()]
    return {r["file"]: (r["ms"], r["response"]) for r in lines}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--set", default=str(HERE / "out" / "set_s7_n200"), help="folder of images")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    runs = {"old": [], "new": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for tag in ("old", "new"):
                out = Path(tmp) / f"{tag}_{r}.jsonl"
                runs[tag].append(run_batch(getattr(args, tag), args.set, out))
                print(f"round {r + 1} {tag}: median {statistics.median(v[0] for v in runs[tag][-1].values()):.1f} ms",
                      file=sys.stderr, flush=True)

    files = sorted(set(runs["old"][0]) & set(runs["new"][0]))
    if not files:
        sys.exit("no images read by both")
    fastest = {tag: {f: min(run[f][0] for run in runs[tag]) for f in files} for tag in runs}
    ratio = statistics.median(fastest["new"][f] / fastest["old"][f] for f in files)
    differ = [f for f in files if runs["old"][0][f][1] != runs["new"][0][f][1]]
    print(f"images: {len(files)}, rounds: {args.rounds} (interleaved, workers 1)")
    for tag in ("old", "new"):
        per_run = ", ".join(f"{statistics.median(run[f][0] for f in files):.1f}" for run in runs[tag])
        print(f"{tag}: median of per-image minima {statistics.median(fastest[tag].values()):.1f} ms "
              f"(run medians {per_run})")
    print(f"new/old, median over images: {ratio:.3f}")
    print(f"answers that differ: {len(differ)}" + (f" (e.g. {', '.join(Path(f).name for f in differ[:5])})"
                                                   if differ else ""))


if __name__ == "__main__":
    main()
