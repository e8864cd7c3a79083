"""GB/T 2260 county-level divisions (the repository's data/divisions.csv) and the names printed from them."""
import csv
import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DIVISIONS = Path(__file__).resolve().parents[2] / "data" / "divisions.csv"  # shared with the engine
MUNICIPALITIES = ("11", "12", "31", "50")
_PLACEHOLDER_CITIES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
# Zones that exist as codes but are not places a card's address or authority would name.
_SKIP = ("开发", "园区", "管理", "示范", "合作", "实验区", "工业", "高新", "经济", "新城", "矿区", "港区")


@dataclass(frozen=True)
class Region:
    code: str
    province: str
    city: str  # "" where the code has no printed city level (municipalities, 直辖县级)
    county: str

    @property
    def prefix(self) -> str:
        """Province + city + county, as an address starts."""
        return self.province + self.city + self.county


@functools.lru_cache(maxsize=None)
def all_regions() -> tuple:
    out = []
    with open(DIVISIONS, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if any(s in r["county"] for s in _SKIP) or len(r["county"]) < 2:
                continue
            city = "" if r["city"] in _PLACEHOLDER_CITIES else r["city"]
            out.append(Region(r["code"], r["province"], city, r["county"]))
    return tuple(out)


@functools.lru_cache(maxsize=None)
def by_province() -> dict:
    d = {}
    for r in all_regions():
        d.setdefault(r.code[:2], []).append(r)
    return d


@functools.lru_cache(maxsize=None)
def by_code() -> dict:
    return {r.code: r for r in all_regions()}


@functools.lru_cache(maxsize=None)
def streets() -> dict:
    d = {}
    with gzip.open(DIVISIONS.parent / "streets.csv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            code, name = line.rstrip("\n").split(",", 1)
            d.setdefault(code, []).append(name)
    return d


@functools.lru_cache(maxsize=None)
def villages() -> tuple:
    with gzip.open(DATA / "villages.txt.gz", "rt", encoding="utf-8") as f:
        return tuple(line.strip() for line in f if line.strip())


def pick(rnd, province: str = "") -> Region:
    if province and province in by_province():
        return rnd.choice(by_province()[province])
    return rnd.choice(all_regions())


def authority(region: Region, rnd) -> str:
    """Issuing public-security bureau printed on the back, consistent with the region."""
    county = region.county
    district = county.endswith("区")
    if region.code[:2] in MUNICIPALITIES:
        if district:
            short = county[:-1] if len(county) > 2 else county
            return f"{region.province}公安局{short}分局"
        return f"{county}公安局"
    if district and region.city:
        short = county[:-1] if len(county) > 2 else county
        return f"{region.city}公安局{short}分局"
    if region.city and region.city.endswith("市") and rnd.random() < 0.25:
        return f"{region.city}{county}公安局"
    return f"{county}公安局"
