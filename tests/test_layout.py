"""The package's shape: stage folders, plain imports, no cycles, tools outside the pipeline.

Every check reads the source with ``ast``, so it sees what the type checker sees.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import pytest

from build_tools.store.ingest_cache import PACKAGE, pipeline_version

REPO = Path(__file__).resolve().parent.parent
STAGES = ("read", "extract", "tag", "store", "link", "site")
"""The pipeline's stage folders, in the order an article meets them."""
TOOL_MODULES = ("eval", "eval_tags", "eval_related", "train_cleaner", "bench", "gate")
"""Measuring tools: they live in ``quality/``, outside the hashed pipeline package."""


def modules(root: Path, package: str) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join([package, *parts])] = path
    return out


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``module`` imports, at any depth in the file (lazy imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, node, path.name == "__init__.py")
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    found.add(sub)
                elif target in known:
                    found.add(target)
    found.discard(module)
    return found


PIPELINE = modules(REPO / "build_tools", "build_tools")
GRAPH = {m: imports_of(m, p, set(PIPELINE)) for m, p in PIPELINE.items()}


def test_ls_build_tools_shows_the_stages() -> None:
    folders = {p.name for p in (REPO / "build_tools").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert set(STAGES) <= folders, f"missing stage folders: {sorted(set(STAGES) - folders)}"


def test_measuring_tools_live_outside_the_pipeline_package() -> None:
    stray = [m for m in PIPELINE if m.rsplit(".", 1)[-1] in TOOL_MODULES]
    assert not stray, f"{stray}: measuring tools belong in quality/, outside the hashed pipeline"
    assert not [m for m, deps in GRAPH.items() if any(d.startswith("quality") for d in deps)]
    tools = modules(REPO / "quality", "quality")
    assert {t for t in TOOL_MODULES if f"quality.{t}" in tools} == set(TOOL_MODULES)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (module -> modules it imports), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_pipeline() -> None:
    # A package's __init__ importing its own modules is not a cycle through them.
    graph = {m: {d for d in deps if not m.startswith(d + ".")} for m, deps in GRAPH.items()}
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def lookups_by_name(path: Path) -> list[str]:
    """``importlib.import_module``/``__import__`` calls, and ``getattr`` on a pipeline module
    (``getattr(os, "O_NONBLOCK", 0)``, a platform check on the standard library, is fine)."""
    tree = ast.parse(path.read_text("utf-8"))
    module_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
                    for a in n.names if a.name in PIPELINE}
    module_names |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                     for a in n.names if f"{n.module}.{a.name}" in PIPELINE}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in {"import_module", "__import__"}:
            found.append(f"{path.name}:{node.lineno}: {name}")
        elif name == "getattr" and node.args and isinstance(node.args[0], ast.Name) \
                and node.args[0].id in module_names:
            found.append(f"{path.name}:{node.lineno}: getattr({node.args[0].id}, ...)")
    return found


@pytest.mark.parametrize("module", sorted(PIPELINE), ids=sorted(PIPELINE))
def test_no_module_is_looked_up_by_name(module: str) -> None:
    assert lookups_by_name(PIPELINE[module]) == []


def test_lookup_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import importlib\nimport os\nfrom build_tools.tag import entities\n"
                   "x = importlib.import_module('a')\ny = getattr(entities, 'country_of')\nz = getattr(os, 'sep')\n")
    assert lookups_by_name(bad) == ["bad.py:4: import_module", "bad.py:5: getattr(entities, ...)"]


def test_pipeline_version_covers_the_package_recursively_and_the_vocabulary(tmp_path: Path) -> None:
    hashed = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert {"extract/clean.py", "tag/entities.py", "site/pages.py"} <= hashed
    vocab = tmp_path / "people.yaml"
    vocab.write_text("- name: A\n")
    before = pipeline_version((vocab,))
    vocab.write_text("- name: B\n")
    assert pipeline_version((vocab,)) != before
    assert pipeline_version(()) != before


def test_pipeline_version_covers_the_shipped_name_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retraining the name finder (build_tools/data/names_crf.bin) changes ingest's output: a new key."""
    from build_tools.store import ingest_cache

    model = PACKAGE / "data" / "names_crf.bin"
    assert model.is_file()
    before = pipeline_version(())
    real = Path.read_bytes

    def retrained(path: Path) -> bytes:
        return real(path) + b"retrained" if path == model else real(path)

    monkeypatch.setattr(ingest_cache.Path, "read_bytes", retrained)
    assert pipeline_version(()) != before


# --- dependencies: what the code imports is declared, what is declared is imported ------------

OPTIONAL_EXTRAS = {"dask": "build_tools.distributed"}
"""Extra -> the one pipeline module that may import its packages (at its top: it is the optional
part). The rest of the pipeline imports that module only inside a function (the CLI, when
``--scheduler`` is given), so the package works without the extra and says what to install."""

