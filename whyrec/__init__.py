"""whyrec: true, checked reasons why an item suits a user.

The public API, re-exported lazily so that ``import whyrec`` stays fast and
torch is only imported by the parts that need it::

    import whyrec
    graph = whyrec.load_graph("data/demo")
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_graph": "kg",
    "KnowledgeGraph": "kg",
    "KGError": "kg",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'whyrec' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
