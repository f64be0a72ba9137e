"""The FastAPI application of ``whyrec serve``: built around a loaded :class:`Service`.

>>> from whyrec.serve.app import create_app  # doctest: +SKIP
>>> app = create_app(Service(ServeConfig(graph="data/demo", rules="data/rules/default.yaml")))  # doctest: +SKIP
"""
from __future__ import annotations

import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request

import whyrec
from whyrec.serve import problems, routes_explain, routes_rules, routes_studio
from whyrec.serve.limits import Guard
from whyrec.serve.service import Service
from whyrec.serve.studio import Studio

DESCRIPTION = ("Checked reasons why an item suits a user, and the rule studio. Errors are RFC 9457 problem "
               "details with a code, a message and a hint. Writes need the token printed at start.")


def create_app(service: Service) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await service.batcher.start()
        yield
        await service.batcher.stop()

    app = FastAPI(title="whyrec", version=whyrec.__version__, description=DESCRIPTION, docs_url=None,
                  redoc_url=None, lifespan=lifespan)
    app.state.service = service
    app.state.studio = Studio(service)
    problems.install(app)
    app.include_router(routes_explain.router)
    app.include_router(routes_rules.router)
    app.include_router(routes_studio.router)

    @app.get("/healthz", tags=["service"], summary="Whether the service is up, and what it serves")
    async def healthz(request: Request) -> dict[str, Any]:
        svc: Service = request.app.state.service
        return {"ok": True, "graph": svc.graph.source, "triples": len(svc.graph), "rules": len(svc.rules),
                "model": svc.explainer.verbalizer is not None, "load_seconds": round(svc.load_seconds, 2),
                "uptime_seconds": round(time.time() - svc.started, 1), "batches": svc.batcher.batches, "reloads": svc.reloads}

    app.add_middleware(Guard, limits=service.config.limits, hosts=service.config.allowed_hosts)
    return app
