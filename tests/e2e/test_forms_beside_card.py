"""A printed form beside the card (a hotel's register, a verification sheet) prints its holder's
name, number, bureau and period too: the answer is the card's, never the form's. Generated
geometry photos whose answer once came from the form, read through the real binary."""
import pytest

from e2e_support import run_read
from tools.cardgen.generate import generate_set

# (seed, index in that geometry set, why)
CASES = [
    # A standing front beside a verification sheet (姓名：…, 身份证号码：…): the sheet was read as
    # the front and the card never looked at.
    (602, 17, "front beside a sheet with colons"),
    # A back beside a register whose rows carry no colon (身份证号码1505…, 出生日期…): the register
    # was answered as a front.
    (602, 5, "back beside a register of a card's rows"),
    # A back and a sheet's 签发机关：… and 有效期限：… rows, turned alike: the sheet's longer period won.
    (602, 49, "back beside a sheet's period"),
    # A back over a sheet cut by the picture's edge: its rows read 码：2201…, ：2008年…, 民族：朝鲜
    # (labels cut short or lost), answered as a front.
    (604, 52, "back over a sheet whose labels are cut"),
    # A front beside a register (申领登记表) whose 签发机关 and 有效期限 rows, without colons, read
    # as a back among its 证件号码 and 出生日期 rows: answered as a back.
    (607, 38, "front beside a register's back rows"),
    # A back below a verification sheet (身份信息核验单, 出生日期1992.03.20, rows without colons)
    # read as a front; the back's period, read 2029.02.06-2029.02.06 at stage 1's resolution (no
    # card's), is read again about its title.
    (610, 10, "back below a titled sheet, its period read again"),
    # A back beside a form whose number and birth rows land in a front's bands (no outline, no
    # name read): answered as a front with an empty name.
    (612, 35, "back beside a form read as a nameless front"),
]


@pytest.fixture(scope="module")
def geometry_sets(tmp_path_factory):
    made = {}

    def get(seed: int):
        if seed not in made:
            out = tmp_path_factory.mktemp(f"forms{seed}")
            last = max(i for s, i, _ in CASES if s == seed)
            made[seed] = out, generate_set(out, 0, seed, counts={"geometry": last + 1})
        return made[seed]

    return get


@pytest.mark.parametrize("seed,index,why", CASES, ids=[c[2] for c in CASES])
def test_the_cards_values_not_the_forms(idcard_bin, geometry_sets, seed, index, why):
    out, records = geometry_sets(seed)
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
