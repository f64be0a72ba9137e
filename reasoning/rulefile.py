"""Rule files (YAML) to :class:`Rule` objects, keeping file:line:col on every part.

Parsing checks the shape of each rule (keys, steps, conditions, templates); checks that
need a graph's vocabulary live in :mod:`reasoning.validate`. Problems are collected,
never raised here: the caller decides.
"""
from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path

from kg.files import FileProblem, read_bytes
from kg.yamlfile import MAX_BYTES as MAX_YAML, Y, parse_yaml
from reasoning.errors import Problem
from reasoning.conditions import OPERATORS, PATTERN as _COND
from reasoning.rule_says import placeholders, read_says  # noqa: F401 - placeholders re-exported
from reasoning.rules import DEFAULT_LANG, MIN_SUPPORT, PRIVACY_FLOOR, Condition, Expect, Negation, Operand, Pos, Rule, Step

RULE_KEYS = ("id", "title", "says", "path", "when", "weight", "tags", "min_support", "min_support_reason", "expect",
             "description", "unsaid_ok", "audience")
EXPECT_KEYS = ("user", "item", "match")
TITLE_MAX = 80  # a heading, not a paragraph: the description holds the longer text
_LOG = logging.getLogger("whyrec.rules")  # a lowered privacy floor is logged at every load
WORD = r"[A-Za-z_][A-Za-z0-9_\-]*"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WORD = re.compile(rf"^{WORD}$")
_RELATION = re.compile(r"^[A-Za-z_][\w\-]*(?::[\w\-]+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
YAML_CODES = {"tag": "R060", "alias": "R061", "duplicate": "R062", "syntax": "R063", "depth": "R063",
              "size": "R064", "encoding": "R064"}
TRUE_WORDS, FALSE_WORDS = ("yes", "true", "on", "1"), ("no", "false", "off", "0")


def read_rules(path: str | Path, text: str | bytes | None = None) -> tuple[list[Rule], list[Problem]]:
    """Parse a rule file; returns the rules that parsed and every problem found."""
    file = str(path)
    if text is None:
        try:
            text = read_bytes(path, MAX_YAML)  # a FIFO, a device or a sparse 10 GB file is refused unread
        except FileProblem as exc:
            return [], [Problem("R064" if exc.kind == "size" else "R063", f"cannot read rule file: {exc.message}",
                                file, 1, 1, "give a regular YAML file (not a pipe or a device) under 20 MB")]
    tree, yproblems = parse_yaml(text)
    if yproblems:
        return [], [Problem(YAML_CODES.get(p.kind, "R063"), p.message, file, p.line, p.col) for p in yproblems]
    if tree is None:
        return [], []
    if not isinstance(tree.value, list):
        return [], [Problem("R004", "expected a list of rules", file, tree.line, tree.col)]
    rules, problems = [], []
    for node in tree.value:
        rule = _rule(node, file, problems)
        if rule is not None:
            rules.append(rule)
    seen: dict[str, Y] = {}
    for node in tree.value:  # every rule with an id, also those that did not parse
        rid = node.get("id") if isinstance(node.value, dict) else None
        if rid is None or not isinstance(rid.value, str):
            continue
        key = rid.value.strip()
        if key in seen:
            problems.append(Problem("R040", f"duplicate rule id {key!r} (first at line {seen[key].line})", file,
                                    node.line, node.col))
        else:
            seen[key] = node
    return rules, problems


def _pos(file: str, node: Y, offset: int = 0) -> Pos:
    return Pos(file, node.line, node.col + offset)


def _rule(node: Y, file: str, problems: list[Problem]) -> Rule | None:
    if not isinstance(node.value, dict):
        problems.append(Problem("R004", "each rule is a mapping starting with '- id: ...'", file, node.line, node.col))
        return None
    start = len(problems)
    for key, value in node.value.items():
        if key not in RULE_KEYS:
            close = difflib.get_close_matches(key, RULE_KEYS, n=1)
            line, col = value.key_pos or (value.line, value.col)
            problems.append(Problem("R001", f"unknown key {key!r}", file, line, col,
                                    f"did you mean {close[0]!r}?" if close else None))
    rid = _text(node, "id", file, problems, required=True)
    if rid is not None and not _ID.match(rid):
        problems.append(Problem("R041", f"bad rule id {rid!r}", file, node.get("id").line, node.get("id").col))
    steps = [_step(item, file, problems) for item in _list(node, "path", file, problems, required=True)]
    path = [s for s in steps if s]
    langs = read_says(node, file, problems)
    says, says_pos = next(((t, p) for lang, t, p in langs if lang == DEFAULT_LANG), ((), ()))
    others = [(lang, t, p) for lang, t, p in langs if lang != DEFAULT_LANG]
    conditions, negations = [], []
    for item in _list(node, "when", file, problems):
        parsed = _condition(item, file, problems)
        if isinstance(parsed, Negation):
            negations.append(parsed)
        elif parsed is not None:
            conditions.append(parsed)
    weight = _number(node, "weight", file, problems, 1.0, 0.0, 100.0, "R050")
    before = len(problems)
    min_support = _number(node, "min_support", file, problems, MIN_SUPPORT, PRIVACY_FLOOR, 1e9, "R051")
    if min_support != int(min_support):
        problems.append(Problem("R051", "min_support must be a whole number", file, node.get("min_support").line, node.get("min_support").col))
    reason = _min_support_reason(node, rid, int(min_support), file, problems) if len(problems) == before else ""
    tags = []
    for t in _list(node, "tags", file, problems, scalar_ok=True):
        if isinstance(t.value, str) and _WORD.match(t.value):
            tags.append(t.value)
        else:
            problems.append(Problem("R052", f"bad tag {t.value!r}", file, t.line, t.col))
    expects = [e for e in (_expect(item, file, problems) for item in _list(node, "expect", file, problems)) if e]
    desc = _text(node, "description", file, problems) or ""
    unsaid_ok = _unsaid_ok(node, file, problems, {s.value for s in path if s.value})
    audience = _text(node, "audience", file, problems) or ""
    if audience and not _AUDIENCE.match(audience):
        problems.append(Problem("R056", f"bad audience noun {audience!r}", file, node.get("audience").line,
                                node.get("audience").col, "one or two plain words, e.g. 'viewers'"))
    title = _text(node, "title", file, problems) or ""
    if len(title) > TITLE_MAX or "\n" in title:
        problems.append(Problem("R003", f"a title is one line of at most {TITLE_MAX} characters", file,
                                node.get("title").line, node.get("title").col))
    if rid is None or len(problems) > start and not path:
        return None
    # without a step that did not parse the path would look broken too (R012): such a rule is
    # kept with its broken steps named, and checked only for what does not need the whole path
    broken = tuple(str(item.value) for item, s in zip(_list(node, "path", file, []), steps) if s is None)
    return Rule(rid, tuple(path), says, _pos(file, node), tuple(conditions), tuple(negations), weight,
                tuple(tags), int(min_support), tuple(expects), desc, says_pos,
                says_other=tuple((lang, t) for lang, t, _ in others),
                says_other_pos=tuple((lang, p) for lang, _, p in others), min_support_reason=reason, unsaid_ok=unsaid_ok, audience=audience, title=title, broken=broken)


_AUDIENCE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)?")
_UNSAID = re.compile(r"([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?")


