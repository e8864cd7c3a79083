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

# The third-party card set lives next to the repository; a relative IDCARD_EXTERNAL_CARDS is
# taken from the repository root too.
CARDS = (REPO / os.environ.get("IDCARD_EXTERNAL_CARDS", "../shared/external_cards")).resolve()
START_TIMEOUT_S = 120


def truth_records() -> list:
    path = CARDS / "truth.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def card(side: str) -> dict:
    """A clean single-side card image and its truth ("Front" or "Back")."""
    for r in truth_records():
        if r["side"] == side and "fake_data_generator" in r["file"] and (CARDS / r["file"]).is_file():
            return {**r, "path": CARDS / r["file"]}
    pytest.skip(f"no {side} card image under {os.path.relpath(CARDS, REPO)}")


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

    def __init__(self, args=(), env=None, database_url=None, host="127.0.0.1"):
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
        self.wait_ready()

    def _read(self):
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        with self._lock:
            return "\n".join(self.lines)

    def log_events(self) -> list:
        out = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

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
        pytest.skip(f"idcard-ocr binary not found at {p} (build it, or set IDCARD_OCR_BIN)")
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
        msg = f"no PostgreSQL: {proc.stderr.strip()[-500:]}"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
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
