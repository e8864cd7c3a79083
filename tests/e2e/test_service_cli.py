"""`idcard-ocr apps …` contract (one JSON line; secret shown once) on SQLite and PostgreSQL."""
import json

import pytest

from service_support import create_app, pg_url, require_bin, run_cli, sqlite_url  # noqa: F401


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/apps.db"
    return request.getfixturevalue("pg_url")


def lines(proc):
    assert proc.returncode == 0, proc.stderr
    return [json.loads(x) for x in proc.stdout.splitlines() if x.strip()]


def test_apps_lifecycle(require_bin, db):
    app = create_app(db, name="shop", quota=5)
    assert set(app) == {"appid", "secret"}
    assert app["appid"].startswith("wx") and len(app["secret"]) == 32
    listed = {a["appid"]: a for a in lines(run_cli("apps", "list", database_url=db))}
    assert listed[app["appid"]]["daily_quota"] == 5 and listed[app["appid"]]["name"] == "shop"
    assert "secret" not in json.dumps(listed[app["appid"]])
    assert app["secret"] not in run_cli("apps", "list", database_url=db).stdout
    assert lines(run_cli("apps", "set-quota", app["appid"], "9", database_url=db))[0]["daily_quota"] == 9
    rotated = lines(run_cli("apps", "rotate-secret", app["appid"], database_url=db))[0]
    assert rotated["secret"] != app["secret"]
    assert lines(run_cli("apps", "delete", app["appid"], database_url=db))[0]["deleted"] is True
    assert run_cli("apps", "delete", app["appid"], database_url=db).returncode != 0


def test_default_quota_is_100(require_bin, sqlite_url):
    app = create_app(sqlite_url)
    listed = {a["appid"]: a for a in lines(run_cli("apps", "list", database_url=sqlite_url))}
    assert listed[app["appid"]]["daily_quota"] == 100


def test_bad_database_url_is_a_clear_error(require_bin):
    proc = run_cli("apps", "list", database_url="mysql://nope")
    assert proc.returncode != 0
    assert "database URL" in proc.stderr
