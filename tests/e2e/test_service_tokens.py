"""Token expiry and WeChat's 5-minute overlap, driven by the hidden --fake-clock-file hook."""
from service_support import create_app, get_token, junk_bytes, ocr, require_bin, service_factory, sqlite_url  # noqa: F401


def test_expiry_and_overlap(service_factory, sqlite_url, tmp_path):
    clock = tmp_path / "clock"
    clock.write_text("0")
    s = service_factory("--no-demo", "--fake-clock-file", str(clock), database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    img = junk_bytes()
    with s.client() as c:
        first = get_token(c, app)
        assert ocr(c, first, img)["errcode"] == 101002
        clock.write_text("1000")
        assert ocr(c, first, img)["errcode"] == 101002, "still inside 7200 s"
        second = get_token(c, app)
        assert second != first
        clock.write_text(str(1000 + 299))
        assert ocr(c, first, img)["errcode"] == 101002, "old token: valid 5 more minutes"
        clock.write_text(str(1000 + 301))
        assert ocr(c, first, img)["errcode"] == 42001
        assert ocr(c, second, img)["errcode"] == 101002
        clock.write_text(str(1000 + 7201))
        assert ocr(c, second, img)["errcode"] == 42001
        third = get_token(c, app)
        assert ocr(c, third, img)["errcode"] == 101002


def test_overlap_never_extends_an_expiring_token(service_factory, sqlite_url, tmp_path):
    clock = tmp_path / "clock"
    clock.write_text("0")
    s = service_factory("--no-demo", "--token-ttl", "100", "--fake-clock-file", str(clock), database_url=sqlite_url)
    app = create_app(sqlite_url, quota=1000)
    with s.client() as c:
        first = get_token(c, app)
        clock.write_text("90")
        get_token(c, app)  # first would now live to 90+300 if extended; it must still die at 100
        clock.write_text("101")
        assert ocr(c, first, junk_bytes())["errcode"] == 42001


def test_token_ttl_flag(service_factory, sqlite_url):
    s = service_factory("--no-demo", "--token-ttl", "3", database_url=sqlite_url)
    app = create_app(sqlite_url)
    with s.client() as c:
        r = c.get("/cgi-bin/token", params={"grant_type": "client_credential", **app}).json()
        assert r["expires_in"] == 3
