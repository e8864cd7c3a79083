from typing import Optional

# The service rejected the token: fetch a new one and retry the call once.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})


class IdCardOcrError(Exception):
    """A non-zero errcode from the service, or errcode -1 when no WeChat-shaped answer came back
    (network error, timeout, non-JSON answer; the underlying error is __cause__)."""

    def __init__(self, errcode: int, errmsg: str, body: Optional[dict] = None):
        super().__init__(f"errcode: {errcode} | errmsg: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg
        self.body = body or {"errcode": errcode, "errmsg": errmsg}
