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


def reuse_plans(monkeypatch, plans: dict) -> None:
    """Make ``constellations.planner.plan`` return ``plans[constellation.name]`` whatever stages
    a command asks for (each command shows only its own tables of it): for tests of what the
    commands print, with each plan made once.  A constellation not in ``plans`` is planned
    in full on first use, and kept there."""
    import constellations.planner as planner

    real_plan = planner.plan

    def plan(constellation, stages=None, **options):
        if constellation.name not in plans:
            plans[constellation.name] = real_plan(constellation)
        return plans[constellation.name]

    monkeypatch.setattr(planner, "plan", plan)
