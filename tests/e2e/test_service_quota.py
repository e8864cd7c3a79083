"""Daily quota under concurrency: exactly Q of N concurrent calls pass, on SQLite and PostgreSQL,
within one server and across two server processes sharing the database."""
import concurrent.futures

import httpx
import pytest

from service_support import (create_app, get_token, junk_bytes, ocr, pg_url, require_bin,  # noqa: F401
                             service_factory, sqlite_url)

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


@pytest.mark.parametrize("servers", [1, 2])
def test_quota_race(service_factory, db, servers):
    args = ("--no-demo", "--queue", "64", "--threads", "16")
    procs = [service_factory(*args, database_url=db) for _ in range(servers)]
    app = create_app(db, quota=QUOTA)
    with procs[0].client() as c:
        token = get_token(c, app)
    codes = race([p.url for p in procs], token)
    assert -1 not in codes, codes
    assert codes.count(45009) == CALLS - QUOTA, codes
    assert codes.count(101002) == QUOTA, codes
