"""Imports run one way: kg <- reasoning <- generation <- training; whyrec on top; reasoning never touches torch."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ORDER = ["kg", "reasoning", "generation", "training", "whyrec"]
FORBIDDEN_EVERYWHERE = {"pickle", "marshal", "dill", "cloudpickle"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def sources(package: str):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ORDER)
def test_imports_point_down_only(package):
    allowed_above = set(ORDER[ORDER.index(package) + 1:])
    if package == "whyrec":
        allowed_above = set()
    for path in sources(package):
        bad = imports(path) & allowed_above
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}: imports run kg <- reasoning <- generation <- training"


@pytest.mark.parametrize("package", ["kg", "reasoning"])
def test_no_torch_below_generation(package):
    for path in sources(package):
        bad = imports(path) & {"torch", "transformers", "tokenizers", "safetensors"}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_no_pickle_or_eval_in_project_code():
    for package in ORDER:
        for path in sources(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert not (imports(path) & FORBIDDEN_EVERYWHERE), path
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                    assert node.func.id not in ("eval", "exec"), f"{path}: {node.func.id}()"