def _unsaid_ok(node: Y, file: str, problems: list[Problem], names: set[str]) -> tuple[str, ...]:
    """``unsaid_ok: [r.date, v]``: what a sentence of this rule may leave unsaid; each entry names a
    fact by its ``as`` name, or one value of it (``r.date``)."""
    out = []
    for item in _list(node, "unsaid_ok", file, problems, scalar_ok=True):
        m = _UNSAID.fullmatch(item.value) if isinstance(item.value, str) else None
        if m is None or m.group(1) not in names:
            known = ", ".join(sorted(names)) or "none: add 'as NAME' to a step"
            problems.append(Problem("R054", f"unsaid_ok entry {item.value!r} names no fact of this rule", file,
                                    item.line, item.col, f"write a step's 'as' name or NAME.value ({known})"))
        else:
            out.append(item.value)
    return tuple(out)


def _min_support_reason(node: Y, rid: str | None, min_support: int, file: str, problems: list[Problem]) -> str:
    """The written reason for a crowd floor below the default: required then, logged at every load."""
    reason = _text(node, "min_support_reason", file, problems) or ""
    where = node.get("min_support_reason") or node.get("min_support") or node
    if min_support < MIN_SUPPORT and not reason.strip():
        problems.append(Problem("R053", f"min_support {min_support} is below the default {MIN_SUPPORT}", file,
                                where.line, where.col))
    elif reason.strip() and min_support >= MIN_SUPPORT:
        problems.append(Problem("R053", f"min_support_reason given, but min_support {min_support} is not below "
                                f"the default {MIN_SUPPORT}", file, where.line, where.col,
                                "remove min_support_reason; it is for lowering the floor only"))
    elif reason.strip():
        _LOG.warning("%s:%d: rule %r lowers min_support to %d (default %d, never below %d): %s", file,
                     where.line, rid, min_support, MIN_SUPPORT, PRIVACY_FLOOR, reason.strip())
    return reason.strip()


def _text(node: Y, key: str, file: str, problems: list[Problem], required: bool = False) -> str | None:
    value = node.get(key)
    if value is None or value.value is None:
        if required:
            problems.append(Problem("R002", f"missing {key!r}", file, node.line, node.col))
        return None
    if not isinstance(value.value, str):
        problems.append(Problem("R003", f"{key!r} must be a single value", file, value.line, value.col))
        return None
    return value.value.strip()


