"""The rec_tuning.bin format (IDRECT1) and applying it to the pinned rec.onnx bytes.

Numpy only (no torch, no onnx package): the tests and the evaluation use it, and the C++ engine
implements the same layout. Little-endian:

    char     magic[8]        = "IDRECT1\\0"
    char     base_sha256[64] = hex SHA-256 of the rec.onnx it applies to
    uint32   hidden          (120)
    uint32   classes         (18710)
    uint64   w_offset        byte offset of linear_8.w_0's raw_data in the base file
    uint64   b_offset        byte offset of linear_8.b_0's raw_data in the base file
    uint32   k               number of classes changed
    uint32   class_index[k]  ascending, 0..classes-1 (0 = CTC blank, i = dict.txt line i-1, last = space)
    float32  w[k][hidden]    new column of W for each changed class; W is row-major [hidden][classes]:
                             element (h, c) at w_offset + 4*(h*classes + c)
    float32  b[k]            new bias of each changed class
"""
import hashlib
import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"IDRECT1\0"
_HEAD = struct.Struct("<8s64sIIQQI")


class TuningError(ValueError):
    pass


@dataclass
class Tuning:
    base_sha256: str
    hidden: int
    classes: int
    w_offset: int
    b_offset: int
    class_index: np.ndarray  # uint32 [k], ascending
    w: np.ndarray  # float32 [k, hidden]
    b: np.ndarray  # float32 [k]


def encode(t: Tuning) -> bytes:
    idx = np.asarray(t.class_index, np.uint32)
    k = len(idx)
    if k and (np.any(np.diff(idx.astype(np.int64)) <= 0) or int(idx[-1]) >= t.classes):
        raise TuningError("class_index must be strictly ascending and < classes")
    w = np.asarray(t.w, np.float32).reshape(k, t.hidden)
    b = np.asarray(t.b, np.float32).reshape(k)
    if len(t.base_sha256) != 64:
        raise TuningError("base_sha256 must be 64 hex digits")
    head = _HEAD.pack(MAGIC, t.base_sha256.encode("ascii"), t.hidden, t.classes, t.w_offset, t.b_offset, k)
    return head + idx.astype("<u4").tobytes() + w.astype("<f4").tobytes() + b.astype("<f4").tobytes()


def decode(data: bytes) -> Tuning:
    if len(data) < _HEAD.size:
        raise TuningError("file too short")
    magic, sha, hidden, classes, w_off, b_off, k = _HEAD.unpack_from(data, 0)
    if magic != MAGIC:
        raise TuningError(f"wrong magic {magic!r}")
    try:
        sha = sha.decode("ascii")
        int(sha, 16)
    except (UnicodeDecodeError, ValueError) as e:
        raise TuningError("base_sha256 is not hex") from e
    need = _HEAD.size + 4 * k + 4 * k * hidden + 4 * k
    if len(data) != need:
        raise TuningError(f"size {len(data)} != {need} for k={k}, hidden={hidden}")
    o = _HEAD.size
    idx = np.frombuffer(data, "<u4", k, o).astype(np.uint32)
    o += 4 * k
    w = np.frombuffer(data, "<f4", k * hidden, o).reshape(k, hidden).astype(np.float32)
    o += 4 * k * hidden
    b = np.frombuffer(data, "<f4", k, o).astype(np.float32)
    if k and (np.any(np.diff(idx.astype(np.int64)) <= 0) or int(idx[-1]) >= classes):
        raise TuningError("class_index not strictly ascending or out of range")
    return Tuning(sha, hidden, classes, w_off, b_off, idx, w, b)


def apply(base: bytes, tuning: bytes) -> bytes:
    """The base model bytes with the changed columns of W and entries of b written in place.
    Raises TuningError when the base bytes are not the ones the tuning was made for."""
    t = decode(tuning)
    digest = hashlib.sha256(base).hexdigest()
    if digest != t.base_sha256:
        raise TuningError(f"base model digest {digest} != {t.base_sha256} named by the tuning file")
    W_bytes = 4 * t.hidden * t.classes
    if t.w_offset + W_bytes > len(base) or t.b_offset + 4 * t.classes > len(base):
        raise TuningError("offsets beyond the base file")
    out = bytearray(base)
    Wv = np.ndarray((t.hidden, t.classes), "<f4", buffer=out, offset=t.w_offset)
    Bv = np.ndarray((t.classes,), "<f4", buffer=out, offset=t.b_offset)
    Wv[:, t.class_index] = t.w.T
    Bv[t.class_index] = t.b
    return bytes(out)


def read_base_tensors(base: bytes, hidden: int, classes: int, w_offset: int, b_offset: int):
    """(W [hidden, classes], b [classes]) read straight from the file bytes (copies)."""
    W = np.frombuffer(base, "<f4", hidden * classes, w_offset).reshape(hidden, classes).copy()
    b = np.frombuffer(base, "<f4", classes, b_offset).copy()
    return W, b


def file_sha256(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


if __name__ == "__main__":  # python -m tools.train_rec.apply BASE TUNING OUT
    import sys

    base_path, tuning_path, out_path = sys.argv[1:4]
    with open(base_path, "rb") as f:
        base_bytes = f.read()
    with open(tuning_path, "rb") as f:
        patched = apply(base_bytes, f.read())
    with open(out_path, "wb") as f:
        f.write(patched)
    print(hashlib.sha256(patched).hexdigest(), out_path)
