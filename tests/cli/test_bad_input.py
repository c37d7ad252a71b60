"""Issue 14, bad input and faults as a new user meets them: every case the issue lists.

Each case runs the command line in-process (``constellations.cli.main``) on a small valid
scenario with one key changed, and checks what a user sees: the exit status, one line on
stderr that names the key as written (or the file, or the option) and says what to change,
no traceback, and nothing written.  Outputs to devices, pipes and links are written as
given, never replaced; only the FIFO and the links live in tmp_path, and the devices
(/dev/null, /dev/full, /dev/stdout) are guarded so that a regression fails the test
instead of renaming over them.
"""

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from constellations.cli import main

BASE = {
    "scenario": {"name": '"small"', "epoch": '"2027-01-01T00:00:00Z"'},
    "[shells]": {
        "name": '"w340"',
        "altitude_km": "340.0",
        "inclination_deg": "53.0",
        "planes": "1",
        "sats_per_plane": "2",
    },
}


def scenario_text(section=None, key=None, value=None, drop=None, extra=None) -> str:
    """The base scenario with ``key = value`` set in ``section`` (None: top level;
    ``"[shells]"`` an array of tables), ``drop`` left out, and ``extra`` keys beside."""
    sections = {name: dict(keys) for name, keys in BASE.items() if name != drop}
    if key is not None:
        sections.setdefault(section, {})[key] = value
    for name, keys in (extra or {}).items():
        sections.setdefault(name, {}).update(keys)
    lines = [f"{k} = {v}" for k, v in sections.pop(None, {}).items()]
    for name, keys in sections.items():
        lines.append(f"\n[{name}]")
        lines += [f"{k} = {v}" for k, v in keys.items()]
    return "\n".join(lines) + "\n"


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def assert_refused(status, err, *expected, before=None, folder=None, late=False):
    """Exit 2, one line on stderr with every ``expected`` part, no traceback, no Python
    spellings, and ``folder`` holds what it held ``before``.  A ``late`` refusal (a write
    that fails after the work) may follow the progress lines of that work."""
    assert status == 2, err
    lines = err.strip().splitlines()
    if late:
        assert all(line.startswith("orbital-dc: ") for line in lines[:-1]), err
        lines, err = lines[-1:], lines[-1]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "a bug in orbital-dc" not in err
    for python in (
        *("datetime.", ".str=", "list[", "tuple[", "function-", "NoneType"),
        *("=True", "=False", "=(", "[True", "items, not"),
    ):
        assert python not in err, err
    for part in expected:
        assert part.lower() in err.lower(), err
    if folder is not None:
        assert sorted(os.listdir(folder)) == before


# --------------------------------------------------------------------- 2. types and values

ES = "[element_sets]"

