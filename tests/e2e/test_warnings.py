"""Issue 13 end to end through the real binary on generator pictures (tools/cardgen/defects.py):
warnings and quality, card and portrait crops, every card of a two-card photo, the opt-in
contract (no option: the answer of old), and bad option values."""
import base64
import json
import subprocess

import pytest

from e2e_support import READ_TIMEOUT_S
from openapi_support import validate_body
from service_support import ocr, require_bin, service, service_factory, sqlite_url  # noqa: F401

NEW_KEYS = {"warnings", "quality", "card_image", "portrait_image", "cards"}
CARD_ASPECT = 85.6 / 54

# One fixed seed per defect, each a picture whose warning the engine finds (the bench measures the
# rates: bench/warnings_bench.py).
CASES = {
    "border_incomplete": 2, "occluded": 2, "glare": 1, "blurred": 1, "too_small": 3, "too_dark": 1,
    "overexposed": 1, "copy_bw": 2, "reshoot": 1, "expired": 1, "invalid_date": 1, "number_mismatch": 1,
}


def picture(tmp_path, defect: str, seed: int = 1):
    from tools.cardgen.generate import generate_defect

    data, ext, truth = generate_defect(seed, defect)
    path = tmp_path / f"{defect}_{seed}.{ext}"
    path.write_bytes(data)
    return path, truth


def read(binary, path, *args) -> dict:
    proc = subprocess.run([str(binary), "read", str(path), *args], capture_output=True, text=True,
                          timeout=READ_TIMEOUT_S)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def codes(answer: dict) -> set:
    return {w["code"] for a in (answer.get("cards") or [answer]) for w in a.get("warnings", [])}


def jpeg_size(b64: str):
    from PIL import Image
    import io

    raw = base64.b64decode(b64, validate=True)
    assert raw[:3] == b"\xff\xd8\xff", "not a JPEG"
    img = Image.open(io.BytesIO(raw))
    assert img.format == "JPEG"
    return img.size


@pytest.mark.parametrize("defect", sorted(CASES))
def test_each_warning_is_found(idcard_bin, tmp_path, defect):
    path, truth = picture(tmp_path, defect, CASES[defect])
    answer = read(idcard_bin, path, "--warnings")
    assert answer["errcode"] == 0, answer
    assert set(truth["warnings"]) <= codes(answer), (truth["file"] if "file" in truth else path.name, answer.get("warnings"))
    assert 0 <= answer["quality"] <= 100
    for w in answer["warnings"]:
        assert w["message"] and not w["message"].isascii(), w  # a zh-CN text for the end user


def test_temporary_card_is_told_by_its_title_and_its_three_months_fit(idcard_bin, tmp_path):
    """A temporary card's back (临时居民身份证, valid three months): `temporary`, never
    `invalid_date`; its values read as a card's; a card's back raises neither."""
    for seed in (1, 2):
        path, truth = picture(tmp_path, "temporary", seed)
        answer = read(idcard_bin, path, "--warnings", "--detail")
        assert answer["errcode"] == 0 and answer["type"] == "Back", answer
        assert "temporary" in codes(answer) and "invalid_date" not in codes(answer), answer["warnings"]
        assert answer["valid_date"] == truth["valid_from"].replace(".", "") + "-" + truth["valid_to"].replace(".", "")
        assert answer["authority"] == truth["authority"]
        assert answer["checks"]["valid_span_ok"] is True
    card_back, truth = picture(tmp_path, "expired", CASES["expired"])
    assert truth["side"] == "Back"
    assert "temporary" not in codes(read(idcard_bin, card_back, "--warnings"))


def test_back_with_its_bureau_covered_answers_its_period(idcard_bin, tmp_path):
    """A finger over 签发机关's row: the title and a card's period still make it a back."""
    path, truth = picture(tmp_path, "occluded", 1003)
    assert truth["side"] == "Back"
    answer = read(idcard_bin, path, "--warnings")
    assert answer["errcode"] == 0 and answer["type"] == "Back"
    assert answer["valid_date"] == truth["valid_from"].replace(".", "") + "-" + truth["valid_to"].replace(".", "")
    assert answer["authority"] == ""  # not guessed
    assert "occluded" in codes(answer)


