"""The package's architecture, checked from its imports (read with ``ast``, nothing imported).

Imports flow one way, down this list of layers: the command line and the web app, the Spark
jobs, the corpus, inputs and learning, the extractor, and the shared schema and errors.
Nothing under ``saidwhat/extraction/`` imports the corpus, Spark, web or CLI packages, and
no two modules import each other, directly or round a longer circle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "saidwhat"

#: each package's layer; a module may import its own package and lower layers only
LAYERS = {
    "errors": 0, "schema": 0,
    "extraction": 1,
    "learning": 2, "inputs": 2,
    "corpus": 3,
    "spark": 4, "web": 4,
    "cli": 5,
}
#: files run as programs or kept as old import paths: they stand above every layer
ENTRY_POINTS = {"saidwhat", "saidwhat.store", "saidwhat.nlp", "saidwhat.spark.__main__",
                "saidwhat.spark.submit", "saidwhat.cli.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The saidwhat modules ``path`` imports (at any depth: function-level imports count)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "saidwhat")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "saidwhat":
                continue
            for alias in node.names:  # "from . import linking" imports a module
                sub = f"{target}.{alias.name}"
                found.add(sub if (PACKAGE.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / sub.replace(".", "/")).is_dir() else target)
    found.discard(name)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: imports(path) for name, path in MODULES.items()}


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_the_graph_was_read():
    assert len(MODULES) > 40
    assert "saidwhat.extraction.extractor" in GRAPH["saidwhat.inputs.batch"]
    assert "saidwhat.corpus.linking" in GRAPH["saidwhat.corpus.writer"]  # "from . import linking"


def test_every_module_belongs_to_a_layer():
    assert [m for m in MODULES if m not in ENTRY_POINTS and layer(m) is None] == []


@pytest.mark.parametrize("name", [m for m in MODULES if m not in ENTRY_POINTS])
def test_imports_flow_down(name):
    own = name.split(".")[1]
    upward = [m for m in GRAPH[name] if m.split(".")[1] != own
              and (m in ENTRY_POINTS or layer(m) is None or layer(m) >= layer(name))]
    assert upward == [], f"{name} imports from its own layer or above: {upward}"


def test_extraction_imports_nothing_of_the_corpus_spark_web_or_cli():
    for name, targets in GRAPH.items():
        if name.startswith("saidwhat.extraction"):
            bad = [t for t in targets if t.split(".")[1] in ("corpus", "spark", "web", "cli")]
            assert bad == [], f"{name} imports {bad}"


def test_no_import_circles():
    # Tarjan's strongly connected components: any with two or more modules is a circle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in GRAPH.get(v, ()):
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert circles == []


def test_the_checks_catch_a_circle_and_an_upward_import(tmp_path, monkeypatch):
    """The two checks above fail on a graph that has what they look for."""
    monkeypatch.setitem(GRAPH, "saidwhat.extraction.quotes",
                        GRAPH["saidwhat.extraction.quotes"] | {"saidwhat.extraction.statements"})
    with pytest.raises(AssertionError):
        test_no_import_circles()
    monkeypatch.setitem(GRAPH, "saidwhat.extraction.quotes", {"saidwhat.corpus.store"})
    with pytest.raises(AssertionError):
        test_imports_flow_down("saidwhat.extraction.quotes")
    with pytest.raises(AssertionError):
        test_extraction_imports_nothing_of_the_corpus_spark_web_or_cli()


def test_top_level_is_small():
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 6, top


def test_old_import_paths_still_work_with_a_deprecation_warning():
    import importlib
    import sys

    from saidwhat.corpus import Store
    from saidwhat.extraction.pipeline import load_pipeline

    for name, attr, expected in (("saidwhat.store", "Store", Store), ("saidwhat.nlp", "load_pipeline", load_pipeline)):
        sys.modules.pop(name, None)
        with pytest.warns(DeprecationWarning, match=name):
            module = importlib.import_module(name)
        assert getattr(module, attr) is expected
    import saidwhat

    assert saidwhat.extract is saidwhat.extraction.extractor.extract
