"""Start-up output: the listening line, and on loopback the demo app with a runnable example."""
import re
import shutil
import subprocess

import pytest

from service_support import listening_ports
from service_support import require_bin, service_cards, service_factory, sqlite_url  # noqa: F401


def test_demo_banner_and_example_work(service_factory, sqlite_url, tmp_path, service_cards):
    s = service_factory(database_url=sqlite_url)  # loopback: demo on by default
    out = s.output()
    m = re.search(r"appid=(wx\w+) secret=([0-9a-f]{32})", out)
    assert m, out
    token_line = next(x for x in out.splitlines() if "TOKEN=$(curl" in x)
    ocr_line = next(x for x in out.splitlines() if "curl -s -F img=@card.jpg" in x)
    with s.client() as c:
        page = c.get("/")
        assert page.status_code == 200 and 'type="file"' in page.text and "capture" in page.text
        assert c.get("/demo/token").json()["expires_in"] == 7200
    if not shutil.which("curl"):
        pytest.skip("curl not installed")
    shutil.copy(service_cards["Front"]["path"], tmp_path / "card.jpg")
    script = token_line.strip() + "\n" + ocr_line.strip() + "\n"
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert '"errcode":0' in proc.stdout and '"type":"Front"' in proc.stdout, proc.stdout + proc.stderr


def test_demo_off_when_asked(service_factory, sqlite_url):
    s = service_factory("--no-demo", database_url=sqlite_url)
    assert "secret=" not in s.output()
    with s.client() as c:
        assert c.get("/").status_code == 404
        assert c.get("/demo/token").status_code == 404


def test_listening_line_names_the_port(service_factory, sqlite_url):
    s = service_factory("--no-demo", database_url=sqlite_url)
    listening = next(e for e in s.log_events() if e["event"] == "listening")
    assert listening["url"] == f"http://127.0.0.1:{listening['port']}"
    # The port named is one this very process listens on (s.url came from the same line, so
    # comparing with it would prove nothing).
    assert listening["port"] in listening_ports(s.proc.pid)
