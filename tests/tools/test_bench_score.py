"""bench/score.py: truth -> expected WeChat fields, both sides, negatives (no models needed)."""
import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("bench_score", Path(__file__).resolve().parents[2] / "bench" / "score.py")
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

PERSON = {"name": "慕容倩", "gender": "女", "nationality": "汉", "birth": "1955-03-04",
          "addr": "福建省三明市宁化县安乐镇东湖巷221号", "id": "350424195503044300",
          "authority": "宁化县公安局", "valid_from": "2010.07.29", "valid_to": "2030.07.29"}


def row(file, side, mode="scan", **kw):
    return dict(PERSON, file=file, side=side, mode=mode, **kw)


def test_expected_front_back_both():
    f = S.expected(row("a.png", "Front"))
    assert f == {"name": "慕容倩", "gender": "女", "nationality": "汉", "birth": "19550304",
                 "addr": "福建省三明市宁化县安乐镇东湖巷221号", "id": "350424195503044300"}
    b = S.expected(row("b.png", "Back", valid_to="长期"))
    assert b == {"authority": "宁化县公安局", "valid_date": "20100729-长期"}
    both = S.expected(row("c.png", "Both"))
    assert both["valid_date"] == "20100729-20300729" and both["birth"] == "19550304" and len(both) == 8
    assert S.expected({"file": "n.png", "side": "None"}) == {}


def test_score_cards_types_and_refusals():
    truth = [row("a.png", "Front"), row("b.png", "Back"), row("c.png", "Both", mode="photo"),
             {"file": "n.png", "side": "None", "mode": "negative"},
             {"file": "m.png", "side": "None", "mode": "negative"}, row("missing.png", "Front")]
    front = dict(S.expected(truth[0]), errcode=0, type="Front")
    back = dict(S.expected(truth[1]), errcode=0, type="Front")  # wrong type -> card wrong
    both = dict(S.expected(truth[2]), errcode=0, type="Front")
    results = [{"file": "/x/a.png", "ms": 10, "response": front},
               {"file": "b.png", "ms": 20, "response": back},
               {"file": "c.png", "ms": 30, "response": both},
               {"file": "n.png", "ms": 5, "response": {"errcode": 101001}},
               {"file": "m.png", "ms": 5, "response": {"errcode": 0, "type": "Front"}}]
    stats, errors = S.score(truth, results)
    assert stats["all"]["card"] == [3, 6]  # a, c, n
    assert stats["side:Back"]["type"] == [0, 1] and stats["side:Back"]["authority"] == [1, 1]
    assert stats["side:Both"]["card"] == [1, 1]
    assert stats["mode:negative"]["refusal"] == [1, 2]
    assert stats["side:Front"]["card"] == [1, 2]  # the missing result counts as wrong
    assert any(e[0] == "m.png" and e[1] == "refusal" for e in errors)
    lat = S.latency(results, skip={"c.png"})
    assert lat["n"] == 4 and lat["median_ms"] == 10 and lat["p90_ms"] == 20
    assert S.summarize(stats)["all"]["card"] == [3, 6]
