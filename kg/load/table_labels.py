"""Words per language in a mapping: a node table's ``label:`` (one column, ``label: name``, or one
per language, ``label: {en: name, zh: name_zh}``, each written as ``schema:name`` with that tag),
and a declared relation's ``label``, ``inverse`` and ``phrases`` (plain, or ``{en: ..., zh: ...}``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.load.table_values import LANG_KEY
from kg.yamlfile import Y

if TYPE_CHECKING:
    from kg.load.tables import _Mapping

LABEL_HINT = "write 'label: name' (one column) or 'label: {en: name, zh: name_zh}' (a column per language)"


def label_columns(m: "_Mapping", spec: Y) -> tuple[tuple[str, str | None], ...]:
    """(column, language tag or None for untagged) of each label the table gives, in mapping order."""
    node = spec.get("label")
    if node is None or node.value is None:
        return ()
    if isinstance(node.value, str):
        return ((node.value, None),) if node.value else ()
    if not isinstance(node.value, dict):
        raise m.fail(node, "'label' must name a column, or a column per language", hint=LABEL_HINT)
    out: list[tuple[str, str | None]] = []
    seen: dict[str, str] = {}
    for lang, col in node.value.items():
        where = m.where(col, key=True)
        if not LANG_KEY.match(lang):
            raise KGError("K020", f"{lang[:40]!r} is not a language tag", where,
                          "the keys under 'label:' are BCP 47 tags such as en, zh or zh-Hans")
        if lang.lower() in seen:  # N-Triples tags are compared without case: en and EN are one
            raise KGError("K020", f"language {lang!r} is named twice (also as {seen[lang.lower()]!r})", where,
                          "give one column per language")
        seen[lang.lower()] = lang
        if not isinstance(col.value, str) or not col.value:
            raise m.fail(col, f"the label of language {lang!r} must name one column", hint=LABEL_HINT)
        out.append((col.value, lang.lower()))
    if not out:
        raise m.fail(node, "'label' names no column", hint=LABEL_HINT)
    return tuple(out)


RELATION_HINT = "write 'label: product line' or 'label: {en: product line, zh: 产品系列}' (phrases: a list, or a list per language)"


def relation_words(m: "_Mapping", spec: Y) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """A declared relation's (label, inverse, phrases) per language; "" is the default language
    (a plain value, or the ``en`` entry), other keys are lower-case tags."""
    out: dict[str, list] = {}
    for k, key in enumerate(("label", "inverse", "phrases")):
        node = spec.get(key)
        if node is None or node.value is None:
            continue
        per = node.value if isinstance(node.value, dict) else {"": node}
        for lang, value in per.items():
            if lang and not LANG_KEY.match(lang):
                raise KGError("K020", f"{lang[:40]!r} is not a language tag", m.where(value, key=True), RELATION_HINT)
            tag = "" if lang.lower() in ("", "en") else lang.lower()
            entry = out.setdefault(tag, ["", "", ()])
            if key == "phrases":
                items = value.value if isinstance(value.value, list) else [value] if isinstance(value.value, str) else None
                if items is None or not all(isinstance(x.value, str) for x in items):
                    raise m.fail(value, "'phrases' is a list of phrases", hint=RELATION_HINT)
                entry[k] = tuple(x.value for x in items if x.value)
            else:
                if not isinstance(value.value, str):
                    raise m.fail(value, f"'{key}' is one text (or one per language)", hint=RELATION_HINT)
                entry[k] = value.value
    return {tag: (e[0], e[1], e[2]) for tag, e in out.items()}
