"""Three-dimensional close-formation clusters: a 3-D lattice of passive relative orbits.

Our own construction (Penot and Balakrishnan, "Designing Dense Satellite Clusters for
Distributed Space-based Datacenters", arXiv:2605.15335, 2026, propose a 3-D cluster
parametrised by a guaranteed spacing and a cluster radius whose member count grows as
``(R_max / R_min)^3``; only their abstract was at hand, so what follows is not their
construction, and the abstract's claims are the only ones taken from them).

Frame and motion as :mod:`orbital.relative_motion` (LVLH: x radial, y along-track, z
cross-track).  A member's *design point* ``q = (q1, q2, q3)`` (metres) sets a drift-free
relative orbit whose HCW motion is linear in ``q``::

    u = R(w t) (q1, q2)                       (the in-plane phase, turning at the orbit rate)
    x = u1,   y = sqrt(3) q3 - 2 u2,   z = -sqrt(3) u2

that is ``rho(t) = A R3(w t) q`` with ``A = [[1, 0, 0], [0, -2, sqrt 3], [0, -sqrt 3, 0]]``
and ``R3`` a rotation about ``q3``: a 2:1 ellipse of radial amplitude ``|(q1, q2)|``, a
cross-track oscillation ``sqrt 3`` times it in phase with the along-track one, centred
``sqrt(3) q3`` along-track.  Two members are ``M(t) dq`` apart, so every pair's separation
lies between ``sigma_min(M) |dq|`` and ``sigma_max(M) |dq|``: a lattice of pitch ``d`` in
``q`` guarantees ``sigma_min d`` at all times, whatever the pair (the planar lattice's
argument, :mod:`orbital.formation`, one dimension up).  ``A``'s singular values are 3, 1
and 1, and no other choice of the cross-track gain and the along-track stacking gives a
smaller ratio (searched numerically: the ratio is 3 at gain ``sqrt 3``, stacking
``sqrt 3``), so lattice neighbours are between ``d`` and ``3 d`` apart.  The design lattice
is face-centred cubic (the densest packing of spheres of diameter ``d``).

With J2 (Schweighart-Sedwick) the map is ``M(t)`` built from the same closed form
(:func:`design_matrices`); the cross-track oscillation needs an inclination difference,
whose along-track drift (:func:`orbital.relative_motion.ss_rates`
``drift_per_inclination``) is cancelled here by the in-plane drift term (a radial offset
under a metre), while its differential nodal regression grows the cross-track motion over
days and J2 turns the in-plane ellipse against the cross-track oscillation (3 deg a day at
650 km sun-synchronous); :func:`guaranteed_spacing_m` bounds the spacing at any time from
``sigma_min(M(t))``.

Sunlight: an array facing the Sun is shaded by a member whose relative position lies
within the array's footprint along the Sun line.  With the Sun within ``90 - beta_min`` of
the orbit normal, at any azimuth, two members whose separation ``r(t)`` keeps
``|r_xy| cos e - |r_z| sin e >= sqrt(2) L`` (``e = 90 deg - beta_min``, ``L`` the array's
side) have projections at least ``sqrt(2) L`` apart and so cannot overlap (a sufficient,
conservative condition: :func:`lattice_points_3d_m` skips lattice points that would break it).
"""

import numpy as np

from orbital.constants import J2
from orbital.relative_motion import cross_track_elements, relative_positions_m, ss_rates

SQRT3 = float(np.sqrt(3.0))
#: The HCW design map ``A`` of the module note (rows x, y, z; columns q1, q2, q3).
DESIGN_MAP = np.array([[1.0, 0.0, 0.0], [0.0, -2.0, SQRT3], [0.0, -SQRT3, 0.0]])
#: Face-centred cubic basis of nearest-neighbour distance 1 (rows).
FCC_BASIS = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]) / np.sqrt(2.0)
#: Samples over one orbit for a design's reach, spacing and shading clearance.
DESIGN_SAMPLES_PER_ORBIT = 360
#: The lattice is widened by 0.1 % over the spacing asked: ``sigma_min(M(t))`` between the
#: design's samples dips by under 0.01 % at 650 km (measured against 2,000 samples).
SPACING_MARGIN = 1.001
#: Lattice points a design may weigh (each costs 360 samples of its orbit), and how many at
#: a time (about 35 MB).
MAX_CANDIDATES = 2_000_000
REACH_CHUNK = 4096


