"""Daily quota: exactly Q of N concurrent calls pass, on SQLite and PostgreSQL, within one server
and across two server processes sharing the database; which calls count (those that reach
recognition, whatever its outcome) and which do not (those refused before it); the day rolling
over at midnight Asia/Shanghai. Every test pins the service's clock with the hidden
--fake-clock-file option, so none can split across a real midnight."""
import concurrent.futures
import time

import httpx
import pytest

from service_support import (FakeClock, blank_png, create_app, get_token, junk_bytes, ocr, pg_url,  # noqa: F401
                             quota_used, require_bin, run_cli, service_cards, service_factory,
                             shanghai_day, shanghai_midnight_after, sqlite_url)

QUOTA = 7
CALLS = 40


def race(urls, token):
    img = junk_bytes(1024)

    def call(i):
        with httpx.Client(base_url=urls[i % len(urls)], timeout=60) as c:
            return ocr(c, token, img)["errcode"]

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        return list(pool.map(call, range(CALLS)))


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def noon_clock(tmp_path):
    """A clock file pinning the service to a noon in Asia/Shanghai, 12 h from either midnight."""
    clock = FakeClock(tmp_path / "clock")
    clock.noon = shanghai_midnight_after(time.time()) + 12 * 3600
    clock.set(clock.noon)
    return clock


@pytest.mark.parametrize("servers", [1, 2])
def test_quota_race(service_factory, db, servers, noon_clock):
    args = ("--no-demo", "--queue", "64", "--threads", "16", "--fake-clock-file", str(noon_clock.path))
    procs = [service_factory(*args, database_url=db) for _ in range(servers)]
    app = create_app(db, quota=QUOTA)
    with procs[0].client() as c:
        token = get_token(c, app)
    codes = race([p.url for p in procs], token)
    assert -1 not in codes, codes
    assert codes.count(45009) == CALLS - QUOTA, codes
    assert codes.count(101002) == QUOTA, codes
    assert quota_used(db, app["appid"], shanghai_day(noon_clock.noon)) == QUOTA


def test_refused_calls_do_not_count_while_quota_remains(service_factory, sqlite_url, noon_clock, service_cards):
    """Calls refused before recognition (no token, bad token, no media, bad args, too big, too
    fast) leave the quota alone while some remains; calls that reach recognition count whatever
    its outcome (a read, 101002, 101001), as docs/api.md says for 45009. The quota left is then
    measured by the answers: exactly that many more calls are admitted."""
    quota = 5
    s = service_factory("--no-demo", "--fake-clock-file", str(noon_clock.path), database_url=sqlite_url)
    app = create_app(sqlite_url, quota=quota)
    # A second app, limited to one call per 1000 s: its second call is refused for the rate.
    slow = create_app(sqlite_url, name="slow", quota=quota)
    assert run_cli("apps", "set-rate", slow["appid"], "--rps", "0.001", "--burst", "1",
                   database_url=sqlite_url).returncode == 0
    day = shanghai_day(noon_clock.noon)
    with s.client() as c:
        t = get_token(c, app)
        refused = {
            "no token": ocr(c, None, junk_bytes()),
            "bad token": ocr(c, "x" * 64, junk_bytes()),
            "no media": ocr(c, t, None),
            "other field": c.post("/cv/ocr/idcard", params={"access_token": t},
                                  files={"image": ("a.jpg", junk_bytes(), "image/jpeg")}).json(),
            "bad warnings": ocr(c, t, junk_bytes(), warnings="yes"),
            "bad crop": ocr(c, t, junk_bytes(), crop="face"),
            "too big": ocr(c, t, junk_bytes(2 * 1024 * 1024 + 1)),
        }
        expected = {"no token": 41001, "bad token": 40014, "no media": 41005, "other field": 41005,
                    "bad warnings": 40097, "bad crop": 40097, "too big": 40006}
        assert {k: v["errcode"] for k, v in refused.items()} == expected, refused
        assert quota_used(sqlite_url, app["appid"], day) == 0, "refused calls must not count"

        # Calls that reach recognition count, whatever it finds.
        front = service_cards["Front"]
        read = ocr(c, t, front["path"].read_bytes())
        assert read["errcode"] == 0 and read["id"] == front["id"], read
        assert ocr(c, t, junk_bytes())["errcode"] == 101002
        assert ocr(c, t, blank_png())["errcode"] == 101001
        assert quota_used(sqlite_url, app["appid"], day) == 3

        # Refused again, now with quota left: still nothing counted.
        assert ocr(c, t, None)["errcode"] == 41005
        assert ocr(c, t, junk_bytes(), cards="2")["errcode"] == 40097
        # What is left, told by the answers: quota - 3 more calls, then 45009.
        left = [ocr(c, t, junk_bytes())["errcode"] for _ in range(quota - 3 + 1)]
        assert left == [101002] * (quota - 3) + [45009], left
        assert quota_used(sqlite_url, app["appid"], day) == quota, "45009 itself does not count"

        # Too fast (45011): not counted either.
        ts = get_token(c, slow)
        assert ocr(c, ts, junk_bytes())["errcode"] == 101002
        assert ocr(c, ts, junk_bytes())["errcode"] == 45011
        assert ocr(c, ts, junk_bytes())["errcode"] == 45011
    assert quota_used(sqlite_url, slow["appid"], day) == 1


def test_quota_rolls_over_at_shanghai_midnight(service_factory, sqlite_url, tmp_path):
    """The day's quota is spent; just before midnight Asia/Shanghai (UTC+8) calls are still
    refused, from midnight on they are admitted again, counted on the new day."""
    clock = FakeClock(tmp_path / "clock")
    midnight = shanghai_midnight_after(time.time() + 86400)  # any midnight: a day ahead of the real one
    assert time.gmtime(midnight).tm_hour == 16 and time.gmtime(midnight).tm_min == 0  # 00:00 UTC+8
    clock.set(midnight - 120)
    s = service_factory("--no-demo", "--fake-clock-file", str(clock.path), database_url=sqlite_url)
    app = create_app(sqlite_url, quota=2)
    before, after = shanghai_day(midnight - 1), shanghai_day(midnight)
    assert before != after
    with s.client() as c:
        t = get_token(c, app)  # issued at midnight - 120 s: valid across the test (7200 s)
        assert [ocr(c, t, junk_bytes())["errcode"] for _ in range(3)] == [101002, 101002, 45009]
        clock.set(midnight - 10)
        assert ocr(c, t, junk_bytes())["errcode"] == 45009, "still the old day"
        clock.set(midnight)  # the service reads midnight or a moment later: the new day
        assert [ocr(c, t, junk_bytes())["errcode"] for _ in range(3)] == [101002, 101002, 45009]
    assert quota_used(sqlite_url, app["appid"], before) == 2
    assert quota_used(sqlite_url, app["appid"], after) == 2
