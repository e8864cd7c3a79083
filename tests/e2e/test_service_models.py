"""Model problems at `serve` start-up, against the real binary and real model files:
- a model whose checksum does not match, or one that is missing: the process exits non-zero
  with an error log line naming the file (it never serves without its models);
- models still loading (the first model file is a FIFO that the test feeds when it chooses):
  /readyz answers 503, OCR calls answer -1 `system error: not ready` and are not charged to the
  quota; once the file arrives the service turns ready and reads cards."""
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from e2e_support import REPO, bin_path
from service_support import (FakeClock, create_app, get_token, junk_bytes, ocr, quota_used,  # noqa: F401
                             require_bin, service_cards, service_factory, shanghai_day,
                             shanghai_midnight_after, skip_or_fail, sqlite_url)

# Every file src/ocr/model_files.cpp reads (the default `tuned` recognizer reads rec_tuning.bin).
MODEL_FILES = ("det.onnx", "rec.onnx", "cls.onnx", "rec_fast.onnx", "dict.txt", "dict_fast.txt", "rec_tuning.bin")
EXIT_TIMEOUT_S = 120
METRICS_TOKEN = "models-test-metrics-token"


def source_models() -> Path:
    """The models the binary uses: IDCARD_OCR_MODEL_DIR, else where `make` puts them (the build's
    default, IDCARD_DEFAULT_MODEL_DIR)."""
    d = Path(os.environ.get("IDCARD_OCR_MODEL_DIR") or REPO / ".deps" / "models")
    missing = [f for f in MODEL_FILES if not (d / f).is_file()]
    if missing:
        skip_or_fail(f"model files {missing} not found in {d} (run `make`, or set IDCARD_OCR_MODEL_DIR)")
    return d


@pytest.fixture
def models(require_bin):
    """A fresh models directory beside nothing else: every file a link to the real one. The
    directory's path is short on purpose, so the log prints it whole (the logger masks any run of
    24 or more letters, digits, '_' and '-', as it would a token)."""
    src = source_models()
    top = Path(tempfile.mkdtemp(prefix="idm"))
    d = top / "models"
    d.mkdir()
    for f in MODEL_FILES:
        (d / f).symlink_to(src / f)
    yield d
    shutil.rmtree(top, ignore_errors=True)


def serve_until_exit(models: Path, tmp_path: Path) -> tuple:
    """Runs `serve` on these models until it exits by itself: (exit code, JSON log events)."""
    env = dict(os.environ, IDCARD_OCR_MODEL_DIR=str(models),
               IDCARD_OCR_DATABASE_URL=f"sqlite:///{tmp_path}/service.db")
    try:
        proc = subprocess.run([str(bin_path()), "serve", "--host", "127.0.0.1", "--port", "0", "--no-demo"],
                              capture_output=True, text=True, env=env, timeout=EXIT_TIMEOUT_S, cwd=REPO)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"serve kept running on broken models:\n{e.stdout}")
    events = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    return proc.returncode, events, proc.stdout + proc.stderr


def assert_refused_to_start(models: Path, tmp_path: Path, error: str):
    code, events, out = serve_until_exit(models, tmp_path)
    assert code != 0, f"serve exited 0 without its models:\n{out}"
    failed = [e for e in events if e["event"] == "models failed to load"]
    assert len(failed) == 1, out
    assert failed[0]["level"] == "error" and failed[0]["error"] == error, failed
    assert not any(e["event"] == "ready" for e in events), out


@pytest.mark.parametrize("name", ["det.onnx", "dict_fast.txt", "rec_tuning.bin"])
def test_corrupted_model_refuses_to_start(models, tmp_path, name):
    corrupt = bytearray((source_models() / name).read_bytes())
    corrupt[len(corrupt) // 2] ^= 0x01  # one bit: same size, another digest
    (models / name).unlink()
    (models / name).write_bytes(bytes(corrupt))
    assert_refused_to_start(models, tmp_path, f"model checksum mismatch: {models}/{name}")


@pytest.mark.parametrize("name", ["det.onnx", "rec.onnx", "rec_tuning.bin"])
def test_missing_model_refuses_to_start(models, tmp_path, name):
    (models / name).unlink()
    assert_refused_to_start(models, tmp_path,
                            f"model file missing: {models}/{name} (run `make` to fetch the models)")


def _unblock(fifo: Path):
    """Lets a reader blocked on the FIFO go on (it reads an empty file), if one is."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: nobody is waiting to read it
        return
    os.close(fd)


def test_not_ready_while_models_load(models, service_factory, sqlite_url, tmp_path, service_cards):
    clock = FakeClock(tmp_path / "clock")
    noon = shanghai_midnight_after(time.time()) + 12 * 3600
    clock.set(noon)
    det = models / "det.onnx"
    det.unlink()
    os.mkfifo(det)  # the first file the loader opens: it waits there until the test writes it
    try:
        s = service_factory("--no-demo", "--fake-clock-file", str(clock.path), database_url=sqlite_url,
                            env={"IDCARD_OCR_MODEL_DIR": str(models), "IDCARD_OCR_METRICS_TOKEN": METRICS_TOKEN},
                            wait_ready=False)
        app = create_app(sqlite_url, quota=1)
        front = service_cards["Front"]
        with s.client() as c:
            assert c.get("/healthz").status_code == 200
            r = c.get("/readyz")
            assert r.status_code == 503 and r.json() == {"status": "not ready"}, r.text
            r = c.get("/readyz", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
            assert r.status_code == 503
            assert r.json() == {"status": "not ready", "models": False, "database": True}, r.text
            token = get_token(c, app)  # tokens need no models
            for _ in range(3):  # more calls than the quota: each is given back
                body = ocr(c, token, front["path"].read_bytes())
                assert body["errcode"] == -1, body
                assert body["errmsg"].startswith("system error: not ready rid: "), body
            assert quota_used(sqlite_url, app["appid"], shanghai_day(noon)) == 0, "not-ready calls are refunded"
            assert s.proc.poll() is None

            with open(det, "wb") as f:  # the model arrives
                f.write((source_models() / "det.onnx").read_bytes())
            s.wait_ready()
            assert c.get("/readyz").json() == {"status": "ready"}
            body = ocr(c, token, front["path"].read_bytes())
            assert body["errcode"] == 0 and body["id"] == front["id"] and body["name"] == front["name"], body
            assert ocr(c, token, junk_bytes())["errcode"] == 45009, "the quota of 1 went to the read"
        assert quota_used(sqlite_url, app["appid"], shanghai_day(noon)) == 1
        assert any(e["event"] == "ready" for e in s.log_events())
    finally:
        _unblock(det)


def test_model_error_names_a_long_directory(require_bin, tmp_path):
    """The JSON log masks runs of 24+ credential characters (tokens), so a long directory name is
    *** there; the start-up error on stderr names the path whole (the operator's, not request data)."""
    models = tmp_path / "idcard-ocr-production-models"  # 28 characters: an ordinary deployment name
    models.mkdir()
    code, events, out = serve_until_exit(models, tmp_path)
    assert code != 0
    assert (f"idcard-ocr: models failed to load: model file missing: {models}/det.onnx "
            "(run `make` to fetch the models)") in out, out