def design_states_per_metre(radius_m: float, inclination_rad: float, j2: float = J2):
    """The relative states ``(3, 6)`` (m, m/s per metre of ``q``) of the unit design points.

    Row ``k`` is the state at ``t = 0`` of ``q = e_k``: in-plane a drift-free SS ellipse
    (:func:`orbital.relative_motion.passive_relative_orbit_states`'s form), cross-track
    ``z = -sqrt(3) u2`` at the epoch's phase, and ``y'0`` changed so that the in-plane
    drift cancels the inclination difference's along-track drift.  States of design points
    ``q (n, 3)`` are ``q @ design_states_per_metre(...)``.  The chief's argument of latitude
    is 0 at ``t = 0`` (the cross-track motion is phased to it).  Raises ValueError for a
    bad orbit (:func:`orbital.relative_motion.ss_rates`) and, with J2, an equatorial one
    (no node to phase the cross-track motion to).
    """
    rates = ss_rates(radius_m, inclination_rad, j2)
    fr, w, k = rates["frame_rate"], rates["radial_rate"], rates["k"]
    s = np.zeros((3, 6))
    # q1: x = cos, y = -2 (fr/w) sin, z = -sqrt3 sin (phase alpha = 0, beta = pi/2).
    s[0] = [1.0, 0.0, 0.0, 0.0, -2.0 * fr, -SQRT3 * k]
    # q2: alpha = pi/2.
    s[1] = [0.0, -2.0 * fr / w, -SQRT3, -w, 0.0, 0.0]
    # q3: an along-track offset.
    s[2] = [0.0, SQRT3, 0.0, 0.0, 0.0, 0.0]
    if j2 != 0.0:
        di, _ = cross_track_elements(s, radius_m, inclination_rad, 0.0, j2)
        # In-plane secular rate (C - 2 fr xc) = C (1 - 4 fr^2 / w^2) against the drift.
        big_c = -rates["drift_per_inclination"] * di / (1.0 - 4.0 * fr**2 / w**2)
        s[:, 4] = big_c - 2.0 * fr * s[:, 0]
    return s


def design_matrices(t_s, radius_m: float, inclination_rad: float, j2: float = J2) -> np.ndarray:
    """``M(t)`` ``(n_t, 3, 3)``: a member's LVLH position (m) is ``M(t) q``.

    Columns are the positions of the unit design points by
    :func:`orbital.relative_motion.relative_positions_m` (SS closed form, exact in SS).
    """
    pos = relative_positions_m(
        design_states_per_metre(radius_m, inclination_rad, j2),
        np.asarray(t_s, dtype=float),
        radius_m,
        inclination_rad,
        0.0,
        j2,
    )  # (3 columns, n_t, 3 rows)
    return pos.transpose(1, 2, 0)


def _one_orbit_s(radius_m: float, inclination_rad: float, j2: float) -> np.ndarray:
    period = 2.0 * np.pi / ss_rates(radius_m, inclination_rad, j2)["radial_rate"]
    return np.linspace(0.0, period, DESIGN_SAMPLES_PER_ORBIT, endpoint=False)


