"""The house keeps its shape: rooms by capability, imports pointing one way, no circles.

Built from the source with `ast`, so a lazy import inside a function counts as much as one at the
top of a module: both are a dependency a reader has to hold in their head.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.fixtures import REPO

PACKAGE = REPO / "hooks" / "lawguide"
# Lower number = nearer the ground. A module may import its own room or any room below it;
# rooms of the same rank are peers and may not import each other.
RANKS = {"core": 0, "content": 1, "links": 2, "lawchange": 2, "render": 3, "guide": 4, "tools": 5, "cli": 6}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every lawguide module this file imports, with the line, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "lawguide"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != "lawguide":
                continue
            # `from lawguide.content import urls` imports a module, not a name
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append((candidate if _is_module(candidate) else target, node.lineno))
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").exists() or (PACKAGE / rel / "__init__.py").exists()


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def graph() -> dict[str, set[str]]:
    return {module_name(p): {m for m, _ in imports_of(p) if m != module_name(p)} for p in modules()}


def test_every_module_is_in_a_room_with_a_rank():
    homeless = sorted({room(module_name(p)) for p in modules()} - set(RANKS) - {""})
    assert homeless == [], f"give these rooms a rank in RANKS: {homeless}"


def test_imports_point_down_the_house():
    upward = []
    for path in modules():
        here = module_name(path)
        if room(here) == "":
            continue  # lawguide/__init__.py: a docstring and the version
        for target, line in imports_of(path):
            there = room(target)
            if there == room(here) or there == "":
                continue
            if RANKS[there] >= RANKS[room(here)]:
                upward.append(f"{path.relative_to(REPO)}:{line}: {here} imports {target} "
                              f"({room(here)} may only import rooms below it)")
    assert upward == []


def test_no_import_cycles_between_modules():
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt in edges and state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if state.get(node) is None:
            visit(node)
    assert cycles == []


def test_the_core_never_imports_the_engine():
    engine = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            engine += [f"{path.relative_to(REPO)}:{node.lineno}" for n in names if n.split(".")[0] in ("mkdocs", "material")]
    assert engine == []


@pytest.mark.parametrize("package", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_each_room_says_in_one_line_what_lives_there(package):
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "\n" not in doc.strip(), f"hooks/lawguide/{package}/__init__.py needs a one-line docstring"


def test_the_checker_finds_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a tiny fake house with a circle and an upward import."""
    fake = tmp_path / "lawguide"
    (fake / "core").mkdir(parents=True)
    (fake / "render").mkdir()
    for folder in (fake, fake / "core", fake / "render"):
        (folder / "__init__.py").write_text('"""A room."""\n', encoding="utf-8")
    (fake / "core" / "a.py").write_text("from lawguide.render import b\n", encoding="utf-8")
    (fake / "render" / "b.py").write_text("from lawguide.core import a\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    monkeypatch.setattr(__import__(__name__, fromlist=["REPO"]), "REPO", tmp_path)
    with pytest.raises(AssertionError, match="core may only import rooms below it"):
        test_imports_point_down_the_house()
    with pytest.raises(AssertionError, match="lawguide.core.a"):
        test_no_import_cycles_between_modules()
