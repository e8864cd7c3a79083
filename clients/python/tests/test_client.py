"""idcard_ocr_client (sync and async) against the real service on loopback."""
import asyncio
import base64

import httpx
import pytest

from idcard_ocr_client import AsyncClient, Client, IdCardOcrError
from sdk_support import assert_back, assert_front, cards, sdk_env  # noqa: F401
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401


def token_calls(service) -> int:
    return sum(1 for e in service.settled_log_events() if e.get("route") == "/cgi-bin/token")


def client(env, **kw) -> Client:
    return Client(env["service"].url, env["app"]["appid"], env["app"]["secret"], timeout=120, **kw)


def test_upload_and_url(sdk_env):
    cards = sdk_env["cards"]
    with client(sdk_env) as c:
        front = c.ocr_idcard((cards["Front"]["mime"], cards["Front"]["bytes"]), type="scan")
        assert front["errcode"] == 0 and front["errmsg"] == "ok"
        assert_front(front, cards["Front"]["truth"])
        assert_back(c.ocr_idcard(img_url=sdk_env["url"]["Back"]), cards["Back"]["truth"])
        detail = c.ocr_idcard(img_url=sdk_env["url"]["Front"], detail=True)
        assert detail["checks"]["id_checksum_ok"] is True and "card_pos" in detail
    assert token_calls(sdk_env["service"]) == 1


def test_warnings_crops_and_cards_are_passed_through(sdk_env):
    cards = sdk_env["cards"]
    with client(sdk_env) as c:
        plain = c.ocr_idcard(img_url=sdk_env["url"]["Front"])
        assert not {"warnings", "quality", "card_image", "portrait_image", "cards"} & plain.keys()
        extra = c.ocr_idcard((cards["Front"]["mime"], cards["Front"]["bytes"]), type="scan", warnings=True,
                             crop=["card", "portrait"], cards=True)
        assert_front(extra, cards["Front"]["truth"])
        assert isinstance(extra["warnings"], list) and 0 <= extra["quality"] <= 100
        assert base64.b64decode(extra["card_image"])[:2] == b"\xff\xd8"  # a JPEG
        assert base64.b64decode(extra["portrait_image"])[:2] == b"\xff\xd8"
        only_card = c.ocr_idcard(img_url=sdk_env["url"]["Back"], crop="card")
        assert "card_image" in only_card and "portrait_image" not in only_card
        with pytest.raises(ValueError):
            c.ocr_idcard(img_url=sdk_env["url"]["Back"], crop="face")


def test_errors_carry_errcode(sdk_env):
    with client(sdk_env) as c:
        with pytest.raises(IdCardOcrError) as err:
            c.ocr_idcard(b"not an image" * 100)
        assert err.value.errcode == 101002 and err.value.errmsg.startswith("invalid image data rid: ")
        with pytest.raises(IdCardOcrError) as err:
            c.ocr_idcard(img_url=sdk_env["host"].url + "/missing.jpg")
        assert err.value.errcode == 101000
        with pytest.raises(ValueError):
            c.ocr_idcard()
        with pytest.raises(ValueError):
            c.ocr_idcard(b"x", type="fax")
    wrong = Client(sdk_env["service"].url, sdk_env["app"]["appid"], "0" * 32)
    with pytest.raises(IdCardOcrError) as err:
        wrong.get_access_token()
    assert err.value.errcode == 40001
    # Nothing listening: no WeChat answer at all -> errcode -1 with the cause attached.
    with httpx.Client() as h:
        closed = Client("http://127.0.0.1:9", "wx1", "s", timeout=2, http=h)
        with pytest.raises(IdCardOcrError) as err:
            closed.get_access_token()
    assert err.value.errcode == -1 and isinstance(err.value.__cause__, httpx.HTTPError)


def test_token_refresh_on_expiry(sdk_env):
    s, cards = sdk_env["service"], sdk_env["cards"]
    with client(sdk_env) as c:
        first = c.get_access_token()
        assert c.get_access_token() == first
        sdk_env["clock"].write_text("7300")  # the service's clock passes the token's lifetime
        assert_back(c.ocr_idcard(img_url=sdk_env["url"]["Back"]), cards["Back"]["truth"])
        assert c.get_access_token() != first
        assert c.get_access_token(force_refresh=True) != first
    codes = [e["errcode"] for e in s.settled_log_events() if e.get("route") == "/cv/ocr/idcard"]
    assert codes == [42001, 0]
    assert token_calls(s) == 3


def test_refresh_margin_from_expires_in(sdk_env):
    """A margin as large as the lifetime makes every call fetch a token first."""
    with client(sdk_env, token_refresh_margin=7200) as c:
        c.ocr_idcard(img_url=sdk_env["url"]["Back"])
        c.ocr_idcard(img_url=sdk_env["url"]["Back"])
    assert token_calls(sdk_env["service"]) == 2


def test_async_client_shares_one_token_fetch(sdk_env):
    env, cards = sdk_env, sdk_env["cards"]

    async def main():
        async with AsyncClient(env["service"].url, env["app"]["appid"], env["app"]["secret"], timeout=120) as c:
            results = await asyncio.gather(
                c.ocr_idcard(img_url=env["url"]["Back"]),
                c.ocr_idcard((cards["Front"]["mime"], cards["Front"]["bytes"]), type="scan"),
                c.ocr_idcard(b"junk" * 300, type="photo"), return_exceptions=True)
            env["clock"].write_text("7300")
            results.append(await c.ocr_idcard(img_url=env["url"]["Back"]))
            return results

    back, front, junk, again = asyncio.run(main())
    assert_back(back, cards["Back"]["truth"])
    assert_front(front, cards["Front"]["truth"])
    assert isinstance(junk, IdCardOcrError) and junk.errcode == 101002
    assert_back(again, cards["Back"]["truth"])
    assert token_calls(env["service"]) == 2
