"""A flat's door (门) read as a digit between its unit and its flat's number (4号楼5门1307 read
4号楼571307): the address answered as printed. Generated pictures whose address once came out so,
read through the real binary."""
import pytest

from e2e_support import generated_picture, run_read

# (mode, seed, index in that set, why)
CASES = [
    ("photo", 615, 27, "门 read 7 at the start of the address's last row"),
    ("geometry", 602, 21, "门 read 7 inside the row"),
]


@pytest.mark.parametrize("mode,seed,index,why", CASES, ids=[c[3] for c in CASES])
def test_the_door_is_read_back(idcard_bin, tmp_path, mode, seed, index, why):
    picture, truth = generated_picture(tmp_path, mode, seed, index)
    assert truth["side"] == "Front" and "门" in truth["addr"]
    resp = run_read(idcard_bin, picture, "photo")
    assert resp["errcode"] == 0 and resp["type"] == "Front", resp
    assert resp["addr"] == truth["addr"]
