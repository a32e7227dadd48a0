"""The layout: each stage one package, imports running one way (downwards), and no cycles.

A small check over the package's own imports (ast, no dependency): every `import` of a
`cleaner` module, at module level or inside a function, is an edge. A module may import
from its own layer or a lower one; the module graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

# lowest first; a module's layer is its package (or its name, for top-level modules)
LAYERS: list[tuple[str, ...]] = [
    ("errors", "model", "text", "dates", "version", "cache"),  # shared vocabulary
    ("inputs",),  # read, decode
    ("extract",),  # HTML to blocks, page metadata
    ("strip",),  # rules, heuristics
    ("structure",),  # segment, headline, dateline, language
    ("outputs",),  # writers
    ("corpus",),  # dedup, repeated lines, the corpus-wide plan, tallies
    ("run",),  # the page step, the engines, the run
    ("tools",),  # explain, report, suggest, eval
    ("cli", "__init__", "__main__"),  # the command line (also `python -m cleaner`) and the public API
]
LAYER_OF = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a `from pkg import mod` names the module)."""
    root = package.name
    modules = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from pkg import mod` depends on mod; `from mod import name` on mod
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.append(sub if sub in modules else node.module)
            for target in targets:
                if target.split(".")[0] == root and target in modules and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def layer(module: str) -> int:
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "__init__"
    if key not in LAYER_OF:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS in tests/test_layout.py")
    return LAYER_OF[key]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{src} (layer {layer(src)}) imports {dst} (layer {layer(dst)})"
        for src, dsts in graph.items()
        for dst in dsts
        if layer(dst) > layer(src)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle():
    assert cycles(import_graph(ROOT / "cleaner")) == []


def test_no_module_imports_from_a_higher_layer():
    assert upward_imports(import_graph(ROOT / "cleaner")) == []


def test_every_module_is_in_a_layer():
    for module in import_graph(ROOT / "cleaner"):
        layer(module)


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "cleaner"
    for rel, text in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_the_check_finds_a_cycle_put_back(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "run/__init__.py": "",
            "run/page.py": "def clean_page(): ...\n",
            "run/engine.py": "from cleaner.run.page import clean_page\n",
        },
    )
    assert cycles(import_graph(package)) == []
    # the page step reaching back to the engine, inside a function, as pipeline.py once did
    (package / "run" / "page.py").write_text("def clean_page():\n    from cleaner.run import engine\n")
    assert cycles(import_graph(package)) == [["cleaner.run.engine", "cleaner.run.page"]]


def test_the_check_finds_a_stage_importing_a_tool(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "corpus/__init__.py": "",
            "corpus/plan.py": "from cleaner.tools.report import SiteTally\n",
            "tools/__init__.py": "",
            "tools/report.py": "class SiteTally: ...\n",
        },
    )
    graph = import_graph(package)
    assert cycles(graph) == []
    assert upward_imports(graph) == ["cleaner.corpus.plan (layer 6) imports cleaner.tools.report (layer 8)"]


def test_a_module_outside_every_layer_is_named(tmp_path):
    package = _package(tmp_path, {"__init__.py": "", "misc/__init__.py": "", "misc/util.py": ""})
    with pytest.raises(AssertionError, match="cleaner.misc"):
        for module in import_graph(package):
            layer(module)
