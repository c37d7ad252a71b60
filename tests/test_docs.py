"""Docs that run: the README's commands and Python examples."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_exactly_two_commands():
    first = fenced_blocks("bash")[0]
    assert README.index("```bash") < README.index("\n## ")
    commands = [line for line in first.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "orbital-dc plan" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    test_command = [line for line in fenced_blocks("bash")[0].splitlines() if line.strip()][1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines


def test_readme_python_examples_run(tmp_path):
    blocks = fenced_blocks("python")
    assert blocks
    for block in blocks:
        subprocess.run([sys.executable, "-c", block], cwd=tmp_path, check=True, timeout=300)


def test_readme_scenario_examples_are_valid():
    from constellations import parse_scenario

    first, *others = fenced_blocks("toml")
    assert parse_scenario(first).n_sats == 1
    checked = 0
    for block in others:
        if "[[element_sets]]" in block:  # names a file that only the reader's folder has
            continue
        parse_scenario(first + "\n" + block)
        checked += 1
    assert checked >= 1
