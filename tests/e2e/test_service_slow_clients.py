"""Slow clients do not stall everyone: with 200 connections trickling their headers a byte a second,
or 24 img_url fetches from a host that never answers, normal token and OCR calls are answered within
1 s of their unloaded time (issue 15's bar). Before, eight slow connections (--threads 8) made every
other call wait as long as they kept trickling. And a head not complete within --head-timeout is
cut."""
import socket
import threading
import time

import httpx

from service_support import blank_png, create_app, get_token, ocr
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401

SLOW = 200
SLACK_S = 1.0
HEAD = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 200


class Trickle:
    """`n` connections, each sent one more byte of a request head every second, never finished."""

    def __init__(self, url: str, n: int):
        host, port = url.rsplit("//", 1)[1].rsplit(":", 1)
        self.socks = []
        for _ in range(n):  # each starts at once: the server drops a connection silent for 2 s
            self.socks.append(socket.create_connection((host, int(port)), timeout=5))
            self.socks[-1].send(HEAD[:1])
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        i = 1
        while not self.stop.wait(1.0) and i < len(HEAD):
            for s in self.socks:
                try:
                    s.send(HEAD[i:i + 1])
                except OSError:
                    pass  # closed by the server: still_open() tells
            i += 1

    def still_open(self) -> int:
        """Connections the server has not closed (a closed one reads as EOF)."""
        n = 0
        for s in self.socks:
            s.setblocking(False)
            try:
                n += s.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                n += 1
            finally:
                s.setblocking(True)
        return n

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def _timed(f) -> float:
    t = time.monotonic()
    f()
    return time.monotonic() - t


def _calls(s, app, image):
    """Seconds for a token call and for an OCR call (a picture without a card: models run)."""
    with s.client() as c:
        token_s = _timed(lambda: get_token(c, app))
        token = get_token(c, app)
        ocr_s = _timed(lambda: ocr(c, token, image))
    return token_s, ocr_s


def test_slow_headers_do_not_stall_other_calls(service_factory, sqlite_url):
    s = service_factory("--no-demo", "--threads", "8", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    image = blank_png()
    _calls(s, app, image)  # warm-up
    token0, ocr0 = _calls(s, app, image)
    trickle = Trickle(s.url, SLOW)
    try:
        time.sleep(2)
        token1, ocr1 = _calls(s, app, image)
        assert trickle.still_open() == SLOW  # the load was there all along
    finally:
        trickle.close()
    assert token1 < token0 + SLACK_S, (token0, token1)
    assert ocr1 < ocr0 + SLACK_S, (ocr0, ocr1)


def test_silent_img_url_hosts_do_not_stall_other_calls(service_factory, sqlite_url):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)  # connections complete in the backlog; nothing is ever read or answered
    port = silent.getsockname()[1]
    s = service_factory("--no-demo", "--threads", "8", "--allow-fetch-host", "127.0.0.1", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    image = blank_png()
    _calls(s, app, image)
    token0, ocr0 = _calls(s, app, image)
    with s.client() as c:
        token = get_token(c, app)
    answers = []

    def fetch_call():
        r = httpx.post(s.url + "/cv/ocr/idcard", params={"type": "photo", "access_token": token,
                                                         "img_url": f"http://127.0.0.1:{port}/card.jpg"}, timeout=60)
        answers.append(r.json()["errcode"])

    fetches = [threading.Thread(target=fetch_call) for _ in range(24)]
    for f in fetches:
        f.start()
    try:
        time.sleep(1)
        token1, ocr1 = _calls(s, app, image)
        assert not answers, answers  # the fetches were still waiting meanwhile
    finally:
        for f in fetches:
            f.join()
        silent.close()
    assert answers == [101000] * 24  # each given up at the fetch's total timeout
    assert token1 < token0 + SLACK_S, (token0, token1)
    assert ocr1 < ocr0 + SLACK_S, (ocr0, ocr1)


def test_trickling_heads_are_cut_at_the_head_timeout(service_factory, sqlite_url):
    s = service_factory("--no-demo", "--head-timeout", "2", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    trickle = Trickle(s.url, 20)
    try:
        deadline = time.monotonic() + 30  # a hang guard: they go after 2-3 s
        while trickle.still_open() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert trickle.still_open() == 0
        with s.client() as c:  # the service itself is fine
            assert get_token(c, app)
    finally:
        trickle.close()


def test_trickling_bodies_are_cut(service_factory, sqlite_url):
    """A body below --min-body-rate after --head-timeout of grace is cut, on the OCR route (which
    streams its body) and on a route whose body httplib reads before the handler."""
    s = service_factory("--no-demo", "--head-timeout", "2", "--min-body-rate", "1000", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    with s.client() as c:
        token = get_token(c, app)
    host, port = s.url.rsplit("//", 1)[1].rsplit(":", 1)
    heads = [f"POST /cv/ocr/idcard?type=photo&access_token={token} HTTP/1.1\r\nHost: x\r\n"
             "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n",
             "POST /cgi-bin/token HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"]
    socks = []
    for i in range(20):
        socks.append(socket.create_connection((host, int(port)), timeout=5))
        socks[-1].sendall(heads[i % 2].encode())

    def open_count() -> int:
        n = 0
        for sk in socks:
            sk.setblocking(False)
            try:
                n += sk.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                n += 1
            except OSError:
                pass
            finally:
                sk.setblocking(True)
        return n

    try:
        deadline = time.monotonic() + 30  # a hang guard: a byte a second is cut after 2-3 s
        while open_count() and time.monotonic() < deadline:
            for sk in socks:
                try:
                    sk.send(b"x")
                except OSError:
                    pass
            time.sleep(1.0)
        assert open_count() == 0
        with s.client() as c:  # the service itself is fine: an upload at a normal pace is read
            assert ocr(c, token, blank_png())["errcode"] == 101001
    finally:
        for sk in socks:
            sk.close()
