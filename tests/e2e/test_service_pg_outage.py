"""PostgreSQL faults (issue 15), each on a PRIVATE cluster this module starts (its own directory and
port; the shared cluster of scripts/ensure_postgres.sh is never touched):

- an outage: PostgreSQL stopped under a running server. Every call still gets WeChat's JSON with
  errcode -1 (system error), /readyz answers 503 (and, to the metrics token's holder, names the
  database), the process does not die; PostgreSQL started again, the SAME process answers normally
  within a bounded number of calls, and the token issued before the outage still works;
- broken connections: every backend of the server terminated (pg_terminate_backend), or PostgreSQL
  restarted while the service made no call, while its pool holds several idle connections; the
  pool must reconnect transparently (the next call, or the one after, succeeds, and all after it);
- two replicas started at the same moment on a fresh empty database, both migrating the schema at
  once (the migration holds an advisory lock): both come up, serve, and share state, and the
  schema is migrated once.
"""
import concurrent.futures
import threading
import time
import uuid

import httpx
import pytest

from fault_support import (FRESH, INVALID_IMAGE, MEDIA_MISSING, SYSTEM_ERROR, PrivatePostgres, token_call,
                           token_errcode)
from service_support import Service, create_app, junk_bytes, require_bin, service_factory  # noqa: F401

METRICS_TOKEN = "pg-outage-metrics"
RECOVERY_TRIES = 20  # calls after PostgreSQL is back, 0.25 s apart, before the test gives up


@pytest.fixture(scope="module")
def private_pg():
    pg = PrivatePostgres()
    yield pg
    pg.destroy()


@pytest.fixture
def pg_db(private_pg):
    """A fresh empty database on the private cluster (started again if a test left it stopped)."""
    if not private_pg.running():
        private_pg.start()
    return private_pg.create_database("t_" + uuid.uuid4().hex[:12])


def junk_ocr(client: httpx.Client, token: str) -> httpx.Response:
    return client.post("/cv/ocr/idcard", params={"access_token": token},
                       files={"img": ("j.jpg", junk_bytes(1024), "image/jpeg")})


def system_error(r: httpx.Response):
    """The call was answered in WeChat's shape with errcode -1 (not a dropped connection)."""
    assert r.headers.get("content-type", "").startswith("application/json"), (r.status_code, r.text)
    body = r.json()
    assert body["errcode"] == SYSTEM_ERROR, body
    assert "errmsg" in body, body


def test_outage_and_recovery_same_process(service_factory, private_pg, pg_db):
    s = service_factory("--no-demo", database_url=pg_db, env={"IDCARD_OCR_METRICS_TOKEN": METRICS_TOKEN})
    app = create_app(pg_db, name="outage", quota=1000)
    auth = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    with s.client(limits=FRESH) as c:
        # Several pooled connections (concurrent calls), all of which the outage breaks.
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            assert all("access_token" in r.json() for r in pool.map(lambda _: token_call(c, app), range(24)))
        token = token_call(c, app).json()["access_token"]
        assert junk_ocr(c, token).json()["errcode"] == INVALID_IMAGE

        private_pg.stop("fast")

        # Down: every kind of call answers -1 in WeChat's JSON; readiness says not ready.
        for _ in range(12):  # more than the pool's connections: broken ones, then refused connects
            system_error(token_call(c, app))
            system_error(junk_ocr(c, token))
            system_error(c.post("/cv/ocr/idcard", params={"access_token": token}))
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "not ready", r.text
        r = c.get("/readyz", headers=auth)
        assert r.status_code == 503, r.text
        assert (r.json()["status"], r.json()["models"], r.json()["database"]) == ("not ready", True, False), r.text
        assert c.get("/healthz").status_code == 200  # alive, only not ready
        assert s.proc.poll() is None, s.output()[-3000:]

        private_pg.start()

        # Up again: the same process serves within a bounded number of calls.
        failed = 0
        for _ in range(RECOVERY_TRIES):
            body = token_call(c, app).json()
            if "access_token" in body:
                break
            assert body["errcode"] == SYSTEM_ERROR, body
            failed += 1
            time.sleep(0.25)
        else:
            pytest.fail(f"no token call succeeded in {RECOVERY_TRIES} tries after PostgreSQL came back")
        print(f"\nafter PostgreSQL came back: {failed} failed token calls before the first success")
        r = c.get("/readyz", headers=auth)
        assert r.status_code == 200 and (r.json()["status"], r.json()["database"]) == ("ready", True), r.text
        # The token from before the outage was kept, and everything works on every connection.
        assert token_errcode(c, token) == MEDIA_MISSING
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            bodies = [r.json() for r in pool.map(lambda _: junk_ocr(c, token), range(24))]
        assert all(b["errcode"] == INVALID_IMAGE for b in bodies), bodies
    assert s.proc.poll() is None


