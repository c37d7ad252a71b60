"""How pytest-xdist hands the tests to its workers (``-n auto --dist loadscope``, pyproject.toml).

xdist's ``loadgroup`` mode reads ``xdist_group`` marks by renaming each test's node id,
which pytest 9.2 no longer lets it do (pytest-xdist 3.8 sets an attribute pytest 9 does
not read, so every test is handed out alone and a module's fixtures are made on every
worker).  :class:`FixtureScopeScheduling` takes the same decisions from the node ids the
controller is given, through ``pytest_xdist_make_scheduler`` (tests/conftest.py):

- the modules of :data:`SHARED_PLAN_MODULES` run on one worker, as one unit: they read
  the presets' plans that :func:`helpers.shared_plan` makes once a process;
- a module that defines a fixture of module scope (or wider) runs whole on one worker,
  so that the fixture (a plan, a browser session, a notebook run) is made once;
- any other test is a unit of its own, handed to whichever worker is free.

xdist's ``loadscope`` hands out the largest units first (most tests), then the single
tests in the order collected, each worker taking more as it runs out.
"""

import re
from functools import cache
from pathlib import Path

#: The test modules that read :func:`helpers.shared_plan`'s plans of the presets: on one
#: worker, each plan (million-340's sizing, the banded filings' environments, the
#: formations' lattices) is made once in the session, as in a run on one core.
SHARED_PLAN_MODULES = frozenset(
    {
        "tests/cli/test_table_widths.py",
        "tests/contract/test_contract.py",
        "tests/stages/test_headline_figures.py",
        "tests/stages/test_plan_outputs.py",
    }
)
#: The unit :data:`SHARED_PLAN_MODULES` run as.
SHARED_PLANS_UNIT = "shared preset plans"

#: A fixture declared with a scope wider than the test's own.
_WIDE_SCOPE = re.compile(r"""scope\s*=\s*["'](?:class|module|package|session)["']""")


@cache
def has_wide_fixtures(path: Path) -> bool:
    """Whether the test module at ``path`` declares a fixture of class, module, package or
    session scope (False for a file that cannot be read)."""
    try:
        return _WIDE_SCOPE.search(path.read_text(encoding="utf-8")) is not None
    except OSError:
        return False


def unit_of(nodeid: str, rootpath: Path) -> str:
    """The unit of work a test belongs to: :data:`SHARED_PLANS_UNIT`, its module's path
    (a module with fixtures wider than a test), or its own node id."""
    module = nodeid.split("::", 1)[0]
    if module in SHARED_PLAN_MODULES:
        return SHARED_PLANS_UNIT
    if module.endswith(".py") and has_wide_fixtures(rootpath / module):
        return module
    return nodeid


def fixture_scope_scheduling(config, log):
    """xdist's ``loadscope`` scheduler with :func:`unit_of` for its scopes."""
    from xdist.scheduler import LoadScopeScheduling

    class FixtureScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid, config.rootpath)

    return FixtureScopeScheduling(config, log)
