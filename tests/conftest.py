"""Shared fixtures.  Tests never touch the network; warnings are errors (pyproject.toml)."""

import pytest


@pytest.fixture(scope="session")
def ts():
    from orbital.times import builtin_timescale

    return builtin_timescale()
