"""A back's bureau (签发机关) read whole: where the first look, at the whole picture's scale, names
no bureau that exists, the card is read once more rectified. Generated pictures whose bureau once
came out cut or garbled, read through the real binary."""
import pytest

from e2e_support import generated_picture, run_read

# (mode, seed, index in that set, why)
CASES = [
    # A blurred back on a page: its bureau boxed in two pieces with 局鲅鱼 lost between them
    # (营口市公安 | 图分局), no title read at stage 1; the outlined card read again whole.
    ("photo", 615, 35, "bureau in two pieces, no title at stage 1"),
    # A small hard back whose bureau read 深幸黎威苗放自治具公安局 at stage 1 beside its title: read
    # again rectified about the title.
    ("hard", 611, 10, "garbled bureau beside its title"),
]


@pytest.mark.parametrize("mode,seed,index,why", CASES, ids=[c[3] for c in CASES])
def test_the_bureau_is_read_whole(idcard_bin, tmp_path, mode, seed, index, why):
    picture, truth = generated_picture(tmp_path, mode, seed, index)
    assert truth["side"] == "Back"
    resp = run_read(idcard_bin, picture, "photo")
    assert resp["errcode"] == 0 and resp["type"] == "Back", resp
    assert resp["authority"] == truth["authority"]
    want_to = "长期" if truth["valid_to"] == "长期" else truth["valid_to"].replace(".", "")
    assert resp["valid_date"] == truth["valid_from"].replace(".", "") + "-" + want_to