#: (section, key, TOML value, what the line must hold): one key changed in the base scenario.
KEY_CASES = [
    # Tracebacks expected gone.
    ("satellite", "compute_kw", '"100"', ("[satellite]", "compute_kw=", "without quotes")),
    (
        "satellite",
        "compute_kw",
        "[1, 2]",
        ("[satellite]", "compute_kw=[1, 2]", "one number, not a list"),
    ),
    ("links", "failure_seed", '"x"', ("[links]", "failure_seed=", "whole number")),
    ("launch", "start_year", '"x"', ("[launch]", "start_year=", "whole number")),
    ("scenario", "sources", "5", ("[scenario]", "sources=5", "text in quotes")),
    ("[shells]", "planes", "9223372036854775807", ("shells[0]", "planes=", "between 1 and")),
    # Accepted silently once, refused now.
    ("satellite", "compute_kw", "true", ("compute_kw=", "not true or false")),
    ("solar_array", "efficiency_bol", "true", ("efficiency_bol=", "not true or false")),
    ("drag", "feed_sizing", '"no"', ("[drag]", "feed_sizing=", "true or false")),
    ("links", "inter_shell", '"no"', ("[links]", "inter_shell=", "true or false")),
    ("[shells]", "raan_deg", "1e308", ("raan_deg=", "between -360 and 360")),
    ("launch", "start_year", "1800", ("start_year=1800", "at least 1901")),
    ("launch", "start_year", "2027.5", ("start_year=2027.5", "not a fraction")),
    ("launch", "start_year", "2020", ("start_year=2020", "before the scenario's epoch", "2027")),
    ("radiator", "temperature_k", "1e6", ("temperature_k=", "between 100 and 1500 K")),
    ("satellite", "payload_units", "1000000000000", ("payload_units=", "between 1 and 100")),
    ("links", "grazing_altitude_km", "nan", ("grazing_altitude_km=nan", "finite")),
    ("links", "max_range_km", "inf", ("max_range_km=inf", "finite")),
    ("launch", "kw_per_tonne", "inf", ("kw_per_tonne=inf", "finite")),
    ("scenario", "name", '""', ("[scenario]", "name=", "must not be empty")),
    # Messages that named Python rather than the key.
    ("drag", "storm_density_factor", '"x"', ("storm_density_factor=", "not text")),
    ("solar_array", "pointing_loss_deg", '"ten"', ("pointing_loss_deg=", "not text")),
    ("drag", "body_area_m2_per_tonne", "nan", ("body_area_m2_per_tonne=nan", "finite")),
    ("drag", "drag_coefficient", "inf", ("drag_coefficient=inf", "finite")),
    ("launch", "payload_t", "inf", ("payload_t=inf", "finite")),
    ("scenario", "epoch", "2027-01-01", ("epoch=2027-01-01", '"2027-01-01T00:00:00Z"')),
    (None, "element_sets", '"tracked.json"', ("[[element_sets]] tables",)),
    # 3. Work that cannot fit: refused by a stated cap, the key named.
    ("[shells]", "sats_per_plane", "1e12", ("sats_per_plane=", "between 1 and 1,000,000")),
    ("[shells]", "sats_per_plane", "1000000000000", ("sats_per_plane=", "1,000,000")),
    ("links", "snapshots", "1000000", ("snapshots=1000000", "between 1 and 10000")),
    ("launch", "years", "100000000", ("years=100000000", "between 1 and 100")),
    # Issue 17: the radiation budget and altitudes outside AE8/AP8's range in the planner.
    ("radiation", "shielding_mm_al", "0.0", ("shielding_mm_al=0.0", "0.5")),
    ("radiation", "shielding_mm_al", "-1.0", ("shielding_mm_al=-1.0", "0.5")),
    ("radiation", "max_shielding_mm_al", "1.0", ("max_shielding_mm_al", "at least 2")),
    ("radiation", "design_margin", "0.5", ("design_margin=0.5", "1")),
    ("radiation", "cell", '"si"', ("cell=", "azur_3g30_advanced")),
    ("[shells]", "altitude_km", "2500.0", ("altitude_km=2500.0", "2000")),
    ("[shells]", "altitude_km", "100.0", ("altitude_km=100.0", "150")),
    # List and boolean keys: the value shown as TOML writes it, the length as what to give.
    (
        "[shells]",
        "altitude_range_km",
        "[500.0, 600.0, 700.0]",
        ("shells[0]", "altitude_range_km=[500.0, 600.0, 700.0]", "give two numbers, [low, high]"),
    ),
    ("[shells]", "altitude_range_km", "500.0", ("altitude_range_km=500.0", "give two numbers")),
    ("[shells]", "altitude_range_km", "[500.0]", ("altitude_range_km=[500.0]", "[low, high]")),
    ("[shells]", "altitude_range_km", "[true, 600.0]", ("altitude_range_km[0]=true", "not true")),
    ("[shells]", "sun_synchronous", '"yes"', ("sun_synchronous='yes'", "true or false, not text")),
    ("[shells]", "sun_synchronous", "[true]", ("sun_synchronous=[true]", "false, not a list")),
    ("[shells]", "ltan_hours", "true", ("ltan_hours=true", "must be a number, not true or false")),
    ("[shells]", "raan_spread_deg", "[1, 2]", ("raan_spread_deg=[1, 2]", "one number, not a list")),
    ("[shells]", "phasing", "[1]", ("phasing=[1]", "one whole number, not a list")),
    ("[shells]", "bstar", "{x = 1}", ("bstar={x = 1}", "one number, not a table")),
    ("[shells]", "pattern", '["delta"]', ("pattern=['delta']", '"star", not a list')),
    ("launch", "start_year", "[2027]", ("start_year=[2027]", "one whole number, not a list")),
    ("drag", "feed_sizing", "[true]", ("feed_sizing=[true]", "true or false, not a list")),
    ("scenario", "sources", "true", ("sources=true", "list in brackets")),
    ("scenario", "epoch", "true", ("epoch=true", "must be a time, not true or false")),
    ("satellite", "payload", '["h100-dgx"]', ("payload=['h100-dgx']", "not a list")),
    # 4. Times outside 1901-2099.
    ("scenario", "epoch", '"1800-01-01T00:00:00Z"', ("epoch=", "1901-2099")),
    ("scenario", "epoch", '"2200-01-01T00:00:00Z"', ("epoch=", "1901-2099")),
]


