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


#: Runs each README block given as an argument in a namespace of its own, as a script, in
#: one fresh interpreter (a block needs what it imports itself, not what an earlier one did;
#: the interpreter and its heavy imports start once, not once a block).
RUN_BLOCKS = """import sys
for number, block in enumerate(sys.argv[1:], 1):
    exec(compile(block, f"<README python block {number}>", "exec"), {"__name__": "__main__"})
"""


def test_readme_python_examples_run(tmp_path):
    blocks = fenced_blocks("python")
    assert blocks
    subprocess.run(
        [sys.executable, "-c", RUN_BLOCKS, *blocks], cwd=tmp_path, check=True, timeout=600
    )


def test_readme_scenario_examples_are_valid():
    from constellations import parse_scenario
    from constellations.io.study import parse_study

    first, *others = fenced_blocks("toml")
    assert parse_scenario(first).n_sats == 1
    checked = studies = 0
    for block in others:
        if "[[element_sets]]" in block:  # names a file that only the reader's folder has
            continue
        if block.startswith("[study]"):  # a study file, checked as one
            parse_study(block, origin="README")
            studies += 1
            continue
        parse_scenario(first + "\n" + block)
        checked += 1
    assert checked >= 1 and studies >= 1


def test_readme_repeats_no_sentence():
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    sentences = [
        " ".join(s.split()) for s in re.split(r"(?<=[.!?:])\s+", prose) if len(s.split()) > 4
    ]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated


# --- the command line, as the README writes it ------------------------------------------

#: Planes and satellites a plane, at most, of the shells the README's command lines run on.
SMALL_PLANES, SMALL_SATS = 3, 6

#: The options that name a file or folder a command writes.
OUTPUT_OPTIONS = ("--json", "--html", "-o", "--out", "--graphml", "--figures", "--store")


def readme_command_lines() -> list[str]:
    """Every line of the README's bash blocks but the first (the install, in the checkout)."""
    return [line for block in fenced_blocks("bash")[1:] for line in block.splitlines() if line]


def small(constellation):
    """``constellation`` with every Walker shell cut to at most SMALL_PLANES x SMALL_SATS (a
    formation keeps its members)."""
    shells = []
    for shell in constellation.shells:
        if shell.formation is not None:  # a lattice's members, fixed by the formation
            shells.append(shell)
            continue
        planes = min(shell.planes, SMALL_PLANES)
        shells.append(
            shell.replace(
                planes=planes,
                sats_per_plane=min(shell.sats_per_plane, SMALL_SATS),
                phasing=shell.phasing % planes,
            )
        )
    return constellation.replace(shells=tuple(shells))


def test_readme_command_lines_run_as_written_in_an_empty_folder(tmp_path, monkeypatch, capsys):
    """Every command line of the README, in order, in one empty folder (a line may read what
    an earlier one wrote): exit 0, stdout redirected where the line says, and every file
    or folder it names written.

    In-process, on the scenarios cut to a few satellites a shell (``million-340`` alone
    plans in about 35 s; the lines, their options and the files they name are under test
    here, the physics elsewhere), each shell set sized once (sizing with drag costs about
    a second a shell whatever its size, and is a pure function of the design and its year
    of sunlight), a study's grid cut to three values a parameter, and the figures' images
    made by a stub instead of a browser
    (tests/viz/test_export.py draws them with Chromium).
    """
    import json
    import shlex

    import dask.distributed

    import constellations.io.scenario as scenario
    import constellations.stages.closure as closure
    import viz.export
    from constellations.cli import main

    parse = scenario.parse_scenario
    monkeypatch.setattr(scenario, "parse_scenario", lambda *a, **k: small(parse(*a, **k)))
    close, closed = closure.close_constellation, {}

    def close_once(constellation, illumination, **options):
        design = constellation.replace(name="x", description="", sources=(), launch=None)
        key = (repr(design), illumination.year)
        if key not in closed:
            closed[key] = close(constellation, illumination, **options)
        return closed[key]

    monkeypatch.setattr(closure, "close_constellation", close_once)
    # A study's grid cut to three values a parameter (its first, middle and last): the
    # shipped altitude-trade flies 70 orbits, each a year of sunlight and the atmosphere.
    from constellations.model.study import Parameter

    points = Parameter.points

    def three_points(self):
        values = points(self)
        return values if len(values) <= 3 else (values[0], values[len(values) // 2], values[-1])

    monkeypatch.setattr(Parameter, "points", three_points)
    monkeypatch.setattr(
        viz.export, "_render", lambda figures, image_format, progress=None: [b"x"] * len(figures)
    )
    # The study's local cluster in this process, so that its workers plan the cut scenarios
    # too (worker processes would start fresh interpreters and plan them whole);
    # tests/cli/test_study_command.py runs the command on worker processes.
    local_cluster = dask.distributed.LocalCluster
    monkeypatch.setattr(
        dask.distributed,
        "LocalCluster",
        lambda **options: local_cluster(**{**options, "processes": False}),
    )
    monkeypatch.chdir(tmp_path)
    lines = readme_command_lines()
    assert len(lines) >= 15
    for line in lines:
        words = shlex.split(line, comments=True)
        assert words[0] == "orbital-dc", line
        args, redirect = words[1:], None
        if ">" in args:
            args, redirect = args[: args.index(">")], args[args.index(">") + 1]
        status = main(args)
        out, err = capsys.readouterr()
        assert status == 0, f"{line}\n{err}"
        if redirect:
            (tmp_path / redirect).write_text(out)
        for option, value in zip(args, args[1:], strict=False):
            if option in OUTPUT_OPTIONS and value == "-":
                json.loads(out)
            elif option in OUTPUT_OPTIONS:
                written = tmp_path / value
                assert written.exists(), f"{line}: wrote no {value}"
                assert any(written.iterdir()) if written.is_dir() else written.stat().st_size
    assert (tmp_path / "figs" / "01-shells-in-3d.svg").is_file()
