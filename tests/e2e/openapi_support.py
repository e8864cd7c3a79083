"""Validates live answers of the service against docs/openapi.json's response schemas."""
import json
import re

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from e2e_support import REPO

SPEC_PATH = REPO / "docs" / "openapi.json"
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
_URI = "urn:idcard-ocr:openapi"
_REGISTRY = Registry().with_resource(_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012))


def response_schema(path: str, method: str, status: int, content_type: str = "application/json") -> dict:
    op = SPEC["paths"][path][method.lower()]
    resp = op["responses"][str(status)]
    return resp["content"][content_type]["schema"]


def check(response, path: str, method: str = None) -> dict:
    """Asserts an httpx response matches the document (status, content type, body) and returns
    its JSON body. `path` is the documented path the request went to."""
    method = method or response.request.method
    op = SPEC["paths"][path][method.lower()]
    assert str(response.status_code) in op["responses"], (path, method, response.status_code, response.text)
    ctype = response.headers["content-type"].split(";")[0].strip()
    content = op["responses"][str(response.status_code)]["content"]
    assert ctype in content, (path, method, ctype)
    if ctype != "application/json":
        return None
    body = response.json()
    validate_body(body, path, method.lower(), response.status_code)
    return body


def validate_body(body: dict, path: str, method: str = "post", status: int = 200) -> None:
    """Asserts a decoded answer (e.g. what an SDK returned) matches the document's schema."""
    schema = SPEC["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator(_rebase(schema), registry=_REGISTRY)
    errors = list(validator.iter_errors(body))
    assert not errors, f"{body} does not match the document: " + "; ".join(e.message for e in errors[:3])


def _rebase(schema):
    """Local '#/components/...' references point into the registered document."""
    if isinstance(schema, dict):
        return {k: (_URI + v if k == "$ref" and v.startswith("#") else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema


def documented_errcodes() -> dict:
    return {e["errcode"]: e["errmsg"] for e in SPEC["x-errcodes"]}


def source_errcodes() -> dict:
    """errcode -> errmsg as src/server/errors.{h,cpp} define them."""
    header = (REPO / "src" / "server" / "errors.h").read_text(encoding="utf-8")
    source = (REPO / "src" / "server" / "errors.cpp").read_text(encoding="utf-8")
    values = {name: int(v) for name, v in re.findall(r"\b(k\w+)\s*=\s*(-?\d+)", header)}
    msgs = dict(re.findall(r'case (k\w+): return "([^"]*)";', source))
    return {values[name]: msg for name, msg in msgs.items()}
