"""One configuration: every `serve` setting from a TOML file (--config or IDCARD_OCR_CONFIG), from
IDCARD_OCR_* variables and from flags, precedence flag > env > file > default, checked on a
running server (its listening line and token lifetime) and with `idcard-ocr config`."""
import os
import subprocess

import httpx

from e2e_support import bin_path
from service_support import create_app, get_token, require_bin, service_factory, sqlite_url  # noqa: F401

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("IDCARD_OCR_") or k == "IDCARD_OCR_BIN"}


def config(*args, env=None):
    return subprocess.run([str(bin_path()), *args], capture_output=True, text=True, timeout=60,
                          env={**CLEAN_ENV, **(env or {})})


def printed(proc) -> dict:
    assert proc.returncode == 0, proc.stderr
    out = {}
    for line in proc.stdout.splitlines():
        if line.startswith("#"):
            continue
        key, rest = line.split(" = ", 1)
        value, source = rest.rsplit("  # ", 1)
        out[key] = (value, source)
    return out


def test_layers_in_config_command(require_bin, tmp_path):
    f = tmp_path / "idcard.toml"
    f.write_text('port = 9000\nqueue = 4\nallow-fetch-host = ["10.0.0.0/8", "img.local"]\n'
                 'database-url = "postgresql://ocr:s3cret-pw@db:5432/idcard"\ndemo = false\n')
    p = printed(config("config", "--config", str(f), env={"IDCARD_OCR_QUEUE": "7", "IDCARD_OCR_TOKEN_TTL": "60"}))
    assert p["port"] == ("9000", "config file")
    assert p["queue"] == ("7", "IDCARD_OCR_QUEUE")
    assert p["token-ttl"] == ("60", "IDCARD_OCR_TOKEN_TTL")
    assert p["threads"] == ("8", "default")
    assert p["allow-fetch-host"] == ('["10.0.0.0/8", "img.local"]', "config file")
    assert p["demo"] == ("false", "config file")
    assert p["database-url"] == ('"postgresql://ocr:***@db:5432/idcard"', "config file")
    # IDCARD_OCR_CONFIG names the file too; --config before the subcommand works as well.
    assert printed(config("config", env={"IDCARD_OCR_CONFIG": str(f)}))["port"][0] == "9000"
    assert printed(config("--config", str(f), "config"))["port"][0] == "9000"
    # An environment list replaces the file's.
    p = printed(config("config", "--config", str(f), env={"IDCARD_OCR_ALLOW_FETCH_HOST": "127.0.0.1,::1"}))
    assert p["allow-fetch-host"] == ('["127.0.0.1", "::1"]', "IDCARD_OCR_ALLOW_FETCH_HOST")


def test_secrets_never_printed(require_bin, tmp_path):
    proc = config("config", env={"IDCARD_OCR_DATABASE_URL": "postgresql://u:hunter2@h/db"})
    assert "hunter2" not in proc.stdout + proc.stderr and "u:***@h" in proc.stdout


def test_printed_settings_read_back_as_a_config_file(require_bin, tmp_path):
    f = tmp_path / "printed.toml"
    f.write_text(config("config", env={"IDCARD_OCR_OCR_WORKERS": "3"}).stdout)
    assert printed(config("config", "--config", str(f)))["ocr-workers"] == ("3", "config file")


def test_bad_files_and_values_are_refused(require_bin, tmp_path):
    for text, words in (("prot = 1\n", "unknown key 'prot'"), ("port = 70000\n", "port: 70000 is outside"),
                        ('[serve]\nport = 1\n', "sections are not used"), ('demo = "maybe"\n', "demo:")):
        f = tmp_path / "bad.toml"
        f.write_text(text)
        proc = config("serve", "--config", str(f))
        assert proc.returncode == 2 and words in proc.stderr, (text, proc.stderr)
    proc = config("config", env={"IDCARD_OCR_THREADS": "many"})
    assert proc.returncode == 2 and "IDCARD_OCR_THREADS: not an integer" in proc.stderr
    assert config("config", "--config", str(tmp_path / "missing.toml")).returncode == 2


def test_serve_precedence(service_factory, sqlite_url, tmp_path):
    f = tmp_path / "idcard.toml"
    f.write_text("token-ttl = 100\nocr-workers = 1\nqueue = 5\nthreads = 3\n")
    cases = [({}, [], 100), ({"IDCARD_OCR_TOKEN_TTL": "200"}, [], 200),
             ({"IDCARD_OCR_TOKEN_TTL": "200"}, ["--token-ttl", "300"], 300)]
    for env, flags, ttl in cases:
        s = service_factory("--no-demo", "--config", str(f), *flags, database_url=sqlite_url,
                            env={"IDCARD_OCR_QUEUE": "6", **env})
        listening = next(e for e in s.log_events() if e.get("event") == "listening")
        assert (listening["ocr_workers"], listening["ocr_queue"], listening["threads"]) == (1, 6, 3)
        app = create_app(sqlite_url, name=f"ttl{ttl}")
        with httpx.Client(base_url=s.url) as c:
            r = c.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": app["appid"],
                                                "secret": app["secret"]})
            assert r.json()["expires_in"] == ttl, (env, flags)
        s.stop()
