"""The base recognizer: dictionary, the engine's preprocessing (mirrored), frozen-backbone features."""
import functools
import hashlib
import math
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / ".deps" / "models"
REC = MODELS / "rec.onnx"
DICT = MODELS / "dict.txt"
DICT_FAST = MODELS / "dict_fast.txt"
BASE_SHA256 = "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634"
HIDDEN, CLASSES = 120, 18710
W_NAME, B_NAME = "linear_8.w_0", "linear_8.b_0"
FEATURE = "p2o.pd_op.transpose.8.0"  # input of the last MatMul: [N, T, 120]
HEIGHT, MAX_WIDTH = 48, 1280


@functools.lru_cache(maxsize=None)
def charset() -> tuple:
    """Class i (1..) is charset()[i-1]; the space class is appended as in the engine."""
    with open(DICT, encoding="utf-8") as f:
        chars = [line.rstrip("\n") for line in f]
    return tuple(chars + [" "])


@functools.lru_cache(maxsize=None)
def fast_charset() -> frozenset:
    with open(DICT_FAST, encoding="utf-8") as f:
        return frozenset(line.rstrip("\n") for line in f)


@functools.lru_cache(maxsize=None)
def class_of() -> dict:
    out = {}
    for i, c in enumerate(charset()):
        out.setdefault(c, i + 1)
    return out


def encode_text(s: str) -> list:
    m = class_of()
    return [m[c] for c in s]


def decode_greedy(best: np.ndarray) -> str:
    cs, out, prev = charset(), [], -1
    for k in best.tolist():
        if k != 0 and k != prev:
            out.append(cs[k - 1])
        prev = k
    return "".join(out)


@functools.lru_cache(maxsize=None)
def base_bytes() -> bytes:
    data = REC.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != BASE_SHA256:
        raise RuntimeError(f"{REC}: sha256 {digest}, expected the pinned {BASE_SHA256}")
    return data


@functools.lru_cache(maxsize=None)
def tensor_offsets() -> tuple:
    """(w_offset, b_offset): where linear_8.w_0 / linear_8.b_0 raw_data sit in the file."""
    import onnx

    data = base_bytes()
    m = onnx.load_from_string(data)
    found = {}
    for init in m.graph.initializer:
        if init.name in (W_NAME, B_NAME):
            raw = init.raw_data
            pos = data.find(raw)
            if pos < 0 or data.find(raw, pos + 1) >= 0:
                raise RuntimeError(f"{init.name}: raw_data not found exactly once")
            found[init.name] = pos
    return found[W_NAME], found[B_NAME]


def base_last_layer() -> tuple:
    from .apply import read_base_tensors

    w_off, b_off = tensor_offsets()
    return read_base_tensors(base_bytes(), HIDDEN, CLASSES, w_off, b_off)


def target_width(h: int, w: int) -> int:
    return min(max(int(math.ceil(HEIGHT * w / max(1, h))), 16), MAX_WIDTH)


def preprocess(crop_rgb: np.ndarray) -> np.ndarray:
    """Exactly TextRecognizer::run_batch for a batch of one: resize to height 48 (INTER_LINEAR),
    width by aspect (16..1280), red channel alone /127.5-1 in all three channels. [1,3,48,W]."""
    h, w = crop_rgb.shape[:2]
    tw = target_width(h, w)
    resized = cv2.resize(crop_rgb, (tw, HEIGHT), interpolation=cv2.INTER_LINEAR)
    red = resized[..., 0].astype(np.float32) / 127.5 - 1.0  # RGB here; the engine's BGR index 2
    return np.ascontiguousarray(np.broadcast_to(red, (1, 3, HEIGHT, tw)), np.float32)


def session(model_bytes: bytes, threads: int = 1, features: bool = False):
    """ONNX Runtime session; with features=True the graph also outputs the last layer's input."""
    import onnxruntime as ort

    if features:
        import onnx

        m = onnx.load_from_string(model_bytes)
        vi = onnx.helper.make_tensor_value_info(FEATURE, onnx.TensorProto.FLOAT, None)
        m.graph.output.append(vi)
        model_bytes = m.SerializeToString()
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(model_bytes, so, providers=["CPUExecutionProvider"])


def run_features(sess, crop_rgb: np.ndarray) -> np.ndarray:
    """Per-timestep 120-d features [T, 120] of one line read alone."""
    x = preprocess(crop_rgb)
    return sess.run([FEATURE], {"x": x})[0][0]


def run_probs(sess, crop_rgb: np.ndarray) -> np.ndarray:
    return sess.run(None, {"x": preprocess(crop_rgb)})[0][0]
