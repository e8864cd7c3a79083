"""The service keeps its offline promise: under load it opens no socket other than loopback ones and
writes no telemetry (ONNX Runtime's usage events are off from the environment's creation)."""
import ipaddress
import os
import subprocess
import threading
import time
from pathlib import Path

from service_support import blank_png, create_app, get_token, ocr
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401

LOAD_S = 12  # ORT's telemetry wrote its files within ~8 s of start-up when it was on


def _socket_inodes(pid: int) -> set:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def _hex_addr(text: str) -> ipaddress._BaseAddress:
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return ipaddress.IPv4Address(raw[::-1])
    # /proc prints IPv6 as four host-order 32-bit words
    return ipaddress.IPv6Address(b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))


def _remote_peers(pid: int) -> list:
    """(proto, remote address) of every inet socket the process holds that is connected somewhere."""
    inodes = _socket_inodes(pid)
    peers = []
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{proto}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            if f[9] not in inodes:
                continue
            addr = _hex_addr(f[2].split(":")[0])
            if not addr.is_unspecified:  # a listening or unconnected socket has no peer
                peers.append((proto, addr))
    return peers


def test_no_outbound_socket_and_no_telemetry_files(service_factory, sqlite_url, tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    s = service_factory("--no-demo", database_url=sqlite_url, env={"HOME": str(home), "TMPDIR": str(tmp)})
    app = create_app(sqlite_url, quota=100000)
    image = blank_png()
    stop = threading.Event()
    errors = []

    def load():
        with s.client() as c:
            token = get_token(c, app)
            while not stop.is_set():
                try:
                    c.get("/healthz")
                    assert ocr(c, token, image)["errcode"] == 101001  # decoded and read: no card in it
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(repr(e))
                    return

    workers = [threading.Thread(target=load) for _ in range(3)]
    for w in workers:
        w.start()
    seen = set()
    deadline = time.monotonic() + LOAD_S
    while time.monotonic() < deadline:
        seen.update(_remote_peers(s.proc.pid))
        time.sleep(0.05)
    stop.set()
    for w in workers:
        w.join()
    seen.update(_remote_peers(s.proc.pid))
    s.stop()

    assert not errors, errors
    assert seen, "the sampler saw none of the load's own loopback connections"
    outbound = [(p, str(a)) for p, a in seen if not a.is_loopback]
    assert not outbound, outbound
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()
                     and (home in p.parents or tmp in p.parents))
    assert written == [], written  # neither ~/.cache/Microsoft/... nor mat-debug-<pid>.log


def test_cli_read_writes_no_telemetry(require_bin, tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    image = tmp_path / "blank.png"
    image.write_bytes(blank_png())
    env = dict(os.environ, HOME=str(home), TMPDIR=str(tmp))
    proc = subprocess.run([str(require_bin), "read", str(image), "--type", "photo"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p != image) == []
