"""End-to-end fixtures: the idcard-ocr binary and small generated card sets (fixed seeds)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Fixed composition of the generated set; tests parametrize over it by (mode, index).
SET_SEED = 20240611
SET_COUNTS = {"scan": 12, "photo": 12, "both": 4, "negative": 6}
CASES = [(mode, i) for mode, n in SET_COUNTS.items() for i in range(n)]
READ_TIMEOUT_S = 120


def bin_path() -> Path:
    return Path(os.environ.get("IDCARD_OCR_BIN") or REPO / "build" / "idcard-ocr")


@pytest.fixture(scope="session")
def idcard_bin() -> Path:
    p = bin_path()
    if not (p.is_file() and os.access(p, os.X_OK)):
        pytest.skip(f"idcard-ocr binary not found at {p} (build it, or set IDCARD_OCR_BIN)")
    return p


@pytest.fixture(scope="session")
def cardset(tmp_path_factory):
    """Generated once per session: {"dir": Path, "records": {(mode, i): truth record}}."""
    from tools.cardgen.generate import generate_set

    out = tmp_path_factory.mktemp("cards")
    records = generate_set(out, 0, SET_SEED, counts=SET_COUNTS)
    by_case = {}
    seen = {m: 0 for m in SET_COUNTS}
    for r in records:
        mode = "both" if r["side"] == "Both" else r["mode"]
        by_case[(mode, seen[mode])] = r
        seen[mode] += 1
    assert seen == SET_COUNTS
    return {"dir": out, "records": by_case}


def run_read(binary: Path, image: Path, image_type: str) -> dict:
    """Run `idcard-ocr read IMAGE --type T` and return the JSON it prints."""
    proc = subprocess.run([str(binary), "read", str(image), "--type", image_type], capture_output=True,
                          text=True, timeout=READ_TIMEOUT_S)
    assert proc.returncode == 0, f"read exited {proc.returncode}: {proc.stderr[-2000:]}"
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert lines, f"read printed nothing; stderr: {proc.stderr[-2000:]}"
    return json.loads(lines[-1])
