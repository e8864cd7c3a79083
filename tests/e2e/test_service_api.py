"""The WeChat-shaped API against the real binary: every errcode path, limits, health, metrics."""
import re

import httpx
import pytest

from service_support import (blank_png, card, create_app, get_token, junk_bytes, ocr, require_bin,  # noqa: F401
                             service, service_factory, sqlite_url)

RID = re.compile(r" rid: [0-9a-f]{8}-[0-9a-f]{8}$")


def assert_error(body: dict, errcode: int):
    assert body["errcode"] == errcode, body
    assert RID.search(body["errmsg"]), body
    assert set(body) == {"errcode", "errmsg"}, body


def test_token_grant_and_errors(service):
    c, app = service.http, service.app
    r = c.get("/cgi-bin/token", params={"grant_type": "client_credential", **{k: app[k] for k in ("appid", "secret")}})
    body = r.json()
    assert r.status_code == 200 and body["expires_in"] == 7200 and len(body["access_token"]) >= 32
    base = {"grant_type": "client_credential", "appid": app["appid"], "secret": app["secret"]}
    assert_error(c.get("/cgi-bin/token", params={**base, "grant_type": "password"}).json(), 40002)
    assert_error(c.get("/cgi-bin/token", params={**base, "appid": "wx0000000000000000"}).json(), 40013)
    assert_error(c.get("/cgi-bin/token", params={**base, "secret": "0" * 32}).json(), 40001)
    assert_error(c.post("/cgi-bin/token", params=base).json(), 43001)


def test_front_card(service):
    truth = card("Front")
    body = ocr(service.http, service.token, truth["path"].read_bytes())
    assert body["errcode"] == 0 and body["errmsg"] == "ok", body
    assert body["type"] == "Front"
    for key in ("name", "id", "addr", "gender", "nationality", "birth"):
        assert key in body
    assert body["id"] == truth["id"]
    assert body["name"] == truth["name"]
    assert body["birth"] == truth["birth"].replace("-", "")


def test_back_card_with_detail(service):
    truth = card("Back")
    body = ocr(service.http, service.token, truth["path"].read_bytes(), detail=1)
    assert body["errcode"] == 0, body
    assert body["type"] == "Back"
    assert re.fullmatch(r"\d{8}-(\d{8}|长期)", body["valid_date"]), body
    assert "authority" in body
    assert {"card_pos", "img_size", "checks", "fields"} <= set(body)
    pos = body["fields"]["valid_date"]["pos"]
    assert set(pos) == {"left_top", "right_top", "right_bottom", "left_bottom"}
    assert set(body["img_size"]) == {"w", "h"}


def test_scan_type_is_accepted(service):
    body = ocr(service.http, service.token, card("Front")["path"].read_bytes(), type="scan")
    assert body["errcode"] == 0 and body["type"] == "Front", body


def test_junk_and_non_card_images(service):
    assert_error(ocr(service.http, service.token, junk_bytes()), 101002)
    assert_error(ocr(service.http, service.token, b"\x89PNG\r\n\x1a\n" + junk_bytes(2000)), 101002)
    assert_error(ocr(service.http, service.token, blank_png()), 101001)


def test_token_errors(service):
    img = junk_bytes()
    assert_error(ocr(service.http, None, img), 41001)
    assert_error(ocr(service.http, "", img), 41001)
    assert_error(ocr(service.http, "x" * 64, img), 40014)
    assert_error(ocr(service.http, "短", img), 40014)


def test_media_missing_and_methods(service):
    c = service.http
    assert_error(ocr(c, service.token, None), 41005)
    r = c.post("/cv/ocr/idcard", params={"access_token": service.token}, files={"other": ("a", b"x")})
    assert_error(r.json(), 41005)
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        r = c.request(method, "/cv/ocr/idcard", params={"access_token": service.token})
        assert r.status_code == 200
        assert_error(r.json(), 43002)


