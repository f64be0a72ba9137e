"""`whyrec rules check` reads each language's templates with that language's reader (R055 per language)."""
from __future__ import annotations

from generation.template_check import chains_per_rule, check_templates
from tests.generation.shop_zh import shop_zh


class _Rule:
    """A rule with templates in several languages, as reasoning.rulefile gives them (rule.templates())."""

    def __init__(self, rule, extra):
        self._rule, self._extra = rule, extra

    def __getattr__(self, name):
        return getattr(self._rule, name)

    def templates(self):
        return [("en", t, p) for t, p in zip(self._rule.says, self._rule.says_pos or (self._rule.pos,) * 9)] + [
            (lang, t, self._rule.pos) for lang, t in self._extra]


class _Plan:
    def __init__(self, plan, extra):
        self._plan, self.rule = plan, _Rule(plan.rule, extra)

    def __getattr__(self, name):
        return getattr(self._plan, name)


class _Rules:
    def __init__(self, rules, extra):
        self._rules = rules
        self.plans = [_Plan(p, extra) if p.rule.id == "same-brand" else p for p in rules.plans]

    def __getattr__(self, name):
        return getattr(self._rules, name)


def test_chinese_templates_are_read_back_by_the_chinese_reader():
    g, rules = shop_zh()
    chains = chains_per_rule(g, rules)
    good = [("zh", "你买过{product}，{product}和{item}都出自{brand}")]
    assert [p for p in check_templates(g, _Rules(rules, good), chains) if "same-brand" in p.message] == []
    bad = [("zh", "你买过{product}，{item}非常好用"), ("fr", "vous avez acheté {product}")]
    problems = [p for p in check_templates(g, _Rules(rules, bad), chains) if "'same-brand'" in p.message]
    assert [p.code for p in problems] == ["R055", "R055"]
    assert "(zh)" in problems[0].message and "cannot read back" in problems[1].message
