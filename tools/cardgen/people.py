"""Fictional people: name, gender, nationality, birth, address, ID number, authority, validity."""
import datetime as dt
import math
from dataclasses import dataclass

from . import ids, names, regions

REFERENCE_DATE = dt.date(2025, 6, 30)  # "today" for the generator; fixed so outputs are reproducible
FIRST_ISSUE = dt.date(2004, 3, 1)  # second-generation cards exist from 2004 on
ADDR_LINE_UNITS = 11.0  # a printed address line holds ~11 CJK characters

ROAD_WORDS = ("人民", "解放", "建设", "中山", "和平", "新华", "胜利", "文化", "长江", "黄河", "幸福", "光明", "朝阳",
              "东风", "青年", "团结", "工农", "迎宾", "府前", "学府", "滨河", "江南", "北京", "金桥", "兴业", "振兴",
              "育才", "红旗", "站前", "公园", "体育", "南湖", "东湖", "西湖", "环城", "航空", "花园", "教育", "复兴")
ROAD_SUFFIX = ("路", "路", "街", "大道", "东路", "西路", "南路", "北路", "大街", "巷")
COMPLEX_WORDS = ("阳光", "金色", "锦绣", "翠湖", "碧水", "御景", "华府", "世纪", "绿洲", "春天", "康城", "丽都",
                 "名门", "星河", "紫荆", "枫林", "香榭", "龙湖", "万科", "滨江", "怡景", "新城", "幸福", "和谐")
COMPLEX_SUFFIX = ("小区", "花园", "家园", "苑", "新村", "公寓", "嘉园", "雅居", "华庭", "宿舍")
TOWN_WORDS = ("城关", "新兴", "太平", "永安", "长兴", "石桥", "三合", "白沙", "龙泉", "清水", "大坪", "河口")


@dataclass
class Person:
    name: str
    gender: str
    nationality: str
    birth: dt.date
    addr: str
    id: str
    authority: str
    valid_from: dt.date
    valid_to: object  # dt.date, or "长期"
    region_code: str
    # A temporary card (临时居民身份证): issued while a card is made, valid three months.
    temporary: bool = False

    def valid_text(self) -> str:
        to = self.valid_to if isinstance(self.valid_to, str) else f"{self.valid_to:%Y.%m.%d}"
        return f"{self.valid_from:%Y.%m.%d}-{to}"

    def truth(self) -> dict:
        return {"name": self.name, "gender": self.gender, "nationality": self.nationality,
                "birth": f"{self.birth:%Y-%m-%d}", "addr": self.addr, "id": self.id,
                "authority": self.authority, "valid_from": f"{self.valid_from:%Y.%m.%d}",
                "valid_to": self.valid_to if isinstance(self.valid_to, str) else f"{self.valid_to:%Y.%m.%d}",
                **({"temporary": True} if self.temporary else {})}