def break_idle_pool(service_factory, private_pg, pg_db, name, breaker):
    """Runs a server, fills its connection pool (concurrent calls open several connections, left
    idle afterwards), breaks every connection with `breaker(dbname)`, then makes 12 sequential
    calls: the first or the second must succeed, and all after it (the pool reconnects by itself;
    a call may fail at most once, as one caller meets the break)."""
    s = service_factory("--no-demo", database_url=pg_db)
    app = create_app(pg_db, name=name, quota=1000)
    dbname = pg_db.rsplit("/", 1)[1]
    with s.client(limits=FRESH) as c:
        token = token_call(c, app).json()["access_token"]
        # At least 4 pooled connections: with fewer, one retry per call would hide a pool that
        # hands out its dead connections one by one (2 calls would absorb 3 of them).
        for _ in range(10):
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                assert all(b["errcode"] == INVALID_IMAGE
                           for b in (r.json() for r in pool.map(lambda _: junk_ocr(c, token), range(48))))
            backends = int(private_pg.psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{dbname}'"))
            if backends >= 4:
                break
        assert backends >= 4, backends
        breaker(dbname)
        codes = [token_errcode(c, token) for _ in range(12)]
        print(f"\n{name}: {backends} idle pooled connections broken; errcodes of the 12 calls after: {codes}")
        assert all(x in (MEDIA_MISSING, SYSTEM_ERROR) for x in codes), codes
        assert MEDIA_MISSING in codes[:2], f"not reconnected by the second call: {codes}"
        first_ok = codes.index(MEDIA_MISSING)
        assert codes[first_ok:] == [MEDIA_MISSING] * len(codes[first_ok:]), codes
        assert junk_ocr(c, token).json()["errcode"] == INVALID_IMAGE
        assert "access_token" in token_call(c, app).json()
    assert s.proc.poll() is None


def test_terminated_backends_reconnect(service_factory, private_pg, pg_db):
    def terminate(dbname):
        private_pg.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        f" WHERE datname = '{dbname}' AND pid <> pg_backend_pid()")

    break_idle_pool(service_factory, private_pg, pg_db, "pg_terminate_backend", terminate)


def test_postgres_restart_while_idle_reconnects(service_factory, private_pg, pg_db):
    """PostgreSQL restarted (an upgrade, a failover) while the service makes no call: every pooled
    connection is dead when the next call comes."""
    def restart(_dbname):
        private_pg.stop("fast")
        private_pg.start()

    break_idle_pool(service_factory, private_pg, pg_db, "restart", restart)


@pytest.mark.parametrize("round_", range(3))
def test_two_replicas_migrate_a_fresh_database_at_once(service_factory, private_pg, pg_db, round_):
    started, errors = {}, {}
    barrier = threading.Barrier(2)

    def start(name):
        barrier.wait()
        try:
            started[name] = service_factory("--no-demo", database_url=pg_db)
        except Exception as e:  # noqa: BLE001 - reported below with the replica's output
            errors[name] = e

    threads = [threading.Thread(target=start, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not errors and set(started) == {"a", "b"}, errors
    a, b = started["a"], started["b"]
    dbname = pg_db.rsplit("/", 1)[1]
    assert private_pg.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version",
                           db=dbname) == "1,2"
    app = create_app(pg_db, name="replicas", quota=10)
    with a.client(limits=FRESH) as ca, b.client(limits=FRESH) as cb:
        token = token_call(ca, app).json()["access_token"]
        assert junk_ocr(cb, token).json()["errcode"] == INVALID_IMAGE
        token_b = token_call(cb, app).json()["access_token"]
        assert token_errcode(ca, token_b) == MEDIA_MISSING
        for s in (ca, cb):
            assert s.get("/readyz").status_code == 200
