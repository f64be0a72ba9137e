"""Errors as RFC 9457 problem details (``application/problem+json``), never a stack trace.

Every answer that is not a success carries ``type``, ``title``, ``status`` and ``detail`` (the
RFC's members) and whyrec's own ``code``, ``message`` and ``hint``, so a frontend can branch on
the code and show the message and the hint to a person.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("whyrec.serve")

# code -> (HTTP status, title, default hint); the service's own codes, beside the packages' catalogs
CATALOG: dict[str, tuple[int, str, str]] = {
    "S400": (400, "bad request", "see /docs for the request each endpoint takes"),
    "S401": (401, "token needed", "send 'Authorization: Bearer TOKEN' (printed by `whyrec serve`, or the "
                                  "WHYREC_TOKEN environment variable), or open the studio link it printed"),
    "S403": (403, "refused", "send the request from the studio page of this service, with its CSRF token"),
    "S404": (404, "not found", "see /docs for the endpoints"),
    "S405": (405, "method not allowed", "see /docs for the methods each endpoint takes"),
    "S409": (409, "conflict", "reload the file and apply your change again"),
    "S413": (413, "request too large", "send fewer pairs or a shorter rule file per request"),
    "S415": (415, "unsupported media type", "send JSON with 'Content-Type: application/json'"),
    "S421": (421, "unknown host", "call the service by the name it was started with (127.0.0.1 or localhost)"),
    "S422": (422, "invalid request", "fix the fields named in 'errors'"),
    "S500": (500, "internal error", "the service logged the cause; try again, or report it with the time"),
    "S503": (503, "too slow", "ask for fewer pairs or a smaller k; the service stopped waiting"),
}
# project error codes (kg K..., reasoning R..., generation E.../V...) -> HTTP status
_STATUS = {"E001": 404, "E002": 404, "K040": 404, "K041": 400, "R071": 404}


@dataclass
class ProblemError(Exception):
    """Raise from a route to answer with a problem: ``code`` from :data:`CATALOG` or a project code."""

    code: str
    message: str
    status: int | None = None
    hint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)


def problem_response(code: str, message: str, status: int | None = None, hint: str | None = None,
                     extra: dict[str, Any] | None = None, title: str | None = None) -> Response:
    default_status, default_title, default_hint = CATALOG.get(code, (400, "request refused", ""))
    title = title or default_title
    status = status or _STATUS.get(code, default_status)
    body: dict[str, Any] = {"type": f"urn:whyrec:problem:{code}", "title": title, "status": status,
                            "detail": message, "code": code, "message": message, "hint": hint or default_hint}
    body.update(extra or {})
    headers = {"WWW-Authenticate": 'Bearer realm="whyrec"'} if status == 401 else None
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=MEDIA_TYPE,
                    headers=headers)


def project_error_response(exc: Exception) -> Response:
    """A kg / reasoning / generation error (anything with a ``code``) as a problem."""
    code = str(getattr(exc, "code", "S400"))
    problems = getattr(exc, "problems", None)
    if problems:  # a RuleError: every problem, each with its place
        first = problems[0]
        extra = {"problems": [problem_dict(p) for p in problems]}
        return problem_response(code, getattr(exc, "args", [str(exc)])[0].split("\n")[0] if len(problems) > 1
                                else first.message, 422 if code not in _STATUS else None, first.hint, extra)
    message = getattr(exc, "message", None) or str(exc)
    title = getattr(exc, "catalog", {}).get(code, (None,))[0]  # the package catalog's short title
    return problem_response(code, message, None, getattr(exc, "hint", None), title=title)


def problem_dict(p: Any) -> dict[str, Any]:
    """A reasoning Problem as JSON: code, message, line, col, hint, severity."""
    from reasoning.errors import CATALOG as RULE_HINTS
    return {"code": p.code, "message": p.message, "line": p.line, "col": p.col,
            "hint": p.hint if p.hint is not None else RULE_HINTS.get(p.code, ""),
            "severity": getattr(p, "severity", "error")}


def install(app: FastAPI) -> None:
    """Route every failure through problem details."""

    @app.exception_handler(ProblemError)
    async def _own(request: Request, exc: ProblemError) -> Response:
        return problem_response(exc.code, exc.message, exc.status, exc.hint, exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = f"S{exc.status_code}" if f"S{exc.status_code}" in CATALOG else "S400"
        detail = exc.detail if isinstance(exc.detail, str) else CATALOG[code][1]
        if exc.status_code == 404:
            detail = f"no endpoint at {request.url.path}"
        return problem_response(code, detail, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg", "")}
                  for e in exc.errors()[:20]]
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        message = f"{first['field'] or 'request'}: {first['message']}"
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            message = "the body is not valid JSON"
        return problem_response("S422", message, 422, None, {"errors": errors})

    from kg.errors import CodedError
    from reasoning.errors import RuleError

    @app.exception_handler(CodedError)
    async def _coded(request: Request, exc: CodedError) -> Response:
        return project_error_response(exc)

    @app.exception_handler(RuleError)
    async def _rules(request: Request, exc: RuleError) -> Response:
        return project_error_response(exc)

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response("S500", "the service failed to answer this request", 500)
