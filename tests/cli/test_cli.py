"""The command line as a user meets it: tables, files, exit codes, one-line errors."""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from helpers import ROOT
from helpers import run_cli as run
from helpers import run_cli_in_process as run_here

SCENARIO = """
[scenario]
name = "small"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "w340"
altitude_km = 340.0
inclination_deg = 53.0
planes = 3
sats_per_plane = 4
phasing = 1
"""


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SCENARIO)
    return path


def test_help_is_instant_and_imports_nothing_heavy(tmp_path):
    start = time.perf_counter()
    result = run("--help", cwd=tmp_path)
    elapsed_s = time.perf_counter() - start
    assert result.returncode == 0 and "plan" in result.stdout
    assert elapsed_s < 1.0
    probe = (
        "import sys, constellations.cli as c; c.build_parser().format_help(); "
        "print(sorted(m for m in ('numpy', 'sgp4', 'skyfield', 'astropy', 'plotly', 'rich', "
        "'pydantic', 'numba') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


#: Asks numpy's OpenBLAS (the library numpy loaded, found in the process's memory map) how
#: many threads it runs, after the CLI's main() has started and numpy was imported.
OPENBLAS_THREADS_PROBE = """
import ctypes, os
from constellations.cli import main
main(["--version"])
import numpy
libs = {p for p in open("/proc/self/maps").read().split() if "openblas" in p and ".so" in p}
for lib in map(ctypes.CDLL, sorted(libs)):
    for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
        if hasattr(lib, name):
            print(getattr(lib, name)())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
@pytest.mark.parametrize("user_setting, threads", [(None, "1"), ("", "1"), ("2", "2")])
def test_the_cli_runs_openblas_on_one_thread_unless_told(user_setting, threads):
    """The planner shares the cores itself; OpenBLAS's threads would spin on them."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if user_setting is not None:
        env["OPENBLAS_NUM_THREADS"] = user_setting
    out = subprocess.run(
        [sys.executable, "-c", OPENBLAS_THREADS_PROBE], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == threads


def test_plan_prints_a_table_and_writes_the_contract_json(tmp_path, scenario_file):
    result = run_here("plan", str(scenario_file), "--json", "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "w340" in result.stdout and "3 x 4" in result.stdout
    plan = json.loads((tmp_path / "out.json").read_text())
    assert {"scenario", "epoch", "n_sats", "shells"} <= set(plan)
    assert plan["scenario"] == "small" and plan["n_sats"] == 12
    assert plan["epoch"] == "2027-01-01T00:00:00Z"
    shell = plan["shells"][0]
    contract = {
        "name",
        "altitude_km",
        "inclination_deg",
        "sun_synchronous",
        "ltan_hours",
        "planes",
        "sats_per_plane",
        "phasing",
        "pattern",
        "n_sats",
        "period_min",
        "raan_deg",
    }
    assert contract <= set(shell)
    assert shell["raan_deg"] == pytest.approx([0.0, 120.0, 240.0])
    # Two-body period at 340 km is 91.4 min; SGP4's nodal period is within a few tenths of it.
    assert shell["period_min"] == pytest.approx(91.4, abs=0.4)


def test_omm_of_a_1030_plane_puts_its_node_at_mean_solar_time(tmp_path):
    """Issue 13: the node of LTAN 10:30 on 2026-11-03 from the Astronomical Almanac's mean
    longitude of the Sun, 280.460 + 0.9856474 deg/day since J2000, less 22.5 deg: 199.77 deg
    (the apparent Sun put it at 195.657 deg, 16 minutes of the equation of time away)."""
    (tmp_path / "am.toml").write_text(
        '[scenario]\nname = "ltan-1030"\nepoch = "2026-11-03T00:00:00Z"\n[[shells]]\n'
        'name = "am"\naltitude_km = 340.0\nsun_synchronous = true\nltan_hours = 10.5\n'
        "planes = 1\nsats_per_plane = 1\n"
    )
    result = run_here("omm", "am.toml", "--out", "am.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = json.loads((tmp_path / "am.json").read_text())
    expected_deg = (280.460 + 0.9856474 * (2461347.5 - 2451545.0) - 22.5) % 360.0
    assert record["RA_OF_ASC_NODE"] == pytest.approx(expected_deg, abs=0.05)
    assert record["INCLINATION"] == pytest.approx(96.837, abs=0.0005)  # SGP4's SSO, issue 13


def test_plan_json_to_stdout(tmp_path, scenario_file):
    result = run_here("plan", str(scenario_file), "--json", "-", cwd=tmp_path)
    assert json.loads(result.stdout)["n_sats"] == 12


def test_plan_writes_nothing_into_the_current_folder_unless_asked(tmp_path, scenario_file):
    work = tmp_path / "work"
    work.mkdir()
    assert run_here("plan", str(scenario_file), cwd=work).returncode == 0
    assert run_here("plan", "dawn-dusk-340", cwd=work).returncode == 0
    assert os.listdir(work) == []


BAD_INPUTS = [
    (["plan", "missing.toml"], "no such scenario file or preset"),
    (["plan", "BAD_ALTITUDE"], "altitude_km=-5.0: must be between 150 and 2000 km"),
    (["plan", "BAD_KEY"], "did you mean 'sats_per_plane'?"),
    (["plan", "BAD_TOML"], "not valid TOML"),
    (["plan", "GOOD", "--json", "no/such/folder/out.json"], "does not exist"),
    (["propagate", "GOOD", "--hours", "-1", "--step-s", "60", "--out", "p.npz"], "--hours -1"),
    (["propagate", "GOOD", "--hours", "1", "--step-s", "60", "--out", "p.txt"], ".npz"),
    (["propagate", "GOOD", "--hours", "1", "--step-s", "0", "--out", "p.npz"], "--step-s 0"),
    (["plan"], "required"),
    (["nonsense"], "invalid choice"),
    (["propagate", "GOOD", "--hours", "1", "--step-s", "inf", "--out", "p.npz"], "--step-s inf"),
    (["propagate", "GOOD", "--hours", "1e9", "--step-s", "1", "--out", "p.npz"], "GB of memory"),
    (["links", "GOOD", "--time", "2300-01-01T00:00:00Z"], "outside 1901-2099"),
    (["plan", "."], "is a folder"),
    (["plan", "GOOD", "--stages", ""], "name at least one stage"),
    (
        ["size", "GOOD", "--target-kw-per-tonne", "inf", "--solve-for", "radiator.temperature_k"],
        "positive finite number",
    ),
    (
        ["size", "GOOD", "--target-kw-per-tonne", "40", "--solve-for", "radiator.temperature"],
        "did you mean 'radiator.temperature_k'?",
    ),
]


@pytest.mark.parametrize("args, message", BAD_INPUTS)
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, args, message):
    files = {
        "GOOD": SCENARIO,
        "BAD_ALTITUDE": SCENARIO.replace("altitude_km = 340.0", "altitude_km = -5.0"),
        "BAD_KEY": SCENARIO.replace("sats_per_plane", "sats_per_plan"),
        "BAD_TOML": SCENARIO.replace("[scenario]", "[scenario"),
    }
    for name, text in files.items():
        (tmp_path / f"{name}.toml").write_text(text)
    args = [f"{a}.toml" if a in files else a for a in args]
    before = set(os.listdir(tmp_path))
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert set(os.listdir(tmp_path)) == before


def test_propagate_npz_matches_the_api(tmp_path, scenario_file):
    from constellations import load_scenario
    from constellations.stages.propagate import stream_positions
    from orbital.propagation import collect
    from orbital.times import TimeGrid

    result = run_here(
        "propagate",
        str(scenario_file),
        "--hours",
        "0.5",
        "--step-s",
        "60",
        "--out",
        "p.npz",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "p.npz") as data:
        positions = data["positions_km"]
        assert positions.shape == (12, 31, 3)
        assert data["t_s"][-1] == 1800.0
        assert str(data["frame"]) == "itrs"
        assert list(data["plane"]) == [0] * 4 + [1] * 4 + [2] * 4
        assert list(data["slot"]) == [0, 1, 2, 3] * 3
        assert list(data["sat_id"]) == list(range(12))
    constellation = load_scenario(scenario_file)
    grid = TimeGrid.uniform(constellation.epoch, 1800.0, 60.0)
    expected = collect(stream_positions(constellation, grid, frame="itrs"), 12, len(grid))
    np.testing.assert_array_equal(positions, expected)


def test_propagate_csv_and_float32(tmp_path, scenario_file):
    assert (
        run_here(
            "propagate",
            str(scenario_file),
            "--hours",
            "0.1",
            "--step-s",
            "60",
            "--out",
            "p.csv",
            "--frame",
            "gcrs",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    lines = (tmp_path / "p.csv").read_text().splitlines()
    assert lines[0] == "sat_id,shell,plane,slot,t_s,x_km,y_km,z_km"
    assert len(lines) == 1 + 12 * 7
    assert (
        run_here(
            "propagate",
            str(scenario_file),
            "--hours",
            "0.1",
            "--step-s",
            "60",
            "--out",
            "p.npz",
            "--float32",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    with np.load(tmp_path / "p.npz") as data:
        assert data["positions_km"].dtype == np.float32


def test_a_failing_stream_leaves_nothing_behind(tmp_path):
    from constellations.io.positions import write_positions
    from orbital.propagation import PositionChunk

    def chunks():
        yield PositionChunk(0, 2, np.zeros((2, 3, 3)))
        raise RuntimeError("propagation failed")

    target = tmp_path / "p.npz"
    with pytest.raises(RuntimeError):
        write_positions(
            target,
            chunks(),
            n_sat=4,
            t_s=np.arange(3.0),
            table={"sat_id": np.arange(4)},
            shell_names=["a"],
            epoch="e",
            frame="itrs",
            dtype=np.float64,
        )
    assert os.listdir(tmp_path) == []


def test_presets_command_lists_every_preset(tmp_path):
    result = run_here("presets", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("dawn-dusk-340", "starlink-v3-like", "million-340"):
        assert name in result.stdout


def test_html_report_is_self_contained(tmp_path, scenario_file):
    result = run_here("plan", str(scenario_file), "--html", "r.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "r.html").read_text()
    assert '<script src="http' not in text  # plotly.js embedded, not from a CDN
    assert '<script type="text/plain" id="orbital-dc-plotly">' in text and "w340" in text


@pytest.mark.parametrize(
    "extra, says",
    [
        # An earlier step fails: the payload, bus and lasers weigh about 1.6 t.
        ('[satellite]\npayload = "gb200-nvl72"\nmax_mass_kg = 500.0\n', "max_mass_kg=500"),
        ('[links]\ntopology = "mesh"\n', "topology='mesh'"),
    ],
    ids=["satellite-does-not-close", "bad-links"],
)
@pytest.mark.parametrize("command", ["report", "plan"])
def test_a_report_whose_plan_fails_exits_2_and_writes_nothing(tmp_path, command, extra, says):
    path = tmp_path / "bad.toml"
    path.write_text(SCENARIO + extra)
    target = ["-o", "r.html"] if command == "report" else ["--html", "r.html"]
    result = run(command, str(path), *target, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]


def test_a_report_into_a_missing_folder_is_refused_before_any_work(tmp_path):
    result = run("report", "million-340", "-o", "nowhere/r.html", cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "nowhere" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


def test_omm_export_reads_back_as_an_element_set_scenario(tmp_path, scenario_file):
    result = run_here("omm", str(scenario_file), "--out", "w340.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = json.loads((tmp_path / "w340.json").read_text())
    assert len(records) == 12 and records[0]["OBJECT_NAME"] == "w340-P0000-S0000"
    scenario = tmp_path / "tracked.toml"
    scenario.write_text(
        '[scenario]\nname = "tracked"\nepoch = "2027-01-01T00:00:00Z"\n\n'
        '[[element_sets]]\nname = "tracked"\nfile = "w340.json"\n'
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = run_here(
        "plan", str(scenario), "--json", "-", cwd=work
    )  # file path relative to scenario
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["n_sats"] == 12 and plan["element_sets"][0]["n_sats"] == 12
    result = run_here(
        "propagate",
        str(scenario),
        "--hours",
        "0.5",
        "--step-s",
        "60",
        "--out",
        "e.npz",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    result = run_here(
        "propagate",
        str(scenario_file),
        "--hours",
        "0.5",
        "--step-s",
        "60",
        "--out",
        "w.npz",
        "--method",
        "full",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "e.npz") as from_omm, np.load(tmp_path / "w.npz") as from_walker:
        assert list(from_omm["plane"]) == [-1] * 12
        # Same satellites through two routes (OMM file vs the Walker shell): within 1 mm.
        np.testing.assert_allclose(
            from_omm["positions_km"], from_walker["positions_km"], rtol=0, atol=1e-6
        )


def test_omm_unknown_shell_is_refused(tmp_path, scenario_file):
    result = run("omm", str(scenario_file), "--shell", "nope", "--out", "x.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such shell; this scenario has: w340" in result.stderr
    assert not (tmp_path / "x.json").exists()


# ------------------------------------------------------------------ one plan, every command

ABOVE_MSIS = """
[scenario]
name = "above-msis"
epoch = "2027-01-01T00:00:00Z"
[[shells]]
name = "ow1200"
altitude_km = 1200.0
inclination_deg = 87.9
planes = 1
sats_per_plane = 1
"""


def test_a_shell_above_nrlmsis_is_planned_by_every_command_alike(tmp_path):
    """NRLMSIS is fitted up to 1,000 km: above it drag is taken as negligible, and plan, drag,
    size and report all say so, exit 0 and agree on the sizing; links and compare, whose
    figures rest on that sizing, say so too."""
    path = tmp_path / "above.toml"
    path.write_text(ABOVE_MSIS)
    outputs = {}
    for command in ("plan", "drag", "size"):
        result = run_here(command, str(path), "--json", f"{command}.json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "NRLMSIS" in result.stdout and "negligible" in result.stdout
        outputs[command] = json.loads((tmp_path / f"{command}.json").read_text())
    result = run_here("report", str(path), "-o", "r.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "negligible" in (tmp_path / "r.html").read_text()
    for command in ("links", "compare"):
        result = run_here(command, str(path), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "NRLMSIS" in result.stdout and "negligible" in result.stdout, command
    plan = outputs["plan"]
    drag = plan["shells"][0]["drag"]
    assert drag["in_model_range"] is False and set(drag["cases"]) == {"low", "moderate", "high"}
    assert drag["model_range"]["valid_altitude_km"] == [0.0, 1000.0]
    assert drag["model_range"]["bound_altitude_km"] < 1000.0
    assert drag["uncontrolled_lifetime_beyond_years"] > 10.0
    assert outputs["drag"]["shells"][0]["drag"] == drag
    sized = outputs["size"]["shells"][0]
    assert sized["closes"] is True and sized == plan["sizing"]["by_shell"][0]
    # Negligible drag: the drag analysis budgets no thruster power and no propellant.
    assert sized["propellant_kg_per_tonne_year"] == 0.0
    assert sized["propulsion_power_w_per_tonne"] == 0.0
    assert plan["cadence"] is not None


def test_a_satellite_that_does_not_close_is_a_result_not_an_error(tmp_path):
    path = tmp_path / "heavy.toml"
    # Structure and propulsion alone take 1.1 t of every tonne: no mass closes.
    path.write_text(
        SCENARIO + "[satellite]\nstructure_fraction = 0.5\npropulsion_dry_kg_per_tonne = 600.0\n"
    )
    for command in ("plan", "size"):
        result = run_here(command, str(path), "--json", f"{command}.json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "does not close" in result.stdout
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["sizing"]["closes"] is False and "does not close" in plan["sizing"]["error"]
    assert plan["cadence"] is None and "closes" in plan["skipped"]["cadence"]
    size = json.loads((tmp_path / "size.json").read_text())
    assert size["shells"][0]["closes"] is False


def test_stages_runs_only_what_is_asked(tmp_path, scenario_file):
    result = run_here(
        "plan", str(scenario_file), "--stages", "closure", "--json", "-", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["provenance"]["stages"] == ["resolve", "illumination", "radiation", "closure"]
    assert plan["sizing"]["closes"] is True and "illumination" in plan["shells"][0]
    assert plan["network"] is None and plan["cadence"] is None
    assert plan["fleet_illumination"] is None
    result = run_here("plan", str(scenario_file), "--stages", "closures", cwd=tmp_path)
    assert result.returncode == 2
    assert "did you mean 'closure'?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_provenance_names_the_command_the_version_and_the_scenario(tmp_path, scenario_file):
    import hashlib
    from importlib.metadata import version

    result = run_here(
        "plan", str(scenario_file), "--stages", "resolve", "--json", "-", cwd=tmp_path
    )
    plan = json.loads(result.stdout)
    provenance = plan["provenance"]
    assert provenance["package_version"] == version("orbital-dc")
    assert provenance["scenario_sha256"] == hashlib.sha256(scenario_file.read_bytes()).hexdigest()
    assert provenance["command"].startswith("orbital-dc plan ")
    assert plan["schema_version"]


def test_a_bug_exits_3_with_one_line_and_the_traceback_only_with_debug(monkeypatch, capsys):
    from constellations import cli
    from constellations.cli import commands

    def broken(args):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(commands, "cmd_presets", broken)
    assert cli.main(["presets"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "a bug in orbital-dc" in err and "ZeroDivisionError" in err and "--debug" in err
    assert cli.main(["presets", "--debug"]) == cli.EXIT_BUG
    assert "Traceback" in capsys.readouterr().err


def test_a_bad_input_error_from_deep_inside_is_still_exit_2(monkeypatch, capsys):
    from constellations import cli
    from constellations.cli import commands
    from constellations.errors import ScenarioError

    def refuses(args):
        raise ScenarioError("[launch] years=0: must be at least 1")

    monkeypatch.setattr(commands, "cmd_presets", refuses)
    assert cli.main(["presets"]) == cli.EXIT_BAD_INPUT
    assert capsys.readouterr().err.strip() == (
        "orbital-dc presets: error: [launch] years=0: must be at least 1"
    )


def test_no_cli_module_is_over_400_lines():

    folder = ROOT / "constellations" / "cli"
    for path in folder.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name


def test_schema_plan_is_a_json_schema(tmp_path):
    import jsonschema

    result = run_here("schema", "plan", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))


def test_sigterm_leaves_no_temporary_file_and_exits_143(tmp_path):
    """A million satellites streaming into an archive, stopped half way: the hidden
    temporary file beside the target is removed and nothing else is written."""
    import signal

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "constellations.cli",
            "propagate",
            "million-340",
            "--hours",
            "3",
            "--step-s",
            "60",
            "--out",
            "p.npz",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "stopped by signal" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_or_a_link_is_written_as_given_not_replaced(tmp_path, scenario_file):
    import threading

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    result = run_here(
        "plan", str(scenario_file), "--stages", "resolve", "--json", str(fifo), cwd=tmp_path
    )
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert fifo.is_fifo() and json.loads(received[0])["n_sats"] == 12
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    result = run_here(
        "plan", str(scenario_file), "--stages", "resolve", "--json", str(link), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and json.loads(target.read_text())["n_sats"] == 12
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["link.json", "pipe.json", "real.json", "small.toml"]


def test_a_satellite_too_heavy_for_a_flight_is_sized_and_the_cadence_skipped(tmp_path):
    path = tmp_path / "heavy.toml"
    path.write_text(SCENARIO + "[satellite]\nstructure_fraction = 0.95\n")
    result = run_here("plan", str(path), "--json", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["sizing"]["closes"] is True and plan["cadence"] is None
    assert "heavier than a flight" in plan["skipped"]["cadence"]
    assert "heavier than a flight" in result.stdout


def test_a_reader_closing_the_tables_early_loses_no_file(tmp_path):
    """``orbital-dc plan ... --json f | head -1``: the JSON is written before the tables,
    and the command ends with 141 (128 + SIGPIPE), as a shell reports an early reader."""
    command = (
        f"{sys.executable} -m constellations.cli plan dawn-dusk-340 --stages closure "
        "--json plan.json | head -1; exit ${PIPESTATUS[0]}"
    )
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 141, result.stderr
    assert json.loads((tmp_path / "plan.json").read_text())["sizing"]["closes"] is True
    assert "Traceback" not in result.stderr
