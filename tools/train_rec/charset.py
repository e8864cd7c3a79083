"""Character groups of the name-relevant part of the dictionary, and each rare char's look-alikes.

Written to tools/train_rec/data/charset.json (committed; rebuilt by `python -m tools.train_rec
charset`). How each group is derived:

- rare_name: characters of level 3 of the 通用规范汉字表 (Table of General Standard Chinese
  Characters, 2013; level 3 = 1,605 characters "for surnames, given names, place names, science
  terms", data/tgscc_level3.txt, in the table's serial order) that the full dictionary has and the
  tiny recognizer's dictionary lacks; plus a curated list of well-known rare given-name/surname
  characters (CURATED) wherever the full dictionary has them (some of these, e.g. 堃 喆 淼, are in
  the tiny dictionary too).
- place: characters of the county-level divisions, streets/towns (data/divisions.csv,
  data/streets.csv.gz) and villages (tools/cardgen/data/villages.txt.gz) that the full dictionary has
  and the tiny one lacks: rare characters of addresses and issuing authorities.
- minority: characters of the minority-name transliterations of tools/cardgen/names.py plus
  MINORITY_EXTRA (common transliteration characters), as evaluated; mostly common characters.
- lookalike: for each rare_name/place character, the common characters it is confused with: those
  seen on real photos (ISSUE_CONFUSIONS), then up to LOOKALIKES of what the BASE model answers for it
  in 3 rendered, degraded name/address lines (its own confusions, restricted to the tiny
  dictionary); where the base model read it right every time, its nearest neighbour by glyph
  similarity (cosine of blurred 32x32 renders in Noto Sans CJK) among the tiny dictionary's chars.
- trainable: class indices whose last-layer column may change: blank, rare_name, place, lookalike.
"""
import collections
import csv
import difflib
import gzip
import json
import random
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from tools.cardgen import fonts, names

from . import model, render

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
CHARSET_JSON = DATA / "charset.json"
RARE_NAME_TXT = DATA / "rare_name_chars.txt"  # the rare_name group alone, read by tools/cardgen/names.py
LEVEL3 = DATA / "tgscc_level3.txt"
LOOKALIKES = 1  # at most this many from the base model's own confusions (plus ISSUE_CONFUSIONS)
# Confusions seen on held-out photos (issue 14): rare character -> what the engine answered.
ISSUE_CONFUSIONS = {"曌": "盟", "赜": "啧", "旻": "要昊", "骉": "号马", "翀": "肿冲", "翯": "需", "昶": "来永"}
CURATED = ("燊琤䶮骉堃喆赟昶曌赜旻翀翯淼犇鑫焱垚昇玥珺璟玹婧妍晗钰琪瑾琰璐珏玮炜煜昱晟暄曦"
           "彧祎祺禛熠烨焓炅灏泓湉沅淏澍濛渤溥皓皞睿翊翌翙翚翎骞骥骁骅驰骏犇淼焱森鑫垚磊晶"
           "昀旸晔晖晞暐暻曜曈珩珝琇琛琦琮瑄瑛瑢瑭璇璋璘瓒甯堉垿埕埙堇尧峣崚嵘岚岑屹巍")
MINORITY_EXTRA = "阿买提艾力吐尔逊尼瓦热合曼迪库班依明木努兰叶别克吾麦赛沙肉孜布玉苏甫托里居马哈巴洪西古丽娜帕玛拉再米宛比旦斯佐萨伊万安德烈娜塔莎瓦西里尼古拉卡佳谢盖彼得洛夫诺兹索科巴甫沃扎次仁卓央金多吉格桑姆旺堆尼德平措索朗达白强顿珠曲罗益特其乌云和额敦那朝鲁琴日勒宝音图雅拉坦包敖登高娃毕·"


def _cjk(c: str) -> bool:
    return len(c) == 1 and (0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF or ord(c) >= 0x20000)


