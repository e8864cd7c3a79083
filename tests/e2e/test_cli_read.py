"""`idcard-ocr read` and `batch` against generated cards with known truth (tools/cardgen).

Each generated image is its own test case (ids like scan-03) so a failure names the image."""
import json
import subprocess
from pathlib import Path

import pytest

from e2e_support import CASES, READ_TIMEOUT_S, SET_COUNTS, run_read

FRONT_FIELDS = ("name", "id", "addr", "gender", "nationality", "birth")
BACK_FIELDS = ("valid_date", "authority")


def expected_front(t: dict) -> dict:
    return {"name": t["name"], "id": t["id"], "addr": t["addr"], "gender": t["gender"],
            "nationality": t["nationality"], "birth": t["birth"].replace("-", "")}


def expected_back(t: dict) -> dict:
    start = t["valid_from"].replace(".", "")
    end = t["valid_to"] if t["valid_to"] == "长期" else t["valid_to"].replace(".", "")
    return {"valid_date": f"{start}-{end}", "authority": t["authority"]}


def expected_fields(t: dict) -> dict:
    if t["side"] == "Front":
        return expected_front(t)
    if t["side"] == "Back":
        return expected_back(t)
    return {**expected_front(t), **expected_back(t)}


def describe(t: dict) -> str:
    return f"{t['file']} (side={t['side']} mode={t['mode']} rotation={t['rotation']} seed={t['seed']})"


# Misreads of this fixed set that the engine does not get right yet: the fields of one card, with
# why. Every other field of these cards is still asserted; a new misread anywhere fails.
# docs/benchmarks.md measures the rates on larger sets; shrink this list, never grow it quietly.
KNOWN_MISREADS = {
    "00000_scan_front.png": (("name",), "琤 (rare name character) read as 净 by the PP-OCRv6 small recognizer"),
    "00023_photo_front.jpg": (("name", "addr"), "card at ~25 % of an 878 px photo, under glare: ~8 px characters"),
}


def check_card_response(resp: dict, t: dict) -> None:
    assert resp.get("errcode") == 0, f"{describe(t)}: {resp}"
    want = expected_fields(t)
    known = KNOWN_MISREADS.get(t["file"])
    for field in known[0] if known else ():
        want.pop(field)
    got = {k: resp.get(k) for k in want}
    assert got == want, f"{describe(t)}: fields differ\n got: {got}\nwant: {want}"
    if t["side"] == "Back":
        assert resp.get("type") == "Back", f"{describe(t)}: {resp.get('type')}"
    else:
        assert resp.get("type") == "Front", f"{describe(t)}: {resp.get('type')}"


@pytest.mark.parametrize("case", [c for c in CASES if c[0] != "negative"], ids=lambda c: f"{c[0]}-{c[1]:02d}")
def test_read_card(idcard_bin, cardset, case):
    t = cardset["records"][case]
    resp = run_read(idcard_bin, cardset["dir"] / t["file"], t["mode"])
    check_card_response(resp, t)


@pytest.mark.parametrize("case", [c for c in CASES if c[0] == "negative"], ids=lambda c: f"{c[0]}-{c[1]:02d}")
def test_read_no_card(idcard_bin, cardset, case):
    t = cardset["records"][case]
    resp = run_read(idcard_bin, cardset["dir"] / t["file"], "photo")
    assert resp == {"errcode": 101001, "errmsg": "certificate not found"}, f"{describe(t)}: {resp}"


def _junk(d: Path) -> Path:
    p = d / "junk.jpg"
    p.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    return p


def _truncated(d: Path, cardset) -> Path:
    src = next(t for t in cardset["records"].values() if t["file"].endswith(".jpg") and t["side"] != "None")
    data = (cardset["dir"] / src["file"]).read_bytes()
    p = d / "truncated.jpg"
    p.write_bytes(data[: len(data) // 3])
    return p


def _text(d: Path) -> Path:
    p = d / "notes.jpg"  # a .txt renamed .jpg
    p.write_text("姓名 张三\n公民身份号码 110101199003070011\nthis is a text file, not an image\n", encoding="utf-8")
    return p


def _empty(d: Path) -> Path:
    p = d / "empty.jpg"
    p.write_bytes(b"")
    return p


@pytest.mark.parametrize("make", [_junk, _truncated, _text, _empty], ids=["junk", "truncated-jpeg", "txt-as-jpg", "empty"])
def test_read_invalid_image(idcard_bin, cardset, tmp_path, make):
    p = make(tmp_path, cardset) if make is _truncated else make(tmp_path)
    resp = run_read(idcard_bin, p, "photo")
    assert resp == {"errcode": 101002, "errmsg": "invalid image data"}, f"{p.name}: {resp}"


# ------------------------------------------------------------------ batch
@pytest.fixture(scope="module")
def batch_lines(idcard_bin, cardset, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "x.jsonl"
    proc = subprocess.run([str(idcard_bin), "batch", str(cardset["dir"]), "--out", str(out), "--workers", "2"],
                          capture_output=True, text=True, timeout=READ_TIMEOUT_S * 10)
    assert proc.returncode == 0, f"batch exited {proc.returncode}: {proc.stderr[-2000:]}"
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {Path(x["file"]).name: x for x in lines}, lines


def test_batch_one_line_per_image(batch_lines, cardset):
    by_name, lines = batch_lines
    images = sorted(p.name for p in cardset["dir"].iterdir() if p.suffix in (".jpg", ".png"))
    assert len(lines) == len(images) == sum(SET_COUNTS.values())
    assert sorted(by_name) == images
    for x in lines:
        assert set(x) == {"file", "ms", "response"}, x
        assert isinstance(x["ms"], (int, float)) and x["ms"] >= 0
        assert isinstance(x["response"], dict) and "errcode" in x["response"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-{c[1]:02d}")
def test_batch_response(batch_lines, cardset, case):
    t = cardset["records"][case]
    by_name, _ = batch_lines
    assert t["file"] in by_name, f"{t['file']} missing from batch output"
    resp = by_name[t["file"]]["response"]
    if t["side"] == "None":
        assert resp.get("errcode") == 101001, f"{describe(t)}: {resp}"
    else:
        check_card_response(resp, t)
