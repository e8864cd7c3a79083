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


QUAD = [[10, 20], [110, 20], [110, 83], [10, 83]]  # a card 100 px wide


def pos_of(quad, dx=0.0, dy=0.0):
    return {k: {"x": x + dx, "y": y + dy} for k, (x, y) in zip(S.CORNERS, quad)}


def test_corner_error_is_mean_distance_over_width():
    assert S.corner_error(pos_of(QUAD), QUAD) == 0
    assert abs(S.corner_error(pos_of(QUAD, 3, 4), QUAD) - 0.05) < 1e-12  # 5 px off, 100 px wide
    keystoned = [[0, 0], [100, 0], [80, 60], [20, 60]]  # width = mean(100, 60) = 80
    assert abs(S.corner_error(pos_of(keystoned, 0, 8), keystoned) - 0.1) < 1e-12
    turned = dict(zip(S.CORNERS, [pos_of(QUAD)[k] for k in S.CORNERS[1:] + S.CORNERS[:1]]))
    assert S.corner_error(turned, QUAD) > 0.5  # right corners, wrong reading order


def test_position_per_group_and_summary():
    back = [[200, 20], [300, 20], [300, 83], [200, 83]]
    truth = [row("a.jpg", "Front", mode="photo", quad=QUAD),
             row("b.jpg", "Back", mode="photo", quad=QUAD),
             row("c.jpg", "Both", mode="geometry", quad=QUAD, back_quad=back),
             row("d.jpg", "Front", mode="geometry", quad=QUAD),
             row("e.jpg", "Front", mode="hard", quad=QUAD),
             row("f.jpg", "Front", mode="scan"),  # no quad (an external set): not scored
             {"file": "n.jpg", "side": "None", "mode": "negative"}]
    results = [{"file": "a.jpg", "response": {"errcode": 0, "type": "Front", "card_pos": pos_of(QUAD, 1)}},
               {"file": "b.jpg", "response": {"errcode": 0, "type": "Back", "card_pos": pos_of(QUAD, 3)}},
               {"file": "c.jpg", "response": {"errcode": 0, "type": "Back", "card_pos": pos_of(back, 0, 10)}},
               {"file": "d.jpg", "response": {"errcode": 0, "type": "Front"}},  # answered, no position
               {"file": "f.jpg", "response": {"errcode": 0, "type": "Front", "card_pos": pos_of(QUAD)}},
               {"file": "n.jpg", "response": {"errcode": 101001}}]  # e.jpg: no result line
    pos = S.position(truth, results)
    assert sorted(pos["mode:photo"]["errors"]) == [0.01, 0.03]
    assert pos["mode:geometry"]["errors"] == [0.1]  # Both answered Back: against back_quad
    assert pos["mode:geometry"]["missing"] == ["d.jpg"] and pos["mode:hard"]["missing"] == ["e.jpg"]
    assert "mode:scan" not in pos and "mode:negative" not in pos
    summ = S.position_summary(pos)
    assert summ["all"] == {"n": 5, "with_pos": 3, "no_pos": 2, "median_pct": 3.0,
                           "within_2pct": 0.2, "within_5pct": 0.4}
    assert summ["mode:photo"]["within_2pct"] == 0.5 and summ["mode:photo"]["median_pct"] == 2.0
    assert summ["mode:hard"] == {"n": 1, "with_pos": 0, "no_pos": 1, "median_pct": None,
                                 "within_2pct": 0.0, "within_5pct": 0.0}
