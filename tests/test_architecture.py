"""The layers of docs/design.md, checked: import-linter's contracts (pyproject.toml), no cycles.

The contracts: orbital/ imports neither constellations/ nor viz/; viz/ does not
import constellations/; studies/ imports none of orbital/, constellations/,
economics/ or viz/; inside constellations/ the layers run cli > present,
records, io > planner > stages > model > errors.  Function-level imports count.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "orbital": {"constellations", "viz"},
    "viz": {"constellations"},
    "studies": {"orbital", "constellations", "economics", "viz"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no modules found in {package}/"
    for path in files:
        bad = imported_packages(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_the_checker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from constellations.planner import plan\n")
    assert "constellations" in imported_packages(sample)


def test_no_assert_for_input_validation_in_the_package():
    for package in ("orbital", "constellations", "viz", "studies"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            asserts = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
            assert not asserts, f"{path.relative_to(ROOT)}:{asserts[0]} uses assert"


def test_sgp4_runs_its_compiled_extension():
    """The speed figures assume python-sgp4's C++ core, not its pure-Python fallback."""
    from sgp4.api import accelerated

    assert accelerated, "python-sgp4 fell back to pure Python: reinstall sgp4 from a wheel"


def test_import_linter_contracts_are_kept():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(lint).exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def import_cycles(*packages: str) -> list[list[str]]:
    """Sets of modules that import each other, directly or through others (function-level too)."""
    import grimp
    import networkx as nx

    graph = grimp.build_graph(*packages)
    edges = nx.DiGraph()
    for module in graph.modules:
        edges.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            edges.add_edge(module, imported)
    return [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]


def test_no_module_is_in_an_import_cycle():
    assert import_cycles("orbital", "constellations", "viz", "studies") == []


def test_the_cycle_finder_sees_a_cycle(tmp_path, monkeypatch):
    package = tmp_path / "cyclic_sample"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from cyclic_sample import b\n")
    (package / "b.py").write_text("from cyclic_sample import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("cyclic_sample") == [["cyclic_sample.a", "cyclic_sample.b"]]