@pytest.mark.parametrize(
    "section, key, value, expected",
    KEY_CASES,
    ids=[f"{s or 'top'}.{k}={v}" for s, k, v, _ in KEY_CASES],
)
def test_a_bad_key_is_one_line_naming_it(
    tmp_path, monkeypatch, capsys, section, key, value, expected
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(scenario_text(section, key, value))
    before = sorted(os.listdir(tmp_path))
    status, _, err = run(capsys, "plan", "s.toml", "--stages", "resolve", "--json", "out.json")
    assert_refused(status, err, "s.toml", *expected, before=before, folder=tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [
        (scenario_text(None, "shells", "[1]", drop="[shells]"), ("shells[0]", "table of keys")),
        (
            scenario_text(extra={ES: {"name": '"tracked"', "file": "5"}}),
            ("element_sets[0]", "file=5", "text in quotes"),
        ),
        (
            scenario_text(extra={ES: {"name": "5", "file": '"tracked.json"'}}),
            ("element_sets[0]", "name=5", "text in quotes"),
        ),
        (
            scenario_text(extra={"[shells]": {"planes": "1000", "sats_per_plane": "10000"}}),
            ("10,000,000 satellites", "at most 2,000,000", "planes"),
        ),
    ],
    ids=["shells=[1]", "element_sets.file=5", "element_sets.name=5", "ten-million-satellites"],
)
def test_a_bad_table_is_one_line_naming_it(tmp_path, monkeypatch, capsys, text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(text)
    before = sorted(os.listdir(tmp_path))
    status, _, err = run(capsys, "plan", "s.toml", "--stages", "resolve", "--json", "out.json")
    assert_refused(status, err, "s.toml", *expected, before=before, folder=tmp_path)


def test_ten_million_satellites_built_in_python_are_refused_too():
    from constellations import Constellation, ScenarioError, Shell

    shell = Shell.walker(
        "big", altitude_km=340.0, inclination_deg=53.0, planes=1000, sats_per_plane=10_000
    )
    with pytest.raises(ScenarioError, match="10,000,000 satellites"):
        Constellation("big", "2027-01-01T00:00:00Z", shells=(shell,))


def test_a_scenario_with_a_byte_order_mark_is_read(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_bytes(b"\xef\xbb\xbf" + scenario_text().encode())
    status, out, err = run(capsys, "plan", "s.toml", "--stages", "resolve")
    assert status == 0, err
    assert "w340" in out


def test_a_folder_as_the_scenario_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "plan", tmp_path)
    assert_refused(status, err, str(tmp_path), "is a folder", before=[], folder=tmp_path)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--hours", "inf", "--step-s", "60"], ("--hours inf", "positive number")),
        (["--hours", "1e6", "--step-s", "1"], ("3,600,000,001 time steps", "GB of memory")),
    ],
    ids=["hours-inf", "hours-1e6-step-1"],
)
def test_propagate_refuses_before_work(tmp_path, monkeypatch, capsys, args, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(scenario_text())
    status, _, err = run(capsys, "propagate", "s.toml", *args, "--out", "p.npz")
    assert_refused(status, err, *expected, before=["s.toml"], folder=tmp_path)


def test_links_at_a_time_outside_the_models_span(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(scenario_text())
    status, _, err = run(capsys, "links", "s.toml", "--time", "1800-01-01")
    assert_refused(
        status, err, "--time 1800-01-01", "1901-2099", before=["s.toml"], folder=tmp_path
    )


# ------------------------------------------------------------------------- 1. output paths

#: Each command with its output option; plans are shared across the tests (memo below).
COMMANDS = {
    "plan": ["plan", "SCENARIO", "--json"],
    "size": ["size", "SCENARIO", "--json"],
    "eclipse": ["eclipse", "SCENARIO", "--json"],
    "drag": ["drag", "SCENARIO", "--json"],
    "compare": ["compare", "SCENARIO", "--json"],
    "report": ["report", "SCENARIO", "-o"],
    "links": ["links", "SCENARIO", "--graphml"],
}
#: What each command writes, to recognise it on stdout or in a pipe.
WRITES = {"report": "<html", "links": "<graphml"}
JSON = '{\n  "'

_PLANS: dict = {}


@pytest.fixture
def planned(tmp_path, monkeypatch):
    """The small scenario in tmp_path (the current folder), each plan computed once for the
    module (the plan is a pure function; these tests are about where its output goes), and
    renames or removals in /dev refused, so a regression cannot replace a device."""
    import constellations.planner as planner

    real_plan = planner.plan

    def plan(constellation, stages=None, **options):
        options.pop("progress", None)
        key = (repr(constellation), repr(sorted(stages or ())), repr(sorted(options.items())))
        if key not in _PLANS:
            _PLANS[key] = real_plan(constellation, stages=stages, **options)
        return _PLANS[key]

    monkeypatch.setattr(planner, "plan", plan)

    def guarded(real):
        def call(*args, **kwargs):
            for arg in args[:2]:
                if os.path.abspath(os.fspath(arg)).startswith("/dev/"):
                    raise AssertionError(f"{real.__name__} on {arg}: a device would be replaced")
            return real(*args, **kwargs)

        return call

    for name in ("replace", "rename", "unlink", "remove"):
        monkeypatch.setattr(os, name, guarded(getattr(os, name)))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(scenario_text())
    return tmp_path


def command(name, target) -> list:
    return [a.replace("SCENARIO", "s.toml") for a in COMMANDS[name]] + [str(target)]


@pytest.mark.parametrize("name", COMMANDS)
def test_an_empty_output_name_is_refused(planned, capsys, name):
    status, _, err = run(capsys, *command(name, ""))
    option = COMMANDS[name][-1]
    assert_refused(
        status, err, f"{option} ''", "give a file name", before=["s.toml"], folder=planned
    )


@pytest.mark.parametrize("name", COMMANDS)
def test_dev_null_stays_a_device(planned, capsys, name):
    status, _, err = run(capsys, *command(name, "/dev/null"))
    assert status == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert os.listdir(planned) == ["s.toml"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("name", COMMANDS)
def test_dev_full_is_no_space_left(planned, capsys, name):
    status, _, err = run(capsys, *command(name, "/dev/full"))
    assert_refused(status, err, "/dev/full", "no space left on device", late=True)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert os.listdir(planned) == ["s.toml"]


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="no /dev/stdout link here")
@pytest.mark.parametrize("name", COMMANDS)
def test_dev_stdout_writes_to_stdout_and_keeps_the_link(planned, capfd, name):
    status = main(command(name, "/dev/stdout"))
    out, err = capfd.readouterr()
    assert status == 0, err
    assert WRITES.get(name, JSON) in out
    assert os.path.islink("/dev/stdout")
    assert os.listdir(planned) == ["s.toml"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_fifo_is_written_in_place(planned, capsys, name):
    fifo = planned / "pipe.out"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    status, _, err = run(capsys, *command(name, fifo))
    reader.join(timeout=60)
    assert status == 0, err
    assert fifo.is_fifo() and WRITES.get(name, JSON).encode() in received[0]
    assert sorted(os.listdir(planned)) == ["pipe.out", "s.toml"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_link_is_followed_not_replaced(planned, capsys, name):
    target = planned / "real.out"
    target.write_text("old")
    link = planned / "link.out"
    link.symlink_to(target)
    status, _, err = run(capsys, *command(name, link))
    assert status == 0, err
    assert link.is_symlink() and WRITES.get(name, JSON) in target.read_text()
    assert sorted(os.listdir(planned)) == ["link.out", "real.out", "s.toml"]


def test_the_default_preset_into_dev_null(planned, capsys):
    status, _, err = run(
        capsys, "plan", "dawn-dusk-340", "--stages", "resolve", "--json", "/dev/null"
    )
    assert status == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# ------------------------------------------------------------- 5. the --figures folder


def stub_images(monkeypatch, fail: bool = False):
    """Figures drawn by a stub instead of a browser (tests/viz/test_export.py uses one)."""
    import viz.export

    def render(figures, image_format, progress=None):
        if fail:
            raise viz.export.ExportError("the browser failed while drawing the figures (stub)")
        return [b"<svg/>"] * len(figures)

    monkeypatch.setattr(viz.export, "_render", render)


def test_a_missing_figures_folder_is_made(planned, capsys, monkeypatch):
    stub_images(monkeypatch)
    status, _, err = run(
        capsys, "report", "s.toml", "-o", "r.html", "--figures", "figs", "--figure-format", "svg"
    )
    assert status == 0, err
    names = sorted(p.name for p in (planned / "figs").iterdir())
    assert names[0] == "01-shells-in-3d.svg" and len(names) >= 5
    assert f"{len(names)} figures written to figs (a new folder) as svg" in err
    assert sorted(os.listdir(planned)) == ["figs", "r.html", "s.toml"]


def test_a_made_figures_folder_is_removed_when_the_images_fail(planned, capsys, monkeypatch):
    stub_images(monkeypatch, fail=True)
    status, _, err = run(capsys, "plan", "s.toml", "--figures", "figs")
    assert_refused(status, err, "the browser failed", late=True)
    assert os.listdir(planned) == ["s.toml"]


def no_work(monkeypatch):
    import constellations.planner as planner

    def refuse(*args, **kwargs):
        raise AssertionError("the plan ran before the --figures folder was checked")

    monkeypatch.setattr(planner, "plan", refuse)


@pytest.mark.parametrize("name", ["plan", "report", "compare"])
def test_figures_in_a_missing_folder_are_refused_before_the_work(
    planned, capsys, monkeypatch, name
):
    no_work(monkeypatch)
    target = ["-o", "r.html"] if name == "report" else []
    status, _, err = run(capsys, name, "s.toml", *target, "--figures", "no/figs")
    assert_refused(
        status,
        err,
        "--figures no/figs",
        "folder no does not exist",
        "create it first",
        before=["s.toml"],
        folder=planned,
    )


def test_figures_into_a_file_are_refused_before_the_work(planned, capsys, monkeypatch):
    no_work(monkeypatch)
    status, _, err = run(capsys, "report", "s.toml", "-o", "r.html", "--figures", "s.toml")
    assert_refused(status, err, "--figures s.toml", "is a file", before=["s.toml"], folder=planned)


@pytest.mark.parametrize("figures", ["ro", "ro/figs"], ids=["into", "made-in"])
def test_figures_in_a_read_only_folder_are_refused_before_the_work(
    planned, capsys, monkeypatch, figures
):
    """Root may write anywhere, so the refusal is simulated where the check asks."""
    folder = planned / "ro"
    folder.mkdir()
    real_access = os.access

    def access(path, mode, **kwargs):
        if Path(path).resolve() == folder and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    no_work(monkeypatch)
    status, _, err = run(capsys, "report", "s.toml", "-o", "r.html", "--figures", figures)
    assert_refused(
        status, err, f"--figures {figures}", "permission denied", before=[], folder=folder
    )
    assert sorted(os.listdir(planned)) == ["ro", "s.toml"]


# --------------------------------------------------------------- 4. signals, late refusals


def test_a_read_only_folder_is_refused_before_the_work(planned, capsys, monkeypatch):
    """Root may write anywhere, so the folder's refusal is simulated where the check asks."""
    folder = planned / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    real_access = os.access

    def access(path, mode, **kwargs):
        if Path(path).resolve() == folder and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    import constellations.planner as planner

    def no_work(*args, **kwargs):
        raise AssertionError("the plan ran before the output was checked")

    monkeypatch.setattr(planner, "plan", no_work)
    for name in COMMANDS:
        status, _, err = run(capsys, *command(name, "ro/out.file"))
        assert_refused(status, err, "ro/out.file", "cannot write", before=[], folder=folder)
    status, _, err = run(
        capsys, "propagate", "s.toml", "--hours", "1", "--step-s", "60", "--out", "ro/p.npz"
    )
    assert_refused(status, err, "ro/p.npz", "cannot write", before=[], folder=folder)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_for_real(planned, capsys):
    folder = planned / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    status, _, err = run(capsys, "plan", "s.toml", "--stages", "resolve", "--json", "ro/out.json")
    assert_refused(status, err, "ro/out.json", "cannot write", before=[], folder=folder)


def test_sighup_leaves_no_temporary_file_and_exits_129(tmp_path):
    """SIGTERM is tested in test_cli.py; SIGHUP (a closed terminal) must clean up alike."""
    process = subprocess.Popen(
        [sys.executable, "-m", "constellations.cli", "propagate", "million-340"]
        + ["--hours", "2", "--step-s", "60", "--out", "p.npz"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.05)
        process.send_signal(signal.SIGHUP)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 128 + signal.SIGHUP, err
    assert "stopped by signal" in err and "Traceback" not in err
    assert os.listdir(tmp_path) == []
