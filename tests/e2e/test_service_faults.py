"""kill -9 under load (issue 15): a server on SQLite, and one on PostgreSQL, answers token and OCR
calls from several client threads and is SIGKILLed mid-load; a new server on the same database
must start and serve, and nothing answered before the kill may be lost:

- every token the old server answered still works on the new one;
- the app's quota counter for the day is at least the number of OCR calls answered as counted
  (a read, 101001, 101002) and at most that plus the OCR calls in flight at the kill (sent and
  never answered: the server may or may not have committed their unit);
- SQLite's `PRAGMA integrity_check` is "ok" (WAL journal, synchronous=NORMAL: a process crash
  loses no committed transaction), and the counter goes on counting exactly from where it was.

The service's clock is pinned to a noon in Asia/Shanghai (hidden --fake-clock-file) so the day's
counter cannot roll over mid-test."""
import os
import random
import signal
import threading
import time

import httpx
import pytest

from fault_support import (COUNTED, FRESH, INVALID_IMAGE, MEDIA_MISSING, quota_used_any, sqlite_integrity,
                           token_call, token_errcode, wait_until)
from service_support import (FakeClock, create_app, junk_bytes, pg_url, require_bin, service_cards,  # noqa: F401
                             service_factory, shanghai_day, shanghai_midnight_after, sqlite_url)

THREADS = 4
MIN_COUNTED_BEFORE_KILL = 150  # OCR calls answered before the kill (plus at least one real read)
KEEP_ALIVE = httpx.Limits(max_connections=4, max_keepalive_connections=4)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request):
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


class Load:
    """Client threads calling token and OCR in a loop until the server goes away; each records
    what was answered and what was in flight when its connection broke."""

    def __init__(self, url: str, app: dict, card: bytes):
        self.url, self.app, self.card = url, app, card
        self.junk = junk_bytes(2048)
        self.lock = threading.Lock()
        self.tokens = []            # (thread, seq, token) answered, in answer order
        self.ocr_answers = []       # errcodes of answered OCR calls
        self.ocr_in_flight = 0      # OCR calls sent whose answer never came
        self.token_in_flight = 0
        self.card_reads = 0
        self.unexpected = []
        self.stop = threading.Event()
        self.reading = threading.Event()  # a real card read is in flight
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(THREADS)]

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=90)
            assert not t.is_alive(), "a client thread hung after the kill"

    def counted(self) -> int:
        with self.lock:
            return sum(1 for c in self.ocr_answers if c in COUNTED)

    def _run(self, i: int):
        rng = random.Random(i)
        # Thread 0 keeps its connection alive (as SDKs do); the others open one per call.
        client = httpx.Client(base_url=self.url, timeout=60, limits=KEEP_ALIVE if i == 0 else FRESH)
        token = None
        seq = 0
        try:
            while not self.stop.is_set():
                seq += 1
                if token is None or rng.random() < 0.3:
                    try:
                        r = token_call(client, self.app)
                    except httpx.TransportError:
                        with self.lock:
                            self.token_in_flight += 1
                        return
                    body = r.json()
                    if "access_token" not in body:
                        with self.lock:
                            self.unexpected.append(("token", body))
                        continue
                    token = body["access_token"]
                    with self.lock:
                        self.tokens.append((i, seq, token))
                    continue
                real = i == 1 and rng.random() < 0.15  # one thread mixes in real card reads
                image = self.card if real else self.junk
                if real:
                    self.reading.set()
                try:
                    r = client.post("/cv/ocr/idcard", params={"access_token": token, "type": "scan"},
                                    files={"img": ("card.jpg", image, "image/jpeg")})
                    code = r.json()["errcode"]
                except httpx.TransportError:
                    with self.lock:
                        self.ocr_in_flight += 1
                    return
                finally:
                    if real:
                        self.reading.clear()
                with self.lock:
                    self.ocr_answers.append(code)
                    if real and code == 0:
                        self.card_reads += 1
                    if code not in (0, INVALID_IMAGE):
                        self.unexpected.append(("ocr", code, real))
        finally:
            client.close()


def test_kill_9_under_load_loses_nothing_answered(service_factory, db, service_cards, tmp_path):
    clock = FakeClock(tmp_path / "clock")
    noon = shanghai_midnight_after(time.time()) + 12 * 3600
    clock.set(noon)
    day = shanghai_day(noon)
    args = ("--no-demo", "--threads", "8", "--queue", "64", "--fake-clock-file", str(clock.path))
    app = create_app(db, name="kill9", quota=1_000_000)
    card = service_cards["Front"]["path"].read_bytes()

    first = service_factory(*args, database_url=db)
    load = Load(first.url, app, card)
    load.start()
    # Kill while a card is being read (recognition in progress, its quota unit taken) and the
    # other threads' calls are in every stage of their handling.
    wait_until(lambda: load.counted() >= MIN_COUNTED_BEFORE_KILL and load.card_reads >= 1 and load.reading.is_set(),
               120, step_s=0.01, what=f"{MIN_COUNTED_BEFORE_KILL} answered OCR calls, a card read, another one started")
    time.sleep(0.1)  # into the read's recognition (a read takes several times that here)
    assert first.proc.poll() is None, first.output()[-3000:]
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait(timeout=30)
    assert first.proc.returncode == -signal.SIGKILL
    load.join()

    counted = load.counted()
    print(f"\n[{db.split(':')[0]}] before the kill: {len(load.tokens)} tokens answered, {counted} counted OCR "
          f"answers ({load.card_reads} card reads); in flight: {load.ocr_in_flight} OCR, "
          f"{load.token_in_flight} token")
    assert not load.unexpected, load.unexpected[:10]

    # The database survives: a new server starts on it and serves.
    if db.startswith("sqlite:///"):
        assert sqlite_integrity(db) == "ok"
    second = service_factory(*args, database_url=db)
    used = quota_used_any(db, app["appid"], day)
    print(f"quota used after restart: {used} (answered {counted}, at most {counted + load.ocr_in_flight})")
    assert counted <= used <= counted + load.ocr_in_flight, (counted, used, load.ocr_in_flight)

    # Every token answered before the kill still works. Each newer token cuts the older ones to
    # 5 minutes (WeChat's overlap), which this test stays well within.
    with second.client(limits=FRESH) as c:
        bad = [(t, s, token_errcode(c, tok)) for t, s, tok in load.tokens]
        bad = [x for x in bad if x[2] != MEDIA_MISSING]
        assert not bad, f"{len(bad)} of {len(load.tokens)} answered tokens lost: {bad[:5]}"

        # The counter goes on from where it was: one junk call adds exactly one unit.
        latest = load.tokens[-1][2]
        r = c.post("/cv/ocr/idcard", params={"access_token": latest},
                   files={"img": ("j.jpg", junk_bytes(), "image/jpeg")})
        assert r.json()["errcode"] == INVALID_IMAGE, r.text
        assert quota_used_any(db, app["appid"], day) == used + 1
        # A real read and a new token on the restarted server.
        r = c.post("/cv/ocr/idcard", params={"access_token": latest, "type": "scan"},
                   files={"img": ("card.jpg", card, "image/jpeg")})
        assert r.json()["errcode"] == 0 and r.json()["id"] == service_cards["Front"]["id"], r.text
        assert "access_token" in token_call(c, app).json()
    if db.startswith("sqlite:///"):
        assert sqlite_integrity(db) == "ok"
