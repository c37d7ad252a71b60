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
Earth-fixed scene with the IAU 2006 precession-nutation tables it fetches from its
``Assets`` at run time, and until they arrive it draws nothing; Earth-fixed samples
need no such data, and the globe of the HTML report is ITRS too.
"""

from dataclasses import dataclass

import numpy as np

from constellations.io.atomic import atomic_write, check_writable
from constellations.present.report import sample_satellites, sample_statement

#: Most satellites a CZML document carries; a seeded random sample above.  Each takes about
#: 6 kB (97 position samples and its sunlight), so the limit keeps a file near 12 MB, which
#: Cesium loads in seconds and animates smoothly.
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
        return f"{sample_statement(self.shown, self.n_sats)}, {self.links:,} laser links"


def _rgba(hex_colour: str, alpha: int = 255) -> list[int]:
    return [int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)] + [alpha]


def _runs(states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (sample indices) of the runs of equal values in ``states`` ``(n_t,)``."""
    change = np.flatnonzero(states[1:] != states[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [len(states) - 1]])
    return starts, ends


def _intervals(states, times_iso, values):
    """czml3 IntervalValues of ``values[state]`` over the runs of ``states``."""
    from czml3 import IntervalValue

    starts, ends = _runs(states)
    return [
        IntervalValue(start=times_iso[a], end=times_iso[b], value=values[states[a]])
        for a, b in zip(starts, ends, strict=True)
    ]


def _sunlight_states(fraction: np.ndarray) -> np.ndarray:
    """0 sunlit, 1 penumbra, 2 umbra (the globe's thresholds), -1 without a position."""
    from viz.globe import SUNLIGHT_STATES

    states = np.full(fraction.shape, -1, dtype=np.int8)
    finite = np.isfinite(fraction)
    for k, (_, _, test) in enumerate(SUNLIGHT_STATES):
        states[finite & test(np.where(finite, fraction, 0.0))] = k
    return states


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
    groups = (*constellation.shells, *constellation.element_sets)
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


