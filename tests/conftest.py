"""Shared fixtures.  Tests never touch the network; warnings are errors (pyproject.toml)."""

import os
import shutil
import subprocess
import warnings

import pytest
from helpers import run_cli


@pytest.fixture(scope="session")
def cli():
    """:func:`run_cli`, for tests that run the command line."""
    return run_cli


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium: installed where missing and the tests run as root (CI).

    Skips only when it truly cannot be had.
    """
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            env=env,
            capture_output=True,
            timeout=900,
        )
        path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium is not installed and cannot be installed here (apt-get chromium)")
    return path


@pytest.fixture(scope="session")
def ts():
    from orbital.times import builtin_timescale

    return builtin_timescale()


@pytest.fixture(scope="session")
def de421():
    """JPL's DE421 from the skyfield-data package (a test-only dependency, no download)."""
    from skyfield.api import Loader

    with warnings.catch_warnings():
        # skyfield-data ships a finals2000A.all past its prediction window and says so on
        # import; the tests use Skyfield's builtin timescale and never read that file.
        warnings.filterwarnings(
            "ignore", message=r"The file finals2000A\.all has expired", category=RuntimeWarning
        )
        from skyfield_data import get_skyfield_data_path

        path = get_skyfield_data_path()
    ephemeris = Loader(path, verbose=False)("de421.bsp")
    yield ephemeris
    ephemeris.close()
