"""HTTP-level faults on a raw socket to the real binary: an impossible Content-Length is refused at
once (not after the 10 s read timeout) and the connection closed; after a protocol error (414) the
bytes that follow are not parsed as further requests; /metrics can be guarded by a token."""
import json
import socket

import httpx
import pytest

from service_support import require_bin, service, service_factory, sqlite_url  # noqa: F401

# Well under the server's 10 s read timeout, which the refusals used to wait out.
ANSWER_WITHIN_S = 3


def _exchange(url: str, raw: bytes) -> bytes:
    """Sends raw bytes and reads until the server closes (a timeout fails the test)."""
    host, port = url.rsplit("//", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=ANSWER_WITHIN_S) as s:
        s.sendall(raw)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                pytest.fail(f"connection still open after {ANSWER_WITHIN_S} s; got {data[:300]!r}")
            if not chunk:
                return data
            data += chunk


def _responses(data: bytes) -> list:
    """(status, json body) of each HTTP response in `data` (Content-Length framed)."""
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        length = next(int(x.split(":", 1)[1]) for x in lines[1:] if x.lower().startswith("content-length:"))
        out.append((status, json.loads(rest[:length])))
        data = rest[length:]
    return out


@pytest.mark.parametrize("length, errcode", [
    (b"99999999999999999999999", 40006),  # beyond 64 bits
    (b"18446744073709551615", 40006),     # 2^64-1
    (b"40000000000", 40006),              # 40 GB
    (b"-1", -1),                           # strtoull would wrap it to 2^64-1
    (b"abc", -1),                          # strtoull would read 0: the body parsed as a request
    (b"5, 5", -1),
])
def test_impossible_content_length_is_refused_at_once(service, length, errcode):
    raw = (b"POST /cv/ocr/idcard?type=photo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
           + b"\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    answers = _responses(_exchange(service.url, raw))
    assert len(answers) == 1, answers  # the body's bytes were not taken for a request
    assert answers[0][1]["errcode"] == errcode, answers


def test_bytes_after_a_protocol_error_are_not_parsed(service):
    raw = b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    answers = _responses(_exchange(service.url, raw))
    assert [a[0] for a in answers] == [414], answers
    assert answers[0][1]["errcode"] == -1


def test_a_good_connection_is_kept_alive(service):
    with httpx.Client(base_url=service.url) as c:
        first = c.get("/healthz")
        ports = {first.extensions["network_stream"].get_extra_info("client_addr")}
        second = c.get("/cgi-bin/token")  # an error answer (no grant_type), not a protocol error
        ports.add(second.extensions["network_stream"].get_extra_info("client_addr"))
        third = c.get("/healthz")
        ports.add(third.extensions["network_stream"].get_extra_info("client_addr"))
    assert second.json()["errcode"] == 40002
    assert len(ports) == 1, ports


@pytest.mark.parametrize("how", ["flag", "env"])
def test_metrics_token(service_factory, sqlite_url, how):
    token = "e2e-metrics-token"
    if how == "flag":
        s = service_factory("--no-demo", "--metrics-token", token, database_url=sqlite_url)
    else:
        s = service_factory("--no-demo", database_url=sqlite_url, env={"IDCARD_OCR_METRICS_TOKEN": token})
    r = httpx.get(s.url + "/metrics")
    assert r.status_code == 401 and r.json()["errcode"] == 40001
    assert httpx.get(s.url + "/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = httpx.get(s.url + "/metrics", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and "idcard_" in r.text
    assert httpx.get(s.url + "/readyz").json() == {"status": "ready"}
    assert httpx.get(s.url + "/readyz", headers={"Authorization": f"Bearer {token}"}).json() == \
        {"status": "ready", "models": True, "database": True}
    assert token not in s.output()
