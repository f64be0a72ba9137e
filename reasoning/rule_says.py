"""A rule's ``says``: templates per language.

``says: "..."`` or ``says: [...]`` is English (the default language); ``says: {en: [...],
zh: [...]}`` gives each language its own templates (a string or a list under each code). Every
template keeps its file:line:col, so a problem in the Chinese list points at the Chinese line.
"""
from __future__ import annotations

import difflib
import re

from kg.yamlfile import Y
from reasoning.errors import Problem
from reasoning.rules import DEFAULT_LANG, Pos

# a BCP 47 tag as rule files write them: a 2-3 letter language, then optional subtags (zh-Hant, pt-BR)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$")
# names people write where a code belongs: the hint says the code
_NAMES = {"english": "en", "chinese": "zh", "mandarin": "zh", "cn": "zh", "zh_cn": "zh-CN", "zh_tw": "zh-TW",
          "zh_hans": "zh-Hans", "zh_hant": "zh-Hant", "german": "de", "french": "fr", "spanish": "es",
          "japanese": "ja", "jp": "ja", "korean": "ko", "kr": "ko", "default": DEFAULT_LANG}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
Says = tuple[tuple[str, tuple[str, ...], tuple[Pos, ...]], ...]  # (language, templates, their places)


def read_says(node: Y, file: str, problems: list[Problem]) -> Says:
    """Each language's templates, the default language first; problems are appended, never raised."""
    value = node.get("says")
    if value is None or value.value is None:
        problems.append(Problem("R002", "missing 'says'", file, node.line, node.col))
        return ()
    if not isinstance(value.value, dict):
        return (_templates(DEFAULT_LANG, value, file, problems),)
    out: dict[str, tuple[str, tuple[str, ...], tuple[Pos, ...]]] = {}
    for key, sub in value.value.items():
        code = _code(key, sub, file, problems)
        if code is None:
            continue
        if code in out:
            line, col = sub.key_pos or (sub.line, sub.col)
            problems.append(Problem("R022", f"language {key!r} is given twice in 'says'", file, line, col,
                                    "language codes are compared without case: keep one list per language"))
            continue
        out[code] = _templates(code, sub, file, problems)
    if not value.value:
        problems.append(Problem("R002", "'says' names no language", file, value.line, value.col,
                                "write 'says: {en: [...], zh: [...]}' or a plain list of English templates"))
    first = [out.pop(DEFAULT_LANG)] if DEFAULT_LANG in out else []
    return tuple(first + [out[k] for k in sorted(out)])


def _code(key: str, sub: Y, file: str, problems: list[Problem]) -> str | None:
    """The language code under 'says:' in its lower-case form, or None (a problem says why)."""
    if _LANG.match(key):
        return key.lower()
    line, col = sub.key_pos or (sub.line, sub.col)
    guess = _NAMES.get(key.strip().lower().replace("-", "_"))
    close = guess or next(iter(difflib.get_close_matches(key.lower(), sorted(set(_NAMES.values()) | {"en", "zh"}),
                                                         n=1)), None)
    problems.append(Problem("R022", f"{key[:40]!r} is not a language code in 'says'", file, line, col,
                            (f"did you mean {close!r}? " if close else "") +
                            "the keys under 'says:' are language codes such as en, zh or zh-Hant"))
    return None


def _templates(lang: str, value: Y, file: str, problems: list[Problem]) -> tuple[str, tuple[str, ...], tuple[Pos, ...]]:
    if isinstance(value.value, list):
        entries = value.value
    elif isinstance(value.value, str):
        entries = [value]
    else:
        problems.append(Problem("R003", f"'says' of {lang!r} must be a template or a list of them", file,
                                value.line, value.col))
        entries = []
    texts, places = [], []
    for s in entries:
        if not isinstance(s.value, str) or not s.value.strip():
            problems.append(Problem("R003", "each 'says' entry is a sentence template", file, s.line, s.col))
            continue
        check_template(s, file, problems)
        texts.append(s.value)
        places.append(Pos(file, s.line, s.col))
    return lang, tuple(texts), tuple(places)


def check_template(node: Y, file: str, problems: list[Problem]) -> None:
    text = node.value
    stripped = _PLACEHOLDER.sub("", text.replace("{{", "").replace("}}", ""))
    if "{" in stripped or "}" in stripped:
        problems.append(Problem("R021", f"unbalanced braces in {text!r}", file, node.line, node.col))


def placeholders(template: str) -> list[str]:
    """The ``{names}`` in a template (escaped ``{{``/``}}`` excluded)."""
    return [m.group(1).strip() for m in _PLACEHOLDER.finditer(template.replace("{{", "").replace("}}", ""))]
