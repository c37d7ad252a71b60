"""Helpers the test modules share (plain functions; fixtures live in conftest.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: The repository: tests live one or two folders below it.
ROOT = Path(__file__).resolve().parent.parent

#: The announced step that installs Chromium for the browser tests (README, .ci/run).
INSTALL_TEST_BROWSER = "sh tools/install-test-browser"

#: The ISS's element set of 2019-12-09 (epoch 19343.69339541), the example of
#: python-sgp4's documentation: a healthy low orbit, valid for weeks either side.
ISS_TLE = (
    "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991",
    "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482",
)

#: A Starlink element set (NORAD 55897, epoch 2025 day 58.124) that SGP4 decays about a
#: day after its epoch: the reproducer of the project's issue 13.
DECAYED_TLE = (
    "1 55897U 22151AAV 25058.12407234  .09435527  24934+0  44853-1 0  9999",
    "2 55897  98.5849 110.9278 0014449 269.2407  90.7207 15.92146194 26688",
)


def run_cli(*args, cwd=None, timeout=300):
    """``orbital-dc ARGS`` in a fresh interpreter, in ``cwd``; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "constellations.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_cli_in_process(*args, cwd=None, timeout=None):
    """``orbital-dc ARGS`` run by :func:`constellations.cli.main` in this interpreter, in
    ``cwd``: the same ``CompletedProcess`` as :func:`run_cli` (exit status, stdout and stderr
    as text), without a fresh interpreter importing numpy, Skyfield, astropy and plotly
    again.  For tests of what a command prints and writes; what only a real process shows
    (the installed entry point, ``--help``'s imports, exit on a signal or a closed pipe) is
    tested through :func:`run_cli`.  ``timeout`` is accepted for the same signature, and
    not enforced."""
    import contextlib
    import io

    from constellations.cli import main

    out, err = io.StringIO(), io.StringIO()
    here, argv = os.getcwd(), sys.argv
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.argv = ["orbital-dc", *map(str, args)]  # as the signal handler reads it
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: --help, --version, a usage error
                status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    finally:
        os.chdir(here)
        sys.argv = argv
    return subprocess.CompletedProcess(
        ["orbital-dc", *args], status, out.getvalue(), err.getvalue()
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


#: Plans made once for the session, by constellation and stages (see :func:`shared_plan`).
_SHARED_PLANS: dict = {}


def shared_plan(constellation, stages=None):
    """``plan(constellation, stages=stages)``, made once for the session: the plan is a pure
    function of the two, and tests whose subject is not the physics (the plan JSON against
    its schema, the tables' widths) read the same plans of the presets."""
    from constellations.planner import plan

    key = (repr(constellation), None if stages is None else tuple(sorted(stages)))
    if key not in _SHARED_PLANS:
        _SHARED_PLANS[key] = (
            plan(constellation) if stages is None else plan(constellation, stages=stages)
        )
    return _SHARED_PLANS[key]


#: Satellites above which the tests of every preset plan only up to the cost (no mesh nor
#: fleet over an orbit: those of a million satellites are the benchmarks').
LARGE = 100_000

#: The stages a preset of more than :data:`LARGE` satellites is planned with.
LARGE_STAGES = ("closure", "cadence", "cost")


def under_ci() -> bool:
    """True when the environment says CI (``CI`` set, and not to ``0``, ``false`` or ``no``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


#: Why a browser test does not run: one line, saying how to enable it.
NO_TEST_BROWSER = (
    f"Chromium is not installed: run {INSTALL_TEST_BROWSER} (as root) to enable the browser tests"
)


def browser_on_path() -> str | None:
    """Chromium on the PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def find_test_browser() -> str:
    """Chromium's path, for the browser tests (the ``chromium`` fixture).

    Nothing is installed here: where Chromium is missing the test is skipped with
    :data:`NO_TEST_BROWSER`, and under CI it fails with that line instead.
    """
    path = browser_on_path()
    if path is not None:
        return path
    if under_ci():
        pytest.fail(NO_TEST_BROWSER, pytrace=False)
    pytest.skip(NO_TEST_BROWSER)


def skip_browser_tests(items) -> None:
    """Mark the collected tests that need the ``chromium`` fixture as skipped, with
    :data:`NO_TEST_BROWSER`, where Chromium is missing and not under CI.  pytest folds skips
    marked alike into one line of its summary per module; under CI they are left to fail."""
    needing = [item for item in items if "chromium" in getattr(item, "fixturenames", ())]
    if needing and browser_on_path() is None and not under_ci():
        for item in needing:
            item.add_marker(pytest.mark.skip(reason=NO_TEST_BROWSER))


#: A small scenario for trade-study tests: one dawn-dusk shell of 40 satellites, a short
#: cadence; every stage runs in about a second.
STUDY_BASE = """
[scenario]
name = "tiny"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "dd"
altitude_km = 340.0
sun_synchronous = true
ltan_hours = 18.0
planes = 4
sats_per_plane = 10

[launch]
flights_per_year = 20
years = 4
"""

#: The same with a second shell at 53 degrees and 350 km, where drag weighs more.
STUDY_BASE_TWO_SHELLS = STUDY_BASE.replace(
    "\n[launch]",
    """
[[shells]]
name = "w"
altitude_km = 350.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 8

[launch]""",
)


#: The presets of the 2026 filings and studies, beyond the 330-350 km of the others.
FILING_PRESETS = (
    "spacex-odc-1m",
    "starcloud-88k",
    "blue-origin-sunrise",
    "ascend-1400",
    "starcloud-1",
    "altitude-trade",
)
#: The presets of close formations (a formation flies as a one-plane shell), at 650 km.
FORMATION_PRESETS = ("suncatcher-81", "suncatcher-81-3d")


def shaded_formation() -> str:
    """suncatcher-81 tilted to 53 deg (the Sun crosses the orbital plane, where the lattice
    lies) and packed to a 12 m pitch, 7 members: its arrays of about 10 m shade each other
    most months (a worst month of 61 % at the fixed point of sizing and shading)."""
    from constellations.io.scenario import preset_text

    return (
        preset_text("suncatcher-81")
        .replace("sun_synchronous = true\nltan_hours = 18.0", "inclination_deg = 53.0")
        .replace(
            "radial_pitch_m = 100.0\ncluster_radius_m = 1000.0\nmembers = 81\nkeep_out_m = 50.0",
            "radial_pitch_m = 12.0\nmembers = 7\nkeep_out_m = 5.0",
        )
    )


#: The banded filings, whose plan takes tens of seconds here (a million satellites' mesh, a
#: band's environment at its nodes); the per-preset tests plan :func:`thinned` copies of them.
SLOW_PRESETS = ("spacex-odc-1m", "blue-origin-sunrise", "starcloud-88k")


def thinned(constellation):
    """``constellation`` with each altitude band cut to its lowest level (the other shells as
    they are): the same designs, tables and records at one level's cost a band (the
    grouping of many levels is tests/io/test_altitude_bands.py's)."""
    kept, bands = [], set()
    for shell in sorted(constellation.shells, key=lambda s: s.altitude_km):
        if shell.band is None or shell.band not in bands:
            kept.append(shell)
            bands.add(shell.band)
    order = {s.name: k for k, s in enumerate(constellation.shells)}
    return constellation.replace(shells=tuple(sorted(kept, key=lambda s: order[s.name])))


#: An OMM record as CelesTrak's JSON gives it (python-sgp4's test case, the satellite MARIO).
MARIO_RECORD = {
    "OBJECT_NAME": "MARIO",
    "OBJECT_ID": "1998-067UQ",
    "EPOCH": "2023-04-25T10:45:30.642912",
    "MEAN_MOTION": 15.99081912,
    "ECCENTRICITY": 0.0014649,
    "INCLINATION": 51.6242,
    "RA_OF_ASC_NODE": 216.293,
    "ARG_OF_PERICENTER": 331.8976,
    "MEAN_ANOMALY": 28.1241,
    "EPHEMERIS_TYPE": 0,
    "CLASSIFICATION_TYPE": "U",
    "NORAD_CAT_ID": 55123,
    "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 1839,
    "BSTAR": 0.001568,
    "MEAN_MOTION_DOT": 0.00787702,
    "MEAN_MOTION_DDOT": 0.00029408,
}


#: A 53 deg shell at 550 km for the CZML tests: eclipses every orbit in January, +Grid links
#: between planes.
CZML_SCENARIO = """
[scenario]
name = "czml-test"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "w53"
altitude_km = 550.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 6
"""
