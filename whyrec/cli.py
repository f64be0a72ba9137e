"""The ``whyrec`` command line. Each command group lives in ``whyrec/commands/``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from kg.errors import Error
from whyrec.commands import batch_cmd, explain_cmd, kg_cmd, rules_cmd, serve_cmd, train_cmd
from whyrec.terminal import safe_output

GROUPS = [kg_cmd, rules_cmd, explain_cmd, batch_cmd, serve_cmd, train_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whyrec",
        description="Explain why an item suits a user with true, checked reasons from a product knowledge graph.",
        epilog="Run 'whyrec COMMAND --help' for the options of each command.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    with safe_output():  # every command's output: a label's control characters are shown, never obeyed
        parser = build_parser()
        args = parser.parse_args(argv)
        try:
            return int(args.run(args) or 0)
        except BrokenPipeError:  # `whyrec explain ... | head`: the reader left; not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        except Error as exc:  # every whyrec error: file:line:col: CODE message; hint
            if getattr(args, "json", False):  # the caller reads JSON: errors too, same fields
                print(json.dumps({"error": exc.to_dict()}, ensure_ascii=False), file=sys.stderr)
            else:
                print(f"whyrec: {exc}", file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
