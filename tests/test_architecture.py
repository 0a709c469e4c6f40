"""The package's architecture: layers, private names, subpackage contracts, module sizes."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "research"
SUBPACKAGES = ["corpus", "text", "embed", "topics", "annotate", "themes", "trends", "plotting",
               "pipeline", "validation"]


def test_import_contracts_are_kept():
    """`lint-imports` (layers, no cycles, no private imports) passes: see pyproject.toml."""
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is a dev dependency (pip install -e '.[dev]')"
    out = subprocess.run([exe, "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 kept, 0 broken" in out.stdout


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_subpackage_states_its_contract_and_public_names(name):
    module = importlib.import_module(f"research.{name}")
    assert module.__doc__ and len(module.__doc__.split()) > 20
    assert module.__all__, f"research.{name} declares no public names"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"research.{name}.__all__ names undefined {missing}"
    # private modules only: every public name has one path, the subpackage's
    children = [p.stem for p in (PACKAGE / name).glob("*.py") if p.stem != "__init__"]
    assert all(c.startswith("_") for c in children), children


def test_modules_stay_readable():
    too_long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 550}
    assert not too_long, f"modules over ~500 lines: {too_long}"


def test_nothing_heavy_at_import():
    code = ("import sys, research, research.pipeline, research.figures, research.cli;"
            "heavy = {'torch', 'bertopic', 'umap', 'hdbscan', 'matplotlib',"
            " 'sentence_transformers'};"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tests_import_only_public_names():
    """No test reaches into a private module or name of the package."""
    offenders = []
    for path in (ROOT / "tests").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("research"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if any(p.startswith("_") for p in node.module.split(".")) or private:
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, offenders
