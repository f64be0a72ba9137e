"""Everything shipped is valid and tested: rule files, the demo catalog, the README's commands."""
from pathlib import Path

import pytest

from kg import load_graph
from reasoning import load_rules
from reasoning.expect import run_expects

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = sorted((ROOT / "data" / "rules").glob("*.yaml"))


@pytest.fixture(scope="module")
def demo():
    return load_graph(ROOT / "data" / "demo")


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_shipped_rules_validate_and_their_examples_pass(path, demo):
    rules = load_rules(path, demo)
    assert len(rules) >= 10
    outcomes = run_expects(demo, rules)
    assert outcomes, "shipped rules carry expect examples"
    failed = [o for o in outcomes if not o.passed]
    assert not failed, "\n".join(str(o) for o in failed)


def test_readme_opens_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()[1:]] == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
