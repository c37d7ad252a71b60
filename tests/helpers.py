"""Helpers the test modules share (plain functions; fixtures live in conftest.py)."""

import subprocess
import sys


def run_cli(*args, cwd=None, timeout=300):
    """``orbital-dc ARGS`` in a fresh interpreter, in ``cwd``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "constellations.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
