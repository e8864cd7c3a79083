"""Client for a self-hosted idcard-ocr service: the same call, answer and errors as WeChat's
ocr.idcard, with the access token fetched, cached and refreshed for you."""
from ._client import AsyncClient, Client
from ._errors import TOKEN_ERRCODES, IdCardOcrError

__all__ = ["AsyncClient", "Client", "IdCardOcrError", "TOKEN_ERRCODES"]
