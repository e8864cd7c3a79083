"""docs/openapi.json is the API reference: valid OpenAPI 3.1, served by the binary, rendered into
docs/api.md, listing every errcode of src/server/errors.*, and every live answer of the real
binary (token, front, back, each error that can be triggered on loopback) matches its schemas."""
import subprocess
import sys

import pytest
from openapi_spec_validator import validate as validate_openapi

from e2e_support import REPO
from openapi_support import SPEC, SPEC_PATH, check, documented_errcodes, source_errcodes
from sdk_support import generator_card
from service_support import (blank_png, create_app, get_token, junk_bytes, require_bin,  # noqa: F401
                             run_cli, service_factory, sqlite_url)

OCR = "/cv/ocr/idcard"
TOKEN = "/cgi-bin/token"


def test_document_is_valid_openapi_3_1():
    assert SPEC["openapi"].startswith("3.1")
    validate_openapi(SPEC)


def test_api_md_is_rendered_from_the_document():
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "render_api_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_every_errcode_of_the_source_is_documented():
    assert documented_errcodes() == source_errcodes()
    documented = {int(s["properties"]["errcode"]["const"]) for n, s in SPEC["components"]["schemas"].items()
                  if n.startswith("Error") and "properties" in s}
    assert documented | {0} == set(source_errcodes())


@pytest.fixture
def live(service_factory, sqlite_url, tmp_path):
    clock = tmp_path / "clock"
    clock.write_text("0")
    s = service_factory("--no-demo", "--fake-clock-file", str(clock), database_url=sqlite_url)
    s.clock = clock
    s.app = create_app(sqlite_url, quota=1000)
    s.small = create_app(sqlite_url, name="small", quota=1)
    s.slow = create_app(sqlite_url, name="slow", quota=1000)
    # One call per 1000 s: the second one within the test is over the rate.
    assert run_cli("apps", "set-rate", s.slow["appid"], "--rps", "0.001", "--burst", "1",
                   database_url=sqlite_url).returncode == 0
    s.http = s.client()
    yield s
    s.http.close()


def ocr(s, token, image=None, **params):
    q = {"type": "photo", **params}
    if token is not None:
        q["access_token"] = token
    files = {"img": ("card.jpg", image, "image/jpeg")} if image is not None else None
    return check(s.http.post(OCR, params=q, files=files), OCR)


def test_served_document_is_the_file(live):
    r = live.http.get("/openapi.json")
    check(r, "/openapi.json")
    assert r.content == SPEC_PATH.read_bytes()


def test_token_answers_match(live):
    c, app = live.http, live.app
    base = {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
    assert "access_token" in check(c.get(TOKEN, params=base), TOKEN)
    for params, code in (({**base, "grant_type": "password"}, 40002), ({**base, "appid": ""}, 41002),
                         ({**base, "secret": ""}, 41004), ({**base, "appid": "wx0000000000000000"}, 40013),
                         ({**base, "secret": "0" * 32}, 40001)):
        assert check(c.get(TOKEN, params=params), TOKEN)["errcode"] == code
    assert check(c.post(TOKEN, params=base), TOKEN)["errcode"] == 43001


def test_card_answers_match(live):
    token = get_token(live.http, live.app)
    front_img = generator_card(20246, "Front")["bytes"]
    front = ocr(live, token, front_img)
    assert front["type"] == "Front"
    front_detail = ocr(live, token, front_img, detail=1)
    assert {"fields", "checks", "card_pos", "img_size", "sides"} <= set(front_detail)
    back = ocr(live, token, generator_card(20247, "Back")["bytes"], type="scan", detail="true")
    assert back["type"] == "Back" and "fields" in back


def test_error_answers_match(live):
    c = live.http
    token = get_token(c, live.app)
    assert ocr(live, None, junk_bytes())["errcode"] == 41001
    assert ocr(live, "x" * 64, junk_bytes())["errcode"] == 40014
    assert ocr(live, token, None)["errcode"] == 41005
    # As documented: the multipart field `img` (or WxJava's `file`) carries an upload, nothing else.
    raw = c.post(OCR, params={"access_token": token}, content=junk_bytes(), headers={"content-type": "image/jpeg"})
    assert check(raw, OCR)["errcode"] == 41005
    other = c.post(OCR, params={"access_token": token}, files={"image": ("a.jpg", junk_bytes(), "image/jpeg")})
    assert check(other, OCR)["errcode"] == 41005
    wxjava = c.post(OCR, params={"access_token": token}, files={"file": ("a.jpg", junk_bytes(), "image/jpeg")})
    assert check(wxjava, OCR)["errcode"] == 101002
    assert ocr(live, token, junk_bytes(2 * 1024 * 1024 + 1))["errcode"] == 40006
    assert ocr(live, token, junk_bytes())["errcode"] == 101002
    assert ocr(live, token, blank_png())["errcode"] == 101001
    # Loopback is not an allowed fetch target here: refused before connecting.
    assert ocr(live, token, None, img_url="http://127.0.0.1:9/card.jpg")["errcode"] == 101000
    for method in ("GET", "PUT", "DELETE", "PATCH", "OPTIONS"):
        assert check(c.request(method, OCR, params={"access_token": token}), OCR)["errcode"] == 43002
    small = get_token(c, live.small)
    assert ocr(live, small, junk_bytes())["errcode"] == 101002
    assert ocr(live, small, junk_bytes())["errcode"] == 45009
    slow = get_token(c, live.slow)
    assert ocr(live, slow, junk_bytes())["errcode"] == 101002
    assert ocr(live, slow, junk_bytes())["errcode"] == 45011
    live.clock.write_text("7201")
    assert ocr(live, token, junk_bytes())["errcode"] == 42001


def test_operations_and_demo_off_match(live):
    c = live.http
    check(c.get("/healthz"), "/healthz")
    assert check(c.get("/readyz"), "/readyz")["status"] == "ready"
    check(c.get("/metrics"), "/metrics")
    assert check(c.get("/"), "/")["errcode"] == 40066
    assert check(c.get("/demo/token"), "/demo/token")["errcode"] == 40066


def test_demo_answers_match(service_factory, sqlite_url):
    s = service_factory("--demo", database_url=sqlite_url)
    with s.client() as c:
        check(c.get("/"), "/")
        token = check(c.get("/demo/token"), "/demo/token")["access_token"]
        r = c.post(OCR, params={"access_token": token}, files={"img": ("a.png", blank_png(), "image/png")})
        assert check(r, OCR)["errcode"] == 101001
