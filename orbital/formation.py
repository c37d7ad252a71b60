"""Close-formation clusters: planar lattices of passive relative orbits, and their spacing.

A planar cluster flies in the chief's orbital plane (LVLH x radial, y along-track; see
:mod:`orbital.relative_motion`).  Each member flies a drift-free 2:1 relative ellipse
``x = A cos(w t + alpha)``, ``y = -2 A sin(w t + alpha)`` (HCW; SS stretches y by
``c / sqrt(1 - s)``, 1.001 at 650 km).  Write each member's *lattice point* as
``p = (A cos alpha, A sin alpha)``: at time ``t`` its position is ``D R(w t) p`` with
``R`` a rotation and ``D = diag(1, -2)``.  So the whole cluster is one lattice, turned at
the orbital rate and stretched 2:1 along-track: two members ``|dp|`` apart in the lattice
are between ``|dp|`` and ``2 |dp|`` apart in space, each extreme twice an orbit
(``D``'s singular values are 1 and 2), and no two members come closer than their lattice
distance.  A lattice with pitch ``p`` above the keep-out distance is collision-free and
bounded by construction; a member at lattice radius ``|p|`` reaches ``2 |p|`` from the
centre along-track.

Suncatcher (Google, "Towards a future space-based, highly scalable AI infrastructure
system design", arXiv:2511.19468, 2025, section on orbital dynamics and its Figure 2): 81
satellites placed in the orbital plane, within 1 km of the cluster's centre, in a
dawn-dusk sun-synchronous orbit at about 650 km, neighbours 100-200 m apart.
:func:`suncatcher_cluster` reads that as a hexagonal lattice of pitch 100 m (see there).

Metrics over time: a sort-and-sweep vectorised over blocks of times
(:func:`separation_metrics`, :func:`nearest_neighbours_m`).
"""

import numpy as np
from scipy.spatial import cKDTree

from orbital.constants import J2, SUN_MEAN_MOTION_RAD_S
from orbital.relative_motion import (
    EARTH_RADIUS_M,
    mean_anomaly_rate_rad_s,
    mean_drift_free_states_about,
    passive_relative_orbit_states,
    relative_positions_m,
    ss_rates,
)

#: Suncatcher's published cluster (arXiv:2511.19468): 81 satellites, 1 km cluster radius,
#: about 650 km, dawn-dusk sun-synchronous; neighbours 100-200 m apart.
SUNCATCHER_MEMBERS = 81
SUNCATCHER_RADIUS_M = 1000.0
SUNCATCHER_ALTITUDE_M = 650e3
SUNCATCHER_PITCH_M = 100.0
#: Samples per orbit for the collision check of :func:`check_no_collision`: the separation
#: of two members of a relative orbit changes by at most their relative speed times the
#: step; at 720 samples and 1 km offsets that is under 2 cm of missed minimum.
COLLISION_SAMPLES_PER_ORBIT = 720


