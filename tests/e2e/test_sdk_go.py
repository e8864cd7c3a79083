"""Go's github.com/silenceper/wechat/v2 (tests/sdk/go, pinned in go.mod/go.sum) against the
real service: each Go test runs on its own service, and the service's log shows the token
traffic the SDK caused. Modules come from `make sdk-go-deps`; nothing is downloaded here."""
import json
import os
import shutil
import subprocess

import pytest

from e2e_support import REPO
from sdk_support import cards, sdk_env  # noqa: F401
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401

GO_DIR = REPO / "tests" / "sdk" / "go"


def go() -> str:
    exe = os.environ.get("IDCARD_GO") or shutil.which("go") or "/usr/local/go/bin/go"
    if not os.access(exe, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail("go not found")
        pytest.skip("go not found (make sdk-go-deps installs nothing: Go comes with the machine)")
    return exe


# (Go test, token requests it should cause, OCR errcodes the service answers in order)
CASES = [
    ("TestIDCardFrontAndBackByURL", 1, [0, 0]),
    ("TestErrorsCarryErrcode", 2, [101000]),
    ("TestExpiredTokenIsReported", 2, [0, 42001, 0]),
]


@pytest.mark.parametrize("name,tokens,errcodes", CASES, ids=[c[0] for c in CASES])
def test_silenceper_wechat(sdk_env, name, tokens, errcodes):
    s, app, cards = sdk_env["service"], sdk_env["app"], sdk_env["cards"]
    ft, bt = cards["Front"]["truth"], cards["Back"]["truth"]
    end = bt["valid_to"] if bt["valid_to"] == "长期" else bt["valid_to"].replace(".", "")
    truth = {"front": {k: ft[k] for k in ("id", "name", "gender")},
             "back": {"valid_date": bt["valid_from"].replace(".", "") + "-" + end}}
    env = dict(os.environ, GOFLAGS="-mod=readonly", GOPROXY="off", GOTOOLCHAIN="local",
               IDCARD_SDK_BASE_URL=s.url, IDCARD_SDK_APPID=app["appid"], IDCARD_SDK_SECRET=app["secret"],
               IDCARD_SDK_FRONT_URL=sdk_env["url"]["Front"], IDCARD_SDK_BACK_URL=sdk_env["url"]["Back"],
               IDCARD_SDK_MISSING_URL=sdk_env["host"].url + "/missing.jpg",
               IDCARD_SDK_CLOCK_FILE=str(sdk_env["clock"]), IDCARD_SDK_TRUTH=json.dumps(truth))
    proc = subprocess.run([go(), "test", "-count=1", "-run", f"^{name}$", "./..."], cwd=GO_DIR, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "no tests to run" not in proc.stdout, proc.stdout
    events = s.settled_log_events()
    assert sum(1 for e in events if e.get("route") == "/cgi-bin/token") == tokens
    assert [e["errcode"] for e in events if e.get("route") == "/cv/ocr/idcard"] == errcodes
