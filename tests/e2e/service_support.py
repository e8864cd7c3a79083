"""Helpers and fixtures for the service end-to-end tests (test_service_*.py).

Every server runs the real binary on 127.0.0.1 with --port 0; all traffic stays on loopback.
Test modules import the fixtures they use from here (pytest picks up imported fixtures).
"""
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import ipaddress

import httpx
import pytest

from e2e_support import REPO, bin_path

START_TIMEOUT_S = 120

# Generator seeds whose scan images are a clean front and a clean back (tools/cardgen is
# deterministic; the tests compare answers with the generator's truth, so a misread fails loudly).
# The same seeds as sdk_support's FRONT_SEED and BACK_SEED.
CARD_SEEDS = {"Front": 20246, "Back": 20247}

# The day's quota rolls over at midnight in Asia/Shanghai (UTC+8 all year).
SHANGHAI_OFFSET_S = 8 * 3600


def ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail(msg: str):
    """Skips the test, or fails it under CI=true (CI must not pass by skipping)."""
    if ci():
        pytest.fail(msg)
    pytest.skip(msg)


_CARDS = {}  # the session's generated cards, made once (by the fixture or the first card() call)


def _make_cards(out: Path) -> dict:
    from tools.cardgen.generate import generate_one

    cards = {}
    for side, seed in CARD_SEEDS.items():
        data, ext, truth = generate_one(seed, "scan")
        assert truth["side"] == side, f"seed {seed} gives a {truth['side']}, not a {side}"
        name = f"{side.lower()}.{ext}"
        (out / name).write_bytes(data)
        cards[side] = {"file": name, **truth, "path": out / name}
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for c in cards.values():
            f.write(json.dumps({k: v for k, v in c.items() if k != "path"}, ensure_ascii=False) + "\n")
    return cards


@pytest.fixture(scope="session")
def service_cards(tmp_path_factory) -> dict:
    """{"Front": card, "Back": card}, generated once per session into a temporary directory (with
    its truth.jsonl); each card is its truth record (tools/cardgen fields: name, id, addr, gender,
    nationality, birth YYYY-MM-DD, authority, valid_from/valid_to YYYY.MM.DD or 长期) plus "path"."""
    if not _CARDS:
        _CARDS.update(_make_cards(tmp_path_factory.mktemp("service_cards")))
    return _CARDS


def card(side: str) -> dict:
    """A clean generated card of one side ("Front" or "Back") and its truth, as service_cards
    gives it (for code that is no fixture); never skips."""
    if not _CARDS:
        import atexit
        import shutil
        import tempfile

        out = Path(tempfile.mkdtemp(prefix="service_cards"))
        atexit.register(shutil.rmtree, out, True)
        _CARDS.update(_make_cards(out))
    return _CARDS[side]


def wechat_valid_date(truth: dict) -> str:
    """The back's `valid_date` as WeChat writes it ("20190511-20390511", "20190314-长期")."""
    start = truth["valid_from"].replace(".", "")
    end = truth["valid_to"] if truth["valid_to"] == "长期" else truth["valid_to"].replace(".", "")
    return f"{start}-{end}"


def shanghai_midnight_after(unix_s: float) -> int:
    """The first midnight in Asia/Shanghai after unix_s, as unix seconds."""
    return (int(unix_s) + SHANGHAI_OFFSET_S) // 86400 * 86400 + 86400 - SHANGHAI_OFFSET_S


def shanghai_day(unix_s: int) -> str:
    import datetime

    tz = datetime.timezone(datetime.timedelta(seconds=SHANGHAI_OFFSET_S))
    return datetime.datetime.fromtimestamp(unix_s, tz).strftime("%Y-%m-%d")


class FakeClock:
    """The file of the hidden `serve --fake-clock-file` option (src/server/clock.h): seconds added
    to the real clock, re-read on every call. `set(t)` makes the service's clock read t (plus the
    real seconds that pass until the call reads it: never less than t)."""

    def __init__(self, path: Path):
        self.path = path
        path.write_text("0")

    def set(self, unix_s: int):
        self.path.write_text(str(int(unix_s) - int(time.time())))


def quota_used(database_url: str, appid: str, day: str) -> int:
    """The quota counter the service keeps for appid on day, read from its database (SQLite, or
    PostgreSQL through psql): `apps show` reports the real clock's day, which a fake-clock test
    does not use. appid and day come from the service (wx + hex, YYYY-MM-DD)."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        con = sqlite3.connect(f"file:{database_url[len('sqlite:///'):]}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT used FROM quota_usage WHERE appid = ? AND day = ?", (appid, day)).fetchone()
        finally:
            con.close()
        return row[0] if row else 0
    import re

    assert re.fullmatch(r"wx[0-9a-f]+", appid) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), (appid, day)
    proc = subprocess.run(["psql", database_url, "-tAc",
                           f"SELECT used FROM quota_usage WHERE appid = '{appid}' AND day = '{day}'"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.strip() or 0)


def _hex_addr(text: str):
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return ipaddress.IPv4Address(raw[::-1])
    # /proc prints IPv6 as four host-order 32-bit words
    return ipaddress.IPv6Address(b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))


def process_sockets(pid: int) -> list:
    """The inet sockets the process holds, read from /proc: dicts of proto, local and remote
    (address, port) and the TCP state ("0A" = LISTEN)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    out = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{proto}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[9] not in inodes:
                continue
            (la, lp), (ra, rp) = (x.split(":") for x in (f[1], f[2]))
            out.append({"proto": proto, "local": (_hex_addr(la), int(lp, 16)),
                        "remote": (_hex_addr(ra), int(rp, 16)), "state": f[3]})
    return out