def test_back_with_both_values_covered_is_a_back_with_empty_values(idcard_bin, tmp_path):
    """A finger over 签发机关's and 有效期限's rows: only the title is legible. The card is still
    there (its title in place on its outline): a back with both values empty, not 101001."""
    path, truth = picture(tmp_path, "occluded", 5001)
    assert truth["side"] == "Back"
    answer = read(idcard_bin, path, "--warnings")
    assert answer["errcode"] == 0 and answer["type"] == "Back", answer
    assert answer["authority"] == "" and answer["valid_date"] == ""  # nothing guessed
    assert "occluded" in codes(answer)
    plain = read(idcard_bin, path)  # the plain answer too: a back, nothing guessed
    assert plain["errcode"] == 0 and plain["type"] == "Back" and plain["valid_date"] == ""


def test_back_cut_through_its_title_and_period_answers_its_bureau(idcard_bin, tmp_path):
    """The card's edge outside the picture (居民身份…, 2024.05.09-2034.05…): the bureau is still read."""
    path, truth = picture(tmp_path, "border_incomplete", 3066923898)
    answer = read(idcard_bin, path, "--warnings")
    assert answer["errcode"] == 0 and answer["type"] == "Back"
    assert answer["authority"] == truth["authority"] and answer["valid_date"] == ""  # the cut period not guessed
    assert "border_incomplete" in codes(answer)


def test_clean_photo_has_no_warning_and_high_quality(idcard_bin, tmp_path):
    path, _ = picture(tmp_path, "clean", 2)
    answer = read(idcard_bin, path, "--warnings")
    assert answer["errcode"] == 0
    assert answer["warnings"] == [] or codes(answer) <= {"expired"}, answer["warnings"]
    assert answer["quality"] >= 80
    blurred = read(idcard_bin, picture(tmp_path, "blurred", CASES["blurred"])[0], "--warnings")
    assert blurred["quality"] < answer["quality"]


def test_default_answer_is_unchanged_by_the_options(idcard_bin, tmp_path):
    """Without options no new key; with them, every other key exactly as without."""
    path, _ = picture(tmp_path, "two_cards", 1)
    plain = read(idcard_bin, path, "--detail")
    assert plain["errcode"] == 0 and not NEW_KEYS & set(plain)
    asked = read(idcard_bin, path, "--detail", "--warnings", "--crop", "card,portrait", "--cards")
    assert {k: v for k, v in asked.items() if k not in NEW_KEYS} == plain


def test_crops_are_jpeg_of_the_card_and_portrait(idcard_bin, tmp_path):
    path, truth = picture(tmp_path, "clean", 4)  # a front
    answer = read(idcard_bin, path, "--crop", "card,portrait")
    assert answer["type"] == "Front"
    w, h = jpeg_size(answer["card_image"])
    assert abs(w / h - CARD_ASPECT) < 0.02 and w >= 320, (w, h)
    if answer["type"] == "Front":
        pw, ph = jpeg_size(answer["portrait_image"])
        assert ph > pw  # a portrait is taller than wide
    else:
        assert "portrait_image" not in answer
    assert "warnings" not in answer  # only what was asked
    only_card = read(idcard_bin, path, "--crop", "card")
    assert "card_image" in only_card and "portrait_image" not in only_card


def test_two_cards_are_both_answered_with_crops(idcard_bin, tmp_path):
    path, truth = picture(tmp_path, "two_cards", 1)
    answer = read(idcard_bin, path, "--warnings", "--crop", "card,portrait")
    cards = answer["cards"]
    assert [c["type"] for c in cards] == ["Front", "Back"]
    assert cards[0]["id"] == truth["id"] == answer["id"]
    assert cards[1]["authority"] == truth["authority"]
    for c in cards:
        assert "errcode" not in c and "warnings" in c and "quality" in c
        w, h = jpeg_size(c["card_image"])
        assert abs(w / h - CARD_ASPECT) < 0.02
    assert "portrait_image" in cards[0] and "portrait_image" not in cards[1]
    assert answer["card_image"] == cards[0]["card_image"]  # the top level is the first card's


def pair_picture(tmp_path, kind: str, seed: int):
    from tools.cardgen.generate import generate_pair

    data, ext, truth = generate_pair(seed, kind)
    path = tmp_path / f"{kind}_{seed}.{ext}"
    path.write_bytes(data)
    return path, truth


