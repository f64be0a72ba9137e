"""whyrec: true, checked reasons why an item suits a user.

The public API, re-exported lazily so that ``import whyrec`` stays fast and torch is only
imported by the parts that need it::

    import whyrec
    graph = whyrec.load_graph("data/demo")
    rules = whyrec.load_rules("data/rules/default.yaml", graph)
    explainer = whyrec.Explainer(graph, rules)
    result = explainer.explain("u022", "p0123", k=3)

Every error the API raises is a :class:`whyrec.Error` (``code``, ``message``, ``hint``,
``where``); the codes callers branch on have named subclasses (``whyrec.UnknownUser`` ...).
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_graph": "kg", "KnowledgeGraph": "kg", "KGError": "kg", "to_networkx": "kg.nx_view",
    "Error": "kg.errors", "InputError": "kg.errors", "UnknownNode": "kg.errors",
    "ReasoningError": "reasoning", "UnknownUser": "generation.errors", "UnknownItem": "generation.errors",
    "BadRequest": "generation.errors", "ModelError": "generation.errors", "FeedbackError": "generation.errors",
    "Ranker": "reasoning.calibrate", "Calibration": "reasoning.calibrate", "train_ranker": "reasoning.calibrate",
    "explanation_schema": "whyrec.schema",
    "load_rules": "reasoning", "check_rules": "reasoning", "RuleSet": "reasoning", "RuleError": "reasoning",
    "find_chains": "reasoning", "find_chains_many": "reasoning", "Budget": "reasoning", "Chain": "reasoning",
    "Fact": "reasoning", "rank": "reasoning", "train_scorer": "reasoning", "Scorer": "reasoning",
    "UserWeights": "reasoning",
    "Explainer": "generation.explain", "Explanation": "generation.explanation", "Reason": "generation.explanation",
    "GenerationError": "generation.errors", "render_html": "generation.render", "write_html": "generation.render",
    "verify": "generation.verify", "Verbalizer": "generation.verbalizer",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'whyrec' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
