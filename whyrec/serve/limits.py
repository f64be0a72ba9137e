"""Guards that wrap the whole application: the Host it answers to, body size and time per request.

Pure ASGI middleware, so a refused request never reaches a route and every refusal is a
problem+json answer like any other error.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

from whyrec.serve.problems import problem_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass(frozen=True)
class Limits:
    """What one request may ask for. The defaults suit a shop's frontend on one machine."""

    max_body: int = 1_000_000  # bytes of a request body: a rule file of ~5,000 lines, or 100 pairs
    seconds: float = 20.0  # wall time of one request, waiting in line included
    max_pairs: int = 100  # pairs per POST /api/explain
    max_k: int = 10  # reasons per pair
    preview_users: int = 20  # users a studio preview fires a rule on
    max_preview_users: int = 50


class Guard:
    """Host check (a page elsewhere must not reach a loopback service through DNS rebinding),
    body size limit (by Content-Length, and by counting what arrives) and a time limit."""

    def __init__(self, app: ASGIApp, limits: Limits, hosts: frozenset[str] | None):
        self.app, self.limits, self.hosts = app, limits, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def reply(response) -> None:
            if not started:
                await response(scope, receive, send)

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        host = _host(scope)
        if self.hosts is not None and host not in self.hosts:
            await reply(problem_response("S421", f"this service does not answer to the host {host!r}", 421))
            return
        limit = self.limits.max_body
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await reply(problem_response("S413", f"the body is {declared} bytes; the limit is {limit}", 413))
            return
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # the app's HTTP error handler answers with an S413 problem
                    raise HTTPException(413, f"the body is over the limit of {limit} bytes")
            return message

        try:
            await asyncio.wait_for(self.app(scope, counted_receive, tracked_send), self.limits.seconds)
        except HTTPException as exc:  # raised by counted_receive outside a route (no handler ran)
            await reply(problem_response(f"S{exc.status_code}", str(exc.detail), exc.status_code))
        except asyncio.TimeoutError:
            await reply(problem_response("S503", f"no answer within {self.limits.seconds:g} s", 503))


def _host(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            text = value.decode("latin-1").strip().lower()
            if text.startswith("["):  # [::1]:8000
                return text[:text.index("]") + 1] if "]" in text else text
            return text.rsplit(":", 1)[0] if text.count(":") == 1 else text
    return ""


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
