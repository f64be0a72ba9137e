"""kg.yaml_words: YAML syntax errors said in the expert's words, at the line to fix."""
from __future__ import annotations

import pytest

from kg.yamlfile import parse_yaml
from reasoning.rulefile import read_rules

HEAD = '- id: a\n  says: "x {item}"\n  path:\n'
CASES = [  # text, line, col (0: any), words
    (HEAD + "\t- user viewed item\n", 4, 1, "a tab is not allowed for indenting"),
    ('- id: a\n\tsays: "x"\n', 2, 1, "a tab is not allowed for indenting"),
    ("- id: a\n  says: You bought {product}: great\n", 2, 29, "put a sentence with ':' in quotes"),
    ("- id: a\n  says: {item} is great\n  path:\n    - user viewed item\n", 2, 9,
     "put a sentence that starts with '{' in quotes"),
    (HEAD + "    - user viewed item\n   - item viewed user\n", 5, 4, "does not line up with the list above it"),
    ('- id: a\n  says: "x"\n   path:\n    - user viewed item\n', 3, 4, "'path' does not line up with 'says' on line 2"),
    ('- id: a\n  says: "x\n  path:\n    - user viewed item\n', 2, 9, "this quote is never closed"),
    ('- id: a\n  says: "x" is good\n', 2, 0, "text follows the closing quote"),
    ("- id: a\n  tags: [a, b\n  path:\n    - user viewed item\n", 2, 9, "is not closed on this line; add ']'"),
    ('- id: a\n  says:"x"\n', 2, 8, "put a space after ':'"),
    ("- id: a\n  says: @x\n", 2, 9, "a text cannot start with '@'"),
]


@pytest.mark.parametrize("text, line, col, words", CASES, ids=[w[:30] for *_, w in CASES])
def test_syntax_errors_in_plain_words(text, line, col, words) -> None:
    tree, problems = parse_yaml(text)
    assert tree is None and len(problems) == 1
    p = problems[0]
    assert words in p.message and p.line == line and (col == 0 or p.col == col), p
    assert "expected" not in p.message and "token" not in p.message  # the parser's own words are gone


def test_rule_files_report_them_with_a_code_and_a_list_hint() -> None:
    _, problems = read_rules("r.yaml", HEAD + "\t- user viewed item\n")
    assert str(problems[0]).startswith("r.yaml:4:1: R063 a tab is not allowed for indenting")
    _, problems = read_rules("r.yaml", "- id: a\n  says: x\n  path:\n    -user viewed item\n")
    assert [p.code for p in problems] == ["R003"] and problems[0].hint == "put a space after '-'"
