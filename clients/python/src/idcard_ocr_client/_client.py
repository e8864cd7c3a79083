"""Sync and async clients sharing one request builder and one token-cache policy."""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, Literal, Optional, Sequence, Tuple, Union

import httpx

from ._errors import TOKEN_ERRCODES, IdCardOcrError

ImageType = Literal["photo", "scan"]
# bytes (sent as image/jpeg) or (content_type, bytes).
Image = Union[bytes, Tuple[str, bytes]]
# Crops asked for: "card", "portrait", "card,portrait" or a sequence of those; None: none.
Crop = Optional[Union[str, Sequence[str]]]

DEFAULT_TIMEOUT_S = 15.0
MAX_REFRESH_MARGIN_S = 300.0  # refresh 10% of the lifetime early, at most 5 minutes
_EXT = {"image/jpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/bmp": "bmp", "image/webp": "webp"}


@dataclass
class _Token:
    value: str
    refresh_at: float  # time.monotonic()


class _Core:
    """What both clients share: validated options, request building, answer checking."""

    def __init__(self, base_url: str, appid: str, secret: str, timeout: float,
                 token_refresh_margin: Optional[float]):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must be http(s), got {base_url!r}")
        if not appid or not secret:
            raise ValueError("appid and secret are required")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.base_url = base_url.rstrip("/")
        self.appid, self.secret, self.timeout = appid, secret, timeout
        self.margin = token_refresh_margin
        self.token: Optional[_Token] = None

    def token_request(self) -> Dict[str, Any]:
        return {"method": "GET", "url": self.base_url + "/cgi-bin/token",
                "params": {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}}

    def ocr_request(self, token: str, type: str, img: Optional[Image], img_url: Optional[str],
                    options: Dict[str, str]) -> Dict[str, Any]:
        params = {"type": type, "access_token": token, **options}
        req: Dict[str, Any] = {"method": "POST", "url": self.base_url + "/cv/ocr/idcard", "params": params}
        if img is not None:
            content_type, data = img if isinstance(img, tuple) else ("image/jpeg", img)
            name = "card." + _EXT.get(content_type.lower(), "bin")
            req["files"] = {"img": (name, bytes(data), content_type)}
        else:
            params["img_url"] = img_url
        return req

    @staticmethod
    def options(detail: bool, warnings: bool, crop: Crop, cards: bool) -> Dict[str, str]:
        """The query's opt-in extras: detail (positions), warnings, crop (card, portrait), cards."""
        out = {}
        if detail:
            out["detail"] = "1"
        if warnings:
            out["warnings"] = "1"
        if crop:
            parts = [crop] if isinstance(crop, str) else list(crop)
            parts = [p for part in parts for p in part.split(",")]
            if not parts or any(p not in ("card", "portrait") for p in parts):
                raise ValueError(f"crop must be 'card', 'portrait' or both, got {crop!r}")
            out["crop"] = ",".join(dict.fromkeys(parts))
        if cards:
            out["cards"] = "1"
        return out

    @staticmethod
    def check_args(type: str, img: Optional[Image], img_url: Optional[str]) -> None:
        if type not in ("photo", "scan"):
            raise ValueError(f"type must be 'photo' or 'scan', got {type!r}")
        if img is None and not img_url:
            raise ValueError("one of img or img_url is required")

    def store_token(self, body: dict, started: float) -> str:
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise IdCardOcrError(-1, "token answer has no access_token", body)
        lifetime = float(body.get("expires_in") or 0)
        margin = self.margin if self.margin is not None else min(MAX_REFRESH_MARGIN_S, lifetime / 10)
        # Counted from when the request was sent, so the service's clock is never outrun.
        self.token = _Token(token, started + lifetime - margin)
        return token

    def cached(self) -> Optional[str]:
        t = self.token
        return t.value if t and time.monotonic() < t.refresh_at else None

    def invalidate(self, token: str) -> None:
        if self.token and self.token.value == token:  # unless another caller already replaced it
            self.token = None


