"""Issue 14: the terminal's tables fit 80 and 120 columns and cut no number, on every preset.

Every command that prints tables runs in-process (``constellations.cli.main``) with
``COLUMNS`` set, on every preset and on a scenario with an element set, from plans made
once for the module (with the laser mesh for :data:`WITH_MESH` only).  On stdout: no line
wider than ``COLUMNS``, no ellipsis, and every word of every table's title, headings,
cells and notes whole on some line (headings and cells may wrap between words, never
inside one); a column left out is an optional one, named in the note under its table.
"""

import dataclasses
import io
import re

import pytest
from helpers import (
    FILING_PRESETS,
    FORMATION_PRESETS,
    LARGE,
    LARGE_STAGES,
    ROOT,
    SLOW_PRESETS,
    reuse_plans,
    shared_plan,
    thinned,
)

from constellations.cli import commands, main
from constellations.io.scenario import load_scenario, preset_names
from constellations.present import cost_tables, terminal
from constellations.present.tables import Column, Table

WIDTHS = (80, 120)
#: The presets that share million-340's shells.
MILLION_LAYOUT = ("million-340",) + tuple(n for n in preset_names() if n.startswith("claim-"))
#: The scenarios whose ``links`` tables are checked, a two-column table (measure, value): the
#: mesh of million-340's layout takes about 30 s.  The presets of up to helpers.LARGE
#: satellites are planned whole, their mesh too (the schema's test plans them so).
WITH_MESH = ("dawn-dusk-340", "with-element-set")
#: A Walker shell beside an element set (the ISS, its elements of 2019-12-09).
ELEMENT_SET_SCENARIO = """[scenario]
name = "with-element-set"
epoch = "2019-12-10T00:00:00Z"

[[shells]]
name = "w550-tracked-band"
altitude_km = 550.0
inclination_deg = 53.0
planes = 4
sats_per_plane = 6

[[element_sets]]
name = "iss-tracked"
file = "tracked.tle"
"""
ISS_TLE = """ISS (ZARYA)
1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991
2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482
"""
COMMANDS = ("plan", "size", "drag", "eclipse", "links", "compare", "cost")


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory) -> dict:
    """Each scenario's name as the commands are given it: presets by name, the element-set
    scenario by its file."""
    folder = tmp_path_factory.mktemp("element-set")
    (folder / "tracked.tle").write_text(ISS_TLE)
    (folder / "with-element-set.toml").write_text(ELEMENT_SET_SCENARIO)
    names = {name: name for name in preset_names()}
    names["with-element-set"] = str(folder / "with-element-set.toml")
    return names


@pytest.fixture(scope="module")
def plans(scenarios) -> dict:
    """Plans by scenario name, the session's (:func:`helpers.shared_plan`: the plan JSON's
    schema is checked on the same ones).  The claims fly million-340's shells (asserted), so
    they share its year of sunlight; each is sized for its own satellite and launched on its
    own."""
    from constellations.stages.cadence import launch_cadence
    from constellations.stages.closure import close_constellation
    from constellations.stages.cost import levelised_cost

    made = {name: shared_plan(load_scenario(scenarios[name])) for name in WITH_MESH}
    made["starlink-v3-like"] = shared_plan(load_scenario("starlink-v3-like"))
    million = made["million-340"] = shared_plan(load_scenario("million-340"), LARGE_STAGES)
    closures = {}
    for name in MILLION_LAYOUT[1:]:
        claim = load_scenario(name)
        assert (claim.shells, claim.epoch) == (
            million.constellation.shells,
            million.constellation.epoch,
        )
        key = repr((claim.satellite, claim.drag))
        if key not in closures:
            closures[key] = close_constellation(
                claim, million.illumination, radiation=million.radiation
            )
        closure = closures[key]
        cadence = launch_cadence(claim, closure)
        made[name] = dataclasses.replace(
            million,
            constellation=claim,
            closure=closure,
            cadence=cadence,
            cost=levelised_cost(claim, closure, cadence),
        )
    for name in FILING_PRESETS:  # a band's lowest level: the same tables, cheaper
        scenario = load_scenario(name)
        scenario = thinned(scenario) if name in SLOW_PRESETS else scenario
        made[name] = shared_plan(scenario, LARGE_STAGES if scenario.n_sats > LARGE else None)
    for name in FORMATION_PRESETS:
        made[name] = shared_plan(load_scenario(name))
    return made


@pytest.fixture(scope="module")
def by_constellation(plans) -> dict:
    """The plans by constellation name, as :func:`helpers.reuse_plans` looks them up: one
    dict for the module, so that a scenario planned on first use (none today) is planned
    once, not once a command and width."""
    return {plan.constellation.name: plan for plan in plans.values()}


