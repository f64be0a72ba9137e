"""The studio page, its assets (shipped in the package: no CDN), its sign-in, and offline API docs."""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import HTMLResponse, RedirectResponse, Response

from whyrec.serve.problems import ProblemError
from whyrec.serve.security import COOKIE

STATIC = Path(__file__).resolve().parent / "static"
# the page runs only its own script and style, talks only to this service, and is never framed
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
PAGE_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-store"}
router = APIRouter(include_in_schema=False)


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=500)


def _cookie(response: Response, value: str, request: Request) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", path="/",
                        secure=request.url.scheme == "https")


@router.get("/studio")
async def studio_page(request: Request, token: str | None = None) -> Response:
    keys = request.app.state.service.keys
    if token is not None:  # the link printed at start: sign in, then drop the token from the address bar
        if not keys.token_ok(token):
            raise ProblemError("S401", "the token in this link is wrong", 401)
        response = RedirectResponse("/studio", status_code=303)
        _cookie(response, keys.new_session(), request)
        return response
    session = request.cookies.get(COOKIE)
    signed_in = keys.session_ok(session)
    page = (STATIC / "studio.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", html.escape(keys.csrf_for(session) if signed_in else ""))
    page = page.replace("{{signed_in}}", "yes" if signed_in else "no")
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.post("/studio/login")
async def studio_login(request: Request, body: Login) -> Response:
    keys = request.app.state.service.keys
    if not keys.token_ok(body.token):
        raise ProblemError("S401", "the token is wrong", 401)
    response = Response(json.dumps({"signed_in": True}), media_type="application/json")
    _cookie(response, keys.new_session(), request)
    return response


@router.get("/static/{name}")
async def static(name: str) -> Response:
    kinds = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in kinds or not path.is_file():
        raise ProblemError("S404", f"no asset {name!r}", 404)
    return Response(path.read_bytes(), media_type=kinds[path.suffix],
                    headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})


@router.get("/docs")
async def docs(request: Request) -> Response:
    """The OpenAPI document as a page, drawn here: Swagger UI would load its code from a CDN."""
    spec = request.app.openapi()
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = ", ".join(f"{p['name']}{'' if p.get('required') else '?'}" for p in op.get("parameters", []))
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            fields = _fields(spec, ref)
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                        f"<td>{html.escape(op.get('summary', ''))}</td><td><code>{html.escape(params)}</code>"
                        f"{'<br>' if params and fields else ''}<code>{html.escape(fields)}</code></td></tr>")
    page = (STATIC / "docs.html").read_text(encoding="utf-8").replace("{{rows}}", "\n".join(rows))
    page = page.replace("{{title}}", html.escape(f"{spec['info']['title']} {spec['info']['version']}"))
    return HTMLResponse(page, headers=PAGE_HEADERS)


def _fields(spec: dict[str, Any], name: str) -> str:
    schema = spec.get("components", {}).get("schemas", {}).get(name, {})
    props = schema.get("properties", {})
    need = set(schema.get("required", []))
    return ", ".join(f"{k}{'' if k in need else '?'}: {v.get('type', 'object')}" for k, v in props.items())
