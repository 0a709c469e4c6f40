"""A custom import-linter contract: no module imports another module's private name.

Registered in ``pyproject.toml`` (``[tool.importlinter] contract_types``) and run by
``lint-imports`` from the test suite. A name is private when it starts with one
underscore (``_helper``, ``_group_order``); a module is private when a component of
its dotted path does (``research.embed._cache``). The contract is broken when

* a module imports a private name from another module
  (``from research.trends._periods import _group_order``), or
* a module imports a private module from outside the package that holds it
  (``research.pipeline`` importing ``research.embed._cache``).

Private modules stay importable by their own package (``research.embed`` may import
``research.embed._cache``), and ``research._io`` by the whole package.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass

from importlinter import Contract, ContractCheck, fields, output

__all__ = ["PrivateNamesContract"]


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


@dataclass(frozen=True)
class _Violation:
    importer: str
    line: int
    imported: str
    why: str


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _owner_of_private(module: str) -> str | None:
    """Return the package that owns the first private component of ``module``, if any."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if _private(part):
            return ".".join(parts[:i])
    return None


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _check_module(importer: str, modules: set[str], root: str) -> list[_Violation]:
    spec = importlib.util.find_spec(importer)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return []
    is_package = spec.submodule_search_locations is not None
    with open(spec.origin, encoding="utf-8") as fh:
        tree = ast.parse(fh.read(), filename=spec.origin)
    found: list[_Violation] = []

    def check_module_path(target: str, line: int) -> None:
        owner = _owner_of_private(target)
        if owner is not None and not _inside(importer, owner):
            found.append(_Violation(importer, line, target,
                                    f"private module of {owner}, imported from outside it"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _inside(alias.name, root):
                    check_module_path(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(importer, is_package, node)
            if not _inside(target, root):
                continue
            check_module_path(target, node.lineno)
            for alias in node.names:
                if not _private(alias.name):
                    continue
                submodule = f"{target}.{alias.name}"
                if submodule in modules:
                    check_module_path(submodule, node.lineno)
                elif target != importer:
                    found.append(_Violation(importer, node.lineno, f"{target}.{alias.name}",
                                            "private name of another module"))
    return found


class PrivateNamesContract(Contract):
    """No module imports another module's private name or another package's private module.

    Configuration options:
        - root: the package whose modules are checked (e.g. ``research``).
    """

    root = fields.StringField()

    def check(self, graph, verbose: bool) -> ContractCheck:
        """Parse every module of ``root`` and collect the private imports."""
        root = str(self.root)
        modules = {m for m in graph.modules if _inside(m, root)}
        violations: list[_Violation] = []
        for module in sorted(modules):
            output.verbose_print(verbose, f"Checking private imports of {module}...")
            violations.extend(_check_module(module, modules, root))
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        """Print one line per violation."""
        for v in check.metadata["violations"]:
            output.print_error(f"{v.importer}:{v.line}: imports {v.imported} ({v.why})")
            output.new_line()
