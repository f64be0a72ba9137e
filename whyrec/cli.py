"""The ``whyrec`` command line. Each command group lives in ``whyrec/commands/``."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from whyrec.commands import batch_cmd, explain_cmd, kg_cmd, rules_cmd, train_cmd

GROUPS = [kg_cmd, rules_cmd, explain_cmd, batch_cmd, train_cmd]


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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except Exception as exc:  # project errors carry file:line: CODE message; hint
        if type(exc).__name__.endswith("Error") and hasattr(exc, "code"):
            print(f"whyrec: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