def lattice_points_m(
    kind: str,
    radial_pitch_m: float,
    along_track_pitch_m: float | None = None,
    cluster_radius_m: float | None = None,
    n_members: int | None = None,
) -> np.ndarray:
    """Lattice points ``(n, 2)`` in metres, ``(A cos alpha, A sin alpha)`` per member.

    ``kind="rectangular"``: at ``t = 0`` the members stand on a grid of ``radial_pitch_m``
    radially and ``along_track_pitch_m`` along-track (lattice pitches ``radial_pitch_m``
    and ``along_track_pitch_m / 2``).  ``kind="hexagonal"``: a triangular lattice of pitch
    ``radial_pitch_m`` (one side radial at ``t = 0``); ``along_track_pitch_m`` unused.
    The lattice is centred on a point (the chief's place, a member).  Members are those
    whose ellipse stays within ``cluster_radius_m`` of the centre (lattice radius at most
    half of it), or the ``n_members`` nearest the centre (ties by polar angle), or the
    ``n_members`` nearest within ``cluster_radius_m`` when both are given.
    Raises ValueError for a non-positive pitch, neither a radius nor a count, or a count
    that does not fit the radius (the message says how many do).
    """
    if kind not in ("rectangular", "hexagonal"):
        raise ValueError(f"lattice kind {kind!r}: use 'rectangular' or 'hexagonal'")
    if along_track_pitch_m is None:
        along_track_pitch_m = radial_pitch_m
    if not (radial_pitch_m > 0 and along_track_pitch_m > 0):
        raise ValueError(f"pitches {radial_pitch_m}, {along_track_pitch_m} m: must be positive")
    if cluster_radius_m is None and n_members is None:
        raise ValueError("give a cluster_radius_m, an n_members, or both")
    if n_members is not None and n_members < 1:
        raise ValueError(f"n_members={n_members}: need at least one member")
    if kind == "rectangular":
        b1, b2 = np.array([radial_pitch_m, 0.0]), np.array([0.0, along_track_pitch_m / 2.0])
    else:
        b1 = np.array([radial_pitch_m, 0.0])
        b2 = radial_pitch_m * np.array([0.5, np.sqrt(3.0) / 2.0])
    shortest = min(np.linalg.norm(b1), np.linalg.norm(b2))
    reach = cluster_radius_m / 2.0 if cluster_radius_m is not None else None
    if reach is None:
        reach = shortest * (np.sqrt(n_members) + 2.0)
    m = int(np.ceil(2.0 * reach / shortest)) + 2
    i, j = np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1), indexing="ij")
    pts = i.reshape(-1, 1) * b1 + j.reshape(-1, 1) * b2
    radius = np.hypot(pts[:, 0], pts[:, 1])
    order = np.lexsort((np.arctan2(pts[:, 1], pts[:, 0]), np.round(radius, 6)))
    pts, radius = pts[order], radius[order]
    if cluster_radius_m is not None:
        inside = radius <= reach * (1.0 + 1e-9)
        pts = pts[inside]
        if n_members is not None and n_members > len(pts):
            raise ValueError(
                f"{n_members} members do not fit a {cluster_radius_m:g} m cluster radius at "
                f"this pitch: only {len(pts)} do (their 2:1 ellipses reach twice their "
                "lattice radius); widen the radius or shorten the pitch"
            )
    if n_members is not None:
        pts = pts[:n_members]
    return pts


def lattice_states(
    points_m,
    radius_m: float,
    inclination_rad: float,
    keep_out_m: float,
    j2: float = J2,
) -> np.ndarray:
    """Drift-free in-plane PRO states ``(n, 6)`` (m, m/s) for lattice points ``(n, 2)``.

    Each point ``(A cos alpha, A sin alpha)`` becomes the PRO of radial amplitude ``A`` and
    phase ``alpha`` (:func:`orbital.relative_motion.passive_relative_orbit_states`), no
    cross-track motion.  These are SS's states, drift-free in SS; the velocities to fly in
    the true J2 field (equal mean semi-major axes) are
    :func:`orbital.relative_motion.mean_drift_free_states` of them.  Raises ValueError when
    two points are closer than ``keep_out_m`` (their members would come that close twice
    an orbit) and when the members' relative orbits come closer than ``keep_out_m`` over
    one orbit (:func:`check_no_collision`).
    """
    pts = np.asarray(points_m, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"lattice points of shape {pts.shape}: need (n, 2)")
    if len(pts) > 1:
        d, _ = cKDTree(pts).query(pts, k=2)
        if d[:, 1].min() < keep_out_m:
            raise ValueError(
                f"lattice pitch {d[:, 1].min():.1f} m is below the keep-out distance "
                f"{keep_out_m:g} m: members would pass that close twice an orbit"
            )
    amplitude = np.hypot(pts[:, 0], pts[:, 1])
    phase = np.arctan2(pts[:, 1], pts[:, 0])
    states = passive_relative_orbit_states(
        amplitude, phase, 0.0, 0.0, radius_m, inclination_rad, j2=j2
    )
    check_no_collision(states, radius_m, inclination_rad, keep_out_m, j2=j2)
    return states


