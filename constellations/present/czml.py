"""A plan as CZML for Cesium: satellites over one orbit with their sunlight, shells, links.

The document (built with the ``czml3`` package) holds, after its preamble and clock over
one orbit from the epoch:

- one folder packet per shell or element set (``shell/NAME``);
- one packet per satellite drawn (``sat/INDEX``, INDEX the plan's global numbering), its
  parent the shell: positions over one orbit in the Earth-fixed frame (ITRS, Cesium's
  ``FIXED``), Lagrange-interpolated; a point whose colour follows its sunlight under the
  conical shadow (sunlit, penumbra, umbra: the report globe's colours), the same state as
  a custom property ``sunlight``, and a short trail;
- a ``links`` folder and one polyline per laser link that closes at some time of the
  orbit (``link/I-J``), its ends references to the two satellites' positions and its
  ``show`` true exactly while the link closes.

Above :data:`MAX_CZML_SATELLITES` the satellites are the report globe's seeded uniform
random sample (:func:`constellations.present.report.sample_satellites`) and the
document's description says so.  Links of a sample are the +Grid links with both ends
in it (which closes depends only on the two ends); the nearest-neighbour topology and
links between shells depend on every satellite, so a sample draws none of them.

``FIXED`` rather than ``INERTIAL``: Cesium turns inertial (ICRF) positions into its
Earth-fixed scene with the IAU 2006 precession-nutation tables only once a page has
fetched them (``Transforms.preloadIcrfFixed``), and until then as if they were TEME,
about 0.36 deg (40 km) off; Earth-fixed samples are drawn as written in any viewer, and
the globe of the HTML report is ITRS too.
"""

from dataclasses import dataclass

import numpy as np

from constellations.io.atomic import atomic_write, check_writable
from constellations.present.report import sample_satellites, sample_statement

#: Most satellites a CZML document carries; a seeded random sample above.  Each takes about
#: 5.5 kB (97 position samples and its sunlight), so the limit keeps a file near 11 MB,
#: which CesiumJS parsed in 0.8 s in headless Chromium (million-340, 2,011 entities).
MAX_CZML_SATELLITES = 2_000

#: Position samples over one orbit (and the endpoint); Lagrange interpolation of degree
#: :data:`INTERPOLATION_DEGREE` between them holds a circular 340 km orbit (57 s apart)
#: to well under a metre.
POSITION_STEPS = 96
INTERPOLATION_DEGREE = 7

#: The sunlight is evaluated this many times between position samples (about 7 s apart at
#: 340 km, so the penumbra, some 10 s long there, is seen).
SUNLIGHT_REFINE = 8

#: Clock speed-up of the document: an orbit of 91 minutes plays in 91 seconds.
CLOCK_MULTIPLIER = 60.0

#: Pixel size of a satellite's point, and the width of trails and links, pixels.
POINT_PIXELS = 5.0
LINE_PIXELS = 1.0
LINK_RGBA = [120, 200, 255, 160]

STATE_NAMES = ("sunlit", "penumbra", "umbra")


@dataclass(frozen=True)
class PlanCzml:
    """A plan's CZML ``document`` (a ``czml3.Document``) and what it holds: ``shown`` of
    ``n_sats`` satellites (satellites whose positions all failed in SGP4 are left out and
    counted in ``failed``), ``groups`` folders (shells and element sets), ``links``."""

    document: object
    shown: int
    n_sats: int
    failed: int
    groups: int
    links: int

    @property
    def entities(self) -> int:
        """Entities a CZML reader makes of it: every packet but the preamble."""
        return len(self.document.packets) - 1

    @property
    def summary(self) -> str:
        """One line: what the document draws."""
        failed = f", {self.failed:,} failed in SGP4 and not drawn" if self.failed else ""
        drawn = sample_statement(self.shown + self.failed, self.n_sats)
        return f"{drawn}{failed}, {self.links:,} laser links"


def _rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    return [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)] + [alpha]


