"""``whyrec serve``: the HTTP service and the rule studio, loaded once, answering many."""
from __future__ import annotations

import argparse
import os
import socket
import sys

from whyrec.commands.explain_cmd import DEFAULT_RULES


def register(sub: argparse._SubParsersAction) -> None:
    sv = sub.add_parser(
        "serve", help="an HTTP service for explanations, and the rule studio in the browser",
        description="Load the graph, the rules, the ranker and the verbalizer once, then answer over HTTP: "
                    "GET/POST /api/explain, POST /api/feedback, GET /api/vocab, POST /api/rules/check, "
                    "POST /api/rules/preview, GET /healthz; API docs at /docs and the rule studio at /studio. "
                    "Binds to 127.0.0.1 unless --host says otherwise. Writes (feedback, saving rules) need the "
                    "token printed at start, or the one in the WHYREC_TOKEN environment variable.")
    sv.add_argument("--graph", required=True, help="graph to load (folder with whyrec.yaml, RDF file, Amazon folder)")
    sv.add_argument("--rules", default=str(DEFAULT_RULES), help="rule file to serve and edit (default: the shipped rules)")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    sv.add_argument("--templates", action="store_true", help="say reasons with rule templates only (no model)")
    sv.add_argument("--model", metavar="DIR", help="verbalizer checkpoint folder (default: the shipped model)")
    sv.add_argument("--scorer", choices=("trained", "weights"), default="trained",
                    help="rank by a scorer trained on the graph at start (default) or by rule weights")
    sv.add_argument("--feedback", metavar="FILE", help="where votes persist (default: beside the graph)")
    sv.add_argument("--timeout", type=float, default=20.0, help="seconds a request may take (default 20)")
    sv.add_argument("--search-seconds", type=_seconds, default=None, metavar="S",
                    help="wall time one pair's chain search may take before it answers with what it found "
                         "(default 0.25; the answer says when the budget cut it)")
    sv.add_argument("--max-body", type=int, default=1_000_000, help="largest request body in bytes (default 1000000)")
    sv.add_argument("--log", action="store_true", help="log every request")
    sv.set_defaults(run=run_serve)


def _seconds(text: str) -> float:
    """A finite number of seconds above zero."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket. IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that
    say they are TCP, and without it each response (headers, then body) waits ~40 ms for a delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # listen now, not when uvicorn starts: a client that read "listening on" and connects at once
        # waits in the backlog instead of being refused (asyncio's own listen() later is harmless)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from whyrec.serve.app import create_app
    from whyrec.serve.limits import Limits
    from whyrec.serve.security import TOKEN_ENV
    from whyrec.serve.service import ServeConfig, Service

    limits = Limits(max_body=args.max_body, seconds=args.timeout)
    config = ServeConfig(args.graph, args.rules, args.host, args.port, args.templates, args.model,
                         "weights" if args.scorer == "weights" else None, args.feedback, None, limits,
                         args.search_seconds)
    # bind before loading: a taken port fails at once, and --port 0 learns its number here
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"whyrec serve: cannot bind {args.host}:{args.port} ({exc.strerror})", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    service = Service(config)
    app = create_app(service)
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{host}:{port}"
    token = "(from WHYREC_TOKEN)" if os.environ.get(TOKEN_ENV) else service.keys.token
    studio = f"{base}/studio" + ("" if os.environ.get(TOKEN_ENV) else f"?token={service.keys.token}")
    print(f"whyrec serve: {service.graph.source} ({len(service.graph):,} triples), {len(service.rules)} rules, "
          f"{'the model' if service.explainer.verbalizer is not None else 'templates only'}; "
          f"loaded in {service.load_seconds:.1f} s\n"
          f"  listening on {base}   API docs: {base}/docs\n"
          f"  rule studio:  {studio}\n"
          f"  write token:  {token}", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"  warning: bound to {args.host}: other machines can read explanations", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info" if args.log else "warning",
                                           access_log=args.log, timeout_graceful_shutdown=5))
    server.run(sockets=[sock])
    return 0
