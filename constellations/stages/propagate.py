"""Positions of every satellite of a constellation, streamed shell by shell.

Walker shells go through the symmetric propagator (one reference plane per
phase class, rotated into every plane); element sets read from OMM or TLE go
through ``SatrecArray``.  ``method="full"`` forces ``SatrecArray`` for the
shells too, for checking.  Chunk indices are global: shells in scenario order,
then element sets.
"""

from collections.abc import Iterator

import numpy as np

from constellations.model.constellation import Constellation
from constellations.stages.resolve import ResolvedShell, resolve
from orbital.propagation import (
    DEFAULT_CHUNK_SATS,
    PositionChunk,
    propagate_satrecs,
    propagate_walker,
    propagate_walker_satellites,
)
from orbital.times import TimeGrid, builtin_timescale

METHODS = ("symmetry", "full")


def stream_positions(
    constellation: Constellation,
    grid: TimeGrid,
    *,
    frame: str = "itrs",
    chunk_sats: int = DEFAULT_CHUNK_SATS,
    dtype=np.float64,
    method: str = "symmetry",
    resolved: list[ResolvedShell] | None = None,
    ts=None,
    groups=None,
) -> Iterator[PositionChunk]:
    """Yield positions ``(n, n_t, 3)`` km of every satellite, chunk by chunk.

    Each chunk's ``positions_km`` is a view into a reused buffer: copy what
    you keep.  ``resolved`` (from :func:`resolve`) saves resolving twice.
    ``groups`` (indices into the shells then the element sets), when given,
    streams only those groups' satellites, still numbered globally.
    """
    if method not in METHODS:
        raise ValueError(f"method={method!r}: must be one of {', '.join(METHODS)}")
    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts) if resolved is None else resolved
    offset = 0
    options = dict(frame=frame, chunk_sats=chunk_sats, dtype=dtype, ts=ts)
    wanted = range(len(resolved) + len(constellation.element_sets)) if groups is None else groups
    for index, shell in enumerate(resolved):
        if index not in wanted:
            chunks = ()
        elif shell.shell.formation is not None:
            from constellations.stages.formation import formation_chunks

            chunks = formation_chunks(shell, grid, frame=frame, dtype=dtype, ts=ts)
        elif method == "symmetry":
            chunks = propagate_walker(shell.walker, grid, **options)
        else:
            chunks = propagate_satrecs(shell.walker.satrecs(), grid, **options)
        for chunk in chunks:
            yield PositionChunk(offset + chunk.start, offset + chunk.stop, chunk.positions_km)
        offset += shell.n_sats
    for index, element_set in enumerate(constellation.element_sets, start=len(resolved)):
        if index in wanted:
            for chunk in propagate_satrecs(element_set.satrecs, grid, **options):
                yield PositionChunk(offset + chunk.start, offset + chunk.stop, chunk.positions_km)
        offset += element_set.n_sats


def sample_positions(
    constellation: Constellation,
    chosen,
    grid: TimeGrid,
    *,
    frame: str = "itrs",
    resolved: list[ResolvedShell] | None = None,
    ts=None,
) -> np.ndarray:
    """Positions ``(len(chosen), n_t, 3)`` km of the satellites ``chosen`` (rising global
    indices, as :func:`stream_positions` numbers them) alone.

    A Walker shell's chosen satellites are its phase classes' reference planes turned
    to their nodes, only the chosen rows (:func:`orbital.propagation.propagate_walker_satellites`);
    element sets' go through ``SatrecArray``, a formation's members with their whole
    formation.
    Raises ValueError when ``chosen`` is not rising or out of range.
    """
    chosen = np.asarray(chosen, dtype=np.int64)
    if np.any(np.diff(chosen) <= 0) or (
        len(chosen) and (chosen[0] < 0 or chosen[-1] >= constellation.n_sats)
    ):
        raise ValueError("chosen: satellite indices must rise and lie within the constellation")
    ts = ts or builtin_timescale()
    resolved = resolve(constellation, ts) if resolved is None else resolved
    out = np.empty((len(chosen), len(grid), 3))
    groups = [*resolved, *constellation.element_sets]
    offset = 0
    for group in groups:
        n = group.n_sats
        lo, hi = np.searchsorted(chosen, [offset, offset + n])
        picked = chosen[lo:hi] - offset
        if len(picked):
            formation = isinstance(group, ResolvedShell) and group.shell.formation is not None
            if formation:
                from constellations.stages.formation import formation_chunks

                for chunk in formation_chunks(group, grid, frame=frame, ts=ts):
                    a, b = np.searchsorted(picked, [chunk.start, chunk.stop])
                    out[lo + a : lo + b] = chunk.positions_km[picked[a:b] - chunk.start]
            elif isinstance(group, ResolvedShell):
                out[lo:hi] = propagate_walker_satellites(
                    group.walker, grid, picked, frame=frame, ts=ts
                )
            else:
                satrecs = [group.satrecs[int(k)] for k in picked]
                for chunk in propagate_satrecs(satrecs, grid, frame=frame, ts=ts):
                    out[lo + chunk.start : lo + chunk.stop] = chunk.positions_km
        offset += n
    return out


def satellite_rows(constellation: Constellation, indices) -> dict[str, np.ndarray]:
    """``shell`` (index), ``plane`` and ``slot`` of the satellites ``indices`` ``(k,)``, each
    ``(k,)`` int32 (element-set satellites have plane and slot -1): the rows of
    :func:`satellite_table` for those satellites only."""
    indices = np.asarray(indices, dtype=np.int64)
    bounds = np.asarray(constellation.group_bounds)
    shell = (np.searchsorted(bounds, indices, side="right") - 1).astype(np.int32)
    plane = np.full(len(indices), -1, dtype=np.int32)
    slot = np.full(len(indices), -1, dtype=np.int32)
    for k, group in enumerate(constellation.shells):
        mine = shell == k
        plane[mine], slot[mine] = np.divmod(indices[mine] - bounds[k], group.sats_per_plane)
    return {"shell": shell, "plane": plane, "slot": slot}


def satellite_table(constellation: Constellation) -> dict[str, np.ndarray]:
    """Who is who in the stream: ``sat_id``, ``shell`` (index), ``plane``, ``slot``.

    Each array has shape ``(n_sat,)``.

    Element-set satellites have plane and slot -1.
    """
    sat_id = np.arange(constellation.n_sats, dtype=np.int64)
    return {"sat_id": sat_id, **satellite_rows(constellation, sat_id)}
