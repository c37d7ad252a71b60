"""Shared fixtures.  Tests never touch the network; warnings are errors (pyproject.toml)."""

import os
import warnings

import pytest
from helpers import find_test_browser, run_cli, run_cli_in_process, skip_browser_tests
from scheduling import fixture_scope_scheduling

#: Workers ``-n auto`` starts at most (:func:`pytest_xdist_auto_num_workers`).
MAX_WORKERS = 4


def pytest_configure(config):
    # The width of the terminal pytest runs in is no test's input: the tables are laid out
    # for COLUMNS when it is set and 120 columns off a terminal, and a test of a width sets
    # COLUMNS itself.  pytest-xdist's workers start with COLUMNS=80 and LINES=24.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject.toml): a worker a core this process may run on, at most
    :data:`MAX_WORKERS`: each worker imports the planner and makes the session's plans and
    fixtures again, which more workers than that do not earn back on this suite."""
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` (pyproject.toml) by :func:`scheduling.unit_of`: a module with
    fixtures wider than a test on one worker, and the modules reading the shared plans of
    the presets together; other tests one by one.  Any other ``--dist`` is xdist's own."""
    if config.getvalue("dist") == "loadscope":
        return fixture_scope_scheduling(config, log)
    return None


@pytest.fixture(scope="session")
def cli():
    """:func:`run_cli`, for tests that run the command line."""
    return run_cli


@pytest.fixture(scope="session")
def cli_in_process():
    """:func:`run_cli_in_process`: the command line called in this interpreter, for tests of
    what a command prints and writes rather than of the process itself."""
    return run_cli_in_process


def pytest_collection_modifyitems(config, items):
    skip_browser_tests(items)


@pytest.fixture(scope="session")
def chromium():
    """Chromium for the browser tests: installed, where missing, by the announced step of the
    README's test command (``sh tools/install-test-browser``), never by a test.

    In CI (``CI=true``) a missing browser fails the test; elsewhere the tests that need it
    are skipped, with one line saying how to enable them (:func:`helpers.skip_browser_tests`,
    :func:`helpers.find_test_browser`).
    """
    return find_test_browser()


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
