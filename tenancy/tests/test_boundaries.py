"""tenancy keeps its two boundaries: private parts of its backends only in stores.internals, and
no client-facing error from kernel.errors but the lost database (tenancy.driver_errors)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

TENANCY = Path(__file__).resolve().parents[1]
INTERNALS = TENANCY / "stores" / "internals.py"
BACKENDS = ("litemongo", "mongomock")
PUBLIC_IMPORTS = {"litemongo", "mongomock"}  # the packages themselves: connect(), MongoClient()
# tenancy may raise kernel.errors.Unavailable for a database it cannot reach (every store call
# can meet that, and it is the kernel's own error, not an app's); nothing else.
KERNEL_ERRORS_ALLOWED = {"Unavailable"}


def _package_files(name: str) -> list[Path]:
    return sorted(Path(importlib.util.find_spec(name).origin).parent.rglob("*.py"))


def _private_names() -> set[str]:
    """Every ``_name`` (not dunder) litemongo and mongomock define on their classes or objects."""
    names: set[str] = set()
    for package in BACKENDS:
        for path in _package_files(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            names.add(item.name)
                        elif isinstance(item, ast.Assign):
                            names |= {t.id for t in item.targets if isinstance(t, ast.Name)}
                elif (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "self"
                ):
                    names.add(node.attr)
    # "_id" is also every MongoDB document's key field, named everywhere on purpose.
    return {n for n in names if n.startswith("_") and not n.startswith("__")} - {"_id"}


PRIVATE = _private_names()


class _Reach(ast.NodeVisitor):
    """Private names of the backends read, written or named in one module."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self._classes = 0

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes += 1
        self.generic_visit(node)
        self._classes -= 1

    def visit_Attribute(self, node: ast.Attribute) -> None:
        own = self._classes and isinstance(node.value, ast.Name) and node.value.id == "self"
        if node.attr in PRIVATE and not own:
            self.found.append(f"line {node.lineno}: .{node.attr}")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node.value in PRIVATE:
            self.found.append(f"line {node.lineno}: {node.value!r}")

    def visit_Import(self, node: ast.Import) -> None:
        self._imports([alias.name for alias in node.names], node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self._imports([node.module or ""], node.lineno)

    def _imports(self, modules: list[str], line: int) -> None:
        for module in modules:
            if module.split(".")[0] in BACKENDS and module not in PUBLIC_IMPORTS:
                self.found.append(f"line {line}: import {module}")


def _reach(source: str) -> list[str]:
    visitor = _Reach()
    visitor.visit(ast.parse(source))
    return visitor.found


def _modules() -> list[Path]:
    return [p for p in sorted(TENANCY.rglob("*.py")) if "tests" not in p.parts and p != INTERNALS]


def test_the_scan_knows_the_backends_private_names():
    assert {"_store", "_collections", "_compute_results", "_dirpath", "_documents"} <= PRIVATE


@pytest.mark.parametrize(
    "source",
    [
        "def f(db):\n    return db._store._collections\n",
        "def f(cls):\n    cls._get_query_index = None\n",
        "def f(c):\n    return getattr(c, '_connection', None)\n",
        "from litemongo._vendor.mongomock import filtering\n",
        "from litemongo.sqlite_store import CollectionStore\n",
        "def _next(self):\n    return self._compute_results()\n",
    ],
)
def test_the_scan_catches_each_kind_of_reach(source):
    assert _reach(source)


def test_our_own_private_attributes_are_not_reach():
    assert _reach("class A:\n    def f(self):\n        return self._store\n") == []


def test_no_module_but_internals_reaches_into_litemongo_or_mongomock():
    found = {
        str(path.relative_to(TENANCY)): reach
        for path in _modules()
        if (reach := _reach(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_tenancy_takes_no_client_facing_error_from_kernel_errors():
    found = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "kernel.errors":
                extra = {a.name for a in node.names} - KERNEL_ERRORS_ALLOWED
                if extra:
                    found[str(path.relative_to(TENANCY))] = sorted(extra)
            elif isinstance(node, ast.Import) and "kernel.errors" in {a.name for a in node.names}:
                found[str(path.relative_to(TENANCY))] = ["kernel.errors"]
    assert found == {}
