"""Lines of one card read one way round: a number the line classifier turned upside down with some
confidence (digits read almost alike turned round) follows its surely upright neighbours. A
generated geometry photo whose number was read turned round (no card found), through the real
binary."""
from e2e_support import run_read
from tools.cardgen.generate import generate_set


def test_a_number_turned_wrong_follows_its_rows(idcard_bin, tmp_path):
    # Seed 604 geometry #16: a front at 131 degrees, its number classified upside down (0.94).
    truth = generate_set(tmp_path, 0, 604, counts={"geometry": 17})[16]
    resp = run_read(idcard_bin, tmp_path / truth["file"], "photo")
    assert resp["errcode"] == 0 and resp["type"] == "Front", resp
    assert resp["id"] == truth["id"]
    assert resp["name"] == truth["name"]
