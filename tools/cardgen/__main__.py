"""python -m tools.cardgen --out DIR --count N --seed S [--modes ...] [--mix ...] [--counts ...]"""
import argparse
import sys
import time

from . import fonts
from .generate import DEFAULT_MIX, generate_set, parse_counts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.cardgen",
                                description="Synthetic Chinese resident ID card images with truth.jsonl")
    p.add_argument("--out", required=True, help="output folder (created)")
    p.add_argument("--count", type=int, required=True, help="number of images")
    p.add_argument("--seed", type=int, default=0, help="master seed; same seed, same bytes")
    p.add_argument("--modes", default=None, help="comma list of scan,photo,both,negative (default: all)")
    p.add_argument("--mix", default=None,
                   help="weights, e.g. " + ",".join(f"{k}={v}" for k, v in DEFAULT_MIX.items()))
    p.add_argument("--counts", default=None,
                   help="exact images per mode, e.g. geometry=30,hard=30 (then --count, --modes, --mix are ignored)")
    p.add_argument("--rare-names", type=float, default=0.08,
                   help="share of Han names given a rare character (0..1; the recognizer benchmark uses 0.5)")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    if not 0 <= a.rare_names <= 1:
        p.error("--rare-names must be within 0..1")
    if a.count < 0:
        p.error("--count must be >= 0")
    try:
        fonts.font_path("sans"), fonts.font_path("ocrb")
    except fonts.FontMissing as e:
        print(f"cardgen: {e}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    tty = sys.stderr.isatty() and not a.quiet

    def progress(done, total):
        if tty:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        counts = parse_counts(a.counts) if a.counts else None
        recs = generate_set(a.out, a.count, a.seed, a.modes, a.mix, counts=counts, progress=progress,
                            rare_names=a.rare_names)
    except ValueError as e:
        p.error(str(e))
    dt = time.perf_counter() - t0
    if not a.quiet:
        print(f"{'' if not tty else chr(10)}cardgen: {len(recs)} images in {dt:.1f}s "
              f"({len(recs) / dt if dt > 0 else 0:.1f}/s) -> {a.out}/truth.jsonl", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
