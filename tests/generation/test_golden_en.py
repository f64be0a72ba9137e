"""English output is unchanged by the language layer: the demo's sentences and verdicts, byte for byte.

The golden file was written from the code before English moved into generation/lang/en.py. When an
intended change of English wording lands (a template, a phrase), regenerate it with
``python -m tests.generation.golden_en`` and review the diff.
"""
from __future__ import annotations

import difflib

from tests.generation.golden_en import GOLDEN, dump, records


def test_demo_english_sentences_and_verdicts_are_byte_for_byte_the_golden_ones(graph, rules):
    want = GOLDEN.read_text(encoding="utf-8")
    got = dump(records(graph, rules))
    if got != want:
        diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "now", n=0, lineterm="")
        raise AssertionError("English output changed:\n" + "\n".join(list(diff)[:12])[:4000])
