"""The layers of shared/DESIGN.md, checked: orbital/ -> constellations/ -> viz/, imports one way."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "orbital": {"constellations", "viz"},
    "viz": {"constellations"},
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
    sample.write_text("def f():\n    from constellations.plan import plan\n")
    assert "constellations" in imported_packages(sample)


def test_no_assert_for_input_validation_in_the_package():
    for package in ("orbital", "constellations", "viz"):
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text())
            asserts = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Assert)]
            assert not asserts, f"{path.relative_to(ROOT)}:{asserts[0]} uses assert"


def test_sgp4_runs_its_compiled_extension():
    """The speed figures assume python-sgp4's C++ core, not its pure-Python fallback."""
    from sgp4.api import accelerated

    assert accelerated, "python-sgp4 fell back to pure Python: reinstall sgp4 from a wheel"
