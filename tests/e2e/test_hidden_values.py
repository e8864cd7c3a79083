"""Cards with a value hidden: what is legible is answered, what is hidden is answered empty, never
guessed. A front whose number lies under a boxed 复印无效 stamp (as contest copies print it): the
card is placed from its label and rows. A front whose birth row a stamp's text half covers: the
row's other half is read, kept only as the number's date. A back whose period's end lies under
glare."""
import random

import pytest
from PIL import Image, ImageDraw

from e2e_support import run_read
from tools.cardgen import people, render_back, render_front, watermark

# Seeds whose stamp leaves too few digits for the number to be read whole (checked by hand: the
# stamp's strokes cross the first eight digits).
SEEDS = (1, 3, 4)
NUMBER_START = (0.30, 0.72, 0.62, 0.93)  # the stamp's box: over the number's first half


def on_sheet(card: Image.Image, path) -> None:
    sheet = Image.new("RGB", (int(card.width * 1.3), int(card.height * 1.4)), (235, 235, 232))
    sheet.paste(card, (int(card.width * 0.15), int(card.height * 0.2)))
    sheet.save(path)


BIRTH_ROW = (0.16, 0.33, 0.52, 0.47)  # the stamp's text over the birth row's upper half


def stamped_front(seed: int, path, box=NUMBER_START) -> people.Person:
    rnd = random.Random(seed)
    person = people.make_person(rnd)
    card, _mask = render_front.render(person, 900, rnd)
    on_sheet(watermark.stamp_box(card, box), path)
    return person


def glared_front(seed: int, path, box) -> people.Person:
    """The front with a flat bright patch (glare) over `box` (fractions of the card)."""
    rnd = random.Random(seed)
    person = people.make_person(rnd)
    card, _mask = render_front.render(person, 900, rnd)
    w, h = card.size
    ImageDraw.Draw(card).rectangle((box[0] * w, box[1] * h, box[2] * w, box[3] * h), fill=(246, 246, 244))
    on_sheet(card, path)
    return person


def glared_back(seed: int, path) -> people.Person:
    """The back with the period's end washed out (a flat bright patch over it)."""
    rnd = random.Random(seed)
    person = people.make_person(rnd)
    card, _mask = render_back.render(person, 900, rnd)
    w, h = card.size
    ImageDraw.Draw(card).rectangle((0.55 * w, 0.80 * h, 0.97 * w, 0.93 * h), fill=(246, 246, 244))
    on_sheet(card, path)
    return person


@pytest.mark.parametrize("seed", SEEDS)
def test_front_read_without_its_stamped_number(idcard_bin, tmp_path, seed):
    image = tmp_path / f"stamped_{seed}.png"
    person = stamped_front(seed, image)
    resp = run_read(idcard_bin, image, "scan")
    assert resp.get("errcode") == 0 and resp.get("type") == "Front", resp
    want = {"name": person.name, "gender": person.gender, "nationality": person.nationality,
            "birth": f"{person.birth:%Y%m%d}", "addr": person.addr}
    assert {k: resp.get(k) for k in want} == want
    # The number is not reported when it does not read whole: never a guessed one.
    assert resp.get("id") == ""


@pytest.mark.parametrize("seed", (1, 4))
def test_birth_row_half_under_a_stamp(idcard_bin, tmp_path, seed):
    image = tmp_path / f"birth_{seed}.png"
    person = stamped_front(seed, image, BIRTH_ROW)
    resp = run_read(idcard_bin, image, "scan")
    assert resp.get("errcode") == 0 and resp.get("type") == "Front", resp
    assert (resp.get("birth"), resp.get("id"), resp.get("name")) == (f"{person.birth:%Y%m%d}", person.id, person.name)


@pytest.mark.parametrize("seed", (1, 4))
def test_back_read_without_its_hidden_period(idcard_bin, tmp_path, seed):
    image = tmp_path / f"glared_{seed}.png"
    person = glared_back(seed, image)
    resp = run_read(idcard_bin, image, "photo")
    assert resp.get("errcode") == 0 and resp.get("type") == "Back", resp
    assert resp.get("authority") == person.authority
    assert resp.get("valid_date") == ""  # its end is not printed legibly: not completed, not guessed


GENDER_AND_BIRTH_VALUES = (0.17, 0.20, 0.36, 0.47)  # the values of the gender and birth rows, labels left


@pytest.mark.parametrize("seed", (1, 2))
def test_hidden_birth_and_gender_taken_from_the_number(idcard_bin, tmp_path, seed):
    image = tmp_path / f"glared_front_{seed}.png"
    person = glared_front(seed, image, GENDER_AND_BIRTH_VALUES)
    resp = run_read(idcard_bin, image, "photo", detail=True)
    assert resp.get("errcode") == 0 and resp.get("type") == "Front", resp
    assert (resp.get("id"), resp.get("name")) == (person.id, person.name)
    # Every number encodes the birth date (digits 7-14) and the gender (digit 17): taken from it,
    # marked as such, and not counted as the number's cross-check.
    assert (resp.get("birth"), resp.get("gender")) == (f"{person.birth:%Y%m%d}", person.gender)
    assert resp["fields"]["birth"].get("from_id") is True and resp["fields"]["gender"].get("from_id") is True
    assert resp["fields"]["name"].get("from_id") is None
    assert resp["checks"]["birth_matches_id"] is False and resp["checks"]["gender_matches_id"] is False
