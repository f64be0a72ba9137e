"""A rule's ``says`` per language: ``says: {en: [...], zh: [...]}`` beside the plain list (English);
each template keeps its own line:col; bad language keys get R022 at the key with a hint."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from reasoning import check_rules
from reasoning.rulefile import placeholders, read_rules

CASES = Path(__file__).parent / "rule_cases"

RULE = """\
- id: same-brand
  path:
    - user purchased product
    - product brand brand
    - item brand brand
  says:
    en: ["You bought {product}; {item} is by {brand}."]
    zh:
      - "{item}和{product}同为{brand}出品"
      - "你买过{brand}的{product}"
"""


def test_plain_says_stays_english():
    rules, problems = read_rules("r.yaml", RULE.replace(RULE[RULE.index("  says:"):], '  says: "From {brand}."\n'))
    assert problems == [] and rules[0].says == ("From {brand}.",) and rules[0].languages == ("en",)
    assert rules[0].says_in("en") == ("From {brand}.",) and rules[0].says_in("zh") == ()


def test_says_per_language_keeps_english_default_and_each_place():
    rules, problems = read_rules("r.yaml", RULE)
    assert problems == []
    r = rules[0]
    assert r.says == ("You bought {product}; {item} is by {brand}.",)
    assert r.says_in("zh") == ("{item}和{product}同为{brand}出品", "你买过{brand}的{product}")
    assert r.says_in("ZH-cn") == r.says_in("zh")  # a form of Chinese finds Chinese
    assert r.says_in("en-GB") == r.says and r.says_in("fr") == ()
    assert [(p.line, p.col) for p in r.says_pos_in("zh")] == [(9, 9), (10, 9)]
    assert [(p.line, p.col) for p in r.says_pos] == [(7, 10)]
    assert r.languages == ("en", "zh")
    assert [lang for lang, _, _ in r.templates()] == ["en", "zh", "zh"]


def test_a_rule_in_chinese_only_has_no_english_templates():
    text = RULE.replace('    en: ["You bought {product}; {item} is by {brand}."]\n', "")
    rules, problems = read_rules("r.yaml", text)
    assert problems == [] and rules[0].says == () and rules[0].languages == ("zh",)


BAD = [
    # (name, replace this, with this, [(code, line, col)], words of the message or hint)
    ("language name, not code", "    zh:\n", "    chinese:\n", [("R022", 8, 5)], "did you mean 'zh'"),
    ("underscore in the tag", "    zh:\n", "    zh_CN:\n", [("R022", 8, 5)], "did you mean 'zh-CN'"),
    ("a language twice", "    zh:\n", "    EN:\n", [("R022", 8, 5)], "given twice"),
    ("templates as a mapping", '    en: ["You bought {product}; {item} is by {brand}."]\n',
     "    en: {a: b}\n", [("R003", 7, 9)], "must be a template or a list"),
    ("empty template", '      - "你买过{brand}的{product}"\n', '      - ""\n', [("R003", 10, 9)], "sentence template"),
    ("unbalanced brace in Chinese", "{item}和", "{item和", [("R021", 9, 9)], "unbalanced"),
    ("no language at all", RULE[RULE.index("  says:"):], "  says: {}\n", [("R002", 6, 9)], "names no language"),
]


@pytest.mark.parametrize("name, old, new, expected, words", BAD, ids=[b[0] for b in BAD])
def test_bad_says_are_located_with_a_hint(name, old, new, expected, words):
    text = RULE.replace(old, new)
    assert text != RULE
    _, problems = read_rules("r.yaml", text)
    assert [(p.code, p.line, p.col) for p in problems] == expected, [str(p) for p in problems]
    assert words in str(problems[0]) and str(problems[0]).startswith(f"r.yaml:{expected[0][1]}:{expected[0][2]}:")


def test_a_placeholder_the_path_does_not_bind_is_found_in_the_chinese_line():
    _, problems = check_rules("r.yaml", None, text=RULE.replace("你买过{brand}", "你买过{shop}"))
    assert [(p.code, p.line, p.col) for p in problems] == [("R020", 10, 9)]
    assert "{shop}" in str(problems[0])


DEFAULT_RULES = Path(__file__).resolve().parents[2] / "data" / "rules" / "default.yaml"
_SLOT = re.compile(r"\{[^{}]*\}")
_CJK_SPACE = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]\s+[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def test_every_default_rule_says_it_in_chinese_with_the_same_slots():
    rules, problems = read_rules(DEFAULT_RULES)
    assert problems == [] and rules
    for r in rules:
        zh = r.says_in("zh")
        assert zh, f"{r.id} has no Chinese template"
        english = {name for t in r.says for name in placeholders(t)}
        for t in zh:
            assert set(placeholders(t)) - {"audience"} == english - {"audience"}, (r.id, t)  # 顾客 may go unsaid
            assert not _CJK_SPACE.search(_SLOT.sub("名", t)) and t == t.strip(), (r.id, t)
            assert not re.search(r"[A-Za-z]", _SLOT.sub("", t)), (r.id, t)  # no English word left in
