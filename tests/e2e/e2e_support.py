"""Shared helpers of the end-to-end tests (imported by conftest.py and the test modules)."""
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Fixed composition of the generated set; tests parametrize over it by (mode, index).
SET_SEED = 20240611
SET_COUNTS = {"scan": 12, "photo": 12, "both": 4, "negative": 6}
CASES = [(mode, i) for mode, n in SET_COUNTS.items() for i in range(n)]
READ_TIMEOUT_S = 120


def generated_picture(out: Path, mode: str, seed: int, index: int) -> tuple[Path, dict]:
    """The index-th picture of a generated set of one mode, and its truth: the generator is
    deterministic per image, so the set is made up to it (into `out`)."""
    from tools.cardgen.generate import generate_set

    records = generate_set(out, 0, seed, counts={mode: index + 1})
    return out / records[index]["file"], records[index]


def bin_path() -> Path:
    """IDCARD_OCR_BIN, else build/idcard-ocr under the repository root."""
    return Path(os.environ.get("IDCARD_OCR_BIN") or REPO / "build" / "idcard-ocr")


def run_read(binary: Path, image: Path, image_type: str, detail: bool = False) -> dict:
    """Run `idcard-ocr read IMAGE --type T [--detail]` and return the JSON it prints."""
    proc = subprocess.run([str(binary), "read", str(image), "--type", image_type] + (["--detail"] if detail else []),
                          capture_output=True, text=True, timeout=READ_TIMEOUT_S)
    assert proc.returncode == 0, f"read exited {proc.returncode}: {proc.stderr[-2000:]}"
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert lines, f"read printed nothing; stderr: {proc.stderr[-2000:]}"
    return json.loads(lines[-1])
