"""The service keeps its offline promise: under load it opens no socket other than loopback ones and
writes no telemetry (ONNX Runtime's usage events are off from the environment's creation)."""
import os
import subprocess
import threading
import time

from service_support import blank_png, create_app, get_token, ocr, process_sockets
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401

LOAD_S = 12  # ORT's telemetry wrote its files within ~8 s of start-up when it was on


def _remote_peers(pid: int) -> list:
    """(proto, remote address) of every inet socket of the process that is connected somewhere."""
    return [(x["proto"], x["remote"][0]) for x in process_sockets(pid) if not x["remote"][0].is_unspecified]


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
