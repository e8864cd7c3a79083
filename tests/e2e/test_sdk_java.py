"""Java's WxJava weixin-java-miniapp 4.7.9.B (tests/sdk/java) against the real service: each check
runs on its own service, whose log shows the token traffic the SDK caused. The jars come from
`make sdk-java-deps` (Maven Central, pinned in pom.xml); here they are only compiled against and
run with javac/java, offline."""
import os
import shutil
import subprocess

import pytest

from e2e_support import REPO
from sdk_support import cards, sdk_env  # noqa: F401
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401

JAVA_DIR = REPO / "tests" / "sdk" / "java"
DEPS = JAVA_DIR / "target" / "deps"


@pytest.fixture(scope="module")
def classes(tmp_path_factory):
    javac = shutil.which("javac")
    if not javac or not any(DEPS.glob("weixin-java-miniapp-*.jar")):
        msg = "javac or the WxJava jars are missing (make sdk-java-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    out = tmp_path_factory.mktemp("java-classes")
    proc = subprocess.run([javac, "-d", str(out), "-cp", f"{DEPS}/*", str(JAVA_DIR / "src" / "OcrCheck.java")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


# (check, token requests it should cause, OCR errcodes the service answers in order)
CASES = [
    ("front-and-back-by-url", 1, [0, 0]),
    ("front-by-upload", 1, [0]),
    ("errors", 2, [101000]),
    ("token-expiry", 2, [0, 42001, 0]),
]


@pytest.mark.parametrize("check,tokens,errcodes", CASES, ids=[c[0] for c in CASES])
def test_wxjava(sdk_env, classes, check, tokens, errcodes, tmp_path):
    s, app, cards = sdk_env["service"], sdk_env["app"], sdk_env["cards"]
    front_file = tmp_path / ("front" + cards["Front"]["ext"])
    front_file.write_bytes(cards["Front"]["bytes"])
    ft, bt = cards["Front"]["truth"], cards["Back"]["truth"]
    end = bt["valid_to"] if bt["valid_to"] == "长期" else bt["valid_to"].replace(".", "")
    env = dict(os.environ, IDCARD_SDK_BASE_URL=s.url, IDCARD_SDK_APPID=app["appid"], IDCARD_SDK_SECRET=app["secret"],
               IDCARD_SDK_FRONT_URL=sdk_env["url"]["Front"], IDCARD_SDK_FRONT_ID=ft["id"], IDCARD_SDK_FRONT_NAME=ft["name"],
               IDCARD_SDK_FRONT_ADDR=ft["addr"], IDCARD_SDK_FRONT_FILE=str(front_file),
               IDCARD_SDK_BACK_URL=sdk_env["url"]["Back"],
               IDCARD_SDK_BACK_VALID_DATE=bt["valid_from"].replace(".", "") + "-" + end,
               IDCARD_SDK_MISSING_URL=sdk_env["host"].url + "/missing.jpg", IDCARD_SDK_CLOCK_FILE=str(sdk_env["clock"]))
    proc = subprocess.run(["java", "-cp", f"{classes}:{DEPS}/*", "OcrCheck", check], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0 and f"ok {check}" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]
    events = s.settled_log_events()
    assert sum(1 for e in events if e.get("route") == "/cgi-bin/token") == tokens
    assert [e["errcode"] for e in events if e.get("route") == "/cv/ocr/idcard"] == errcodes