def _place_words() -> dict:
    """Every division/street/village name, by character."""
    words = set()
    with open(model.ROOT / "data" / "divisions.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            words.update(w for w in (r["province"], r["city"], r["county"]) if w)
    with gzip.open(model.ROOT / "data" / "streets.csv.gz", "rt", encoding="utf-8") as f:
        words.update(line.rstrip("\n").split(",", 1)[1] for line in f if "," in line)
    with gzip.open(model.ROOT / "tools" / "cardgen" / "data" / "villages.txt.gz", "rt", encoding="utf-8") as f:
        words.update(line.strip() for line in f if line.strip())
    by = collections.defaultdict(list)
    for w in sorted(words):
        for c in set(w):
            by[c].append(w)
    return by


def place_words_for(chars) -> dict:
    by = _place_words()
    return {c: by[c][:40] for c in chars if c in by}


def _glyph_matrix(chars) -> np.ndarray:
    font = fonts.get("sans", 28)
    out = np.zeros((len(chars), 32 * 32), np.float32)
    for i, c in enumerate(chars):
        img = Image.new("L", (32, 32), 0)
        ImageDraw.Draw(img).text((16, 16), c, font=font, fill=255, anchor="mm")
        a = cv2.GaussianBlur(np.asarray(img, np.float32), (0, 0), 1.2).ravel()
        a -= a.mean()
        out[i] = a / (np.linalg.norm(a) + 1e-6)
    return out


def _confusions(chars, place_set, threads: int, seed: int) -> dict:
    """What the base model reads in place of each char, over a few rendered lines."""
    sess = model.session(model.base_bytes(), threads)
    rnd = random.Random(seed)
    nrng = np.random.default_rng(seed)
    pw = place_words_for(place_set)
    out = {}
    for c in chars:
        cnt = collections.Counter()
        for j in range(3):
            text = render.place_with(rnd, c, pw) if c in place_set else render.name_with(rnd, c)
            img = render.degrade(render.draw_line(text, rnd), rnd, nrng, strength=0.6 + 0.4 * j / 2)
            pred = model.decode_greedy(model.run_probs(sess, img).argmax(-1))
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, text, pred, autojunk=False).get_opcodes():
                if tag == "replace" and c in text[i1:i2]:
                    for x in pred[j1:j2]:
                        if x != c and _cjk(x):
                            cnt[x] += 1
        out[c] = [x for x, _ in cnt.most_common()]
    return out


def build(threads: int = 1, seed: int = 14) -> dict:
    cs = model.charset()
    full = set(cs)
    fast = model.fast_charset()
    level3 = LEVEL3.read_text(encoding="utf-8").strip()
    rare = [c for c in level3 if c in full and c not in fast and fonts.has_glyph("sans", c)]
    rare_set = set(rare)
    rare += [c for c in dict.fromkeys(CURATED) if c in full and c not in rare_set and fonts.has_glyph("sans", c)]
    rare_set = set(rare)
    place = sorted(c for c in _place_words() if c in full and c not in fast and c not in rare_set and _cjk(c)
                   and fonts.has_glyph("sans", c))
    minority_src = "".join(names.DOT_MALE + names.DOT_FEMALE + names.RUSSIAN_GIVEN + names.RUSSIAN_FAMILY
                           + names.TIBETAN + names.MONGOLIAN) + MINORITY_EXTRA
    minority = [c for c in dict.fromkeys(minority_src) if c in full]
    targets = rare + place
    conf = _confusions(targets, set(place), threads, seed)
    return finish(rare, place, minority, conf)


def finish(rare, place, minority, conf) -> dict:
    """Look-alikes from the base model's confusions (conf) and glyph similarity; trainable classes."""
    fast = model.fast_charset()
    full = set(model.charset())
    rare_set = set(rare)
    targets = rare + place
    common = sorted(c for c in fast if _cjk(c) and c in full and c not in rare_set)
    G = _glyph_matrix(common)
    T = _glyph_matrix(targets)
    sims = T @ G.T
    looks = {}
    for i, c in enumerate(targets):
        cand = [x for x in ISSUE_CONFUSIONS.get(c, "") if x in full]
        cand += [x for x in conf.get(c, []) if x in fast and x not in rare_set and x not in cand][:LOOKALIKES]
        if not cand:  # the base model read it right: its nearest glyph among common characters
            cand = [common[int(np.argmax(sims[i]))]]
        looks[c] = cand
    lookalike = sorted({x for v in looks.values() for x in v})
    m = model.class_of()
    trainable = sorted({0} | {m[c] for c in rare + place + lookalike})
    return {
        "about": __doc__.strip().split("\n\n", 1)[1],
        "source_level3": "通用规范汉字表 (2013) level 3, serial 6501-8105, as listed by "
                         "github.com/iDvel/The-Table-of-General-Standard-Chinese-Characters",
        "groups": {"rare_name": "".join(rare), "place": "".join(place), "minority": "".join(minority),
                   "lookalike": "".join(lookalike)},
        "lookalikes": looks,
        "base_confusions": {c: v for c, v in conf.items() if v},
        "trainable_classes": trainable,
    }


def relink() -> None:
    """Recompute look-alikes and trainable classes from the stored base confusions (no model run)."""
    d = load()
    g = d["groups"]
    _write(finish(list(g["rare_name"]), list(g["place"]), list(g["minority"]), d["base_confusions"]))


def load() -> dict:
    with open(CHARSET_JSON, encoding="utf-8") as f:
        return json.load(f)


def main(threads: int = 1) -> None:
    _write(build(threads))


def _write(data) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    with open(CHARSET_JSON, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    g = data["groups"]
    RARE_NAME_TXT.write_text(g["rare_name"] + "\n", encoding="utf-8")
    print(f"charset: rare_name {len(g['rare_name'])}, place {len(g['place'])}, minority {len(g['minority'])}, "
          f"lookalike {len(g['lookalike'])}, trainable classes {len(data['trainable_classes'])} -> {CHARSET_JSON}")
