"""Helpers the test modules share (plain functions; fixtures live in conftest.py)."""

import subprocess
import sys
from pathlib import Path

#: The repository: tests live one or two folders below it.
ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None, timeout=300):
    """``orbital-dc ARGS`` in a fresh interpreter, in ``cwd``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "constellations.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