def _runs(states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (sample indices) of the runs of equal values in ``states`` ``(n_t,)``."""
    change = np.flatnonzero(states[1:] != states[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(states) - 1]])
    return starts, ends


def _intervals(states, times_iso, values):
    """czml3 IntervalValues of ``values[state]`` over the runs of ``states``; the value
    alone when ``states`` never changes (no times for czml3 to parse)."""
    from czml3 import IntervalValue

    starts, ends = _runs(states)
    if len(starts) == 1:
        return values[states[0]]
    return [
        IntervalValue(start=times_iso[a], end=times_iso[b], value=values[states[a]])
        for a, b in zip(starts, ends, strict=True)
    ]


def _state_runs(states, times_iso) -> list[dict]:
    """The sunlight ``states`` as CZML string intervals (plain JSON: czml3 takes custom
    properties as they are)."""
    starts, ends = _runs(states)
    return [
        {"interval": f"{times_iso[a]}/{times_iso[b]}", "string": STATE_NAMES[states[a]]}
        for a, b in zip(starts, ends, strict=True)
    ]


def _sunlight_states(fraction: np.ndarray) -> np.ndarray:
    """0 sunlit, 1 penumbra, 2 umbra (the globe's :func:`viz.globe.sun_percent`: 100, 1-99,
    0), -1 without a position."""
    from viz.globe import sun_percent

    finite = np.isfinite(fraction)
    percent = sun_percent(np.where(finite, fraction, 0.0))
    states = np.where(percent == 100, 0, np.where(percent == 0, 2, 1)).astype(np.int8)
    return np.where(finite, states, np.int8(-1))


def _link_states(constellation, resolved, chosen, positions_km) -> tuple[np.ndarray, np.ndarray]:
    """Links among the drawn satellites: pairs ``(m, 2)`` of indices into ``chosen`` and
    whether each closes ``(m, n_t)`` at the positions' times (``(n, n_t, 3)`` km, ITRS)."""
    from constellations.stages.grid_classes import grid_links_close
    from constellations.stages.network import (
        build_graph,
        candidate_edges,
        formation_clusters,
    )

    design = constellation.links
    n_t = positions_km.shape[1]
    if len(chosen) < constellation.n_sats:  # a sample: +Grid pairs with both ends in it
        if design.topology != "+grid":
            return np.empty((0, 2), dtype=np.int64), np.empty((0, n_t), dtype=bool)
        i, j, cross = candidate_edges(resolved, design)
        a, b = np.searchsorted(chosen, i), np.searchsorted(chosen, j)
        inside = (a < len(chosen)) & (b < len(chosen))
        inside[inside] &= (chosen[a[inside]] == i[inside]) & (chosen[b[inside]] == j[inside])
        a, b, cross = a[inside], b[inside], cross[inside]
        ends_a = positions_km[a].reshape(-1, 3)
        ends_b = positions_km[b].reshape(-1, 3)
        closes = grid_links_close(ends_a, ends_b, np.repeat(cross, n_t), design)
        pairs = np.column_stack([np.minimum(a, b), np.maximum(a, b)])
        return pairs, closes.reshape(len(a), n_t)
    candidates = candidate_edges(resolved, design) if design.topology == "+grid" else None
    groups = constellation.groups
    nodes = {"shell": np.repeat(np.arange(len(groups)), [g.n_sats for g in groups])}
    clusters = formation_clusters(resolved)
    n = constellation.n_sats
    keys_at = []
    for k in range(n_t):  # the mesh at each position sample, as the globe draws it
        graph = build_graph(positions_km[:, k, :], design, candidates, nodes, clusters)
        lo, hi = np.minimum(graph.i, graph.j), np.maximum(graph.i, graph.j)
        keys_at.append(np.unique(lo.astype(np.int64) * n + hi))
    keys = np.unique(np.concatenate(keys_at)) if keys_at else np.empty(0, dtype=np.int64)
    closes = np.zeros((len(keys), n_t), dtype=bool)
    for k, at in enumerate(keys_at):
        closes[np.searchsorted(keys, at), k] = True
    return np.column_stack([keys // n, keys % n]), closes


@dataclass(frozen=True)
class Tracks:
    """The drawn satellites over one orbit: ``chosen`` ``(n,)`` global indices, ``positions_km``
    ``(n, n_t, 3)`` ITRS at the fine times ``t_s`` ``(n_t,)`` s from the epoch (``iso`` their
    UTC), ``states`` ``(n, n_t)`` sunlight (0 sunlit, 1 penumbra, 2 umbra), ``last``
    ``(n,)`` the last finite sample (-1: none), ``period_s`` the orbit."""

    chosen: np.ndarray
    positions_km: np.ndarray
    t_s: np.ndarray
    iso: list
    states: np.ndarray
    last: np.ndarray
    period_s: float

    @property
    def drawn(self) -> np.ndarray:
        return self.last >= 0

    @property
    def step_s(self) -> float:
        """Time between position samples, s."""
        return self.period_s / POSITION_STEPS


def tracks(constellation, resolved, max_satellites: int, ts) -> Tracks:
    """Positions and sunlight of at most ``max_satellites`` satellites (the globe's sample)
    over one orbit: :data:`POSITION_STEPS` x :data:`SUNLIGHT_REFINE` steps and the endpoint."""
    from constellations.stages.propagate import sample_positions
    from constellations.stages.resolve import longest_period_min
    from orbital.frames import teme_to_itrs_km
    from orbital.shadow import ShadowStream
    from orbital.sun import sun_teme_km
    from orbital.times import TimeGrid

    chosen = sample_satellites(constellation.n_sats, max_satellites)
    period_s = 60.0 * longest_period_min(resolved)
    n_fine = POSITION_STEPS * SUNLIGHT_REFINE
    fine = TimeGrid.from_offsets(constellation.epoch, np.arange(n_fine + 1) * (period_s / n_fine))
    positions = sample_positions(
        constellation, chosen, fine, frame="itrs", resolved=resolved, ts=ts
    )
    times = fine.skyfield(ts)
    sun = teme_to_itrs_km(sun_teme_km(fine, ts), times)
    with np.errstate(invalid="ignore"):  # satellites that failed in SGP4 are NaN
        states = _sunlight_states(ShadowStream(sun, len(chosen))(positions))
    valid = np.isfinite(positions).all(axis=2)  # SGP4 failures (decay) are NaN from then on
    last = np.where(valid.all(axis=1), n_fine, np.argmin(valid, axis=1) - 1)
    return Tracks(chosen, positions, fine.t_s, times.utc_iso(places=3), states, last, period_s)


def _preamble(c, track: Tracks, statement: str, link_note: str):
    from czml3 import Packet
    from czml3.properties import Clock

    step_s = track.step_s
    description = (
        f"<p>orbital-dc plan of {c.name}: {statement}, over one orbit "
        f"({track.period_s / 60:.1f} min) from the epoch {c.epoch.iso_z()}.</p><p>Positions "
        f"every {step_s:.1f} s in the ITRS (Cesium's FIXED frame), Lagrange degree "
        f"{INTERPOLATION_DEGREE}; sunlight from the conical shadow every "
        f"{step_s / SUNLIGHT_REFINE:.1f} s: gold sunlit, red penumbra, blue umbra.</p>"
        f"<p>{link_note}.</p>"
    )
    return Packet(
        id="document",
        name=f"orbital-dc plan: {c.name}",
        version="1.0",
        description=description,
        clock=Clock(
            interval=f"{track.iso[0]}/{track.iso[-1]}",
            currentTime=track.iso[0],
            multiplier=CLOCK_MULTIPLIER,
            range="LOOP_STOP",
            step="SYSTEM_CLOCK_MULTIPLIER",
        ),
    )


def _folder(group, name: str, shown: int):
    from czml3 import Packet

    about = (
        f"{group.shell.altitude_km:g} km, {group.inclination_deg:.2f} deg, "
        f"{group.shell.planes} planes of {group.shell.sats_per_plane}"
        if hasattr(group, "shell")
        else "an element set"
    )
    return Packet(
        id=f"shell/{name}",
        name=name,
        description=f"<p>{name}: {about}; {shown:,} of {group.n_sats:,} satellites drawn.</p>",
    )


def _satellite(track: Tracks, row: int, group: str, where: str, g: int, n_sats: int, colours):
    """The packet of drawn satellite ``row`` (global index ``g``) of the folder ``group``;
    ``colours`` are the czml3 Colors of the sunlight states and then of the trail."""
    from czml3 import Packet
    from czml3.properties import Path, Point, Position

    end = int(track.last[row])
    samples = np.arange(0, end + 1, SUNLIGHT_REFINE)
    xyz = np.round(track.positions_km[row, samples] * 1000.0, 1)
    tagged = np.column_stack([np.round(track.t_s[samples], 6), xyz]).ravel().tolist()
    state = track.states[row, : end + 1]
    share = np.bincount(state, minlength=3) / len(state)
    return Packet(
        id=f"sat/{g}",
        name=f"{group} {where}",
        parent=f"shell/{group}",
        description=(
            f"<p>{group} {where}: satellite {g:,} of {n_sats:,}.</p><p>This orbit: sunlit "
            f"{share[0]:.0%}, penumbra {share[1]:.1%}, umbra {share[2]:.0%} of the time "
            "(conical shadow).</p>"
        ),
        availability=f"{track.iso[0]}/{track.iso[end]}",
        properties={"sunlight": _state_runs(state, track.iso)},
        position=Position(
            epoch=track.iso[0],
            cartesian=tagged,
            referenceFrame="FIXED",
            interpolationAlgorithm="LAGRANGE",
            interpolationDegree=INTERPOLATION_DEGREE,
        ),
        point=Point(pixelSize=POINT_PIXELS, color=_intervals(state, track.iso, colours[:3])),
        path=Path(
            width=LINE_PIXELS,
            leadTime=0.0,
            trailTime=track.period_s / 4.0,
            resolution=track.step_s,
            material={"solidColor": {"color": colours[3]}},
        ),
    )


def _link(ga: int, gb: int, closed: np.ndarray, times_iso):
    """The polyline of the link between satellites ``ga`` and ``gb``, shown while ``closed``."""
    from czml3 import Packet
    from czml3.properties import Polyline, PositionList

    return Packet(
        id=f"link/{ga}-{gb}",
        name=f"link {ga}-{gb}",
        parent="links",
        polyline=Polyline(
            positions=PositionList(references=[f"sat/{ga}#position", f"sat/{gb}#position"]),
            arcType="NONE",
            width=LINE_PIXELS,
            material={"solidColor": {"color": {"rgba": LINK_RGBA}}},
            show=_intervals(closed.astype(np.int8), times_iso, [False, True]),
        ),
    )


def plan_czml(plan, *, max_satellites: int = MAX_CZML_SATELLITES, ts=None) -> PlanCzml:
    """The CZML document of ``plan`` (a :class:`~constellations.planner.Plan`) over one orbit.

    One orbit is the longest shell's nodal period from the epoch (95 min without shells),
    sampled at :data:`POSITION_STEPS` + 1 times; at most ``max_satellites`` satellites,
    a seeded random sample above.  Raises ValueError when ``max_satellites`` < 1.
    """
    from czml3 import Document, Packet
    from czml3.properties import Color

    from constellations.stages.propagate import satellite_rows
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale
    from viz.globe import SUNLIGHT_STATES, group_colour

    if max_satellites < 1:
        raise ValueError(f"max_satellites={max_satellites}: must be at least 1")
    ts = ts or builtin_timescale()
    c = plan.constellation
    resolved = plan.resolved if plan.resolved is not None else resolve(c, ts)
    track = tracks(c, resolved, max_satellites, ts)
    chosen, drawn = track.chosen, track.drawn
    coarse = slice(None, None, SUNLIGHT_REFINE)
    pairs, closes = _link_states(c, resolved, chosen, track.positions_km[:, coarse, :])
    keep = drawn[pairs[:, 0]] & drawn[pairs[:, 1]] & closes.any(axis=1)
    pairs, closes = pairs[keep], closes[keep]

    statement = sample_statement(len(chosen), c.n_sats)
    if (~drawn).any():
        statement += f" ({int((~drawn).sum()):,} of them failed in SGP4 and are not drawn)"
    link_note = (
        f"{len(pairs):,} laser links that close at some time of the orbit, shown while "
        f"they close ({c.links.topology}; checked every {track.step_s:.0f} s)"
    )
    if len(chosen) < c.n_sats:
        link_note += (
            "; of a sample, only +Grid links with both ends in it (nearest-neighbour and "
            "inter-shell links depend on every satellite)"
        )
    packets = [_preamble(c, track, statement, link_note)]
    groups = [*resolved, *c.element_sets]
    names = [g.shell.name if hasattr(g, "shell") else g.name for g in groups]
    bounds = np.asarray(c.group_bounds)
    for k, (group, name) in enumerate(zip(groups, names, strict=True)):
        lo, hi = np.searchsorted(chosen, bounds[k : k + 2])
        packets.append(_folder(group, name, int(drawn[lo:hi].sum())))
    table = satellite_rows(c, chosen)
    colour_of = {value: hex_colour for _, hex_colour, value in SUNLIGHT_STATES}
    states = [Color(rgba=_rgba(colour_of[value])) for value in (100, 50, 0)]  # STATE_NAMES
    colours = [[*states, Color(rgba=_rgba(group_colour(k), 128))] for k in range(len(groups))]
    for row in np.flatnonzero(drawn):
        g = int(chosen[row])
        k = int(np.searchsorted(bounds, g, side="right") - 1)
        plane, slot = int(table["plane"][row]), int(table["slot"][row])
        where = f"plane {plane}, slot {slot}" if plane >= 0 else f"#{g - int(bounds[k])}"
        packets.append(_satellite(track, int(row), names[k], where, g, c.n_sats, colours[k]))
    if len(pairs):
        packets.append(Packet(id="links", name="laser links", description=f"<p>{link_note}.</p>"))
    packets += [
        _link(int(chosen[a]), int(chosen[b]), closed, track.iso[coarse])
        for (a, b), closed in zip(pairs, closes, strict=True)
    ]
    return PlanCzml(
        document=Document(packets=packets),
        shown=int(drawn.sum()),
        n_sats=c.n_sats,
        failed=int((~drawn).sum()),
        groups=len(groups),
        links=len(pairs),
    )


def write_plan_czml(plan, path, *, max_satellites: int = MAX_CZML_SATELLITES) -> PlanCzml:
    """Write the CZML of ``plan`` (:func:`plan_czml`) to ``path``, atomically (compact JSON).

    Raises :class:`~constellations.errors.ExportError` when ``path`` cannot be written.
    """
    check_writable(path, "--czml")
    result = plan_czml(plan, max_satellites=max_satellites)
    text = result.document.dumps()
    with atomic_write(path) as handle:
        handle.write(text)
    return result