def lattice_positions_m(
    points_m, t_s, mean_semi_major_axis_m: float, inclination_rad: float, j2: float = J2
) -> np.ndarray:
    """The members' mean relative orbits in the chief's LVLH frame, metres, ``(n, n_t, 3)``.

    Lattice point ``(A cos alpha, A sin alpha)`` flies ``x = A cos(M' t + alpha)``,
    ``y = -2 A sin(M' t + alpha)``, ``z = 0`` with ``M'`` the chief's mean-anomaly rate
    under J2 (:func:`orbital.relative_motion.mean_anomaly_rate_rad_s` of its mean
    semi-major axis): members that share the chief's mean ``a`` in its plane do not drift,
    and their relative ellipses turn at ``M'`` (the eccentricity-vector difference turns
    with the perigee while the frame turns with the argument of latitude).  This is the
    motion :func:`lattice_flown_states` flies in the true J2 field, to its short-period
    terms (about 0.5 % of the offsets, metres at hundreds of metres); SS's closed form
    turns the ellipses 0.2 % slower at 650 km SSO (1.4 km off after 10 days).
    ``points_m`` ``(n, 2)``; ``t_s`` ``(n_t,)`` seconds from ``t = 0``.
    """
    pts = np.asarray(points_m, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"lattice points of shape {pts.shape}: need (n, 2)")
    rate = mean_anomaly_rate_rad_s(mean_semi_major_axis_m, inclination_rad, j2)
    amplitude = np.hypot(pts[:, 0], pts[:, 1])[:, None]
    phase = np.arctan2(pts[:, 1], pts[:, 0])[:, None] + rate * np.asarray(t_s, dtype=float)
    out = np.zeros((len(pts), phase.shape[1], 3))
    out[..., 0] = amplitude * np.cos(phase)
    out[..., 1] = -2.0 * amplitude * np.sin(phase)
    return out


def lattice_flown_states(
    points_m, chief_m_m_s, mean_semi_major_axis_m: float, inclination_rad: float, j2: float = J2
) -> np.ndarray:
    """The relative states ``(n, 6)`` (m, m/s, LVLH) to fly at ``t = 0`` for lattice points.

    Positions and radial velocities those of :func:`lattice_positions_m` at ``t = 0``; the
    along-track velocity the one that gives each member the chief's first-order mean
    semi-major axis about the chief's inertial state ``chief_m_m_s`` ``(6,)``
    (:func:`orbital.relative_motion.mean_drift_free_states_about`), which carries the
    short-period J2 terms that depend on where in its orbit the chief is.
    """
    rate = mean_anomaly_rate_rad_s(mean_semi_major_axis_m, inclination_rad, j2)
    pts = np.asarray(points_m, dtype=float)
    states = np.zeros((len(pts), 6))
    states[:, 0] = pts[:, 0]
    states[:, 1] = -2.0 * pts[:, 1]
    states[:, 3] = -rate * pts[:, 1]
    states[:, 4] = -2.0 * rate * pts[:, 0]
    return mean_drift_free_states_about(chief_m_m_s, states, j2)


def check_no_collision(
    states_m_m_s, radius_m: float, inclination_rad: float, keep_out_m: float, j2: float = J2
) -> float:
    """The smallest separation over one orbit, metres; raises ValueError below keep-out.

    Propagates ``states_m_m_s`` ``(n, 6)`` with :func:`relative_positions_m` at
    ``COLLISION_SAMPLES_PER_ORBIT`` samples over one orbit (``2 pi / n c``).  The message
    names the two members and the time of their closest approach.
    """
    if not keep_out_m >= 0:
        raise ValueError(f"keep_out_m={keep_out_m}: must not be negative")
    period = 2.0 * np.pi / ss_rates(radius_m, inclination_rad, j2)["frame_rate"]
    t = np.linspace(0.0, period, COLLISION_SAMPLES_PER_ORBIT, endpoint=False)
    pos = relative_positions_m(states_m_m_s, t, radius_m, inclination_rad, 0.0, j2)
    if pos.shape[0] < 2:
        return float("inf")
    smallest, _, pairs = separation_metrics(pos, return_pairs=True)
    k = int(np.argmin(smallest))
    if smallest[k] < keep_out_m:
        i, j = pairs[k]
        raise ValueError(
            f"members {i} and {j} come {smallest[k]:.1f} m apart at t = {t[k]:.0f} s, "
            f"closer than the keep-out distance {keep_out_m:g} m"
        )
    return float(smallest.min())


