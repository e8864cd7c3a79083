#!/usr/bin/env python3
"""Measures how a running `idcard-ocr serve` holds up (figures in docs/reliability.md).

    reliability_probe.py slow-heads URL APPID SECRET [--connections 8] [--head-bytes 30]
        token-call seconds, unloaded and while N connections send a request head a byte a second
    reliability_probe.py silent-fetch URL APPID SECRET [--fetches 24]
        token-call seconds while N img_url calls fetch from a host that never answers
        (serve with --allow-fetch-host 127.0.0.1)
    reliability_probe.py content-length URL
        seconds to the first answer byte, and whether the connection is then closed, for
        impossible Content-Length values and for a 414 followed by another request

Loopback only; prints one JSON object per measurement.
"""
import argparse
import json
import socket
import threading
import time

import httpx


def _addr(url):
    host, port = url.rsplit("//", 1)[1].rsplit(":", 1)
    return host, int(port)


def _token_seconds(url, appid, secret):
    q = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    t = time.monotonic()
    body = httpx.get(url + "/cgi-bin/token", params=q, timeout=600).json()
    return round(time.monotonic() - t, 3), body.get("access_token")


def slow_heads(a):
    head = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 4096)[:a.head_bytes - 4] + b"\r\n\r\n"
    unloaded, _ = _token_seconds(a.url, a.appid, a.secret)
    socks = []
    for _ in range(a.connections):
        s = socket.create_connection(_addr(a.url))
        s.send(head[:1])
        socks.append(s)

    def trickle():
        for i in range(1, len(head)):
            time.sleep(1)
            for s in socks:
                try:
                    s.send(head[i:i + 1])
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    time.sleep(1)
    loaded, _ = _token_seconds(a.url, a.appid, a.secret)
    print(json.dumps({"slow_connections": a.connections, "head_bytes": len(head), "token_unloaded_s": unloaded,
                      "token_loaded_s": loaded}))


def silent_fetch(a):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(128)  # connects complete in the backlog; nothing is read or answered
    port = silent.getsockname()[1]
    unloaded, token = _token_seconds(a.url, a.appid, a.secret)
    codes = []

    def fetch():
        r = httpx.post(a.url + "/cv/ocr/idcard", timeout=600, params={
            "type": "photo", "access_token": token, "img_url": f"http://127.0.0.1:{port}/x.jpg"})
        codes.append(r.json()["errcode"])

    threads = [threading.Thread(target=fetch) for _ in range(a.fetches)]
    for t in threads:
        t.start()
    time.sleep(1)
    loaded, _ = _token_seconds(a.url, a.appid, a.secret)
    for t in threads:
        t.join()
    print(json.dumps({"silent_fetches": a.fetches, "token_unloaded_s": unloaded, "token_loaded_s": loaded,
                      "fetch_errcodes": sorted(set(codes))}))


def content_length(a):
    cases = [(f"Content-Length: {v}", b"POST /cv/ocr/idcard?type=photo HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + v.encode() + b"\r\n\r\nhello") for v in ("99999999999999999999999", "-1", "abc")]
    cases.append(("414 then GET /healthz", b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
                   b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
    for name, raw in cases:
        s = socket.create_connection(_addr(a.url))
        s.settimeout(15)
        t = time.monotonic()
        s.sendall(raw)
        data = s.recv(65536)
        first = time.monotonic() - t
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        print(json.dumps({"case": name, "first_byte_s": round(first, 2), "closed_after_s": round(time.monotonic() - t, 2),
                          "answers": data.count(b"HTTP/1.1 ")}))
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("slow-heads")
    s.add_argument("url"), s.add_argument("appid"), s.add_argument("secret")
    s.add_argument("--connections", type=int, default=8)
    s.add_argument("--head-bytes", type=int, default=30)
    s = sub.add_parser("silent-fetch")
    s.add_argument("url"), s.add_argument("appid"), s.add_argument("secret")
    s.add_argument("--fetches", type=int, default=24)
    s = sub.add_parser("content-length")
    s.add_argument("url")
    a = p.parse_args()
    {"slow-heads": slow_heads, "silent-fetch": silent_fetch, "content-length": content_length}[a.cmd](a)


if __name__ == "__main__":
    main()