def text_units(s: str) -> float:
    """Printed width in CJK-character units (ASCII digits/letters are about half a character)."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in s)


def est_lines(addr: str) -> int:
    return max(1, math.ceil(text_units(addr) / ADDR_LINE_UNITS - 1e-9))


def _town(rnd, code: str) -> str:
    pool = regions.streets().get(code)
    if pool:
        return rnd.choice(pool)
    return rnd.choice(TOWN_WORDS) + rnd.choice(("镇", "乡", "街道"))


def _village(rnd) -> str:
    return rnd.choice(regions.villages())


def _road(rnd) -> str:
    return rnd.choice(ROAD_WORDS) + rnd.choice(ROAD_SUFFIX)


def _complex(rnd) -> str:
    return rnd.choice(COMPLEX_WORDS) + rnd.choice(COMPLEX_SUFFIX)


def _unit(rnd) -> str:
    b, u, f, r = rnd.randint(1, 32), rnd.randint(1, 6), rnd.randint(1, 28), rnd.randint(1, 8)
    return rnd.choice((f"{b}栋{u}单元{f}0{r}室", f"{b}号楼{u}单元{f}0{r}号", f"{b}幢{f}0{r}室",
                       f"{b}栋{f}0{r}号", f"{b}号楼{u}门{f}0{r}"))


def make_address(rnd, region: regions.Region, target_lines: int) -> str:
    prefix = region.prefix
    best = None
    for _ in range(24):
        town = _town(rnd, region.code)
        no = f"{rnd.randint(1, 300)}号"
        if target_lines == 1:
            tail = rnd.choice((town, _road(rnd) + no, town + _village(rnd), _village(rnd)))
        elif target_lines == 2:
            tail = rnd.choice((town + _village(rnd), town + _village(rnd) + f"{rnd.randint(1, 15)}组",
                               _road(rnd) + no, town + _road(rnd) + no, town + _village(rnd) + no))
        elif target_lines == 3:
            tail = rnd.choice((town + _village(rnd) + f"{rnd.randint(1, 15)}组{rnd.randint(1, 99)}号",
                               town + _road(rnd) + no + _complex(rnd),
                               _road(rnd) + no + _complex(rnd) + _unit(rnd),
                               town + _village(rnd) + _village(rnd)[:-1] + "组" + no))
        else:
            tail = rnd.choice((town + _road(rnd) + no + _complex(rnd) + _unit(rnd),
                               town + _village(rnd) + _road(rnd) + no + _complex(rnd) + _unit(rnd),
                               town + _road(rnd) + no + "附" + str(rnd.randint(1, 9)) + "号" + _complex(rnd) + _unit(rnd)))
        addr = prefix + tail
        lines = est_lines(addr)
        if lines <= 4 and (best is None or abs(lines - target_lines) < abs(est_lines(best) - target_lines)):
            best = addr
        if lines == target_lines:
            break
    return best if best is not None else prefix


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` on (the month's last day where it has no such day)."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)


def validity(rnd, birth: dt.date) -> tuple:
    """(valid_from, valid_to) with the statutory duration for the age at issue."""
    earliest = max(FIRST_ISSUE, birth + dt.timedelta(days=30))
    adult = _add_years(birth, 16)
    span = (REFERENCE_DATE - earliest).days
    if adult <= REFERENCE_DATE and rnd.random() < 0.9:
        lo = max(earliest, adult)
        issue = lo + dt.timedelta(days=rnd.randint(0, (REFERENCE_DATE - lo).days))
    else:
        issue = earliest + dt.timedelta(days=rnd.randint(0, max(0, span)))
    if issue.month == 2 and issue.day == 29:
        issue = issue.replace(day=28)
    age = issue.year - birth.year - ((issue.month, issue.day) < (birth.month, birth.day))
    if age < 16:
        years = 5
    elif age <= 25:
        years = 10
    elif age <= 45:
        years = 20
    else:
        return issue, "长期"
    return issue, _add_years(issue, years)


def random_birth(rnd) -> dt.date:
    year = rnd.choice((rnd.randint(1940, 2021), rnd.randint(1955, 2008), rnd.randint(1965, 2002)))
    start = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - start).days
    d = start + dt.timedelta(days=rnd.randint(0, days))
    return min(d, REFERENCE_DATE - dt.timedelta(days=60))


def make_person(rnd, rare_names: float = 0.08) -> Person:
    """rare_names: share of Han names given a rare character (names.RARE_CHARS)."""
    gender = "男" if rnd.random() < 0.5 else "女"
    nationality = "汉" if rnd.random() < 0.7 else rnd.choice(names.NATIONALITIES[1:])
    home = names.HOME_PROVINCE.get(nationality, "") if rnd.random() < 0.6 else ""
    region = regions.pick(rnd, home)
    name = names.person_name(rnd, gender, nationality, rare_names)
    birth = random_birth(rnd)
    idno = ids.make_id(region.code, birth, ids.sequence_for(gender, rnd))
    target = rnd.choices((1, 2, 3, 4), weights=(0.15, 0.4, 0.3, 0.15))[0]
    addr = make_address(rnd, region, target)
    valid_from, valid_to = validity(rnd, birth)
    return Person(name, gender, nationality, birth, addr, idno, regions.authority(region, rnd),
                  valid_from, valid_to, region.code)
