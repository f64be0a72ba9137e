"""A node table's ``label:``: one column (``label: name``) or one column per language
(``label: {en: name, zh: name_zh}``), each written as ``schema:name`` with that language tag."""
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
