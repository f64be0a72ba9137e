"""``/api/explain`` (one pair by query, many by body) and ``/api/feedback`` (a write)."""
from __future__ import annotations

from typing import Any

import anyio.to_thread

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from generation.errors import UnknownLanguage
from generation.lang import get_language
from whyrec.serve.problems import ProblemError
from whyrec.serve.security import require_write
from whyrec.serve.service import Service

router = APIRouter(tags=["explain"])
KEY = Field(min_length=1, max_length=500, description="an id of the graph (or a full IRI)")


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str = KEY
    item: str = KEY


class ExplainBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pairs: list[Pair] = Field(min_length=1, description="user-item pairs, explained in one batch")
    k: int = Field(3, ge=1, description="reasons per pair at most")
    lang: str = Field("en", min_length=2, max_length=10, description="language of the reasons: en or zh")


class FeedbackBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str = KEY
    item: str = KEY
    rule: str = Field(min_length=1, max_length=200, description="the rule of the reason being voted on")
    helpful: bool


def service(request: Request) -> Service:
    return request.app.state.service


def _check_k(svc: Service, k: int) -> None:
    if k > svc.config.limits.max_k:
        raise ProblemError("S422", f"k is {k}; at most {svc.config.limits.max_k} reasons are given per pair", 422)


def _lang(lang: str) -> str:
    try:
        return get_language(lang).code
    except UnknownLanguage as exc:
        raise ProblemError("S422", exc.message, 422, exc.hint) from None


@router.get("/api/explain", summary="Why this item for this user: checked reasons (Explanation.to_dict())")
async def explain_one(request: Request, user: str = Query(min_length=1, max_length=500),
                      item: str = Query(min_length=1, max_length=500), k: int = Query(3, ge=1),
                      lang: str = Query("en", min_length=2, max_length=10)) -> dict[str, Any]:
    svc = service(request)
    _check_k(svc, k)
    (explanation,) = await svc.explain([(user, item)], k, _lang(lang))
    return explanation.to_dict()


@router.post("/api/explain", summary="Many pairs in one call: {'explanations': [Explanation.to_dict(), ...]}")
async def explain_many(request: Request, body: ExplainBody) -> dict[str, Any]:
    svc = service(request)
    _check_k(svc, body.k)
    if len(body.pairs) > svc.config.limits.max_pairs:
        raise ProblemError("S413", f"{len(body.pairs)} pairs in one request; the limit is "
                                   f"{svc.config.limits.max_pairs}", 413)
    found = await svc.explain([(p.user, p.item) for p in body.pairs], body.k, _lang(body.lang))
    return {"explanations": [e.to_dict() for e in found]}


@router.post("/api/feedback", summary="A vote on a reason (needs the write token): moves this user's ranking only")
async def feedback(request: Request, body: FeedbackBody) -> dict[str, Any]:
    svc = service(request)
    who = require_write(request, svc.keys)
    # the vote must be about a reason the service gives this user for this item, not an invented one
    (explanation,) = await svc.explain([(body.user, body.item)], svc.config.limits.max_k)
    reason = next((r for r in explanation.reasons if r.rule == body.rule), None)
    if reason is None:
        given = sorted({r.rule for r in explanation.reasons})
        raise ProblemError("S404", f"no reason of rule {body.rule!r} is given to {body.user!r} for {body.item!r}",
                           404, f"rules of the reasons given: {', '.join(given)}" if given else
                           "this pair has no reasons to vote on")

    def vote() -> None:
        with svc.lock:
            svc.explainer.feedback(body.user, reason, body.helpful)

    await anyio.to_thread.run_sync(vote)
    return {"recorded": True, "user": body.user, "rule": body.rule, "helpful": body.helpful, "by": who}
