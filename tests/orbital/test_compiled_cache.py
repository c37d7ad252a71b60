"""Where numba's compiled loops are cached (orbital.compiled): where Python caches bytecode.

A fresh interpreter, in an empty working folder with an empty home, compiles the greedy
matching's scan: numba is not imported with the module nor for a small input; the compiled
code lands in the package's ``__pycache__`` (beside the module's ``.pyc``), never in the
working folder or the home; under ``python -B`` nothing is cached; ``NUMBA_CACHE_DIR`` is
used when it can be written.
"""

import os
import subprocess
import sys
from pathlib import Path

import orbital
from orbital import compiled

PROBE = """
import sys
from orbital import compiled, greedy_matching
print("numba on import:", "numba" in sys.modules)
print(greedy_matching.greedy_b_matching([0, 1], [1, 2], [2.0, 1.0], [1, 1, 1]).tolist())
print("numba after a small input:", "numba" in sys.modules)
greedy_matching.COMPILE_FROM_CANDIDATES = 0
greedy_matching._large_inputs_uncompiled[0] = 1
greedy_matching.ROUNDS_FROM_CANDIDATES = 10**9
print(greedy_matching.greedy_b_matching([0, 1], [1, 2], [2.0, 1.0], [1, 1, 1]).tolist())
print("compiled:", greedy_matching._compiled_scan.cache_info().currsize)
print("cached:", compiled.cache_compiled(greedy_matching.__file__))
"""


def run_probe(tmp_path: Path, *flags: str, env_extra=None) -> tuple[list[str], Path, Path]:
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NUMBA_CACHE_DIR", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), **(env_extra or {}))
    run = subprocess.run(
        [sys.executable, *flags, "-W", "error", "-c", PROBE],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no warning from numba either
    return run.stdout.splitlines(), cwd, home


def numba_cache_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.nbi")) + sorted(folder.rglob("*.nbc"))


def scan_cache_files(folder: Path) -> list[Path]:
    return [p for p in numba_cache_files(folder) if p.name.startswith("greedy_matching._scan")]


def test_compiled_code_is_cached_beside_the_bytecode_never_in_cwd_or_home(tmp_path):
    pycache = Path(orbital.__file__).parent / "__pycache__"
    lines, cwd, home = run_probe(tmp_path)
    assert lines == [
        "numba on import: False",
        "[False, True]",
        "numba after a small input: False",
        "[False, True]",
        "compiled: 1",
        "cached: True",
    ]
    assert numba_cache_files(cwd) == [], "cache written in the working folder"
    assert numba_cache_files(home) == [], "cache written in the home folder"
    assert scan_cache_files(pycache), "nothing cached beside the module's bytecode"


def test_no_cache_when_python_writes_no_bytecode(tmp_path):
    lines, cwd, home = run_probe(tmp_path, "-B")
    assert lines[-1] == "cached: False"
    assert numba_cache_files(cwd) == [] and numba_cache_files(home) == []


def test_numba_cache_dir_is_used_when_it_can_be_written(tmp_path):
    folder = tmp_path / "numba-cache"
    lines, _, home = run_probe(tmp_path, env_extra={"NUMBA_CACHE_DIR": str(folder)})
    assert lines[-1] == "cached: True"
    assert scan_cache_files(folder), "nothing cached in NUMBA_CACHE_DIR"
    assert numba_cache_files(home) == []


def test_folders_that_cannot_be_made_mean_no_cache(tmp_path, monkeypatch):
    import numba

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert not compiled.disk_cache_wanted(str(blocker / "numba"))
    assert not compiled.disk_cache_wanted("")
    assert compiled.disk_cache_wanted(str(tmp_path / "numba"))
    # A package whose __pycache__ cannot be made: numba would fall back to the home folder.
    package = tmp_path / "package"
    package.mkdir()
    (package / "__pycache__").write_text("")  # a file where the folder would go
    monkeypatch.setattr(numba.config, "CACHE_DIR", "")
    assert not compiled.cache_compiled(str(package / "module.py"))
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(blocker / "numba"))
    assert not compiled.cache_compiled(str(tmp_path / "module.py"))