def suncatcher_cluster(
    inclination_rad: float | None = None,
    altitude_m: float = SUNCATCHER_ALTITUDE_M,
    keep_out_m: float = 50.0,
    j2: float = J2,
) -> tuple[np.ndarray, np.ndarray]:
    """A Suncatcher-like 81-member planar cluster: ``(states (81, 6), lattice points (81, 2))``.

    Assumptions added to the published figures (arXiv:2511.19468: 81 satellites in the
    orbital plane, within 1 km, at about 650 km, neighbours 100-200 m apart):

    * plane: the chief's orbital plane (radial/along-track), no cross-track motion, so the
      arrays, facing the Sun along the orbit normal in a dawn-dusk orbit, do not shade each
      other when the Sun is on the normal;
    * lattice: hexagonal, pitch 100 m, centred on the chief (a member), the 81 points
      nearest the centre (ties by polar angle) out of the 91 within 500 m: every
      member's 2:1 ellipse stays within 1 km of the centre;
    * phase: one lattice side radial at ``t = 0`` (at a quarter orbit it is along-track);
    * distances: lattice neighbours are 100 m apart at their closest and 200 m at their
      farthest (``D``'s singular values, module note; SS adds 0.1 %);
    * orbit: circular, radius ``Re + altitude_m`` (WGS-72 ``Re``), inclination
      sun-synchronous under J2 (Vallado eq. 9-41) unless given;
    * states: SS's; fly :func:`orbital.relative_motion.mean_drift_free_states` of them
      (SS's own drift-free velocities disperse the real cluster by kilometres in 10 days).

    ``keep_out_m`` is checked (ValueError) as in :func:`lattice_states`.
    """
    radius_m = EARTH_RADIUS_M + altitude_m
    if inclination_rad is None:
        inclination_rad = sun_synchronous_inclination_rad(radius_m)
    pts = lattice_points_m(
        "hexagonal",
        SUNCATCHER_PITCH_M,
        cluster_radius_m=SUNCATCHER_RADIUS_M,
        n_members=SUNCATCHER_MEMBERS,
    )
    return lattice_states(pts, radius_m, inclination_rad, keep_out_m, j2), pts


def sun_synchronous_inclination_rad(radius_m: float, j2: float = J2) -> float:
    """J2-only sun-synchronous inclination of a circular orbit, rad (Vallado eq. 9-41).

    ``cos i = -Omega_dot_sun / (3/2 n J2 (Re/r)^2)`` with the mean Sun's rate (one turn a
    tropical year, :data:`orbital.constants.SUN_MEAN_MOTION_RAD_S`).  Raises ValueError
    above the altitude where no inclination is fast enough (about 5,970 km).
    """
    n = ss_rates(radius_m, 0.0, j2)["n"]
    cos_i = -SUN_MEAN_MOTION_RAD_S / (1.5 * n * j2 * (EARTH_RADIUS_M / radius_m) ** 2)
    if cos_i < -1.0:
        raise ValueError(f"radius {radius_m:.0f} m: no sun-synchronous inclination exists")
    return float(np.arccos(cos_i))


def lattice_neighbour_pairs(points_m, tolerance: float = 1e-6) -> np.ndarray:
    """Pairs ``(m, 2)`` of members that are nearest neighbours in the lattice.

    Two members are neighbours when their lattice distance is within ``tolerance``
    (relative) of the lattice's shortest distance (the pitch).  Their spatial distance then
    runs between the pitch and twice it over each orbit.
    """
    pts = np.asarray(points_m, dtype=float)
    tree = cKDTree(pts)
    pitch = tree.query(pts, k=2)[0][:, 1].min()
    return tree.query_pairs(pitch * (1.0 + tolerance), output_type="ndarray")


def pair_distances_m(positions_m, pairs) -> np.ndarray:
    """Distances ``(m, n_t)`` in metres between the members of each pair over time.

    ``positions_m`` ``(n, n_t, 3)``; ``pairs`` ``(m, 2)`` member indices.
    """
    pos = np.asarray(positions_m, dtype=float)
    pairs = np.asarray(pairs, dtype=int)
    return np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=-1)


