"""`idcard-ocr batch --format csv`: a header row, then one RFC 4180 row per image carrying the
same answer as the JSONL output (read back with Python's csv module)."""
import csv
import json
import subprocess

from e2e_support import bin_path
from sdk_support import generator_card
from service_support import junk_bytes

FRONT_SEED, BACK_SEED = 20246, 20247
COLUMNS = ["file", "errcode", "errmsg", "type", "name", "id", "addr", "gender", "nationality", "birth", "valid_date",
           "authority", "ms"]


def run_batch(*args):
    proc = subprocess.run([str(bin_path()), "batch", *map(str, args)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_csv_matches_jsonl(idcard_bin, tmp_path):
    cards = tmp_path / "cards"
    cards.mkdir()
    front, back = generator_card(FRONT_SEED, "Front"), generator_card(BACK_SEED, "Back")
    (cards / f"front{front['ext']}").write_bytes(front["bytes"])
    (cards / f"back, \"quoted\"{back['ext']}").write_bytes(back["bytes"])  # a name that needs quoting
    (cards / "junk.jpg").write_bytes(junk_bytes())
    run_batch(cards, "--out", tmp_path / "out.csv", "--format", "csv", "--workers", "1", "--type", "scan")
    run_batch(cards, "--out", tmp_path / "out.jsonl", "--workers", "1", "--type", "scan")

    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == COLUMNS
    by_file = {r[0]: dict(zip(COLUMNS, r)) for r in rows[1:]}
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(by_file) == sorted(x["file"] for x in lines) and len(lines) == 3
    for line in lines:
        row, answer = by_file[line["file"]], line["response"]
        for key in COLUMNS[1:-1]:
            assert row[key] == str(answer.get(key, "")), (key, row, answer)
        assert float(row["ms"]) > 0
    rows = {k.rsplit("/", 1)[-1]: v for k, v in by_file.items()}
    assert rows[f"front{front['ext']}"]["id"] == front["truth"]["id"]
    assert rows[f"back, \"quoted\"{back['ext']}"]["type"] == "Back"
    assert rows["junk.jpg"]["errcode"] == "101002" and rows["junk.jpg"]["name"] == ""


def test_csv_profile_column_and_detail_refused(idcard_bin, tmp_path):
    img = tmp_path / "junk.jpg"
    img.write_bytes(junk_bytes())
    run_batch(img, "--out", tmp_path / "p.csv", "--format", "csv", "--profile")
    header = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",ms,model_ms")
    proc = subprocess.run([str(bin_path()), "batch", str(img), "--out", str(tmp_path / "d.csv"), "--format", "csv",
                           "--detail"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "--format jsonl" in proc.stderr
