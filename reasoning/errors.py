"""Errors of ``reasoning``: rule problems are data; loaders raise one RuleError listing them all.

Every message has a stable code from :data:`CATALOG` and prints like a compiler's:
``rules/shop.yaml:5:7: R011 unknown relation 'brnd' in step "product brnd brand"; did you mean 'brand'?``
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.errors import Error, Where

CATALOG: dict[str, str] = {
    # code: default hint
    "R001": "check the spelling; allowed keys are id, title, says, path, when, weight, tags, min_support, min_support_reason, expect, description, unsaid_ok, audience",
    "R002": "every rule needs an id, a path and at least one 'says' template",
    "R003": "see the rule format in README 'Writing rules'",
    "R004": "the file must be a list of rules, each starting with '- id: ...'",
    "R010": "write each step as three words: subject relation object (e.g. 'user purchased product')",
    "R011": "run `whyrec rules vocab --graph G` to see the relations you can use",
    "R012": "steps must form one path from 'user' to 'item' (e.g. user purchased p; p brand b; item brand b)",
    "R013": "a path has 1 to 4 steps",
    "R014": "a value relation (price, budget, ...) ends a step; write 'item price price' and compare 'price'",
    "R015": "'user' and 'item' are reserved: use another word for this variable",
    "R020": "every {placeholder} must be a variable bound by the path (or var.attribute)",
    "R021": "balance the braces; write {{ and }} for literal braces",
    "R022": "the keys under 'says:' are language codes (en, zh, zh-Hant), each with a template or a list: says: {en: [...], zh: [...]}",
    "R030": "conditions look like 'a != b', 'price <= budget', 'r.score >= 4', 'brand == \"lumiere\"' or 'not user purchased item'",
    "R031": "bind the variable in the path first",
    "R032": "patterns run on RE2 (linear time): no backreferences or lookarounds, under 200 characters, small counts in {m,n} (a pattern compiles to at most 200 steps)",
    "R040": "give each rule a unique id",
    "R041": "ids are lower-case words joined by '-' (e.g. same-brand)",
    "R050": "weight is a number between 0 and 100",
    "R051": "min_support is a whole number of at least 2 (one shopper is a person, not a crowd)",
    "R053": "a crowd floor below the default 10 needs 'min_support_reason: <why>' beside it; it is logged at every load",
    "R052": "tags are a list of words, e.g. [collaborative, sensitive]",
    "R056": "the audience noun counts people in sentences: one or two plain words, e.g. 'viewers' or 'readers'",
    "R054": "unsaid_ok names a step's 'as' name (the whole fact) or NAME.value (one value of it), e.g. [r.date]",
    "R055": "the verifier could not read this template back into its rule's chain; say every fact with the catalog's words (see `whyrec rules vocab`), name {item}, and avoid words no fact supports",
    "R060": "YAML tags (!!...) are not allowed in rule files; remove it",
    "R061": "anchors and aliases (&a, *a) are not allowed in rule files; repeat the text instead",
    "R062": "remove the repeated key",
    "R063": "fix the YAML syntax at this position",
    "R064": "save the file as UTF-8 text",
    "R070": "expect entries look like {user: u001, item: p0042, match: yes}",
    "R071": "use a user and item that exist in the graph",
    "R080": "a rule that binds other shoppers must be tagged 'collaborative' so they are counted, never named",
    "R090": "the rule's expect example failed: fix the rule or the example",
    "R110": "this rule never fires in this graph; `whyrec rules vocab --graph G` lists the types each relation links",
    "R111": "write the step the way the facts read: subject relation object (e.g. 'product brand brand')",
    "R112": "write numbers without quotes (r.score >= 4), texts and dates in quotes (brand == \"Lumiere\", r.date >= \"2024-01-01\")",
    "R113": "compare with a value inside the range that `whyrec rules vocab --graph G` shows",
    "R114": "read a value that these nodes or facts carry; `whyrec rules vocab --graph G` lists them",
    "R115": "use an id or a name that the graph has (the studio's dropdown lists them)",
    "R120": "remove one of the two rules, or make them differ",
    "R121": "the narrower rule finds no chain the wider one misses; keep it only for its own sentence or weight",
    "R100": "train a scorer again (reasoning.train.train_scorer) and save it with Scorer.save",
    "R101": "per-user weights apply to their own user only: pass the weights of the user being ranked",
    "R102": "rank chains with the rule set that found them",
    "R103": "weak_chains is 'alone' (one weak reason when nothing better exists and it scores at least the scorer's weak floor), 'always', 'drop' or 'keep'",
}


@dataclass(frozen=True)
class Problem:
    """One problem in a rule file, with its place."""

    code: str
    message: str
    file: str
    line: int = 0
    col: int = 0
    hint: str | None = None
    severity: str = "error"  # "warning": the file loads, but the rule cannot do what it says (reasoning.lint)

    def __str__(self) -> str:
        hint = self.hint if self.hint is not None else CATALOG.get(self.code, "")
        kind = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}:{self.col}: {self.code} {kind}{self.message}" + (f"; {hint}" if hint else "")


class RuleError(Error):
    """The one error type of ``reasoning``. Carries every problem found, not just the first.

    ``code``, ``hint`` and ``where`` are those of the first problem; ``problems`` holds them all
    (``to_dict()`` lists them too).
    """

    catalog = {code: ("", hint) for code, hint in CATALOG.items()}

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str | None = None):
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else Problem("R003", "no problems given", "<call>")
        self.code = first.code
        self.message = summary or f"{len(self.problems)} problem(s) in rules"
        self.hint = first.hint if first.hint is not None else CATALOG.get(first.code, "")
        self.where = Where(None) if first.file == "<call>" else Where(first.file, first.line or None, first.col or None)
        Exception.__init__(self, str(self))

    def __str__(self) -> str:
        return self.message + ":\n" + "\n".join(str(p) for p in self.problems)

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out["problems"] = [{"code": p.code, "message": p.message, "file": p.file, "line": p.line, "col": p.col,
                            "hint": p.hint if p.hint is not None else CATALOG.get(p.code, "")} for p in self.problems]
        return out

    def __reduce__(self):
        return (type(self), (self.problems, self.message))


class ReasoningError(RuleError):
    """A reasoning call was given something it cannot use (a scorer file that is not one,
    weights of another user, a chain of another rule set)."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__([Problem(code, message, "<call>", hint=hint)], summary=message)

    def __str__(self) -> str:
        return Error.__str__(self)

    def __reduce__(self):
        return (type(self), (self.code, self.message, self.hint))