def listening_ports(pid: int) -> set:
    return {x["local"][1] for x in process_sockets(pid) if x["proto"].startswith("tcp") and x["state"] == "0A"}


def junk_bytes(n: int = 4096) -> bytes:
    """Deterministic bytes that are no image format."""
    return bytes((i * 7919 + 13) % 251 for i in range(n))


def blank_png() -> bytes:
    """A decodable image with no card in it."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 400), (200, 210, 220)).save(buf, format="PNG")
    return buf.getvalue()


class Service:
    """One `idcard-ocr serve` process; stdout (JSON log lines + banner) is collected."""

    def __init__(self, args=(), env=None, database_url=None, host="127.0.0.1", wait_ready=True):
        self.env = dict(os.environ)
        self.env.update(env or {})
        if database_url:
            self.env["IDCARD_OCR_DATABASE_URL"] = database_url
        cmd = [str(bin_path()), "serve", "--host", host, "--port", "0", *args]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", errors="replace", env=self.env, cwd=REPO)
        self.lines = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self._wait_listening()
        if wait_ready:  # False: a test of the not-ready service (models still loading)
            self.wait_ready()

    def _read(self):
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def log_events(self) -> list:
        """The JSON log lines read so far (a reader thread takes them from the pipe: the line of a
        call just answered may not be here yet; settled_log_events() waits for it)."""
        out = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def settled_log_events(self) -> list:
        """The log lines of every call answered before this one: a logged call is made and its own
        line waited for (each call's line is written before its answer, so the earlier ones are in
        the pipe ahead of it)."""
        body = httpx.get(self.url + "/log-sync-probe", timeout=10).json()  # 404, logged with a rid
        rid = body["errmsg"].rsplit("rid: ", 1)[1]
        deadline = time.monotonic() + 10  # a hang guard
        while time.monotonic() < deadline:
            events = self.log_events()
            if any(e.get("rid") == rid for e in events):
                return events
            time.sleep(0.01)
        raise AssertionError(f"the log line of {rid} never came")

    def _wait_listening(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            for e in self.log_events():
                if e.get("event") == "listening":
                    return e["url"]
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.02)
        raise RuntimeError("server did not print its listening line")

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.05)
        raise RuntimeError("server not ready in time")

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kw.pop("timeout", 60), **kw)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)


def run_cli(*args, database_url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, IDCARD_OCR_DATABASE_URL=database_url)
    return subprocess.run([str(bin_path()), *args], capture_output=True, text=True, env=env, timeout=60)


def create_app(database_url: str, name="e2e", quota=None) -> dict:
    args = ["apps", "create", "--name", name] + (["--daily-quota", str(quota)] if quota is not None else [])
    proc = run_cli(*args, database_url=database_url)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.strip()]
    assert len(lines) == 1, proc.stdout
    return json.loads(lines[0])


def get_token(client: httpx.Client, app: dict) -> str:
    r = client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": app["appid"],
                                             "secret": app["secret"]})
    body = r.json()
    assert "access_token" in body, body
    return body["access_token"]


def ocr(client: httpx.Client, token, image: bytes = None, **params) -> dict:
    q = {"type": params.pop("type", "photo"), **params}
    if token is not None:
        q["access_token"] = token
    files = {"img": ("card.jpg", image, "image/jpeg")} if image is not None else None
    r = client.post("/cv/ocr/idcard", params=q, files=files)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="session")
def require_bin():
    p = bin_path()
    if not (p.is_file() and os.access(p, os.X_OK)):
        skip_or_fail(f"idcard-ocr binary not found at {p} (build it, or set IDCARD_OCR_BIN)")
    return p


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/service.db"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A PostgreSQL database URL; the throwaway cluster is started if needed. Under CI=true a
    failure to get one fails the test instead of skipping it."""
    proc = subprocess.run([str(REPO / "scripts" / "ensure_postgres.sh")], capture_output=True, text=True,
                          timeout=180)
    if proc.returncode != 0:
        skip_or_fail(f"no PostgreSQL: {proc.stderr.strip()[-500:]}")
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture
def service_factory(require_bin):
    started = []

    def start(*args, **kw) -> Service:
        s = Service(args, **kw)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def service(service_factory, sqlite_url):
    """A server (demo off) on a fresh SQLite database, with one app (quota 100) and its token."""
    s = service_factory("--no-demo", database_url=sqlite_url)
    s.db = sqlite_url
    s.app = create_app(sqlite_url)
    s.http = s.client()
    s.token = get_token(s.http, s.app)
    yield s
    s.http.close()
