"""The shape of the house: dependencies point one way, with no cycles and no dodges.

docs/architecture.md explains the layers; this test keeps the code to them.
It reads the product's source (it imports nothing) and fails on an import
that points up the layers, a cycle between modules, a function-local import
of the project's own modules, or any import of the development kit.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Top to bottom: a package may import those below it (and itself), never those above.
LAYERS = ["bot", "scheduler", "inbox", "handlers", "outbox", "core", "line", "models", "ita"]
PRODUCT = set(LAYERS)
DEV_ONLY = {"devkit", "tests", "bench"}
# Heavy optional libraries may be imported where they are used, to keep start-up light.
LOCAL_IMPORT_OK = {"matplotlib"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for package in LAYERS for p in sorted((ROOT / package).rglob("*.py"))}


def _imports(path: Path, modules: set[str]) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                # "from package import module" names the module; "from module import name" the module itself
                for alias in child.names:
                    submodule = f"{child.module}.{alias.name}"
                    found.append((submodule if submodule in modules else child.module, in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


def _all_imports() -> dict[str, tuple[Path, list[tuple[str, bool, int]]]]:
    sources = _sources()
    return {name: (path, _imports(path, set(sources))) for name, path in sources.items()}


def _graph() -> dict[str, set[str]]:
    found = _all_imports()
    return {name: {target for target, _, _ in imports if target in found and target != name}
            for name, (_path, imports) in found.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle found by a depth-first walk, as the modules around it."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            walk(start, [start])
    return cycles


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_imports_point_down_the_layers():
    wrong = []
    for name, (path, imports) in _all_imports().items():
        for target, _, line in imports:
            top = target.split(".")[0]
            if top in DEV_ONLY:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports the development kit or tests ({target})")
            elif top in PRODUCT and _layer(target) < _layer(name):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}, a layer above it")
    assert not wrong, "\n".join(wrong)


def test_no_function_local_imports_of_the_project():
    local = []
    for _name, (path, imports) in _all_imports().items():
        for target, in_function, line in imports:
            top = target.split(".")[0]
            if in_function and (top in PRODUCT or top in DEV_ONLY):
                local.append(f"{path.relative_to(ROOT)}:{line} imports {target} inside a function")
    assert not local, "\n".join(local)


def test_no_import_cycles():
    cycles = find_cycles(_graph())
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("heavy", sorted(LOCAL_IMPORT_OK))
def test_heavy_libraries_stay_out_of_the_webhook_path(heavy):
    """The web process imports the handlers: a chart library imported at module level would load on every start."""
    eager = [f"{path.relative_to(ROOT)}:{line}" for _name, (path, imports) in _all_imports().items()
             for target, in_function, line in imports if target.split(".")[0] == heavy and not in_function]
    assert not eager, "\n".join(eager)


def test_the_checker_finds_a_planted_cycle_and_knows_the_order():
    """The tests above can fail: a planted cycle is found, and the layers rank bot above models."""
    assert find_cycles({"models.a": {"models.b"}, "models.b": {"models.c"}, "models.c": {"models.a"}}) == [
        ["models.a", "models.b", "models.c", "models.a"]]
    assert find_cycles({"models.a": {"models.b"}, "models.b": set()}) == []
    assert _layer("bot.app") < _layer("models.plan") < _layer("ita.thai")
