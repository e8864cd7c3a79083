"""Every kind of file a phone sends reads as its original does: JPEG with a trailer or a second
picture after its end (Samsung, Motion Photo, MPF), progressive and CMYK JPEG, 16-bit PNG, PNG with
alpha, WebP, each with an EXIF orientation, and HEIC (phone_corpus.py makes them from a generated
card; HEIC's own rotation boxes are covered by the unit tests)."""
import json
import subprocess

import pytest
from PIL import Image

from e2e_support import READ_TIMEOUT_S
from phone_corpus import make_corpus
from test_cli_read import check_card_response

NAMES = ["trailer.jpg", "mpf.jpg", "progressive.jpg", "cmyk.jpg", "deep16.png", "alpha.png", "photo.webp",
         "photo.heic"]


def _corners(resp: dict) -> list:
    pos = resp["card_pos"]
    return [(pos[k]["x"], pos[k]["y"]) for k in ("left_top", "right_top", "right_bottom", "left_bottom")]


@pytest.fixture(scope="module")
def corpus_reads(idcard_bin, cardset, tmp_path_factory):
    """The card and its corpus read in one batch run: {name: response}, plus the truth and size."""
    scans = [cardset["records"][case] for case in sorted(cardset["records"]) if case[0] == "scan"]
    truth = next(t for t in scans if t["side"] == "Front")
    card = Image.open(cardset["dir"] / truth["file"]).convert("RGB")
    out = tmp_path_factory.mktemp("phone")
    files = make_corpus(card, out / "corpus")
    original = out / "original.png"
    card.save(original)
    assert sorted(files) == sorted(NAMES)
    jsonl = out / "reads.jsonl"
    proc = subprocess.run([str(idcard_bin), "batch", str(original), *map(str, files.values()), "--out", str(jsonl),
                           "--type", "photo", "--detail", "--workers", "1"], capture_output=True, text=True,
                          timeout=READ_TIMEOUT_S * 3)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(x) for x in jsonl.read_text().splitlines()]
    by_name = {"original": next(x["response"] for x in lines if x["file"] == str(original))}
    for name, path in files.items():
        by_name[name] = next(x["response"] for x in lines if x["file"] == str(path))
    return {"reads": by_name, "truth": truth, "size": card.size}


@pytest.mark.parametrize("name", NAMES)
def test_phone_file_reads_as_its_original(corpus_reads, name):
    reads, truth = corpus_reads["reads"], corpus_reads["truth"]
    original, got = reads["original"], reads[name]
    check_card_response(original, truth)
    check_card_response(got, truth)
    w, h = corpus_reads["size"]
    if name == "alpha.png":  # a 40-pixel transparent margin around the card
        w, h = w + 80, h + 80
        shift = 40
    else:
        shift = 0
    assert got["img_size"] == {"w": w, "h": h}  # EXIF orientation applied: upright, as shown
    for (xo, yo), (xg, yg) in zip(_corners(original), _corners(got)):
        assert abs(xo + shift - xg) < 0.02 * w and abs(yo + shift - yg) < 0.02 * h, (_corners(original), _corners(got))
