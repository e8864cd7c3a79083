"""A service as an SDK user sees it: one app, a token lifetime clock the test controls, and a
loopback image host (admitted with --allow-fetch-host) serving generator cards for img_url."""
import functools
import http.server
import threading

import pytest

from openapi_support import validate_body
from service_support import create_app

# Generator seeds whose scan images are a clean front and a clean back (tools/cardgen is
# deterministic; the test asserts the generator's truth, so a misread fails loudly).
FRONT_SEED = 20246
BACK_SEED = 20247


def generator_card(seed: int, side: str) -> dict:
    from tools.cardgen.generate import generate_one

    data, ext, truth = generate_one(seed, "scan")
    assert truth["side"] == side, f"seed {seed} gives a {truth['side']}, not a {side}"
    return {"bytes": data, "ext": "." + ext, "mime": "image/png" if ext == "png" else "image/jpeg", "truth": truth}


class ImageHost:
    """Serves {name: bytes} on 127.0.0.1 over plain HTTP."""

    def __init__(self, files: dict):
        handler = functools.partial(_Handler, files)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    def __init__(self, files, *args, **kw):
        self.files = files
        super().__init__(*args, **kw)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = self.files.get(self.path.lstrip("/"))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def cards():
    return {"Front": generator_card(FRONT_SEED, "Front"), "Back": generator_card(BACK_SEED, "Back")}


@pytest.fixture
def sdk_env(service_factory, sqlite_url, tmp_path, cards):
    """{service, app, clock, host, cards}: the clock file shifts the service's clock (seconds)."""
    clock = tmp_path / "clock"
    clock.write_text("0")
    host = ImageHost({f"{side.lower()}{c['ext']}": c["bytes"] for side, c in cards.items()})
    s = service_factory("--no-demo", "--allow-fetch-host", "127.0.0.1", "--fake-clock-file", str(clock),
                        database_url=sqlite_url)
    env = {"service": s, "app": create_app(sqlite_url, quota=1000), "clock": clock, "host": host, "cards": cards}
    env["url"] = {side: f"{host.url}/{side.lower()}{c['ext']}" for side, c in cards.items()}
    yield env
    host.close()


def assert_front(body: dict, truth: dict):
    validate_body(body, "/cv/ocr/idcard")  # the shape docs/openapi.json promises
    assert body["type"] == "Front", body
    assert body["id"] == truth["id"] and body["name"] == truth["name"], (body, truth)
    assert body["gender"] == truth["gender"] and body["birth"] == truth["birth"].replace("-", ""), body
    assert body["nationality"] == truth["nationality"] and body["addr"] == truth["addr"], (body, truth)


def assert_back(body: dict, truth: dict):
    validate_body(body, "/cv/ocr/idcard")
    assert body["type"] == "Back", body
    start = truth["valid_from"].replace(".", "")
    end = truth["valid_to"] if truth["valid_to"] == "长期" else truth["valid_to"].replace(".", "")
    assert body["valid_date"] == f"{start}-{end}", (body, truth)
    assert body["authority"] == truth["authority"], (body, truth)