def test_unknown_paths_answer_json(service):
    for method, path in (("GET", "/nope"), ("POST", "/cgi-bin/nope"), ("GET", "/"), ("PUT", "/cgi-bin/token")):
        r = service.http.request(method, path)
        assert r.status_code == 404, (method, path)
        assert r.headers["content-type"].startswith("application/json")
        assert r.json()["errcode"] == 40066


def test_upload_over_2mb_is_refused(service):
    big = junk_bytes(2 * 1024 * 1024 + 1)
    assert_error(ocr(service.http, service.token, big), 40006)
    huge = junk_bytes(5 * 1024 * 1024)
    assert_error(ocr(service.http, service.token, huge), 40006)
    # Chunked upload without Content-Length: refused while streaming.
    def chunks():
        yield b'--xyz\r\nContent-Disposition: form-data; name="img"; filename="a.jpg"\r\n\r\n'
        for _ in range(6):
            yield junk_bytes(512 * 1024)
        yield b"\r\n--xyz--\r\n"
    r = service.http.post("/cv/ocr/idcard", params={"access_token": service.token}, content=chunks(),
                          headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert_error(r.json(), 40006)
    # The server is still fine afterwards.
    assert_error(ocr(service.http, service.token, junk_bytes()), 101002)


def test_image_just_under_limit_is_read(service):
    img = junk_bytes(2 * 1024 * 1024 - 10)
    assert_error(ocr(service.http, service.token, img), 101002)


def test_malformed_multipart(service):
    r = service.http.post("/cv/ocr/idcard", params={"access_token": service.token},
                          content=b"--xyz\r\nContent-Disposition: form-data; name=\"img\"\r\n\r\nabc",
                          headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert r.status_code == 200
    assert r.json()["errcode"] in (41005, 101002)


def test_health_ready_metrics(service):
    c = service.http
    assert c.get("/healthz").status_code == 200
    ready = c.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    ocr(c, service.token, junk_bytes())
    text = c.get("/metrics").text
    assert 'idcard_requests_total{route="/cv/ocr/idcard",errcode="101002"}' in text
    assert "idcard_request_duration_seconds_bucket" in text
    assert "idcard_ocr_queue_depth 0" in text


def test_quota_exhaustion(service_factory, sqlite_url):
    s = service_factory("--no-demo", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=2)
    with s.client() as c:
        t = get_token(c, app)
        assert ocr(c, t, junk_bytes())["errcode"] == 101002
        assert ocr(c, t, junk_bytes())["errcode"] == 101002
        assert_error(ocr(c, t, junk_bytes()), 45009)
        # Calls refused before recognition (no media, bad token) do not count.
        assert_error(ocr(c, t, None), 41005)


def test_overload_answers_minus_one_at_once(service_factory, sqlite_url):
    """One worker, no queue: while it is busy, another call is refused at once."""
    import concurrent.futures
    import time

    s = service_factory("--no-demo", "--ocr-workers", "1", "--queue", "0", "--threads", "16", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    img = card("Front")["path"].read_bytes()
    with s.client() as c:
        t = get_token(c, app)

    def call(_):
        with httpx.Client(base_url=s.url, timeout=120) as cc:
            t0 = time.monotonic()
            body = ocr(cc, t, img)
            return body, time.monotonic() - t0

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        results = list(pool.map(call, range(12)))
    overloaded = [(b, dt) for b, dt in results if b["errcode"] == -1]
    assert overloaded, "12 concurrent recognitions on 1 worker without a queue must overload"
    assert all("overloaded" in b["errmsg"] for b, _ in overloaded)
    assert any(b["errcode"] == 0 for b, _ in results)
    assert min(dt for _, dt in overloaded) < 1.0


def test_errors_leak_no_internals(service):
    body = ocr(service.http, service.token, junk_bytes())
    text = body["errmsg"]
    assert "/" not in text and "exception" not in text.lower() and "sqlite" not in text.lower()
