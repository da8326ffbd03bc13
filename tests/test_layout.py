"""The layout's rules, checked on the source: stages import downward only,
Whoosh only inside its engine package, and its private names only as listed."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import whoosh

from search.engine.whoosh.internals import PRIVATE, WHOOSH_VERSION

PACKAGE = Path(__file__).parents[1] / "search"
ENGINE = PACKAGE / "engine" / "whoosh"

LAYERS = [
    {"errors", "model", "fields", "deadline", "files"},
    {"text"},
    {"ingest"},
    {"query"},
    {"engine"},
    {"index"},
    {"explore", "interop", "evaluate"},
    {"render"},
    {"archive"},
    {"cli", "web", "__init__", "__main__"},
]
"""The data's way, lowest first: a module may import its own layer's and those below."""


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        yield name, ast.parse(path.read_text("utf-8"), str(path))


def _imports(name: str, tree: ast.Module, typing_too: bool) -> Iterator[str]:
    """The absolute names a module imports (those under `if TYPE_CHECKING:` only with `typing_too`)."""
    skipped = (
        set()
        if typing_too
        else {id(node) for block in ast.walk(tree) if _typing_block(block) for node in ast.walk(block)}
    )
    package = name.split(".")[:-1]  # a module's package; for an __init__, its own
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            yield ".".join([*base, node.module] if node.module else base)


def _typing_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _layer(module: str) -> int:
    stage = module.split(".")[1] if "." in module else "__init__"
    return next(n for n, layer in enumerate(LAYERS) if stage in layer)


def test_only_the_engine_package_imports_whoosh() -> None:
    found = [
        f"{name} imports {imported}"
        for name, tree in _modules()
        if not name.startswith("search.engine.whoosh")
        for imported in _imports(name, tree, typing_too=True)
        if imported.split(".")[0] == "whoosh"
    ]
    assert found == []


def test_stages_import_only_downward() -> None:
    upward = [
        f"{name} imports {imported}"
        for name, tree in _modules()
        for imported in _imports(name, tree, typing_too=False)
        if imported.startswith("search.") and _layer(imported) > _layer(name)
    ]
    assert upward == []


def test_every_stage_has_a_layer() -> None:
    stages = {
        path.stem if path.is_file() else path.name
        for path in PACKAGE.iterdir()
        if path.suffix == ".py" or (path / "__init__.py").is_file()
    }
    assert stages <= set().union(*LAYERS)


def _private_names(tree: ast.Module) -> set[str]:
    """`x._name` read where `x` is not `self` or `cls` (the package's own
    objects keep their privates to themselves), and `_names` imported from Whoosh."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not _own(node):
            names.add(node.attr)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            names.update(alias.name for alias in node.names if alias.name.startswith("_"))
    return names


def _own(node: ast.Attribute) -> bool:
    """A dunder, or a name read on `self` or `cls`."""
    return node.attr.startswith("__") or (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))


def test_whooshs_private_names_are_listed_once_with_their_version() -> None:
    trees = [ast.parse(path.read_text("utf-8")) for path in ENGINE.glob("*.py") if path.name != "internals.py"]
    read = set().union(*map(_private_names, trees))
    self_read = {"_fpath"}  # a private method of the storage class we extend, called on self
    assert read | self_read == set(PRIVATE)
    assert whoosh.versionstring() == WHOOSH_VERSION


def test_import_search_does_not_start_whoosh() -> None:
    run = "import sys, search; print(sorted(m for m in sys.modules if m.startswith('whoosh')))"
    result = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
