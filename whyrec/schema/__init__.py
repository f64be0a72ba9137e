"""The versioned JSON Schemas whyrec's output follows, shipped with the package.

``explanation.v1.json``: one explanation (``Explanation.to_dict()``, ``whyrec explain --json``).
``error.v1.json``: an error as ``--json`` prints it on stderr (``{"error": Error.to_dict()}``).
Validate with any JSON Schema (2020-12) validator, e.g. ``jsonschema.validate(doc, schema)``.

>>> explanation_schema()["$id"]
'https://whyrec.dev/schema/explanation.v1.json'
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

from generation.errors import BadRequest

EXPLANATION = "explanation.v1.json"
ERROR = "error.v1.json"


def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema by file name (``explanation.v1.json``, ``error.v1.json``)."""
    if name not in (EXPLANATION, ERROR):
        raise BadRequest("E004", f"no shipped schema {name!r}", hint=f"there are {EXPLANATION!r} and {ERROR!r}")
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def explanation_schema() -> dict[str, Any]:
    """The JSON Schema of ``Explanation.to_dict()``."""
    return load_schema(EXPLANATION)


def error_schema() -> dict[str, Any]:
    """The JSON Schema of an error printed by ``--json``."""
    return load_schema(ERROR)
