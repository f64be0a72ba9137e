"""The rule endpoints: vocabulary, check, preview, and reading and saving the rule file."""
from __future__ import annotations

import difflib
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from whyrec.serve.problems import ProblemError, problem_dict
from whyrec.serve.security import require_write
from whyrec.serve.service import Service

router = APIRouter(tags=["rules"])
RULE_TEXT = Field(max_length=1_000_000, description="the whole rule file, as YAML text")


class CheckBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = RULE_TEXT


class PreviewBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = RULE_TEXT
    rule: str | None = Field(None, max_length=200, description="the rule to preview (default: the first)")
    users: int | None = Field(None, ge=1, description="how many sample users (default 20)")
    seed: int = Field(0, ge=0, le=2**31, description="which users are sampled")
    model: bool = Field(True, description="also say each match with the model (when one is loaded)")


class SaveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    yaml: str = RULE_TEXT
    base: str = Field(min_length=64, max_length=64, description="SHA-256 of the file as it was read")
    dry_run: bool = Field(False, description="check and show the diff, write nothing")


def service(request: Request) -> Service:
    return request.app.state.service


def studio(request: Request):
    return request.app.state.studio


@router.get("/api/vocab", summary="What a rule may name in this graph: relations, types, values, operators")
async def vocab(request: Request) -> dict[str, Any]:
    return studio(request).vocab


@router.post("/api/rules/check", summary="Every problem of a rule file, and warnings for rules that never fire")
async def check(request: Request, body: CheckBody) -> dict[str, Any]:
    s = studio(request)
    report = await anyio.to_thread.run_sync(s.check, body.yaml, abandon_on_cancel=True)
    return report


@router.post("/api/rules/preview", summary="Fire one rule on sample users: matches, sentences, verdicts, coverage")
async def preview(request: Request, body: PreviewBody) -> dict[str, Any]:
    svc, s = service(request), studio(request)
    n = body.users or svc.config.limits.preview_users
    if n > svc.config.limits.max_preview_users:
        raise ProblemError("S422", f"{n} sample users; at most {svc.config.limits.max_preview_users}", 422)
    # past the time limit the client is answered at once; the thread finishes on its own (reads only)
    return await anyio.to_thread.run_sync(lambda: s.preview(body.yaml, body.rule, n, body.seed, body.model),
                                          abandon_on_cancel=True)


@router.get("/api/rules/file", summary="The rule file being served, with its SHA-256 (send it back to save)")
async def rule_file(request: Request) -> dict[str, Any]:
    svc = service(request)
    text, digest = svc.read_rules()
    return {"path": str(svc.rules_path), "yaml": text, "sha": digest}


@router.post("/api/rules/save", summary="Save the rule file (needs the write token): atomic, refused while an "
                                        "expect example fails")
async def save(request: Request, body: SaveBody) -> dict[str, Any]:
    svc, s = service(request), studio(request)
    require_write(request, svc.keys)
    old, digest = svc.read_rules()
    if body.base != digest:
        raise ProblemError("S409", "the rule file changed on disk since you opened it", 409,
                           "reload the file, then apply your change again")
    diff = "".join(difflib.unified_diff(old.splitlines(keepends=True), body.yaml.splitlines(keepends=True),
                                        f"{svc.rules_path.name} (saved)", f"{svc.rules_path.name} (yours)"))
    rules, problems, failed = await anyio.to_thread.run_sync(s.ready_to_save, body.yaml, abandon_on_cancel=True)
    if problems:
        raise ProblemError("R003", f"{len(problems)} problem(s) in the rules; nothing was saved", 422,
                           "fix each problem at its line", {"problems": [problem_dict(p) for p in problems],
                                                            "diff": diff})
    if failed:
        raise ProblemError("R090", f"{len(failed)} expect example(s) fail; nothing was saved", 409,
                           "fix the rule or the example before saving",
                           {"failed": [_expect_dict(r) for r in failed], "diff": diff})
    if body.dry_run:
        return {"saved": False, "diff": diff, "sha": digest}
    new = svc.save_rules(body.yaml, rules)  # the write is quick; the ranker retrains in the background
    s.saved()
    return {"saved": True, "diff": diff, "sha": new, "rules": len(rules), "reloading": True}


def _expect_dict(r) -> dict[str, Any]:
    return {"rule": r.rule, "user": r.expect.user, "item": r.expect.item, "match": r.expect.match,
            "line": r.expect.pos.line, "code": r.code, "message": r.message}