#: Points (members x times) a block of :func:`separation_metrics` holds: small enough to
#: stay in cache (20,000 doubles a coordinate), large enough to vectorise.
SEPARATION_BLOCK_POINTS = 20_000


def separation_metrics(positions_m, return_pairs: bool = False):
    """Smallest separation and largest nearest-neighbour distance at each time, metres.

    ``positions_m`` ``(n, n_t, 3)`` (n >= 2).  Returns ``(min_separation_m (n_t,),
    max_nearest_neighbour_m (n_t,))``, and with ``return_pairs`` also the ``(n_t, 2)``
    member indices of each time's closest pair.  Exact, by a sweep over blocks of times
    (:func:`nearest_neighbours_m`).  Raises ValueError for fewer than two members or a
    bad shape.
    """
    nearest, partner = nearest_neighbours_m(positions_m)
    smallest = nearest.min(axis=1)
    largest = nearest.max(axis=1)
    if not return_pairs:
        return smallest, largest
    first = nearest.argmin(axis=1)
    return smallest, largest, np.column_stack([first, partner[np.arange(len(first)), first]])


def nearest_neighbours_m(positions_m) -> tuple[np.ndarray, np.ndarray]:
    """Each member's nearest-neighbour distance ``(n_t, n)`` m and that neighbour's index.

    ``positions_m`` ``(n, n_t, 3)``.  Sort and sweep, vectorised over times: at each time
    the members are sorted along the axis of their widest spread; the k-th pass measures
    every member against the one k places further in that order, and the passes stop when,
    at every time, the k-th gap along the axis alone is wider than both members' nearest
    distance so far (no member further along can be nearer, since the gap only grows with
    k).  Times go in blocks of :data:`SEPARATION_BLOCK_POINTS` points, each stopping on
    its own.  Exact; the same as a brute force over every pair.  Raises ValueError for
    fewer than two members or a bad shape.
    """
    pos = np.asarray(positions_m, dtype=float)
    if pos.ndim != 3 or pos.shape[2] != 3 or pos.shape[0] < 2:
        raise ValueError(f"positions of shape {pos.shape}: need (n >= 2, n_t, 3)")
    n, n_t, _ = pos.shape
    step = max(1, SEPARATION_BLOCK_POINTS // n)
    nearest = np.empty((n_t, n))
    partner = np.empty((n_t, n), dtype=np.intp)
    for start in range(0, n_t, step):
        block = slice(start, start + step)
        nearest[block], partner[block] = _sweep(pos[:, block].transpose(1, 0, 2))
    return nearest, partner


def _sweep(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`nearest_neighbours_m` of one block ``p`` ``(n_t, n, 3)``."""
    n_t, n, _ = p.shape
    axis = np.ptp(p, axis=1).argmax(axis=1)
    key = np.take_along_axis(p, axis[:, None, None], axis=2)[..., 0]
    order = np.argsort(key, axis=1)
    key = np.take_along_axis(key, order, axis=1)
    coords = [np.take_along_axis(p[..., j], order, axis=1) for j in range(3)]
    best = np.full((n_t, n), np.inf)  # squared distances, in sorted order
    partner = np.zeros((n_t, n), dtype=np.intp)
    places = np.arange(n)
    for k in range(1, n):
        d2 = (coords[0][:, k:] - coords[0][:, :-k]) ** 2
        d2 += (coords[1][:, k:] - coords[1][:, :-k]) ** 2
        d2 += (coords[2][:, k:] - coords[2][:, :-k]) ** 2
        left, right = best[:, :-k], best[:, k:]
        closer = d2 < left
        np.copyto(left, d2, where=closer)
        np.copyto(partner[:, :-k], places[k:], where=closer)
        closer = d2 < right
        np.copyto(right, d2, where=closer)
        np.copyto(partner[:, k:], places[:-k], where=closer)
        if np.all((key[:, k:] - key[:, :-k]) ** 2 >= np.maximum(left, right)):
            break
    inverse = np.argsort(order, axis=1)
    nearest = np.sqrt(np.take_along_axis(best, inverse, axis=1))
    found = np.take_along_axis(np.take_along_axis(order, partner, axis=1), inverse, axis=1)
    return nearest, found
