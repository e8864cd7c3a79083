"""Helpers of the fault-tolerance end-to-end tests (test_service_faults.py, test_service_pg_outage.py,
test_service_memory.py): a private PostgreSQL cluster a test may stop and start, the daily-quota
counter read straight from either database, a process's resident memory, and token checks that
cost no quota.

Everything runs on loopback against the real binary and real databases. A cluster started here
is the test's own (its own directory and port); the shared cluster of scripts/ensure_postgres.sh
is never stopped.
"""
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from service_support import skip_or_fail

# errcodes (docs/api.md)
SYSTEM_ERROR = -1
MEDIA_MISSING = 41005       # a valid token, no image: answered before any quota is counted
INVALID_IMAGE = 101002      # junk bytes: counted against the quota, recognition refuses them at once
COUNTED = {0, 101001, 101002}  # answers of calls that reached recognition: each used one unit of quota


def pg_bindir() -> Path:
    dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")
                                                                          if x.isdigit()])
    for d in reversed(dirs):
        if (d / "pg_ctl").is_file() and (d / "initdb").is_file():
            return d
    skip_or_fail("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivatePostgres:
    """A throwaway PostgreSQL cluster of one test: initdb (trust auth, fsync off) in a fresh
    directory directly under /tmp (the postgres user must reach it: pytest's own tmp dirs are
    root-only), listening on 127.0.0.1 at a port of its own. Run as the postgres user when the
    tests run as root (initdb refuses root), as scripts/ensure_postgres.sh does."""

    def __init__(self):
        self.bin = pg_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="idcard-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")
        proc = self._as_owner("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                              "--no-locale", timeout=180)
        if proc.returncode != 0:
            self.destroy()
            skip_or_fail(f"initdb failed: {proc.stdout[-500:]}{proc.stderr[-500:]}")
        for attempt in range(3):  # a free port may be taken between the probe and the start
            self.port = _free_port()
            try:
                self.start()
                return
            except RuntimeError:
                if attempt == 2:
                    self.destroy()
                    raise

    def _as_owner(self, tool, *args, timeout=120) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / tool), *args]
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")

    def running(self) -> bool:
        return self._as_owner("pg_ctl", "-D", str(self.data), "status").returncode == 0

    def start(self):
        proc = self._as_owner("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start", "-o",
                              f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
                              " -c max_connections=100", timeout=90)
        if proc.returncode != 0:
            tail = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {proc.stderr}\n{tail}")

    def stop(self, mode="fast"):
        proc = self._as_owner("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", timeout=90)
        if proc.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed: {proc.stderr}")

    def psql(self, sql: str, db: str = "postgres") -> str:
        proc = subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                               "-d", db, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"psql {sql!r}: {proc.stderr}"
        return proc.stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        """Stops the cluster whatever its state (immediate mode) and removes its directory."""
        try:
            if self.data.exists() and (self.data / "postmaster.pid").exists():
                self._as_owner("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def psql_url(url: str, sql: str) -> str:
    """Runs one statement on a postgresql:// URL (any cluster) and returns psql's unaligned output."""
    proc = subprocess.run([str(pg_bindir() / "psql"), url, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"psql {sql!r}: {proc.stderr}"
    return proc.stdout.strip()


def quota_used_any(database_url: str, appid: str, day: str) -> int:
    """The app's quota counter for day (YYYY-MM-DD, as the service keys it), read from SQLite or
    PostgreSQL directly (the tests pin the service's clock, which `apps show` does not follow)."""
    if database_url.startswith("sqlite:///"):
        con = sqlite3.connect(f"file:{database_url[len('sqlite:///'):]}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT used FROM quota_usage WHERE appid = ? AND day = ?", (appid, day)).fetchone()
        finally:
            con.close()
        return row[0] if row else 0
    assert "'" not in appid + day
    out = psql_url(database_url, f"SELECT used FROM quota_usage WHERE appid = '{appid}' AND day = '{day}'")
    return int(out) if out else 0


def sqlite_integrity(database_url: str) -> str:
    con = sqlite3.connect(f"file:{database_url[len('sqlite:///'):]}?mode=ro", uri=True)
    try:
        return "; ".join(r[0] for r in con.execute("PRAGMA integrity_check").fetchall())
    finally:
        con.close()


def token_errcode(client: httpx.Client, token: str) -> int:
    """Checks a token without using quota: an OCR call with no media answers 41005 when the token
    is valid (the token is checked first), 40001/42001 when not."""
    r = client.post("/cv/ocr/idcard", params={"access_token": token, "type": "photo"})
    assert r.status_code == 200, r.text
    return r.json()["errcode"]


def token_call(client: httpx.Client, app: dict) -> httpx.Response:
    return client.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": app["appid"],
                                                "secret": app["secret"]})


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def wait_until(pred, timeout_s: float, step_s: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(step_s)
    raise AssertionError(f"{what} not reached within {timeout_s} s")


# Fresh-connection clients: httplib 0.11 answers a keep-alive connection's second and later
# requests ~40 ms late on loopback (see the note in test_service_memory.py), so the load loops
# open a connection per call unless a test means to exercise keep-alive.
FRESH = httpx.Limits(max_keepalive_connections=0)
