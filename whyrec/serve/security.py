"""Who may write: a bearer token for programs, a signed session and a CSRF token for the studio.

Reads (explanations, vocabulary, checks, previews) are open to whoever reaches the service,
which binds to 127.0.0.1 unless told otherwise. Writes (feedback, saving rules) need either

- ``Authorization: Bearer TOKEN``: the token printed at start or set by ``WHYREC_TOKEN``; a
  browser never adds this header by itself, so a forged cross-site request cannot carry it; or
- the studio's session cookie (set by opening ``/studio?token=TOKEN``) *and* the page's CSRF
  token in the ``X-CSRF-Token`` header *and* no foreign ``Origin``: the cookie alone, which a
  browser sends with any cross-site form, is never enough.

Sessions are stateless: the cookie is a random nonce with its HMAC under a key made at start,
so a restart signs everyone out and nothing is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from starlette.requests import Request

from whyrec.serve.problems import ProblemError

TOKEN_ENV = "WHYREC_TOKEN"
COOKIE = "whyrec_session"
CSRF_HEADER = "x-csrf-token"
MIN_TOKEN = 16


@dataclass(frozen=True)
class Keys:
    token: str  # what a writer presents
    secret: bytes  # signs sessions and CSRF tokens; never leaves the process

    @classmethod
    def make(cls, token: str | None = None) -> "Keys":
        token = token or os.environ.get(TOKEN_ENV) or secrets.token_urlsafe(24)
        if len(token) < MIN_TOKEN:
            raise ValueError(f"the write token must be at least {MIN_TOKEN} characters ({TOKEN_ENV})")
        return cls(token, secrets.token_bytes(32))

    def _mac(self, purpose: str, text: str) -> str:
        return hmac.new(self.secret, f"{purpose}\x1f{text}".encode(), hashlib.sha256).hexdigest()[:32]

    def new_session(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._mac('session', nonce)}"

    def session_ok(self, cookie: str | None) -> bool:
        if not cookie or cookie.count(".") != 1:
            return False
        nonce, mac = cookie.split(".")
        return hmac.compare_digest(mac, self._mac("session", nonce))

    def csrf_for(self, cookie: str) -> str:
        return self._mac("csrf", cookie)

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())


def require_write(request: Request, keys: Keys) -> str:
    """Let a write through or raise a 401/403 problem; returns who wrote ("token" or "studio")."""
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, given = auth.partition(" ")
        if scheme.lower() == "bearer" and keys.token_ok(given.strip()):
            return "token"
        raise ProblemError("S401", "the write token is wrong", 401)
    cookie = request.cookies.get(COOKIE)
    if not keys.session_ok(cookie):
        raise ProblemError("S401", f"{request.method} {request.url.path} changes data and needs the write token", 401)
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise ProblemError("S403", f"a request from {origin!r} may not write here", 403)
    csrf = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(csrf.encode(), keys.csrf_for(cookie).encode()):
        raise ProblemError("S403", "the studio's CSRF token is missing or wrong", 403,
                           "reload the studio page and try again")
    return "studio"


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"