def guaranteed_spacing_m(points_m, t_s, radius_m: float, inclination_rad: float, j2: float = J2):
    """A lower bound ``(n_t,)`` m on every pair's separation at each time.

    ``sigma_min(M(t))`` times the smallest distance between design points ``(n, 3)``: any
    pair ``dq`` apart is ``|M(t) dq| >= sigma_min |dq|`` apart (exact in the SS model).
    Raises ValueError for fewer than two points.
    """
    from scipy.spatial import cKDTree

    pts = np.asarray(points_m, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 3 or len(pts) < 2:
        raise ValueError(f"design points of shape {pts.shape}: need (n >= 2, 3)")
    pitch = cKDTree(pts).query(pts, k=2)[0][:, 1].min()
    sigma = np.linalg.svd(design_matrices(t_s, radius_m, inclination_rad, j2), compute_uv=False)
    return sigma[:, -1] * pitch


def shading_clearance_m(separations_m, sun_beta_min_deg: float) -> np.ndarray:
    """The module note's clearance ``|r_xy| cos e - |r_z| sin e`` of separations ``(..., 3)``.

    ``e = 90 deg - sun_beta_min_deg``.  At least ``sqrt(2) L`` keeps two square arrays of
    side ``L`` facing any Sun within ``e`` of the orbit normal from shading each other.
    """
    e = np.radians(90.0 - sun_beta_min_deg)
    r = np.asarray(separations_m, dtype=float)
    return np.hypot(r[..., 0], r[..., 1]) * np.cos(e) - np.abs(r[..., 2]) * np.sin(e)


def lattice_points_3d_m(
    spacing_m: float,
    radius_m: float,
    inclination_rad: float,
    cluster_radius_m: float | None = None,
    n_members: int | None = None,
    array_side_m: float | None = None,
    sun_beta_min_deg: float = 90.0,
    j2: float = J2,
) -> np.ndarray:
    """Design points ``(n, 3)`` m of a 3-D cluster whose members stay ``spacing_m`` apart.

    The FCC lattice is scaled so that ``sigma_min(M(t)) d = spacing_m`` over one orbit
    (``d`` its pitch).  Points are taken by their *reach* (the farthest their member goes
    from the chief over an orbit; ties by coordinates) from the chief (``q = 0``) outwards:
    those within ``cluster_radius_m``, the ``n_members`` first, or both; with
    ``array_side_m``, a point is skipped when its member and one already taken would break
    :func:`shading_clearance_m` of ``sqrt(2) array_side_m`` for ``sun_beta_min_deg`` at some
    sample of the orbit.  Raises ValueError for a non-positive spacing, neither a radius nor
    a count, or a count that does not fit the radius (the message says how many do).
    """
    if not spacing_m > 0:
        raise ValueError(f"spacing {spacing_m} m: must be positive")
    if cluster_radius_m is None and n_members is None:
        raise ValueError("give a cluster_radius_m, an n_members, or both")
    if n_members is not None and n_members < 1:
        raise ValueError(f"n_members={n_members}: need at least one member")
    if not 0.0 < sun_beta_min_deg <= 90.0:
        raise ValueError(f"sun_beta_min_deg={sun_beta_min_deg}: must be in (0, 90]")
    t = _one_orbit_s(radius_m, inclination_rad, j2)
    m_t = design_matrices(t, radius_m, inclination_rad, j2)
    sigma = np.linalg.svd(m_t, compute_uv=False)
    # SPACING_MARGIN covers the bound's dip between the design's samples.
    pitch = spacing_m / sigma[:, -1].min() * SPACING_MARGIN
    reach_q = np.inf
    if cluster_radius_m is not None:
        reach_q = cluster_radius_m / sigma[:, -1].min()
    if n_members is not None:
        # The n-th point by |q| lies within rho_n (FCC: sqrt(2) points per pitch^3); its
        # reach is at most sigma_max rho_n, and any point reaching no farther has |q| at
        # most sigma_max rho_n / sigma_min.
        rho_n = pitch * (np.cbrt(3.0 * n_members / (4.0 * np.pi * np.sqrt(2.0))) + 1.0)
        if array_side_m is not None:
            rho_n *= 2.0  # room for the points the shading condition skips
        reach_q = min(reach_q, rho_n * sigma[:, 0].max() / sigma[:, -1].min())
    candidates = 4.0 / 3.0 * np.pi * (reach_q / pitch) ** 3 * np.sqrt(2.0)
    if candidates > MAX_CANDIDATES:
        raise ValueError(
            f"about {candidates:.2g} lattice points to weigh at {spacing_m:g} m spacing, over "
            f"{MAX_CANDIDATES:.0e}: ask for fewer members or a smaller cluster radius"
        )
    m = int(np.ceil(reach_q / pitch * np.sqrt(2.0))) + 1
    ijk = np.stack(np.meshgrid(*[np.arange(-m, m + 1)] * 3, indexing="ij"), -1).reshape(-1, 3)
    pts = ijk @ FCC_BASIS * pitch
    pts = pts[np.linalg.norm(pts, axis=1) <= reach_q * (1.0 + 1e-9)]
    reach = np.concatenate(
        [
            np.linalg.norm(np.einsum("tij,nj->nti", m_t, pts[k : k + REACH_CHUNK]), axis=-1).max(1)
            for k in range(0, len(pts), REACH_CHUNK)
        ]
    )
    order = np.lexsort((pts[:, 2], pts[:, 1], pts[:, 0], np.round(reach, 6)))
    if cluster_radius_m is not None:
        order = order[reach[order] <= cluster_radius_m * (1.0 + 1e-9)]
    limit = n_members if n_members is not None else len(order)
    chosen: list[int] = []
    taken = np.empty((min(limit, len(order)), len(t), 3))
    for idx in order:
        here = m_t @ pts[idx]  # (n_t, 3)
        if array_side_m is not None and chosen:
            clearance = shading_clearance_m(taken[: len(chosen)] - here, sun_beta_min_deg)
            if clearance.min() < np.sqrt(2.0) * array_side_m:
                continue
        taken[len(chosen)] = here
        chosen.append(int(idx))
        if len(chosen) == limit:
            break
    if n_members is not None and len(chosen) < n_members:
        where = f"a {cluster_radius_m:g} m cluster radius" if cluster_radius_m else "the lattice"
        raise ValueError(
            f"{n_members} members {spacing_m:g} m apart do not fit {where}: only "
            f"{len(chosen)} do (each reaches up to 3 times its design radius"
            + (", arrays kept unshaded" if array_side_m is not None else "")
            + "); widen the radius or shorten the spacing"
        )
    return pts[chosen]


def lattice_3d_states(
    points_m,
    radius_m: float,
    inclination_rad: float,
    keep_out_m: float,
    j2: float = J2,
) -> np.ndarray:
    """Relative states ``(n, 6)`` (m, m/s) of design points ``(n, 3)``.

    Raises ValueError when the guaranteed spacing over one orbit
    (:func:`guaranteed_spacing_m`) is below ``keep_out_m``, and when the members' relative
    orbits come closer than ``keep_out_m`` over one orbit
    (:func:`orbital.formation.check_no_collision`).
    """
    from orbital.formation import check_no_collision

    pts = np.asarray(points_m, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise ValueError(f"design points of shape {pts.shape}: need (n, 3)")
    if len(pts) > 1:
        t = _one_orbit_s(radius_m, inclination_rad, j2)
        bound = guaranteed_spacing_m(pts, t, radius_m, inclination_rad, j2).min()
        if bound < keep_out_m:
            raise ValueError(
                f"the guaranteed spacing {bound:.1f} m is below the keep-out distance "
                f"{keep_out_m:g} m"
            )
    states = pts @ design_states_per_metre(radius_m, inclination_rad, j2)
    check_no_collision(states, radius_m, inclination_rad, keep_out_m, j2=j2)
    return states


def plane_keeping_m_s_per_year(
    states_m_m_s, radius_m: float, inclination_rad: float, j2: float = J2
) -> np.ndarray:
    """Delta-v a year that holds each member's orbital plane on the chief's, m/s, ``(n,)``.

    A member whose cross-track motion comes from an inclination difference ``di``
    (:func:`orbital.relative_motion.cross_track_elements` of its states ``(n, 6)``, m and
    m/s in the chief's LVLH frame) regresses its node ``dOmega/dt = w di`` faster or slower
    than the chief, ``w = 3/2 n J2 (R/a)^2 sin i`` (the derivative of the J2 nodal
    regression ``-3/2 n J2 (R/a)^2 cos i`` in ``i``; Vallado, *Fundamentals of Astrodynamics
    and Applications*, 4th ed., eq. 9-41).  Turning a circular orbit's node back by
    ``dOmega`` costs ``v sin i dOmega`` for small angles (Vallado, eq. 6-24 with
    ``2 v sin i sin(dOmega/2)``), so holding it costs ``v |sin i| |w di|`` a second; a
    Julian year of that.  Zero for members in the chief's plane (planar lattices).  Raises
    what :func:`~orbital.relative_motion.cross_track_elements` raises.
    """
    from orbital.constants import JULIAN_YEAR_DAYS, SECONDS_PER_DAY
    from orbital.relative_motion import MU_M3_S2

    di, _ = cross_track_elements(states_m_m_s, radius_m, inclination_rad, j2=j2)
    rates = ss_rates(radius_m, inclination_rad, j2)
    speed = np.sqrt(MU_M3_S2 / radius_m)
    rate = speed * abs(np.sin(inclination_rad)) * np.abs(rates["node_rate_per_inclination"] * di)
    return rate * JULIAN_YEAR_DAYS * SECONDS_PER_DAY