def _list(node: Y, key: str, file: str, problems: list[Problem], required: bool = False,
          scalar_ok: bool = False) -> list[Y]:
    value = node.get(key)
    if value is None or value.value is None:
        if required:
            problems.append(Problem("R002", f"missing {key!r}", file, node.line, node.col))
        return []
    if isinstance(value.value, list):
        return value.value
    if scalar_ok and isinstance(value.value, str):
        return [value]
    dash = isinstance(value.value, str) and value.value.startswith("-")  # '-user viewed item'
    problems.append(Problem("R003", f"{key!r} must be a list (lines starting with '- ')", file, value.line, value.col,
                            "put a space after '-'" if dash else None))
    return []


def _number(node: Y, key: str, file: str, problems: list[Problem], default: float, lo: float, hi: float, code: str) -> float:
    value = node.get(key)
    if value is None or value.value is None:
        return default
    text = value.value if isinstance(value.value, str) else ""
    if not _NUMBER.match(text.strip()) or not lo <= float(text) <= hi:
        problems.append(Problem(code, f"{key} {text or '(a list)'!r} is not a number in [{lo:g}, {hi:g}]", file, value.line, value.col))
        return default
    return float(text)


def _step(node: Y, file: str, problems: list[Problem], where: str = "step") -> Step | None:
    if not isinstance(node.value, str):
        problems.append(Problem("R010", f"a {where} is one line of words", file, node.line, node.col))
        return None
    words = node.value.split()
    value = None
    if len(words) == 5 and words[3] == "as":
        value = words[4]
        words = words[:3]
    if len(words) != 3:
        problems.append(Problem("R010", f"{where} {node.value!r} has {len(words)} words, not 3", file, node.line, node.col))
        return None
    s, r, o = words
    for k, w in enumerate((s, o) + ((value,) if value else ())):
        if not _WORD.match(w):
            problems.append(Problem("R010", f"{w!r} is not a variable name in {where} {node.value!r}", file, node.line,
                                    node.col + node.value.find(w)))
            return None
    if not _RELATION.match(r):
        problems.append(Problem("R011", f"{r!r} is not a relation name", file, node.line, node.col + node.value.find(r)))
        return None
    return Step(s, r, o, _pos(file, node), value)


def _operand(text: str) -> Operand | None:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Operand(const=text[1:-1])
    if _NUMBER.match(text):
        return Operand(const=float(text))
    var, _, attr = text.partition(".")
    if _WORD.match(var) and (not attr or _WORD.match(attr)):
        return Operand(var=var, attr=attr or None)
    return None


def _condition(node: Y, file: str, problems: list[Problem]) -> Condition | Negation | None:
    if not isinstance(node.value, str):
        problems.append(Problem("R030", "a condition is one line", file, node.line, node.col))
        return None
    text = node.value.strip()
    if text.startswith("not "):
        step = _step(Y(text[4:].strip(), node.line, node.col + 4), file, problems, where="'not' step")
        return Negation(step, _pos(file, node)) if step else None
    m = _COND.match(text)
    if not m:
        problems.append(Problem("R030", f"cannot read condition {text!r}", file, node.line, node.col))
        return None
    left, op, right = _operand(m.group(1)), m.group(2), _operand(m.group(3))
    if left is None or right is None or op not in OPERATORS:
        bad = m.group(1) if left is None else m.group(3)
        problems.append(Problem("R030", f"cannot read {bad!r} in condition {text!r}", file, node.line, node.col + text.find(bad)))
        return None
    if left.var is None:
        problems.append(Problem("R030", f"the left side of {text!r} must be a variable", file, node.line, node.col))
        return None
    if OPERATORS[op].right_text and not isinstance(right.const, str):
        problems.append(Problem("R030", f"'{op}' needs a quoted text on the right", file, node.line, node.col))
        return None
    if OPERATORS[op].pattern:
        from reasoning.safe_regex import check_pattern
        err = check_pattern(right.const)
        if err:
            problems.append(Problem("R032", f"unsafe pattern {right.const[:40]!r}: {err}", file, node.line, node.col))
            return None
    return Condition(left, op, right, _pos(file, node))


def _expect(node: Y, file: str, problems: list[Problem]) -> Expect | None:
    if not isinstance(node.value, dict):
        problems.append(Problem("R070", "an expect entry is a mapping", file, node.line, node.col))
        return None
    for key, v in node.value.items():
        if key not in EXPECT_KEYS:
            line, col = v.key_pos or (v.line, v.col)
            problems.append(Problem("R070", f"unknown key {key!r} in expect", file, line, col))
    user, item, match = (node.get(k) for k in EXPECT_KEYS)
    if user is None or item is None or not isinstance(user.value, str) or not isinstance(item.value, str):
        problems.append(Problem("R070", "expect needs 'user' and 'item'", file, node.line, node.col))
        return None
    flag = True
    if match is not None:
        word = (match.value or "").lower() if isinstance(match.value, str) else ""
        if word not in TRUE_WORDS + FALSE_WORDS:
            problems.append(Problem("R070", f"match must be yes or no, not {match.value!r}", file, match.line, match.col))
            return None
        flag = word in TRUE_WORDS
    return Expect(user.value, item.value, flag, _pos(file, node))
