"""The real wechatpy (2.0.0a26, unchanged) against the service: a user points it at the service
with a subclass that sets the base URLs, exactly as docs/clients.md shows."""
import pytest
from wechatpy import WeChatClient
from wechatpy.client.api import WeChatWxa
from wechatpy.exceptions import WeChatClientException

from sdk_support import assert_back, assert_front, cards, sdk_env  # noqa: F401
from service_support import require_bin, service_factory, sqlite_url  # noqa: F401


def client_for(base: str, appid: str, secret: str, **kw) -> WeChatClient:
    """docs/clients.md's recipe: the service's base URL instead of https://api.weixin.qq.com."""

    class Wxa(WeChatWxa):
        API_BASE_URL = base + "/"

    class Client(WeChatClient):
        API_BASE_URL = base + "/cgi-bin/"
        wxa = Wxa()

        def fetch_access_token(self):
            return self._fetch_access_token(
                url=base + "/cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret})

    return Client(appid, secret, timeout=120, **kw)


def test_upload_front_and_back(sdk_env):
    app, cards = sdk_env["app"], sdk_env["cards"]
    client = client_for(sdk_env["service"].url, app["appid"], app["secret"])
    front = client.wxa.ocr_idcard(mode="scan", filename="front" + cards["Front"]["ext"],
                                  file_bytes=cards["Front"]["bytes"], mime_type=cards["Front"]["mime"])
    assert front["errcode"] == 0 and front["errmsg"] == "ok"
    assert_front(front, cards["Front"]["truth"])
    back = client.wxa.ocr_idcard(mode="photo", filename="back" + cards["Back"]["ext"],
                                 file_bytes=cards["Back"]["bytes"], mime_type=cards["Back"]["mime"])
    assert_back(back, cards["Back"]["truth"])


def test_img_url(sdk_env):
    app, cards = sdk_env["app"], sdk_env["cards"]
    client = client_for(sdk_env["service"].url, app["appid"], app["secret"])
    assert_front(client.wxa.ocr_idcard(mode="scan", img_url=sdk_env["url"]["Front"]), cards["Front"]["truth"])
    assert_back(client.wxa.ocr_idcard(img_url=sdk_env["url"]["Back"]), cards["Back"]["truth"])
    with pytest.raises(WeChatClientException) as err:
        client.wxa.ocr_idcard(img_url=sdk_env["host"].url + "/missing.jpg")
    assert err.value.errcode == 101000


def test_errors_raise_with_errcode(sdk_env):
    app = sdk_env["app"]
    client = client_for(sdk_env["service"].url, app["appid"], app["secret"])
    with pytest.raises(WeChatClientException) as err:
        client.wxa.ocr_idcard(filename="x.jpg", file_bytes=b"not an image" * 100, mime_type="image/jpeg")
    assert err.value.errcode == 101002 and "invalid image data" in err.value.errmsg
    wrong = client_for(sdk_env["service"].url, app["appid"], "0" * 32)
    with pytest.raises(WeChatClientException) as err:
        wrong.wxa.ocr_idcard(img_url=sdk_env["url"]["Front"])
    assert err.value.errcode == 40001


def test_token_is_cached_and_refreshed(sdk_env):
    s, app, cards = sdk_env["service"], sdk_env["app"], sdk_env["cards"]
    client = client_for(s.url, app["appid"], app["secret"])
    token_calls = lambda: sum(1 for e in s.settled_log_events() if e.get("route") == "/cgi-bin/token")  # noqa: E731
    client.wxa.ocr_idcard(img_url=sdk_env["url"]["Back"])
    client.wxa.ocr_idcard(img_url=sdk_env["url"]["Back"])
    assert token_calls() == 1, "the token from expires_in is reused"
    first = client.access_token
    # The service's clock passes the token's lifetime: it answers 42001, wechatpy fetches a new
    # token and retries the call once, transparently.
    sdk_env["clock"].write_text("7300")
    assert_back(client.wxa.ocr_idcard(img_url=sdk_env["url"]["Back"]), cards["Back"]["truth"])
    assert token_calls() == 2 and client.access_token != first
    events = [e for e in s.settled_log_events() if e.get("route") == "/cv/ocr/idcard"]
    assert [e["errcode"] for e in events][-2:] == [42001, 0]
    # A token the service never issued (40014) is replaced the same way.
    stale = client_for(s.url, app["appid"], app["secret"], access_token="f" * 48)
    assert_back(stale.wxa.ocr_idcard(img_url=sdk_env["url"]["Back"]), cards["Back"]["truth"])