@pytest.mark.parametrize("kind", ["two_fronts", "two_backs"])
def test_two_peoples_cards_are_both_answered(idcard_bin, tmp_path, kind):
    path, truth = pair_picture(tmp_path, kind, 2)
    plain = read(idcard_bin, path, "--detail")
    assert plain["errcode"] == 0 and "cards" not in plain  # not asked: one card, as ever
    answer = read(idcard_bin, path, "--detail", "--cards", "--crop", "card")
    cards = answer["cards"]
    key = "id" if kind == "two_fronts" else "authority"
    assert sorted(c[key] for c in cards) == sorted(c[key] for c in truth["cards"])
    assert {k: v for k, v in answer.items() if k not in NEW_KEYS} == plain  # the top level: the first card
    assert cards[0][key] == answer[key]
    for c in cards:
        w, h = jpeg_size(c["card_image"])
        assert abs(w / h - CARD_ASPECT) < 0.02
    if kind == "two_backs":
        assert [c["valid_date"] for c in cards] == [
            next(t["valid_from"].replace(".", "") + "-" + t["valid_to"].replace(".", "")
                 for t in truth["cards"] if t["authority"] == c["authority"]) for c in cards]


def test_crop_dir_names_a_second_persons_card(idcard_bin, tmp_path):
    path, _ = pair_picture(tmp_path, "two_fronts", 2)
    out = tmp_path / "crops"
    answer = read(idcard_bin, path, "--crop-dir", str(out), "--cards")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{path.stem}.{s}.jpg" for s in ("front.card", "front.portrait", "front2.card", "front2.portrait"))
    assert [c["card_image"] for c in answer["cards"]] == [
        str(out / f"{path.stem}.front.card.jpg"), str(out / f"{path.stem}.front2.card.jpg")]


def test_crop_dir_writes_files(idcard_bin, tmp_path):
    path, _ = picture(tmp_path, "two_cards", 1)
    out = tmp_path / "crops"
    answer = read(idcard_bin, path, "--crop-dir", str(out))
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"{path.stem}.back.card.jpg", f"{path.stem}.front.card.jpg", f"{path.stem}.front.portrait.jpg"]
    assert answer["card_image"] == str(out / f"{path.stem}.front.card.jpg")
    assert (out / files[0]).read_bytes()[:3] == b"\xff\xd8\xff"


def test_bad_crop_value_fails(idcard_bin, tmp_path):
    path, _ = picture(tmp_path, "clean", 2)
    proc = subprocess.run([str(idcard_bin), "read", str(path), "--crop", "face"], capture_output=True, text=True,
                          timeout=READ_TIMEOUT_S)
    assert proc.returncode != 0 and "--crop" in proc.stderr


def test_service_options_and_bad_values(service, tmp_path):
    path, truth = picture(tmp_path, "expired", CASES["expired"])
    image = path.read_bytes()
    plain = ocr(service.http, service.token, image)
    assert plain["errcode"] == 0 and not NEW_KEYS & set(plain)
    asked = ocr(service.http, service.token, image, warnings="1", crop="card")
    assert "expired" in codes(asked), asked.get("warnings")
    assert {k: v for k, v in asked.items() if k not in NEW_KEYS} == plain
    jpeg_size(asked["card_image"])
    validate_body(asked, "/cv/ocr/idcard")  # the shape docs/openapi.json promises
    for bad in ({"warnings": "yes"}, {"crop": "face"}, {"crop": "card,"}, {"cards": "2"}):
        body = ocr(service.http, service.token, image, **bad)
        assert body["errcode"] == 40097 and "invalid args" in body["errmsg"], (bad, body)
        assert set(body) == {"errcode", "errmsg"}
        validate_body(body, "/cv/ocr/idcard")


def test_service_lists_two_peoples_cards(service, tmp_path):
    path, truth = pair_picture(tmp_path, "two_backs", 2)
    image = path.read_bytes()
    plain = ocr(service.http, service.token, image)
    assert plain["errcode"] == 0 and "cards" not in plain
    listed = ocr(service.http, service.token, image, cards="1")
    assert sorted(c["authority"] for c in listed["cards"]) == sorted(c["authority"] for c in truth["cards"])
    assert {k: v for k, v in listed.items() if k not in NEW_KEYS} == plain
    validate_body(listed, "/cv/ocr/idcard")