def _decode(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError as e:
        raise IdCardOcrError(-1, f"HTTP {response.status_code}: answer is not JSON") from e
    if not isinstance(body, dict):
        raise IdCardOcrError(-1, f"HTTP {response.status_code}: answer is not a JSON object")
    if response.status_code != 200 and "errcode" not in body:
        raise IdCardOcrError(-1, f"HTTP {response.status_code}")
    return body


def _raise_for_errcode(body: dict) -> dict:
    errcode = int(body.get("errcode", 0))
    if errcode != 0:
        raise IdCardOcrError(errcode, str(body.get("errmsg", "")), body)
    return body


class Client:
    """Blocking client; thread-safe (concurrent callers share one token fetch).

    >>> with Client("http://127.0.0.1:8080", appid, secret) as c:
    ...     card = c.ocr_idcard(img=open("card.jpg", "rb").read())
    """

    def __init__(self, base_url: str, appid: str, secret: str, *, timeout: float = DEFAULT_TIMEOUT_S,
                 token_refresh_margin: Optional[float] = None, http: Optional[httpx.Client] = None):
        self._core = _Core(base_url, appid, secret, timeout, token_refresh_margin)
        self._http = http or httpx.Client(timeout=timeout)
        self._own_http = http is None
        self._lock = threading.Lock()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def _send(self, req: Dict[str, Any]) -> dict:
        try:
            return _decode(self._http.request(**req))
        except httpx.HTTPError as e:
            raise IdCardOcrError(-1, f"network error: {e}") from e

    def get_access_token(self, force_refresh: bool = False) -> str:
        """The cached token, fetched first when missing, about to expire or force_refresh."""
        with self._lock:
            token = None if force_refresh else self._core.cached()
            if token is None:
                started = time.monotonic()
                token = self._core.store_token(_raise_for_errcode(self._send(self._core.token_request())), started)
            return token

    def clear_access_token(self) -> None:
        with self._lock:
            self._core.token = None

    def ocr_idcard(self, img: Optional[Image] = None, *, img_url: Optional[str] = None, type: ImageType = "photo",
                   detail: bool = False, warnings: bool = False, crop: Crop = None, cards: bool = False) -> dict:
        """WeChat's answer as a dict (snake_case, as sent); raises IdCardOcrError on errcode != 0.

        Opt-in extras (absent: the answer is exactly WeChat's): `detail` positions, `warnings`
        (each card's warnings and quality), `crop` ("card", "portrait" or both: base64 JPEGs in
        card_image / portrait_image), `cards` (every card's answer when the image holds several).
        """
        self._core.check_args(type, img, img_url)
        options = self._core.options(detail, warnings, crop, cards)
        token = self.get_access_token()
        body = self._send(self._core.ocr_request(token, type, img, img_url, options))
        if int(body.get("errcode", 0)) in TOKEN_ERRCODES:
            with self._lock:
                self._core.invalidate(token)
            body = self._send(self._core.ocr_request(self.get_access_token(), type, img, img_url, options))
        return _raise_for_errcode(body)


class AsyncClient:
    """asyncio client; concurrent tasks share one token fetch.

    >>> async with AsyncClient("http://127.0.0.1:8080", appid, secret) as c:
    ...     card = await c.ocr_idcard(img_url="https://example.com/card.jpg")
    """

    def __init__(self, base_url: str, appid: str, secret: str, *, timeout: float = DEFAULT_TIMEOUT_S,
                 token_refresh_margin: Optional[float] = None, http: Optional[httpx.AsyncClient] = None):
        self._core = _Core(base_url, appid, secret, timeout, token_refresh_margin)
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._own_http = http is None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def _send(self, req: Dict[str, Any]) -> dict:
        try:
            return _decode(await self._http.request(**req))
        except httpx.HTTPError as e:
            raise IdCardOcrError(-1, f"network error: {e}") from e

    async def get_access_token(self, force_refresh: bool = False) -> str:
        async with self._lock:
            token = None if force_refresh else self._core.cached()
            if token is None:
                started = time.monotonic()
                body = _raise_for_errcode(await self._send(self._core.token_request()))
                token = self._core.store_token(body, started)
            return token

    async def clear_access_token(self) -> None:
        async with self._lock:
            self._core.token = None

    async def ocr_idcard(self, img: Optional[Image] = None, *, img_url: Optional[str] = None,
                         type: ImageType = "photo", detail: bool = False, warnings: bool = False,
                         crop: Crop = None, cards: bool = False) -> dict:
        """As Client.ocr_idcard."""
        self._core.check_args(type, img, img_url)
        options = self._core.options(detail, warnings, crop, cards)
        token = await self.get_access_token()
        body = await self._send(self._core.ocr_request(token, type, img, img_url, options))
        if int(body.get("errcode", 0)) in TOKEN_ERRCODES:
            async with self._lock:
                self._core.invalidate(token)
            body = await self._send(self._core.ocr_request(await self.get_access_token(), type, img, img_url, options))
        return _raise_for_errcode(body)
