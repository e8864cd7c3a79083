"""img_url is an untrusted server-side fetch. Every refusal must come from the address check,
before any connection: the log names the refusal, and loopback listeners see no connection. No test ever
sends traffic beyond loopback (10.x, 169.254.x, ... are refused before connecting)."""
import http.server
import select
import socket
import threading

import pytest

from service_support import (create_app, get_token, ocr, require_bin, service, service_cards,  # noqa: F401
                             service_factory, sqlite_url)


class Listener:
    """A bare loopback TCP listener that records whether anyone tried to connect."""

    def __init__(self, family=socket.AF_INET, host="127.0.0.1"):
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def contacted(self) -> bool:
        return bool(select.select([self.sock], [], [], 0)[0])

    def close(self):
        self.sock.close()


def loopback_names():
    """Names that resolve to loopback from /etc/hosts (no DNS traffic), besides localhost."""
    names = {"localhost"}
    try:
        for line in open("/etc/hosts", encoding="utf-8"):
            parts = line.split("#")[0].split()
            if len(parts) >= 2 and parts[0].startswith("127."):
                names.update(parts[1:])
    except OSError:
        pass
    return sorted(names)


REFUSALS = {"unsupported url", "forbidden or unresolvable host"}  # url_fetcher.cpp: never connected


def refused_before_connecting(server, client, token, url):
    """101000, and the server's log says the URL was refused, not tried ("transfer failed",
    "timeout" would mean it connected or tried to)."""
    body = ocr(client, token, None, img_url=url)
    assert body["errcode"] == 101000, (url, body)
    rid = body["errmsg"].rsplit("rid: ", 1)[1]
    notes = [e.get("note") for e in server.settled_log_events() if e.get("rid") == rid]
    assert notes and notes[0] in REFUSALS, (url, notes)


def test_internal_targets_are_refused_before_connecting(service):
    v4 = Listener()
    v6 = None
    try:
        v6 = Listener(socket.AF_INET6, "::1")
    except OSError:
        pass
    try:
        urls = [f"http://127.0.0.1:{v4.port}/card.jpg", f"http://127.1:{v4.port}/", f"http://2130706433:{v4.port}/",
                f"http://0.0.0.0:{v4.port}/", f"http://[::ffff:127.0.0.1]:{v4.port}/",
                "http://10.0.0.1/card.jpg", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://100.64.0.1/", "http://224.0.0.1/", "http://[fe80::1]/",
                "http://[fc00::1]/", "file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/",
                "dict://127.0.0.1:11211/", "not-a-url"]
        urls += [f"http://{name}:{v4.port}/card.jpg" for name in loopback_names()]
        if v6:
            urls.append(f"http://[::1]:{v6.port}/card.jpg")
        for url in urls:
            refused_before_connecting(service, service.http, service.token, url)
        assert not v4.contacted(), "a refused URL reached the loopback listener"
        assert not (v6 and v6.contacted())
    finally:
        v4.close()
        if v6:
            v6.close()


def test_img_url_as_form_field_is_checked_too(service):
    r = service.http.post("/cv/ocr/idcard", params={"access_token": service.token},
                          files={"img_url": (None, "http://169.254.169.254/")})
    assert r.json()["errcode"] == 101000


class ImageServer:
    """An 'allowed' image host on loopback that serves a card, redirects, and counts hits."""

    def __init__(self, card_bytes: bytes):
        hits = self.hits = []
        port_box = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                hits.append(self.path)
                port = port_box["port"]
                redirects = {
                    "/to-private": "http://10.0.0.1/card.jpg",
                    "/to-metadata": "http://169.254.169.254/latest/meta-data/",
                    "/to-other-loopback": f"http://127.0.0.2:{port}/card.jpg",
                    "/to-v6-loopback": f"http://[::1]:{port}/card.jpg",
                    "/to-card": "/card.jpg",
                    "/hop1": "/hop2", "/hop2": "/hop3", "/hop3": "/card.jpg",
                    "/loop": "/loop",
                }
                if self.path in redirects:
                    self.send_response(302)
                    self.send_header("Location", redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/card.jpg":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(card_bytes)))
                    self.end_headers()
                    self.wfile.write(card_bytes)
                elif self.path == "/big":
                    body = b"\xff\xd8" + b"\0" * (3 * 1024 * 1024)
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        self.wfile.write(body)
                    except OSError:
                        pass
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = port_box["port"] = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def allowed(service_factory, sqlite_url, service_cards):
    truth = service_cards["Front"]
    images = ImageServer(truth["path"].read_bytes())
    s = service_factory("--no-demo", "--allow-fetch-host", "127.0.0.1", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    with s.client() as c:
        yield c, get_token(c, app), images, truth, s
    images.close()


def test_allowed_host_is_fetched_and_read(allowed):
    c, token, images, truth, _ = allowed
    body = ocr(c, token, None, img_url=images.url("/card.jpg"))
    assert body["errcode"] == 0 and body["type"] == "Front", body
    assert body["id"] == truth["id"]
    body = ocr(c, token, None, img_url=images.url("/hop1"))
    assert body["errcode"] == 0, "three redirects are allowed"


def test_redirects_are_rechecked(allowed):
    c, token, images, _, server = allowed
    for path in ("/to-private", "/to-metadata", "/to-other-loopback", "/to-v6-loopback"):
        before = list(images.hits)
        refused_before_connecting(server, c, token, images.url(path))
        assert images.hits[len(before):] == [path], "the redirect target must never be contacted"


def test_redirect_limit_size_limit_and_errors(allowed):
    c, token, images, _, _ = allowed
    assert ocr(c, token, None, img_url=images.url("/loop"))["errcode"] == 101000
    assert images.hits.count("/loop") == 4, "first request + 3 redirects, then stop"
    assert ocr(c, token, None, img_url=images.url("/big"))["errcode"] == 40006
    assert ocr(c, token, None, img_url=images.url("/missing"))["errcode"] == 101000
