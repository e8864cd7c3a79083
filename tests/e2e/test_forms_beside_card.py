"""A printed form beside the card (a hotel's register, a verification sheet) prints its holder's
name, number, bureau and period too: the answer is the card's, never the form's. Generated
geometry photos whose answer once came from the form, read through the real binary."""
import pytest

from e2e_support import run_read
from tools.cardgen.generate import generate_set

# (index in geometry seed 602, why)
CASES = [
    # A standing front beside a verification sheet (姓名：…, 身份证号码：…): the sheet was read as
    # the front and the card never looked at.
    (17, "front beside a sheet with colons"),
    # A back beside a register whose rows carry no colon (身份证号码1505…, 出生日期…): the register
    # was answered as a front.
    (5, "back beside a register of a card's rows"),
    # A back and a sheet's 签发机关：… and 有效期限：… rows, turned alike: the sheet's longer period won.
    (49, "back beside a sheet's period"),
]


@pytest.fixture(scope="module")
def geometry_602(tmp_path_factory):
    out = tmp_path_factory.mktemp("forms")
    return out, generate_set(out, 0, 602, counts={"geometry": max(i for i, _ in CASES) + 1})


@pytest.mark.parametrize("index,why", CASES, ids=[c[1] for c in CASES])
def test_the_cards_values_not_the_forms(idcard_bin, geometry_602, index, why):
    out, records = geometry_602
    truth = records[index]
    resp = run_read(idcard_bin, out / truth["file"], "photo")
    assert resp["errcode"] == 0 and resp["type"] == truth["side"], resp
    if truth["side"] == "Front":
        assert resp["id"] == truth["id"]
        assert resp["name"] == truth["name"]
    else:
        assert resp["authority"] == truth["authority"]
        want_to = "长期" if truth["valid_to"] == "长期" else truth["valid_to"].replace(".", "")
        assert resp["valid_date"] == truth["valid_from"].replace(".", "") + "-" + want_to