def plan_czml(plan, *, max_satellites: int = MAX_CZML_SATELLITES, ts=None) -> PlanCzml:
    """The CZML document of ``plan`` (a :class:`~constellations.planner.Plan`) over one orbit.

    One orbit is the longest shell's nodal period from the epoch (95 min without shells),
    sampled at :data:`POSITION_STEPS` + 1 times; at most ``max_satellites`` satellites,
    a seeded random sample above.  Raises ValueError when ``max_satellites`` < 1.
    """
    from czml3 import Document, Packet
    from czml3.properties import Clock, Color, Path, Point, Polyline, Position, PositionList

    from constellations.stages.propagate import sample_positions, satellite_table
    from constellations.stages.resolve import longest_period_min, resolve
    from orbital.frames import teme_to_itrs_km
    from orbital.shadow import ShadowStream
    from orbital.sun import sun_teme_km
    from orbital.times import TimeGrid, builtin_timescale
    from viz.globe import GROUP_COLOURS, SUNLIGHT_STATES

    if max_satellites < 1:
        raise ValueError(f"max_satellites={max_satellites}: must be at least 1")
    ts = ts or builtin_timescale()
    c = plan.constellation
    resolved = plan.resolved if plan.resolved is not None else resolve(c, ts)
    chosen = sample_satellites(c.n_sats, max_satellites)
    period_s = 60.0 * longest_period_min(resolved)
    n_fine = POSITION_STEPS * SUNLIGHT_REFINE
    fine = TimeGrid.from_offsets(c.epoch, np.arange(n_fine + 1) * (period_s / n_fine))
    positions = sample_positions(c, chosen, fine, frame="itrs", resolved=resolved, ts=ts)
    times = fine.skyfield(ts)
    sun = teme_to_itrs_km(sun_teme_km(fine, ts), times)
    with np.errstate(invalid="ignore"):  # satellites that failed in SGP4 are NaN
        states = _sunlight_states(ShadowStream(sun, len(chosen))(positions))
    iso = times.utc_iso(places=3)
    coarse = slice(None, None, SUNLIGHT_REFINE)
    coarse_iso = iso[coarse]
    step_s = period_s / POSITION_STEPS

    valid = np.isfinite(positions).all(axis=2)  # SGP4 failures (decay) are NaN from then on
    last = np.where(valid.all(axis=1), n_fine, np.argmin(valid, axis=1) - 1)  # -1: none
    drawn = last >= 0
    colours = [{"rgba": _rgba(colour)} for _, colour, _ in SUNLIGHT_STATES]

    groups = [*resolved, *c.element_sets]
    group_names = [g.shell.name if hasattr(g, "shell") else g.name for g in groups]
    table = satellite_table(c)
    bounds = np.cumsum([0] + [g.n_sats for g in groups])
    links = _link_states(c, resolved, chosen, positions[:, coarse, :])
    pairs, closes = links
    keep = drawn[pairs[:, 0]] & drawn[pairs[:, 1]] & closes.any(axis=1)
    pairs, closes = pairs[keep], closes[keep]

    statement = sample_statement(int(drawn.sum()), c.n_sats)
    if (~drawn).any():
        statement += f" ({int((~drawn).sum()):,} more failed in SGP4 before the epoch)"
    link_note = (
        f"{len(pairs):,} laser links that close at some time of the orbit, shown while "
        f"they close ({c.links.topology}; checked every {step_s:.0f} s)"
    )
    if len(chosen) < c.n_sats:
        link_note += (
            "; of a sample, only +Grid links with both ends in it (nearest-neighbour and "
            "inter-shell links depend on every satellite)"
        )
    description = (
        f"<p>orbital-dc plan of {c.name}: {statement}, over one orbit ({period_s / 60:.1f} "
        f"min) from the epoch {c.epoch.iso_z()}.</p><p>Positions every {step_s:.1f} s in the "
        f"ITRS (Cesium's FIXED frame), Lagrange degree {INTERPOLATION_DEGREE}; sunlight from "
        f"the conical shadow every {step_s / SUNLIGHT_REFINE:.1f} s: gold sunlit, red "
        f"penumbra, blue umbra.</p><p>{link_note}.</p>"
    )
    span = f"{iso[0]}/{iso[-1]}"
    packets = [
        Packet(
            id="document",
            name=f"orbital-dc plan: {c.name}",
            version="1.0",
            description=description,
            clock=Clock(
                interval=span,
                currentTime=iso[0],
                multiplier=CLOCK_MULTIPLIER,
                range="LOOP_STOP",
                step="SYSTEM_CLOCK_MULTIPLIER",
            ),
        )
    ]
    for k, (group, name) in enumerate(zip(groups, group_names, strict=True)):
        lo, hi = np.searchsorted(chosen, bounds[k : k + 2])
        shown = int(drawn[lo:hi].sum())
        about = (
            f"{group.shell.altitude_km:g} km, {group.inclination_deg:.2f} deg, "
            f"{group.shell.planes} planes of {group.shell.sats_per_plane}"
            if hasattr(group, "shell")
            else "an element set"
        )
        packets.append(
            Packet(
                id=f"shell/{name}",
                name=name,
                description=f"<p>{name}: {about}; {shown:,} of {group.n_sats:,} satellites "
                "drawn.</p>",
            )
        )
    for row in np.flatnonzero(drawn):
        g = int(chosen[row])
        k = int(np.searchsorted(bounds, g, side="right") - 1)
        end = int(last[row])
        samples = np.arange(0, end + 1, SUNLIGHT_REFINE)
        xyz = np.round(positions[row, samples] * 1000.0, 1)
        tagged = np.column_stack([np.round(fine.t_s[samples], 6), xyz]).ravel().tolist()
        state = states[row, : end + 1]
        share = np.bincount(state, minlength=3) / len(state)
        plane, slot = int(table["plane"][g]), int(table["slot"][g])
        where = f"plane {plane}, slot {slot}" if plane >= 0 else f"#{g - int(bounds[k])}"
        packets.append(
            Packet(
                id=f"sat/{g}",
                name=f"{group_names[k]} {where}",
                parent=f"shell/{group_names[k]}",
                description=(
                    f"<p>{group_names[k]} {where}: satellite {g:,} of {c.n_sats:,}.</p><p>This "
                    f"orbit: sunlit {share[0]:.0%}, penumbra {share[1]:.1%}, umbra "
                    f"{share[2]:.0%} of the time (conical shadow).</p>"
                ),
                availability=f"{iso[0]}/{iso[end]}",
                properties={
                    "sunlight": _intervals(state, iso, [{"string": n} for n in STATE_NAMES])
                },
                position=Position(
                    epoch=iso[0],
                    cartesian=tagged,
                    referenceFrame="FIXED",
                    interpolationAlgorithm="LAGRANGE",
                    interpolationDegree=INTERPOLATION_DEGREE,
                ),
                point=Point(
                    pixelSize=POINT_PIXELS,
                    color=_intervals(state, iso, [Color(**colour) for colour in colours]),
                ),
                path=Path(
                    width=LINE_PIXELS,
                    leadTime=0.0,
                    trailTime=period_s / 4.0,
                    resolution=step_s,
                    material={
                        "solidColor": {
                            "color": {"rgba": _rgba(GROUP_COLOURS[k % len(GROUP_COLOURS)], 128)}
                        }
                    },
                ),
            )
        )
    if len(pairs):
        packets.append(Packet(id="links", name="laser links", description=f"<p>{link_note}.</p>"))
    for (a, b), closed in zip(pairs, closes, strict=True):
        ga, gb = int(chosen[a]), int(chosen[b])
        packets.append(
            Packet(
                id=f"link/{ga}-{gb}",
                name=f"link {ga}-{gb}",
                parent="links",
                polyline=Polyline(
                    positions=PositionList(references=[f"sat/{ga}#position", f"sat/{gb}#position"]),
                    arcType="NONE",
                    width=LINE_PIXELS,
                    material={"solidColor": {"color": {"rgba": LINK_RGBA}}},
                    show=_intervals(closed.astype(np.int8), coarse_iso, [False, True]),
                ),
            )
        )
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
