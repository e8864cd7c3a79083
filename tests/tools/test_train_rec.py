"""tools/train_rec without torch or onnx: the IDRECT1 format, applying it, the charset data file."""
import hashlib
import json
import struct
from pathlib import Path

import numpy as np
import pytest

from tools.cardgen import names
from tools.train_rec import apply as fmt

REPO = Path(__file__).resolve().parents[2]

CHARSET = REPO / "tools" / "train_rec" / "data" / "charset.json"
TUNING = REPO / "models" / "rec_tuning.bin"
PINNED = "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634"


def _fake_base(hidden=5, classes=7):
    rng = np.random.default_rng(0)
    W = rng.normal(size=(hidden, classes)).astype("<f4")
    b = rng.normal(size=classes).astype("<f4")
    head = b"ONNXISH" * 3
    base = head + W.tobytes() + b"pad" + b.tobytes() + b"tail"
    return base, W, b, len(head), len(head) + W.nbytes + 3


def test_apply_round_trips_a_delta():
    base, W, b, w_off, b_off = _fake_base()
    idx = np.array([0, 3, 6], np.uint32)
    nw = np.arange(15, dtype=np.float32).reshape(3, 5)
    nb = np.array([-1, -2, -3], np.float32)
    t = fmt.Tuning(hashlib.sha256(base).hexdigest(), 5, 7, w_off, b_off, idx, nw, nb)
    blob = fmt.encode(t)
    assert blob[:8] == b"IDRECT1\0" and len(blob) == 8 + 64 + 4 + 4 + 8 + 8 + 4 + 3 * 4 + 15 * 4 + 3 * 4
    back = fmt.decode(blob)
    assert back.base_sha256 == t.base_sha256 and list(back.class_index) == [0, 3, 6]
    np.testing.assert_array_equal(back.w, nw)
    out = fmt.apply(base, blob)
    assert len(out) == len(base)
    W2, b2 = fmt.read_base_tensors(out, 5, 7, w_off, b_off)
    expect_W, expect_b = W.copy(), b.copy()
    expect_W[:, idx] = nw.T
    expect_b[idx] = nb
    np.testing.assert_array_equal(W2, expect_W)
    np.testing.assert_array_equal(b2, expect_b)
    # everything outside the two tensors is untouched
    assert out[:w_off] == base[:w_off] and out[-4:] == b"tail"


def test_rejects_wrong_magic_digest_and_size():
    base, W, b, w_off, b_off = _fake_base()
    t = fmt.Tuning(hashlib.sha256(base).hexdigest(), 5, 7, w_off, b_off, np.array([1], np.uint32),
                   np.zeros((1, 5), np.float32), np.zeros(1, np.float32))
    blob = fmt.encode(t)
    with pytest.raises(fmt.TuningError, match="magic"):
        fmt.decode(b"IDRECT2\0" + blob[8:])
    with pytest.raises(fmt.TuningError, match="digest"):
        fmt.apply(base + b"x", blob)
    with pytest.raises(fmt.TuningError, match="size"):
        fmt.decode(blob[:-1])
    bad = fmt.Tuning(t.base_sha256, 5, 7, w_off, b_off, np.array([3, 2], np.uint32),
                     np.zeros((2, 5), np.float32), np.zeros(2, np.float32))
    with pytest.raises(fmt.TuningError):
        fmt.encode(bad)


def test_shipped_tuning_file_names_the_pinned_base():
    blob = TUNING.read_bytes()
    assert len(blob) <= 2_000_000
    t = fmt.decode(blob)
    assert t.base_sha256 == PINNED
    assert (t.hidden, t.classes, t.w_offset, t.b_offset) == (120, 18710, 12060709, 21041537)
    assert 0 < len(t.class_index) <= 3200 and np.isfinite(t.w).all() and np.isfinite(t.b).all()
    head = struct.unpack_from("<8s64sIIQQI", blob)
    assert head[0] == b"IDRECT1\0"


def test_charset_file_covers_its_groups():
    cs = json.loads(CHARSET.read_text(encoding="utf-8"))
    g = cs["groups"]
    for ch in "赜旻骉翀翯曌燊䶮":
        assert ch in g["rare_name"], ch
    assert not set(g["rare_name"]) & set(g["place"])
    looks = set(g["lookalike"])
    for ch in g["rare_name"] + g["place"]:
        assert ch in cs["lookalikes"] and cs["lookalikes"][ch], ch
        assert set(cs["lookalikes"][ch]) <= looks
    trainable = cs["trainable_classes"]
    assert trainable == sorted(set(trainable)) and trainable[0] == 0 and len(trainable) <= 3200
    dict_txt = REPO / ".deps" / "models" / "dict.txt"
    if dict_txt.exists():
        chars = dict_txt.read_text(encoding="utf-8").split("\n")
        cls = {}
        for i, c in enumerate(chars):
            cls.setdefault(c, i + 1)
        need = {cls[c] for c in g["rare_name"] + g["place"] + g["lookalike"]}
        assert need <= set(trainable)


def test_generator_rare_chars_are_the_rare_name_group():
    cs = json.loads(CHARSET.read_text(encoding="utf-8"))
    assert names.RARE_CHARS == cs["groups"]["rare_name"]
    assert len(names.RARE_CHARS) > 1000


def test_class_margins_lower_only_the_rare_classes_that_win_lookalike_lines(monkeypatch):
    from types import SimpleNamespace

    from tools.train_rec import train

    # Three classes: 1 = 祎 (common), 2 = 袆 (rare twin), 3 = 鳒 (rare, never wins). A line's reading
    # is the rare twin while its bias is above -1.2, as a class that attracts look-alike lines does.
    cls = {"祎": 1, "袆": 2, "鳒": 3}
    monkeypatch.setattr(train.model, "class_of", lambda: cls)

    def decode(P, WS, bS, i):
        return P.texts[i].replace("祎", "袆") if bS[2] > -1.2 else P.texts[i]

    monkeypatch.setattr(train, "decode", decode)
    P = SimpleNamespace(S=np.arange(4), pos=np.arange(4), texts=["王祎", "李祎明", "张三"])
    marg = train.class_margins(P, None, np.zeros(4, np.float32), [0, 1, 2], {"袆", "鳒"}, step=0.5, log=lambda m: None)
    # both lines fire in rounds 1 and 2 (bias 0, then -1), none in round 3 (-2); 张三 never does
    assert marg[2] == pytest.approx(2.0) and marg[3] == 0 and marg[1] == 0 and marg[0] == 0
