"""The import graph of ``pipeline``: no cycles, and the stages import only the stages before them.

The graph is read from the source with ``ast`` (nothing is imported, so the
test takes a fraction of a second). Every ``import`` and ``from ... import``
counts, wherever it stands: an import inside a function (done late to save
load time) still ties the two modules together. An edge goes to the deepest
module the statement names: ``from pipeline.parse.places import lists`` is an
edge to ``pipeline.parse.places.lists``, ``from pipeline.parse.places import
Claims`` one to the package ``pipeline.parse.places`` (its ``__init__``).
Modules outside the package (the standard library, spaCy, ``schemas``) are
left out.

A cycle is a strongly connected component of more than one module (Tarjan);
the failure message gives its modules and one closed path through them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

Graph = dict[str, set[str]]

LAYERS: tuple[tuple[str, str], ...] = (
    ("parse", "normalise"),
    ("parse", "run"),
    ("parse", "cli"),
    ("formats", "ingest"),
    ("normalise", "cli"),
    ("normalise", "run"),
    ("formats", "cli"),
    ("formats", "run"),
)
"""(importer, imported) subpackages or modules of the package: no module under the first imports the second.
A later stage may import an earlier one (normalise uses parse helpers), never the other way round."""


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file of ``root/package`` (a package is its ``__init__``)."""
    out = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def import_graph(root: Path, package: str) -> Graph:
    """Module -> the modules of ``package`` it imports (see the module docstring for what counts)."""
    files = module_files(root, package)

    def known(name: str) -> str | None:
        """The deepest module of the package that ``name`` is or lies in ("pipeline.x.func" -> "pipeline.x")."""
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: Graph = {}
    for module, path in files.items():
        here = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(known(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: "." is this package, ".." its parent
                    parents = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*parents, base] if base else parents)
                targets.update(known(f"{base}.{alias.name}") or known(base) for alias in node.names)
        graph[module] = targets - {None, module}
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module, each sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def closed_path(graph: Graph, component: list[str]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph[v] & members):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if w not in came_from:
                came_from[w] = v
                queue.append(w)
    return component


def layer_violations(graph: Graph, package: str, layers=LAYERS) -> list[str]:
    """``importer -> imported`` for every edge that goes against ``layers``."""

    def under(module: str, part: str) -> bool:
        prefix = f"{package}.{part}"
        return module == prefix or module.startswith(prefix + ".")

    return [
        f"{module} -> {target} ({lower} must not import {upper})"
        for module in sorted(graph)
        for target in sorted(graph[module])
        for lower, upper in layers
        if under(module, lower) and under(target, upper)
    ]


def _report(graph: Graph, found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join(
        f"  {', '.join(c)}\n    e.g. {' -> '.join(closed_path(graph, c))}" for c in found
    )


@pytest.fixture(scope="module")
def pipeline_graph() -> Graph:
    return import_graph(ROOT, "pipeline")


def test_the_graph_sees_the_package(pipeline_graph):
    assert {"pipeline.ingest", "pipeline.parse.nlp", "pipeline.normalise"} <= set(pipeline_graph)
    assert "pipeline.formats" in pipeline_graph["pipeline.ingest"]
    assert "pipeline.parse.owners" in pipeline_graph["pipeline.normalise"]


def test_no_import_cycles(pipeline_graph):
    found = cycles(pipeline_graph)
    assert not found, _report(pipeline_graph, found)


def test_stages_import_only_earlier_stages(pipeline_graph):
    violations = layer_violations(pipeline_graph, "pipeline")
    assert not violations, "imports against the layering:\n  " + "\n  ".join(violations)


def _write_package(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


_LAZY_BACK = "def f():\n    from pkg.a import x\n"
SYNTHETIC = [
    pytest.param({"a.py": "import pkg.b\n", "b.py": "import pkg.a\n"}, [["pkg.a", "pkg.b"]], id="absolute"),
    pytest.param({"a.py": "from pkg import b\n", "b.py": _LAZY_BACK}, [["pkg.a", "pkg.b"]], id="lazy-in-function"),
    pytest.param({"a.py": "from .b import y\n", "b.py": "from . import c\n", "c.py": "from .a import x\n"},
                 [["pkg.a", "pkg.b", "pkg.c"]], id="relative-three"),
    pytest.param({"sub/__init__.py": "from pkg.sub.m import y\n", "sub/m.py": "from ..sub import z\n"},
                 [["pkg.sub", "pkg.sub.m"]], id="through-package-init"),
    pytest.param({"a.py": "import pkg.b\nimport os\n", "b.py": "from pkg.c import x\n", "c.py": "import json\n"},
                 [], id="no-cycle"),
]


@pytest.mark.parametrize(("files", "expected"), SYNTHETIC)
def test_a_synthetic_cycle_is_reported(tmp_path, files, expected):
    _write_package(tmp_path / "pkg", {"__init__.py": "", **files})
    graph = import_graph(tmp_path, "pkg")
    assert cycles(graph) == expected
    for component in expected:
        path = closed_path(graph, component)
        assert path[0] == path[-1] and set(path) == set(component)
        assert all(b in graph[a] for a, b in zip(path, path[1:]))


def test_a_synthetic_layer_violation_is_reported(tmp_path):
    _write_package(tmp_path / "pkg", {
        "__init__.py": "",
        "parse/__init__.py": "",
        "parse/x.py": "def f():\n    from pkg.normalise.y import g\n",
        "normalise/__init__.py": "from pkg.parse import x\n",
        "normalise/y.py": "",
        "formats/r.py": "from pkg.ingest import IngestError\n",
        "ingest.py": "from pkg.formats import r\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert layer_violations(graph, "pkg") == [
        "pkg.formats.r -> pkg.ingest (formats must not import ingest)",
        "pkg.parse.x -> pkg.normalise.y (parse must not import normalise)",
    ]
    assert cycles(graph) == [["pkg.formats.r", "pkg.ingest"]]


def test_the_main_process_of_a_parallel_run_never_imports_spacy():
    """Workers parse; the main process reads, normalises and writes. spaCy costs it ~80 MB of memory it never uses
    (the places package and the declared figures once pulled it in through normalisation)."""
    code = (
        "import sys, pipeline.run, pipeline.normalise, pipeline.normalise.cog, pipeline.normalise.communes,"
        " pipeline.normalise.departements, pipeline.derive, pipeline.neardup, pipeline.coverage;"
        " print('spacy' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
