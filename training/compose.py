"""Target sentences for the corpus: several wordings per chain, composed from generation/phrasing.py.

Every wording comes from the phrase tables the verifier reads (phrasing.py), the rule's own
``says`` templates, or the generic sentence of generation/templates.py; the corpus keeps only
sentences the verifier accepts. Wording style k picks systematic choices (phrase variant k,
sentence frame k), so the model can learn style as a control and stay readable.

Candidates are slot-level: ``namer(lin)`` says every graph value as its slot token.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from generation.linearize import ITEM, PREFIX, Linearized
from generation.phrasing import AUDIENCE_KEY, Namer, crowd_verb, fill, number_text, phrasing, pick, say_fact
from generation.templates import realize_chain_generic, realize_template, tidy
from generation.verbalizer import STYLES
from kg.vocab import Vocabulary
from reasoning.chains import Chain, Fact

Candidate = Callable[[int], str | None]


def namer(lin: Linearized) -> Namer:
    """(key, label, type) -> the slot token linearize() gave that value."""
    by_kind: dict[tuple[str, str], str] = {}
    by_key: dict[str, str] = {}
    for token, key in lin.keys.items():
        kind = "ITEM" if token == ITEM else token.strip("<>").rstrip("0123456789")
        by_kind.setdefault((kind, key), token)
        by_key.setdefault(key, token)

    def name(key: str, label: str, type_name: str) -> str:
        kind = PREFIX.get(type_name, "E")
        for k in ((kind, key), ("P", key), (kind, label), ("ITEM", key)):
            if k in by_kind and (k[0] != "ITEM" or type_name != "Value"):
                return by_kind[k]
        return by_key.get(key) or by_key.get(label) or label

    return name


def _rel_clause(fact: Fact, vocab: Vocabulary | None, v: int, name: Namer) -> str | None:
    """'which you bought' / 'which you rated <V1> stars' for a user fact about a product."""
    ph = phrasing(fact.relation, vocab)
    score = dict(fact.values).get("score")
    pats = ph.score if (score is not None and ph.score) else ph.user
    if not pats:
        return None
    p = pick(pats, v)
    if not p.startswith("you ") or " {o}" not in p:
        return None
    text = p.replace(" {o}", "")
    if "{score}" in text:
        s = number_text(score)
        text = fill(text, score=name(s, s, "Value"))
    return "which " + text


def _yours(fact: Fact, name: Namer) -> str | None:
    """'your <V1>-star <P1>' for the user's rating of a product (read back as that rating, score and all);
    None for any other user fact."""
    score = dict(fact.values).get("score")
    if fact.relation != "rated" or score is None:
        return None
    s = number_text(score)
    return f"your {name(s, s, 'Value')}-star {_side(fact, False, name)}"


def _also(pattern: str) -> str:
    """'{s} is made by {o}' -> '{s} is also made by {o}'; '{s} contains {o}' -> '{s} also contains {o}'."""
    head, _, rest = pattern.partition("{s} ")
    if head or not rest:
        return pattern
    first, _, tail = rest.partition(" ")
    return f"{{s}} {first} also {tail}" if first in ("is", "are") else f"{{s}} also {rest}"


def _side(f: Fact, subject: bool, name: Namer) -> str:
    if subject:
        return name(f.subject or "", f.subject_label, f.subject_type)
    return name(f.object, f.object_label, f.object_type)


def natural(chain: Chain, user: str, item: str, vocab: Vocabulary | None, name: Namer) -> list[Candidate]:
    """Frames that read like a person wrote them, for the chain shapes that have one."""
    f = chain.facts
    out: list[Candidate] = []
    if len(f) == 3 and f[0].subject == user and f[1].relation == f[2].relation and f[1].object == f[2].object \
            and f[2].subject == item and f[1].subject == f[0].object and not f[1].is_value:
        p, x, i = _side(f[0], False, name), _side(f[1], False, name), _side(f[2], True, name)
        attr = phrasing(f[1].relation, vocab).patterns

        yours = _yours(f[0], name)  # a rating: "like your 5-star P", two words shorter than "P, which you rated 5 stars"

        def shared_like(v: int) -> str | None:
            if yours:
                return tidy(fill(_also(pick(attr, v)), s=i, o=x) + f", like {yours}")
            rc = _rel_clause(f[0], vocab, v, name)
            return None if rc is None else tidy(fill(_also(pick(attr, v)), s=i, o=x) + f", like {p}, {rc}")

        def shared_you(v: int) -> str | None:
            if yours:
                return tidy(f"like {yours}, " + fill(_also(pick(attr, v + 1)), s=i, o=x))
            first = say_fact(f[0], vocab, v, user, name)
            return tidy(f"{first}, and " + fill(_also(pick(attr, v + 1)), s=i, o=x))

        def like_first(v: int) -> str | None:
            if yours:
                return tidy(f"like {yours}, " + fill(pick(attr, v), s=i, o=x))
            rc = _rel_clause(f[0], vocab, v + 1, name)
            return None if rc is None else tidy(f"like {p}, {rc}, " + fill(pick(attr, v), s=i, o=x))
        out += [shared_like, shared_you, like_first]
    elif len(f) == 2 and f[0].subject == user and f[0].relation == "prefers" and f[1].subject == item \
            and f[1].object == f[0].object:
        x, i = _side(f[0], False, name), _side(f[1], True, name)
        attr = phrasing(f[1].relation, vocab).patterns
        out.append(lambda v: tidy(f"{say_fact(f[0], vocab, v, user, name)}, and " + fill(pick(attr, v), s=i, o=x)))
        out.append(lambda v: tidy(fill(pick(attr, v), s=i, o=x) + ", which you told us you like"))
    elif len(f) == 2 and f[0].subject == user and f[1].subject == f[0].object and f[1].object == item \
            and phrasing(f[1].relation, vocab).symmetric:
        p, i = _side(f[0], False, name), _side(f[1], False, name)
        pats = phrasing(f[1].relation, vocab).patterns

        yours = _yours(f[0], name)

        def p2p_which(v: int) -> str | None:
            if yours:
                return tidy(fill(pick(pats, v), s=i, o=yours))
            rc = _rel_clause(f[0], vocab, v, name)
            return None if rc is None else tidy(fill(pick(pats, v), s=i, o=p) + f", {rc}")
        out.append(p2p_which)
    elif len(f) == 3 and f[0].subject == user and f[1].subject is None and f[2].subject is None:
        p, i = _side(f[0], False, name), _side(f[2], False, name)
        n = name(f"#{f[1].count}", str(f[1].count), "N")
        a = name(AUDIENCE_KEY, "people", "Audience")  # the catalog's noun, as a slot the model places
        v1, v2 = crowd_verb(f[1].relation, vocab), crowd_verb(f[2].relation, vocab)
        out.append(lambda v: tidy(f"{n} {a} who {v1} {p}, like you, also {v2} {i}"))
        out.append(lambda v: tidy(f"{say_fact(f[0], vocab, v, user, name)}, and {n} other {a} who {v1} {p} "
                                  f"also {v2} {i}"))
    return out


def candidates(chain: Chain, user: str, item: str, lin: Linearized, graph, rules=None) -> list[list[Candidate]]:
    """Per style: the wordings to try in order (the first one the verifier accepts is the target)."""
    name = namer(lin)
    vocab = graph.vocab
    says = len(rules.get(chain.rule).says) if rules is not None and _has(rules, chain.rule) else 0
    nat = natural(chain, user, item, vocab, name)

    def template(k: int) -> Candidate:
        return lambda v: realize_template(chain, rules, variant=k, name=name)

    def generic(v: int) -> str | None:
        return realize_chain_generic(chain, graph, variant=v, name=name)

    per_style: list[list[Candidate]] = []
    for style in range(STYLES):
        order: list[Candidate] = []
        if says and (style % 2 == 0 or not nat):
            # a chain with no natural frame is said by its rule's templates in every style: the generic
            # sentence says every fact in turn and names a product twice, twice as long
            order.append(template((style // 2 + style % 2) % says))
        if nat:
            order.append(nat[style % len(nat)])
            order.extend(c for c in nat if c is not nat[style % len(nat)])
        order.append(generic)
        per_style.append(order)
    return per_style


def _has(rules, rule_id: str) -> bool:
    try:
        rules.get(rule_id)
        return True
    except KeyError:
        return False


def join(parts: Sequence[str], style: int) -> str:
    """Two or three chain sentences as one: '...; and ...' keeps each part's claims intact."""
    bodies = [p.rstrip(".") for p in parts if p]
    if len(bodies) == 1:
        return tidy(bodies[0])
    first, rest = bodies[0], [b[0].lower() + b[1:] if b[:2] != b[:2].upper() else b for b in bodies[1:]]
    glue = ("; ", "; also, ", "; and ", ", and ")[style % 4]  # ';' keeps one chain's clauses from the next
    return tidy(first + glue + glue.join(rest))
