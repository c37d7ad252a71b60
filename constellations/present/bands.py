"""Tables of many shells: an altitude band's levels in one row.

A band (``altitude_range_km``) flies as one shell per level, up to hundreds of them
(:mod:`constellations.model.band`).  A per-shell table of more than
:data:`MAX_SHELL_ROWS` rows shows each band's levels as one row: a cell that holds one
number gives the least and the greatest of the levels' (``520-1800``), a count their
total (:attr:`~constellations.present.tables.Column.summed`), any other cell the lowest
level's and the highest's (``SSO LTAN 18:00 .. 18:08``), and the shell column the
band's name and its number of levels.  The title says so; the plan JSON
keeps every shell.  Shells of no band keep their own rows.
"""

import math
from dataclasses import dataclass

from constellations.present.tables import Column, Table, mass_table, shells_notes

#: Rows a per-shell table shows before each band's levels are put in one row: about a
#: screen.
MAX_SHELL_ROWS = 24
#: Shell columns the mass table shows before each band's levels are put in one column.
MAX_SHELL_COLUMNS = 6
#: What a grouped table's title adds.
GROUPED = "a band's levels in one row (least-greatest, or lowest .. highest level)"


@dataclass(frozen=True)
class BandRows:
    """The items a grouped row stands for: a band's levels (``band`` its name), or one
    item of no band (``band`` None)."""

    band: str | None
    items: tuple


def band_names(shells) -> dict[str, str]:
    """``{level's name: band's name}`` of every shell (a ``Shell``) that is a level of a band."""
    return {s.name: s.band for s in shells if s.band is not None}


def banded(table: Table, items, name_of, bands: dict, kind_of=None) -> tuple[Table, list]:
    """``table`` and its items, each band's levels in one row when there are more than
    :data:`MAX_SHELL_ROWS` rows and some are a band's; else ``(table, items)`` unchanged.

    ``name_of(item)`` is the shell's name an item belongs to, ``bands`` maps a level's
    name to its band (:func:`band_names`), ``kind_of(item)`` tells apart the rows one
    shell has several of (the drag table's activity cases), which stay apart.
    """
    items = list(items)
    if len(items) <= MAX_SHELL_ROWS or not any(name_of(i) in bands for i in items):
        return table, items
    groups: dict = {}
    for n, item in enumerate(items):
        band = bands.get(name_of(item))
        key = (band, kind_of(item) if kind_of else None) if band else (None, n)
        groups.setdefault(key, []).append(item)
    rows = [BandRows(key[0], tuple(members)) for key, members in groups.items()]
    columns = tuple(
        Column(c.heading, _merged(c, first=k == 0), c.align, c.drop_order, c.summed)
        for k, c in enumerate(table.columns)
    )
    return Table(f"{table.title}; {GROUPED}", columns), rows


def _merged(column: Column, first: bool):
    def text(row: BandRows) -> str:
        if row.band is None:
            return column.text(row.items[0])
        if first:
            return f"{row.band} ({len(row.items)} levels)"
        texts = [column.text(item) for item in row.items]
        if column.summed:
            return f"{sum(int(t.replace(',', '')) for t in texts):,}"
        return span(texts)

    return text


def span(texts: list[str]) -> str:
    """One cell for several levels' cells: the text they share, the least and greatest of
    numbers (``520-1800``; ``-3 .. 4`` when one is negative), or the first and the last
    (``18:00 .. 18:08``)."""
    if len(set(texts)) == 1:
        return texts[0]
    numbers = [_number(t) for t in texts]
    if all(n is not None for n in numbers):
        low = texts[numbers.index(min(numbers))]
        high = texts[numbers.index(max(numbers))]
        return f"{low}-{high}" if min(numbers) >= 0 else f"{low} .. {high}"
    return f"{texts[0]} .. {texts[-1]}"


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def banded_notes(notes: list[str], bands: dict, total_rows: int) -> list[str]:
    """Notes that begin with a level's name (``"sunrise-520: ..."``), kept for the lowest
    and the highest level of each band and counted for the others, when a table of
    ``total_rows`` rows is grouped (:func:`banded`); else ``notes`` unchanged."""
    if total_rows <= MAX_SHELL_ROWS or not bands:
        return notes
    by_band: dict = {}
    for note in notes:
        band = bands.get(note.split(":", 1)[0])
        if band is not None:
            by_band.setdefault(band, []).append(note)
    kept, told = [], set()
    for note in notes:
        band = bands.get(note.split(":", 1)[0])
        if band is None:
            kept.append(note)
            continue
        of_band = by_band[band]
        if note in (of_band[0], of_band[-1]):
            kept.append(note)
        if note == of_band[-1] and len(of_band) > 2 and band not in told:
            told.add(band)
            kept.insert(
                len(kept) - 1,
                f"{band}: {len(of_band) - 2:,} more notes of this band's levels like these "
                "(the JSON has every shell)",
            )
    return kept


def banded_mass_table(closed, bands: dict) -> Table:
    """:func:`constellations.present.tables.mass_table`, one column per band instead of per
    level when there are more than :data:`MAX_SHELL_COLUMNS` closed shells, each cell the
    least and greatest of its levels' kg per tonne."""
    if len(closed) <= MAX_SHELL_COLUMNS or not any(c.name in bands for c in closed):
        return mass_table(closed)
    groups: dict = {}
    for c in closed:
        groups.setdefault(bands.get(c.name, c.name), []).append(
            c.sized.sizing.mass_breakdown_kg_per_tonne
        )
    columns = [Column("per tonne", lambda part: part, "left")]
    for name, breakdowns in groups.items():
        cell = lambda part, b=breakdowns: span([_kg(one, part) for one in b])  # noqa: E731
        columns.append(Column(f"{name} kg", cell))
    return Table(f"Mass per tonne; {GROUPED}", tuple(columns))


def _kg(breakdown: dict, part: str) -> str:
    return f"{sum(breakdown.values()):.0f}" if part == "total" else f"{breakdown[part]:.0f}"


def banded_shells_notes(resolved, bands: dict) -> list[str]:
    """:func:`constellations.present.tables.shells_notes`, with each band's least and
    greatest mean height instead of every level's when there are more than
    :data:`MAX_SHELL_ROWS` shells."""
    notes = shells_notes(resolved)
    if not resolved or len(resolved) <= MAX_SHELL_ROWS or not bands:
        return notes
    by_band: dict = {}
    for r in resolved:
        if r.heights is not None and math.isfinite(r.heights.mean_km):
            name = bands.get(r.shell.name, r.shell.name)
            by_band.setdefault(name, []).append(r.heights.mean_km)
    means = ", ".join(
        f"{name} {min(km):.1f}" + (f"-{max(km):.1f}" if len(km) > 1 else "")
        for name, km in by_band.items()
    )
    text = notes[0]
    return [text[: text.index(" (the mean: ")] + f" (the mean: {means} km)", *notes[1:]]
