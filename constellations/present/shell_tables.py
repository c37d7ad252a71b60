"""The per-shell tables of a plan on the terminal: shells, sunlight, radiation, sizing, mass
and drag.

Each puts an altitude band's levels in one row when there are many shells
(:func:`constellations.present.bands.banded`); the plan JSON keeps every shell.  The
terminal's functions are looked up when called (``terminal.rich_table``), so a test may
record what is drawn.
"""

from constellations.present import tables, terminal
from constellations.present.bands import (
    band_names,
    banded,
    banded_mass_table,
    banded_notes,
    banded_shells_notes,
)


def _group_name(item) -> str:
    return item.shell.name if hasattr(item, "shell") else item.name


def print_shells(plan) -> None:
    """The shells table of ``plan``: its resolved shells, then its element sets."""
    c = plan.constellation
    groups = list(plan.resolved or ()) + list(c.element_sets)
    bands = band_names(c.shells)
    shells, rows = banded(tables.shells_table(c), groups, _group_name, bands)
    notes = banded_shells_notes(plan.resolved, bands)
    terminal.console().print(terminal.rich_table(shells, rows, notes))


def print_sunlight(illumination, fleet=None) -> None:
    """The sunlight table and its notes (the fleet's over one orbit when ``fleet`` is given)."""
    bands = band_names(s.resolved.shell for s in illumination.shells)
    sunlight, rows = banded(
        tables.sunlight_table(illumination.year),
        illumination.shells,
        lambda s: s.resolved.shell.name,
        bands,
    )
    notes = banded_notes(
        tables.sunlight_notes(illumination, fleet), bands, len(illumination.shells)
    )
    terminal.console().print(terminal.rich_table(sunlight, rows, notes))


def print_closure(closure, drag: bool = True) -> None:
    """The sizing and mass tables of ``closure``, and its drag table unless ``drag`` is False."""
    out = terminal.console()
    bands = band_names(c.resolved.shell for c in closure.shells)
    many = len(closure.shells)
    sizing, rows = banded(tables.sizing_table(closure), closure.shells, lambda c: c.name, bands)
    notes = banded_notes(tables.sizing_notes(closure), bands, many)
    out.print(terminal.rich_table(sizing, rows, notes))
    closed = closure.closed
    if closed:
        out.print(terminal.rich_table(banded_mass_table(closed, bands), tables.mass_rows(closed)))
    if drag:
        print_drag(closure)


def print_drag(closure) -> None:
    """The drag table of ``closure``: every activity case of every shell, and its notes."""
    bands = band_names(c.resolved.shell for c in closure.shells)
    drag, rows = banded(
        tables.DRAG,
        tables.drag_rows(closure),
        lambda row: row[0].name,
        bands,
        kind_of=lambda row: row[1].name,
    )
    notes = banded_notes(tables.drag_notes(closure), bands, len(closure.shells))
    terminal.console().print(terminal.rich_table(drag, rows, notes))


def print_radiation(plan) -> None:
    """The trapped-radiation table of ``plan`` and its notes."""
    radiation = plan.radiation
    bands = band_names(r.shell for r in plan.resolved)
    table, rows = banded(tables.RADIATION, radiation.shells, lambda r: r.name, bands)
    notes = banded_notes(tables.radiation_notes(radiation), bands, len(radiation.shells))
    terminal.console().print(terminal.rich_table(table, rows, notes))