DECLARED_FOR_A_REASON = {
    "click": "pinned, not imported: newer click silently disables mkdocs serve's live reload",
    "mkdocs-material": "the theme, named in mkdocs.yml",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(reqs: list[str]) -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in reqs}  # type: ignore[union-attr]


def declared() -> tuple[set[str], set[str]]:
    """(distribution names of the package's dependencies, of the test extra), canonical."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return requirement_names(project["dependencies"]), requirement_names(project["optional-dependencies"]["test"])


def extra(name: str) -> set[str]:
    """Distribution names of one optional extra, canonical."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    return requirement_names(project["optional-dependencies"][name])


def third_party_imports(root: Path) -> set[str]:
    """Top-level modules imported by the files under ``root`` that are neither standard library
    nor ours; imports under ``if TYPE_CHECKING:`` do not count."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    for path in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
        visit(ast.parse(path.read_text("utf-8")))
    return {m for m in found if m not in sys.stdlib_module_names and m not in ("build_tools", "quality")}


@functools.cache
def owners_of_modules() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def distributions(modules: set[str]) -> set[str]:
    owners = owners_of_modules()
    return {canonical(d) for m in modules for d in owners.get(m, [m])}


def test_every_imported_package_is_declared() -> None:
    package, test_extra = declared()
    optional = {PIPELINE[m] for m in OPTIONAL_EXTRAS.values()}
    required = set().union(*(third_party_imports(p) for p in PIPELINE.values() if p not in optional))
    undeclared = distributions(required) - package
    assert not undeclared, f"build_tools imports {sorted(undeclared)}: declare them in pyproject.toml dependencies"
    for name, module in OPTIONAL_EXTRAS.items():
        undeclared = distributions(third_party_imports(PIPELINE[module])) - package - extra(name)
        assert not undeclared, f"{module} imports {sorted(undeclared)}: declare them in the [{name}] extra"
        tests_take = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["test"]
        assert f"briefing-archive[{name}]" in tests_take, f"the test extra must take the [{name}] extra, so CI runs its tests"
    undeclared = distributions(third_party_imports(REPO / "quality")) - package - test_extra
    assert not undeclared, f"quality imports {sorted(undeclared)}: declare them in pyproject.toml (test extra)"


def test_every_declared_package_is_imported() -> None:
    package, _ = declared()
    used = distributions(third_party_imports(REPO / "build_tools") | third_party_imports(REPO / "quality"))
    unused = package - used - set(DECLARED_FOR_A_REASON)
    assert not unused, f"{sorted(unused)} declared in pyproject.toml but imported nowhere: remove them"
def test_readers_are_only_used_to_read() -> None:
    """``read/`` reads inputs; the helpers every stage shares live in ``build_tools.text``."""
    users = {m for m, deps in GRAPH.items() if not m.startswith("build_tools.read")
             and any(d.startswith("build_tools.read") for d in deps)}
    assert users <= {"build_tools.cli", "build_tools.ingest", "build_tools.process"}, users


def eager_imports(path: Path, module: str) -> list[int]:
    """Lines of ``path`` that import ``module`` when the file is imported: at module level, outside
    ``if TYPE_CHECKING:`` (an import inside a function runs only when it is called)."""
    lines: list[int] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        if isinstance(node, ast.Import) and any(a.name == module for a in node.names):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module == module or (
                node.module == module.rsplit(".", 1)[0] and any(a.name == module.rsplit(".", 1)[1] for a in node.names))):
            lines.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return lines


@pytest.mark.parametrize("extra_name", sorted(OPTIONAL_EXTRAS))
def test_optional_extras_are_imported_only_when_asked_for(extra_name: str) -> None:
    """Only the extra's module imports its packages, and no other module imports it eagerly: the
    pipeline runs without the extra (the CLI says what to install when it is needed)."""
    module = OPTIONAL_EXTRAS[extra_name]
    packages = extra(extra_name)
    users = sorted(m for m, p in PIPELINE.items() if m != module and distributions(third_party_imports(p)) & packages)
    assert users == [], f"{users} import the [{extra_name}] extra's packages: only {module} may"
    eager = [f"{m}:{line}" for m, p in sorted(PIPELINE.items()) for line in eager_imports(p, module)]
    assert eager == [], f"{eager} import {module} at module level: import it inside the function that needs it"


def test_eager_import_check_can_fail(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("from typing import TYPE_CHECKING\nfrom build_tools import distributed\n"
                   "if TYPE_CHECKING:\n    from build_tools.distributed import Cluster\n"
                   "def f():\n    from build_tools.distributed import Cluster\n"
                   "import build_tools.distributed\n")
    assert eager_imports(src, "build_tools.distributed") == [2, 7]
