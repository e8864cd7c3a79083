"""Before/after metrics on held-apart renders, per line kind."""
import difflib

from . import model


def edits(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


def _target_right(text: str, pred: str, ch: str) -> tuple:
    """(occurrences of ch in text, of those read right: aligned in an equal block)."""
    n = text.count(ch)
    right = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, text, pred, autojunk=False).get_opcodes():
        if tag == "equal":
            right += text[i1:i2].count(ch)
    return n, right


def metrics(lines, preds, rare_set) -> dict:
    """lines: [(text, kind, target)], preds: [str]. Per kind: chars, lines, and for rare/place the
    target-character accuracy, for lookalike the share of lines wrongly given a rare character."""
    out = {}
    for (text, kind, ch), pred in zip(lines, preds):
        m = out.setdefault(kind, {"n": 0, "chars": 0, "edits": 0, "lines_right": 0, "target_n": 0,
                                  "target_right": 0, "false_rare": 0})
        m["n"] += 1
        m["chars"] += len(text)
        m["edits"] += edits(text, pred)
        m["lines_right"] += text == pred
        if kind in ("rare_name", "place") and ch:
            n, r = _target_right(text, pred, ch)
            m["target_n"] += n
            m["target_right"] += r
        if kind == "lookalike":
            m["false_rare"] += any(c in rare_set and c not in text for c in pred)
    res = {}
    for kind, m in out.items():
        r = {"lines": m["n"], "char_acc": round(1 - m["edits"] / max(1, m["chars"]), 4),
             "line_acc": round(m["lines_right"] / m["n"], 4)}
        if m["target_n"]:
            r["rare_char_acc"] = round(m["target_right"] / m["target_n"], 4)
        if kind == "lookalike":
            r["false_rare_lines"] = m["false_rare"]
            r["false_rare_rate"] = round(m["false_rare"] / m["n"], 4)
        res[kind] = r
    return res


def table(before: dict, after: dict) -> str:
    rows = ["| lines (held apart) | n | char acc base → tuned | line acc base → tuned | rare-char acc base → tuned | "
            "look-alike lines given a rare char base → tuned |", "|---|---|---|---|---|---|"]
    for kind in ("rare_name", "place", "lookalike", "minority", "ordinary", "clean"):
        if kind not in before:
            continue
        b, a = before[kind], after[kind]
        rare = f"{b['rare_char_acc']:.3f} → {a['rare_char_acc']:.3f}" if "rare_char_acc" in b else ""
        fp = (f"{b['false_rare_lines']} ({b['false_rare_rate']:.2%}) → {a['false_rare_lines']} "
              f"({a['false_rare_rate']:.2%})") if "false_rare_lines" in b else ""
        rows.append(f"| {kind} | {b['lines']} | {b['char_acc']:.4f} → {a['char_acc']:.4f} | "
                    f"{b['line_acc']:.3f} → {a['line_acc']:.3f} | {rare} | {fp} |")
    return "\n".join(rows)


def ort_check(model_bytes: bytes, imgs, expected, threads=1) -> int:
    """How many of the lines ONNX Runtime on model_bytes reads exactly as expected."""
    sess = model.session(model_bytes, threads)
    return sum(model.decode_greedy(model.run_probs(sess, im).argmax(-1)) == e for im, e in zip(imgs, expected))
