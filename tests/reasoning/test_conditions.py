"""reasoning.conditions: the one table of condition operators, and everyone reading it."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from reasoning.conditions import OPERATORS, PATTERN, holds, table
from reasoning.rulefile import read_rules

ROOT = Path(__file__).resolve().parents[2]

HOLDS = [  # op, left, right, expected
    ("==", "Lumière", "lumière", True), ("==", 5.0, 5.0, True), ("==", 5.0, "5", False),
    ("!=", "a", "A", False), ("!=", 4.0, 5.0, True),
    ("<=", 3.0, 3.0, True), (">=", 2.0, 3.0, False), ("<", "2024-01-02", "2024-03-01", True),
    (">", "2024-01-02T10:00", "2024-01-02", True), ("<", "cheap", "dear", False), ("<", 3.0, "2024-01-01", False),
    ("contains", "Too oily", "OIL", True), ("contains", "Nice", "oil", False),
    ("matches", "SPF 50 cream", r"(?i)spf \d+", True), ("matches", "cream", "^spf", False),
    ("==", None, "x", False), (">=", 4.0, None, False),
]


@pytest.mark.parametrize("op, left, right, expected", HOLDS)
def test_holds(op, left, right, expected) -> None:
    assert holds(op, left, right) is expected


@pytest.mark.parametrize("op", list(OPERATORS))
def test_every_operator_parses_and_means_one_thing(op) -> None:
    right = '"x"' if OPERATORS[op].right_text else "4"
    m = PATTERN.match(f"r.score {op} {right}")
    assert m and m.groups() == ("r.score", op, right)
    text = f'- id: a\n  says: "{{item}}"\n  path:\n    - user rated item as r\n  when:\n    - r.score {op} {right}\n'
    rules, problems = read_rules("r.yaml", text)
    assert problems == [] and rules[0].when[0].op == op
    assert {"symbol", "says", "kinds"} <= set(next(t for t in table() if t["symbol"] == op))


def test_text_operators_need_quoted_text() -> None:
    for op in (o for o in OPERATORS if OPERATORS[o].right_text):
        text = f'- id: a\n  says: "{{item}}"\n  path:\n    - user rated item as r\n  when:\n    - r.summary {op} 4\n'
        _, problems = read_rules("r.yaml", text)
        assert [p.code for p in problems] == ["R030"], op


def test_no_other_module_spells_the_operators_out() -> None:
    # one table: the parser, validator, matcher and reference read reasoning/conditions.py
    for path in [*sorted((ROOT / "reasoning").glob("*.py")), ROOT / "tests" / "reasoning" / "reference_match.py"]:
        if path.name == "conditions.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.Set, ast.List)):
                consts = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                assert not {"<=", ">="} <= consts and not {"contains", "matches"} <= consts, \
                    f"{path.name}:{node.lineno} lists operators; read reasoning.conditions.OPERATORS"
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                assert not {"<", ">="} <= keys, f"{path.name}:{node.lineno} maps operators"
