"""The WeChat-shaped API against the real binary: every errcode path, limits, health, metrics."""
import re
import time

import httpx
import pytest

from sdk_support import ImageHost
from service_support import (FakeClock, blank_png, create_app, get_token, junk_bytes, ocr,  # noqa: F401
                             quota_used, require_bin, service, service_cards, service_factory,
                             shanghai_day, shanghai_midnight_after, sqlite_url, wechat_valid_date)

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


def assert_front(body: dict, truth: dict):
    assert body["errcode"] == 0 and body["errmsg"] == "ok", body
    assert body["type"] == "Front", body
    assert body["id"] == truth["id"], (body, truth)
    assert body["name"] == truth["name"], (body, truth)
    assert body["gender"] == truth["gender"], (body, truth)
    assert body["nationality"] == truth["nationality"], (body, truth)
    assert body["birth"] == truth["birth"].replace("-", ""), (body, truth)
    assert body["addr"] == truth["addr"], (body, truth)


def test_front_card(service, service_cards):
    truth = service_cards["Front"]
    assert_front(ocr(service.http, service.token, truth["path"].read_bytes()), truth)


def test_back_card_with_detail(service, service_cards):
    truth = service_cards["Back"]
    body = ocr(service.http, service.token, truth["path"].read_bytes(), detail=1)
    assert body["errcode"] == 0, body
    assert body["type"] == "Back"
    assert body["valid_date"] == wechat_valid_date(truth), (body, truth)
    assert body["authority"] == truth["authority"], (body, truth)
    assert {"card_pos", "img_size", "checks", "fields"} <= set(body)
    assert body["fields"]["valid_date"]["text"] == body["valid_date"], body["fields"]
    assert body["fields"]["authority"]["text"] == body["authority"], body["fields"]
    pos = body["fields"]["valid_date"]["pos"]
    assert set(pos) == {"left_top", "right_top", "right_bottom", "left_bottom"}
    assert set(body["img_size"]) == {"w", "h"}


def test_scan_type_is_accepted(service, service_cards):
    truth = service_cards["Front"]
    assert_front(ocr(service.http, service.token, truth["path"].read_bytes(), type="scan"), truth)


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


def test_quota_exhaustion(service_factory, sqlite_url, tmp_path):
    # The service's clock is pinned to a noon in Asia/Shanghai: the day cannot change mid-test.
    clock = FakeClock(tmp_path / "clock")
    noon = shanghai_midnight_after(time.time()) + 12 * 3600
    clock.set(noon)
    s = service_factory("--no-demo", "--fake-clock-file", str(clock.path), database_url=sqlite_url)
    app = create_app(sqlite_url, quota=2)
    with s.client() as c:
        t = get_token(c, app)
        assert ocr(c, t, junk_bytes())["errcode"] == 101002
        assert ocr(c, t, junk_bytes())["errcode"] == 101002
        assert_error(ocr(c, t, junk_bytes()), 45009)
        # Calls refused before recognition (no media, bad token) do not count.
        assert_error(ocr(c, t, None), 41005)
    assert quota_used(sqlite_url, app["appid"], shanghai_day(noon)) == 2


class AskedFiles(dict):
    """Files for sdk_support.ImageHost that remember every path asked for."""

    def __init__(self, files):
        super().__init__(files)
        self.asked = []

    def get(self, key, default=None):
        self.asked.append(key)
        return super().get(key, default)


def test_upload_wins_over_img_url(service_factory, sqlite_url, service_cards):
    """A call with both an `img` upload and `img_url` reads the upload; the URL is not fetched
    (ocr_endpoint.cpp: the download happens only when there is no upload), as docs/api.md says."""
    front, back = service_cards["Front"], service_cards["Back"]
    files = AskedFiles({"back.jpg": back["path"].read_bytes()})
    host = ImageHost(files)
    try:
        s = service_factory("--no-demo", "--allow-fetch-host", "127.0.0.1", database_url=sqlite_url)
        app = create_app(sqlite_url, quota=100)
        url = host.url + "/back.jpg"
        with s.client() as c:
            t = get_token(c, app)
            # The URL alone is fetched and read: it is a good one.
            body = ocr(c, t, None, img_url=url)
            assert body["errcode"] == 0 and body["type"] == "Back", body
            assert body["valid_date"] == wechat_valid_date(back), (body, back)
            assert files.asked == ["back.jpg"]
            # Both: the uploaded front is read, the back's URL never asked for.
            assert_front(ocr(c, t, front["path"].read_bytes(), img_url=url), front)
            # img_url as a multipart field beside the upload: the same.
            r = c.post("/cv/ocr/idcard", params={"access_token": t, "type": "photo"}, data={"img_url": url},
                       files={"img": ("card.jpg", front["path"].read_bytes(), "image/jpeg")})
            assert_front(r.json(), front)
            # A URL that could never be fetched (not http, a private address) does not spoil an upload.
            body = ocr(c, t, junk_bytes(), img_url="ftp://10.0.0.1/card.jpg")
            assert_error(body, 101002)  # the upload was judged, not the URL (101000)
            assert files.asked == ["back.jpg"], "img_url must not be fetched when an image is uploaded"
    finally:
        host.close()


def test_docs_say_the_upload_wins_over_img_url():
    from e2e_support import REPO

    text = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    assert "both an `img` upload and `img_url`, the upload is read and `img_url` is not fetched" in text


def test_overload_answers_minus_one_at_once(service_factory, sqlite_url, service_cards):
    """One worker, no queue: while it is busy, another call is refused at once."""
    import concurrent.futures
    import time

    s = service_factory("--no-demo", "--ocr-workers", "1", "--queue", "0", "--threads", "16", database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    img = service_cards["Front"]["path"].read_bytes()
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