@pytest.fixture
def drawn(monkeypatch):
    """The tables each command draws (as laid out by the terminal), in order."""
    tables = []

    def recording(table, items, notes=()):
        fitted = terminal.FittedTable(table, items, notes)
        tables.append(fitted)
        return fitted

    monkeypatch.setattr(terminal, "rich_table", recording)
    monkeypatch.setattr(commands, "rich_table", recording)
    monkeypatch.setattr(cost_tables, "rich_table", recording)
    return tables


def run(monkeypatch, capsys, width: int, *args) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def words_on_screen(out: str) -> set[str]:
    return set(re.sub(r"[\u2500-\u257f]", " ", out).split())


def assert_fits(out: str, width: int, tables) -> None:
    """No line wider than ``width``, no ellipsis, and every word of every table whole."""
    assert tables, "no table drawn"
    for line in out.splitlines():
        assert len(line) <= width, f"{len(line)} > {width}: {line!r}"
    assert "…" not in out and "..." not in out.replace(" .. ", " ")
    shown = words_on_screen(out)
    for table in tables:
        kept, widths, left_out = table.layout(width)
        texts = [table.title, *table.notes]
        texts += [table.columns[k].heading for k in kept]
        texts += [row[k] for row in table.rows for k in kept]
        missing = {w for text in texts for w in text.split()} - shown
        assert not missing, f"{table.title}: not shown whole: {sorted(missing)}"
        for k in left_out:  # named in a note under the table
            column = table.columns[k]
            assert column.drop_order is not None, f"{column.heading} left out"
            assert column.heading in " ".join(out.split())
        if left_out:
            assert f"left out at {width} columns" in " ".join(out.split())


CASES = [
    (name, command)
    for name in [*preset_names(), "with-element-set"]
    for command in COMMANDS
    if command != "links" or name in WITH_MESH
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name, command", CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_every_table_fits_the_terminal(
    monkeypatch, capsys, by_constellation, scenarios, drawn, name, command, width
):
    reuse_plans(monkeypatch, by_constellation)
    out = run(monkeypatch, capsys, width, command, scenarios[name])
    assert_fits(out, width, drawn)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_presets_table_fits_the_terminal(monkeypatch, capsys, drawn, width):
    assert_fits(run(monkeypatch, capsys, width, "presets"), width, drawn)


def test_drag_at_80_columns_leaves_out_what_the_readme_says(monkeypatch, capsys, plans, drawn):
    reuse_plans(monkeypatch, {"dawn-dusk-340": plans["dawn-dusk-340"]})
    out = run(monkeypatch, capsys, 80, "drag", "dawn-dusk-340")
    note = (
        "2 columns left out at 80 columns (F10.7/Ap, area m2/t); widen the terminal or use --json"
    )
    assert note in " ".join(out.split())
    assert note in " ".join((ROOT / "README.md").read_text().split())


# --- the layout itself, on tables made up for it -------------------------------------------


def made_up(n_columns: int, optional=()) -> Table:
    return Table(
        "A made-up table",
        tuple(
            Column(
                f"heading number {k}",
                lambda row, k=k: row[k],
                drop_order=optional.index(k) + 1 if k in optional else None,
            )
            for k in range(n_columns)
        ),
    )


ROWS = [
    [f"{1.6912345e-12 * (k + 1):.6e}", f"{123456.789 * (k + 2):,.3f}", "a b c"] for k in range(3)
]


def draw(table, rows, width: int) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, highlight=False, soft_wrap=False).print(
        terminal.rich_table(table, rows, ["a note under it"])
    )
    return buffer.getvalue()


@pytest.mark.parametrize("width", [26, 30, 39])
def test_a_table_too_wide_is_stacked_whole(width):
    table = made_up(3)
    assert terminal.FittedTable(table, ROWS).layout(width)[1] is None  # stacked
    out = draw(table, ROWS, width)
    assert_fits(out, width, [terminal.FittedTable(table, ROWS, ["a note under it"])])


def test_optional_columns_are_left_out_first_and_named():
    table = made_up(3, optional=(1,))
    fitted = terminal.FittedTable(table, ROWS)
    kept, widths, left_out = fitted.layout(36)
    assert (kept, left_out) == ([0, 2], [1])
    out = draw(table, ROWS, 36)
    assert "1 column left out at 36 columns (heading number 1); widen the terminal or use" in (
        " ".join(out.split())
    )
    assert "123,456" not in out  # its cells are not shown at all, rather than cut


def test_a_table_that_fits_is_drawn_at_its_natural_width():
    table = made_up(3)
    out = draw(table, ROWS, 200)
    header = out.splitlines()[2]
    assert "heading number 0" in header and "heading number 2" in header  # on one line
    assert max(len(line) for line in out.splitlines()) < 200


def test_the_width_is_columns_when_set_else_120_off_a_terminal(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal.console().width == terminal.OFF_TERMINAL_WIDTH == 120
    monkeypatch.setenv("COLUMNS", "80")
    assert terminal.console().width == 80
