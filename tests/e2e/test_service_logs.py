"""Logs are JSON lines and never carry names, ID numbers, addresses, secrets, tokens or images."""
import json

from service_support import (create_app, get_token, ocr, require_bin, service_cards,  # noqa: F401
                             service_factory, sqlite_url)


def test_logs_are_masked(service_factory, sqlite_url, service_cards):
    s = service_factory("--no-demo", database_url=sqlite_url)
    app = create_app(sqlite_url)
    front, back = service_cards["Front"], service_cards["Back"]
    with s.client() as c:
        token = get_token(c, app)
        r1 = ocr(c, token, front["path"].read_bytes(), detail=1)
        r2 = ocr(c, token, back["path"].read_bytes())
        c.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": app["appid"], "secret": "wrong" * 6})
        ocr(c, token, None, img_url="http://10.0.0.1/" + front["id"])
    s.stop()
    out = s.output()
    forbidden = {app["secret"], token, front["id"], front["name"], front["addr"], back["authority"]}
    for resp in (r1, r2):
        for key in ("name", "id", "addr", "authority", "valid_date"):
            if resp.get(key):
                forbidden.add(resp[key])
    for value in forbidden:
        assert value and value not in out, f"log leaks {value!r}"
    assert front["path"].read_bytes()[:64].hex() not in out
    lines = [x for x in out.splitlines() if x.strip()]
    assert lines and all(json.loads(x)["event"] for x in lines), "every log line is JSON (demo is off)"
    requests = [json.loads(x) for x in lines if '"event":"request"' in x]
    assert len(requests) >= 4 and all("rid" in e and "errcode" in e for e in requests)
