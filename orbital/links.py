"""Laser inter-satellite links: which links close, the mesh they form, what it adds up to.

Geometry (arrays in, arrays out): a link closes when the straight line
between two satellites stays above a grazing altitude (80 km by default: below
that the beam crosses the atmosphere) and is no longer than the terminal's
range.  Topologies are generators of candidate edges; metrics measure the
resulting graph.  The graph is held as edge arrays (:class:`LinkGraph`); it
becomes a networkx graph with every attribute through :meth:`LinkGraph.to_networkx`,
and the heavy traversals run on its scipy.sparse form (networkx's own
``to_scipy_sparse_array`` gives the same matrix), which the tests check
against networkx's algorithms on small graphs.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from orbital import walker as _walker
from orbital.constants import EARTH_RADIUS_IERS_KM, LIGHT_KM_S
from orbital.greedy_matching import greedy_b_matching

#: Lowest altitude a link's beam may pass, km: an assumption (the beam stays above the
#: mesosphere, where the atmosphere would absorb and bend it).
DEFAULT_GRAZING_ALTITUDE_KM = 80.0


def link_lengths_km(r1_km, r2_km):
    """Distances between satellite pairs, km, shape of the broadcast ``(..., 3)`` inputs."""
    return np.linalg.norm(np.asarray(r2_km, dtype=float) - np.asarray(r1_km, dtype=float), axis=-1)


def pair_lengths_km(positions_km: np.ndarray, i, j) -> np.ndarray:
    """Distances ``(m,)`` km between satellites ``i`` and ``j`` ``(m,)`` of ``positions_km``
    ``(n, 3)``: ``numpy.linalg.norm(positions_km[j] - positions_km[i], axis=1)`` to the bit
    (the squares summed in the same order, x then y then z).

    One axis at a time, by ``numpy.take`` on a contiguous column: a row gather
    ``positions_km[j]`` of 2 million links takes four times as long, and its
    ``(m, 3)`` temporaries (48 MB at 2 million links) are larger than the blocks the C
    allocator keeps for reuse (32 MB), so each is fresh memory, faulted in page by page.
    """
    length = 0.0
    for axis in range(3):
        column = np.ascontiguousarray(positions_km[:, axis])
        d = np.take(column, j)
        d -= np.take(column, i)
        np.square(d, out=d)
        length = d if axis == 0 else np.add(length, d, out=length)
    return np.sqrt(length, out=length)


def grazing_altitude_km(r1_km, r2_km, earth_radius_km=EARTH_RADIUS_IERS_KM):
    """Lowest altitude (km above a spherical Earth) along the straight line between pairs."""
    r1 = np.asarray(r1_km, dtype=float)
    d = np.asarray(r2_km, dtype=float) - r1
    dd = np.sum(d * d, axis=-1)
    t = np.clip(-np.sum(r1 * d, axis=-1) / np.where(dd > 0, dd, 1.0), 0.0, 1.0)
    closest = r1 + t[..., None] * d
    return np.linalg.norm(closest, axis=-1) - earth_radius_km


def links_close(r1_km, r2_km, max_range_km, min_grazing_altitude_km=DEFAULT_GRAZING_ALTITUDE_KM):
    """True where the pair can hold a link: in range and the beam above the grazing altitude.

    Pairs with a NaN position (a failed satellite) are False.
    """
    _check_grazing(min_grazing_altitude_km)
    length = link_lengths_km(r1_km, r2_km)
    graze = grazing_altitude_km(r1_km, r2_km)
    return (length <= max_range_km) & (graze >= min_grazing_altitude_km)


def _check_grazing(min_grazing_altitude_km: float) -> None:
    if min_grazing_altitude_km < 0:
        raise ValueError(
            f"grazing_altitude_km={min_grazing_altitude_km}: must not be negative (80 km keeps "
            "the beam above the atmosphere)"
        )


def walker_index(plane, slot, sats_per_plane: int):
    return np.asarray(plane) * sats_per_plane + np.asarray(slot)


def plus_grid_edges(
    planes: int, sats_per_plane: int, *, wrap_planes: bool, offset: int = 0, seam_offset: int = 0
):
    """Candidate +Grid edges of a Walker shell: ``(i, j, cross_plane)`` arrays.

    Each satellite links to the next in its plane and to one satellite of the
    next plane: slot ``s`` of plane ``p`` meets slot ``s + offset`` of plane
    ``p + 1``, and with ``wrap_planes`` slot ``s`` of the last plane meets slot
    ``s + seam_offset`` of the first (a delta pattern over 360 degrees), giving
    a torus of ``2 P S`` links (the ``P x S`` torus when both offsets are 0); a
    star pattern's seam (counter-rotating neighbours) and a partial band are
    not wrapped.  The offsets come from the geometry: :func:`cross_plane_partners`.
    """
    p, s = np.meshgrid(np.arange(planes), np.arange(sats_per_plane), indexing="ij")
    p, s = p.ravel(), s.ravel()
    i_in = walker_index(p, s, sats_per_plane)
    j_in = walker_index(p, (s + 1) % sats_per_plane, sats_per_plane)
    if sats_per_plane == 1:
        i_in, j_in = i_in[:0], j_in[:0]
    elif sats_per_plane == 2:  # a ring of two is one link, not two
        keep = s == 0
        i_in, j_in = i_in[keep], j_in[keep]
    cross = p < planes - 1 if not wrap_planes else np.ones_like(p, dtype=bool)
    if planes == 1:
        cross = np.zeros_like(p, dtype=bool)
    pc, sc = p[cross], s[cross]
    next_plane = (pc + 1) % planes
    shift = np.where(pc == planes - 1, int(seam_offset), int(offset))
    i_x = walker_index(pc, sc, sats_per_plane)
    j_x = walker_index(next_plane, (sc + shift) % sats_per_plane, sats_per_plane)
    i = np.concatenate([i_in, i_x])
    j = np.concatenate([j_in, j_x])
    is_cross = np.concatenate([np.zeros(len(i_in), bool), np.ones(len(i_x), bool)])
    if planes >= 3 and sats_per_plane >= 3:
        # Every in-plane link joins its own pair of neighbours and every cross-plane link its
        # own pair of planes: no pair is named twice.
        return i, j, is_cross
    # Small rings can name the same pair twice (two planes with F = 0, say): keep it once.
    key = np.minimum(i, j).astype(np.int64) * (planes * sats_per_plane) + np.maximum(i, j)
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    return i[first], j[first], is_cross[first]


#: Straight cuts tried along the cheapest lattice directions of a +Grid torus (see
#: :func:`plus_grid_cut_orders`): on each of 670 whole +Grid meshes of 4 to 24 satellites
#: checked, with every partner offset and phasing, the best of three equals the brute-force
#: minimum bisection (the best one alone misses it on odd sizes, where a direction one link
#: dearer splits more evenly).
CUT_DIRECTIONS = 3


def _extended_gcd(a: int, b: int) -> tuple[int, int, int]:
    """``(g, x, y)`` with ``a x + b y = g = gcd(a, b)`` (signs as Euclid leaves them)."""
    if b == 0:
        return a, 1, 0
    g, x, y = _extended_gcd(b, a % b)
    return g, y, x - (a // b) * y


def plus_grid_cut_orders(
    planes: int,
    sats_per_plane: int,
    *,
    offset: int = 0,
    seam_offset: int | None = None,
    directions: int = CUT_DIRECTIONS,
) -> list[np.ndarray]:
    """Orders of a +Grid shell's satellites whose halves are its cheapest straight cuts.

    The shell of :func:`plus_grid_edges` (slot ``s`` of plane ``p`` is index
    ``p S + s``).  Counted in the unsheared slot ``u = s - p offset (mod S)``,
    the cross-plane links join equal ``u`` of neighbouring planes, and the
    seam (``seam_offset`` not None) joins ``u`` of the last plane to
    ``u + t`` of the first, with the twist ``t = (P - 1) offset + seam_offset
    (mod S)``: the mesh is the square grid folded by the lattice of
    ``(0, S)`` and ``(P, -t)`` (a twisted torus; ``t = 0`` the plain one).  A
    straight cut along a lattice vector ``v = (a, b) = j (P, -t) + m (0, S)``
    crosses ``|a|`` in-plane and ``|b|`` cross-plane links, and two of them
    bisect the mesh; each order sorts the satellites by their place across
    ``v`` (``a u - b p`` modulo ``P S``), then along it, for the ``directions``
    cheapest ``v``.  Without a seam (a star pattern or a band: a cylinder)
    the orders are by plane and by ``u``.  Returns arrays of indices, each a
    permutation of ``range(P S)``.
    """
    n = planes * sats_per_plane
    plane, slot = np.divmod(np.arange(n, dtype=np.int64), sats_per_plane)
    u = (slot - plane * offset) % sats_per_plane
    if seam_offset is None or planes < 2:
        return [np.lexsort((u, plane)), np.lexsort((plane, u))]
    twist = ((planes - 1) * offset + seam_offset) % sats_per_plane
    cost = {}
    for j in range(sats_per_plane // planes + 2):  # a dearer j never beats the cut across planes
        near = j * twist // sats_per_plane
        for m in (1,) if j == 0 else (near - 1, near, near + 1, near + 2):
            if math.gcd(j, m) == 1:
                b = m * sats_per_plane - j * twist
                cost[(j, m)] = (j * planes + abs(b), j, m)
    orders = []
    for j, m in sorted(cost, key=cost.get)[:directions]:
        a, b = j * planes, m * sats_per_plane - j * twist
        # w = x (P, -t) + y (0, S) with j y - m x = 1 completes v to a basis of the lattice:
        # the place along v is the determinant with w, modulo P S.
        g, y, x = _extended_gcd(j, -m)
        x, y = x * g, y * g  # g is +-1
        w_plane, w_slot = x * planes, y * sats_per_plane - x * twist
        across = (a * u - b * plane) % n
        along = (plane * w_slot - u * w_plane) % n
        orders.append(np.lexsort((along, across)))
    return orders


#: Instants over one orbit at which a shell's cross-plane partners are compared: every
#: 3 degrees of argument of latitude (a link length varies twice an orbit, and a dip
#: below the grazing altitude lasts tens of degrees).
PARTNER_SAMPLES = 120
#: Partners this much further in phase than the nearest one, beyond twice the planes'
#: node step, are not propagated: by the triangle inequality on the sphere they are
#: further away at every instant.  The margin (about 120 km of chord) covers SGP4's
#: periodic terms, which move neighbours' radii by a few km.
PARTNER_PRUNE_MARGIN_RAD = np.radians(1.0)
#: Mean or longest lengths this close (relative) are a tie: far below a metre, far
#: above the rounding of float64 sums of a hundred lengths.
PARTNER_TIE_RTOL = 1e-9


@dataclass(frozen=True)
class CrossPlanePartners:
    """The +Grid's cross-plane partners of one Walker shell.

    Slot ``s`` of plane ``p`` links to slot ``s + offset`` of plane ``p + 1``;
    slot ``s`` of the last plane to slot ``s + seam_offset`` of the first
    (None when the planes do not wrap).  ``mean_km`` and ``longest_km``, and
    ``closes_share`` (share of the sampled instants at which the link closes),
    describe the ordinary pair over one orbit.
    """

    offset: int
    seam_offset: int | None
    mean_km: float
    longest_km: float
    closes_share: float


def best_partner(length_km, closes, phase_gap_rad) -> int:
    """Which of several candidate partners to link, each sampled over one orbit.

    ``length_km`` and ``closes`` ``(n_candidates, n_samples)``: the link's
    length and whether it closes at each instant; ``phase_gap_rad``
    ``(n_candidates,)`` the partner's lead in argument of latitude.  The rule:
    the largest share of the orbit in which the link closes, then the
    shortest mean length, then the shortest longest link, then the smallest
    phase gap (then a partner ahead).  Lengths within :data:`PARTNER_TIE_RTOL`
    tie; samples where a satellite has failed (NaN) count as open and are left
    out of the lengths.  Returns the index of the chosen candidate.
    """
    length = np.asarray(length_km, dtype=float)
    closes = np.asarray(closes, dtype=bool) & np.isfinite(length)
    gap = np.asarray(phase_gap_rad, dtype=float)
    share = closes.sum(axis=1)
    finite = np.isfinite(length)
    has_length = finite.any(axis=1)
    mean = np.full(len(length), np.inf)
    longest = np.full(len(length), np.inf)
    safe = np.where(finite, length, 0.0)
    mean[has_length] = safe[has_length].sum(axis=1) / finite[has_length].sum(axis=1)
    longest[has_length] = np.where(finite, length, -np.inf)[has_length].max(axis=1)
    alive = share == share.max()
    for key in (mean, longest):
        best = key[alive].min()
        if np.isfinite(best):
            alive &= key <= best + PARTNER_TIE_RTOL * abs(best)
    order = np.lexsort((-np.sign(gap), np.abs(gap)))  # smallest gap first, ahead before behind
    return int(order[alive[order]][0])


def cross_plane_partners(
    walker,
    *,
    wrap_planes: bool,
    max_range_km: float,
    min_grazing_altitude_km: float = DEFAULT_GRAZING_ALTITUDE_KM,
    samples: int = PARTNER_SAMPLES,
) -> CrossPlanePartners:
    """The +Grid's cross-plane partner offsets of a circular Walker shell, from its geometry.

    ``walker`` is an :class:`orbital.propagation.CircularWalker`.  The planes
    are rotated in node, so the geometry is sheared: the satellite of the next
    plane nearest in phase is not always the nearest in space.  Every plane
    pair ``p, p + 1`` has the same geometry up to a rotation about the Earth's
    axis and a shift in time, so one satellite of plane 0 and the candidate
    slots of plane 1, propagated with SGP4 at ``samples`` instants over one
    orbit, decide the offset of every pair (:func:`best_partner` gives the
    rule).  ``wrap_planes`` (a delta pattern over 360 degrees) adds the seam
    from the last plane to the first: the same geometry turned about the axis,
    whose partner lies ``F`` slots further on in index (so a tie in length
    breaks the same way for every pair).  Candidates further in phase than
    the nearest by more than twice the node step (plus
    :data:`PARTNER_PRUNE_MARGIN_RAD`) are further at every instant and are
    not propagated.
    """
    from sgp4.api import SatrecArray

    planes, per_plane, total = walker.planes, walker.sats_per_plane, walker.n_sats
    if planes < 2:
        return CrossPlanePartners(0, None, math.nan, math.nan, math.nan)
    reference = walker.satrec(0)
    period_min = 2.0 * np.pi / (reference.mdot + reference.argpdot)
    minutes = np.arange(samples) * (period_min / samples)
    jd = np.full(samples, reference.jdsatepoch)
    fr = reference.jdsatepochF + minutes / 1440.0
    slots = np.arange(per_plane)
    units = _walker.satellite_phase_unit(1, slots, planes, total, walker.phasing)
    gap = ((units + total // 2) % total - total // 2) * (2.0 * np.pi / total)
    node_step = abs(_wrapped_rad(walker.raan_rad[1] - walker.raan_rad[0]))
    near = np.abs(gap) <= np.abs(gap).min() + 2.0 * node_step + PARTNER_PRUNE_MARGIN_RAD
    slots, gap = slots[near], gap[near]
    satrecs = [walker.satrec(0)] + [walker.satrec(per_plane + int(k)) for k in slots]
    errors, r, _ = SatrecArray(satrecs).sgp4(jd, fr)
    r[np.logical_or.accumulate(errors != 0, axis=1)] = np.nan  # failed stays failed
    length = link_lengths_km(r[:1], r[1:])
    closes = links_close(r[:1], r[1:], max_range_km, min_grazing_altitude_km)
    k = best_partner(length, closes, gap)
    offset = int(slots[k])
    finite = length[k][np.isfinite(length[k])]
    return CrossPlanePartners(
        offset=offset,
        # Past the last plane comes the first again, 360/P further in node, whose slots sit
        # F slots further on (P planes of F * 360/T degrees each are F * 360/S): the seam
        # pair is an ordinary pair turned about the axis, its partner F slots on.
        seam_offset=(offset + walker.phasing) % per_plane if wrap_planes else None,
        mean_km=float(finite.mean()) if len(finite) else math.nan,
        longest_km=float(finite.max()) if len(finite) else math.nan,
        closes_share=float(np.mean(closes[k])),
    )


def _wrapped_rad(angle):
    return (angle + np.pi) % (2.0 * np.pi) - np.pi


def nearest_edges(
    positions_km,
    k: int,
    max_range_km: float,
    terminals: int,
    min_grazing_altitude_km: float = DEFAULT_GRAZING_ALTITUDE_KM,
):
    """Links to each satellite's ``k`` nearest feasible neighbours, at most ``terminals`` each.

    ``positions_km`` ``(n, 3)`` at one time.  The candidates are
    :func:`nearest_candidates`; then, shortest first, a candidate pair becomes
    a link while both ends have a free terminal
    (:func:`orbital.greedy_matching.greedy_b_matching`).  Returns the links'
    ends ``(i, j)``, ``i < j``, indices into ``positions_km``.
    """
    i, j, length = nearest_candidates(positions_km, k, max_range_km, min_grazing_altitude_km)
    keep = greedy_b_matching(i, j, length, np.full(len(positions_km), terminals))
    return i[keep], j[keep]


def nearest_search_depth(k: int) -> int:
    """How many nearest satellites (itself included) one satellite's candidates come from.

    The nearest can be hidden behind the Earth, so :func:`nearest_candidates`
    looks past the first ``k``: among the ``4 k`` (at least 16) nearest others.
    """
    return max(4 * k, 16) + 1


def nearest_candidates(
    positions_km,
    k: int,
    max_range_km: float,
    min_grazing_altitude_km: float = DEFAULT_GRAZING_ALTITUDE_KM,
):
    """Candidate links of the ``nearest`` topology: each satellite's ``k`` nearest feasible.

    ``positions_km`` ``(n, 3)`` at one time; satellites with a NaN position
    (failed) take no part.  A k-d tree (scipy's ``cKDTree``; among equal
    distances its own order) gives each satellite its nearest others within
    ``max_range_km``; the first ``k`` of them that can hold a link
    (:func:`links_close`) are its candidates, looked for among its
    :func:`nearest_search_depth` nearest.  Returns ``(i, j, length_km)``, each
    ``(m,)``: every candidate pair once, ``i < j`` (indices into
    ``positions_km``), in increasing order of ``(i, j)``, with the tree's
    distance.  Raises ValueError for a negative grazing altitude.
    """
    from scipy.spatial import cKDTree

    _check_grazing(min_grazing_altitude_km)
    pos = np.asarray(positions_km, dtype=float)
    index = np.flatnonzero(np.isfinite(pos).all(axis=1))
    n = len(index)
    if n < 2 or k < 1:
        return np.array([], int), np.array([], int), np.array([], float)
    points = pos[index]
    tree = cKDTree(points)
    # Asked in the tree's own order, consecutive queries walk the same nodes: about twice
    # as fast as in the satellites' order, and each query's answer is its own.
    rows = tree.indices
    wanted = min(n, nearest_search_depth(k))
    first = min(n, k + 1)
    a, b, d, short = _first_feasible(
        tree, points, rows, first, k, max_range_km, min_grazing_altitude_km
    )
    if first < wanted and len(short):
        a2, b2, d2, _ = _first_feasible(
            tree, points, short, wanted, k, max_range_km, min_grazing_altitude_km
        )
        redone = np.zeros(n, dtype=bool)
        redone[short] = True
        kept = ~redone[a]
        a, b, d = (np.concatenate([x[kept], y]) for x, y in ((a, a2), (b, b2), (d, d2)))
    lo, hi, length = _each_pair_once(a, b, d, n)
    return index[lo], index[hi], length


#: A pair this far inside both limits closes without the exact test: the range with a
#: relative margin (the tree's distance and :func:`link_lengths_km` differ by rounding,
#: 1e-16 relative), the grazing altitude with 1 mm (rounding moves it by about 1e-9 km).
_SURE_RANGE_RTOL = 1e-9
_SURE_GRAZING_MARGIN_KM = 1e-6


def _first_feasible(tree, points, rows, wanted, k, max_range_km, min_grazing_altitude_km):
    """Each row's first ``k`` feasible neighbours among its ``wanted`` nearest (self included).

    Returns the pairs ``(a, b, distance)`` and the rows that found fewer than
    ``k`` while their ``wanted``-th neighbour was still within range.  A pair
    closes for sure when its chord, seen from the lower end's radius, stays
    above the grazing altitude with a margin: along a segment of length ``L``
    between radii ``r1`` and ``r2``, ``|p|^2 >= min(r1, r2)^2 - L^2 / 4``.
    Only the others take :func:`links_close`'s exact test.
    """
    n = len(points)
    dist, nbr = tree.query(points[rows], k=wanted, distance_upper_bound=max_range_km, workers=-1)
    dist, nbr = dist.reshape(len(rows), -1), nbr.reshape(len(rows), -1)
    if np.array_equal(nbr[:, 0], rows):  # each its own nearest (no two at one place)
        dist, nbr, wanted = dist[:, 1:], nbr[:, 1:], wanted - 1
        valid = nbr < n  # a missing neighbour is index n, distance inf
    else:
        valid = (nbr < n) & (nbr != rows[:, None])
    everywhere = valid.all()
    safe = nbr if everywhere else np.where(valid, nbr, 0)
    radius2 = np.einsum("ij,ij->i", points, points)
    lowest2 = np.minimum(radius2[rows][:, None], radius2[safe])
    lowest2 -= 0.25 * dist * dist
    floor_km = EARTH_RADIUS_IERS_KM + min_grazing_altitude_km + _SURE_GRAZING_MARGIN_KM
    feasible = lowest2 >= floor_km * floor_km
    feasible &= dist <= max_range_km * (1.0 - _SURE_RANGE_RTOL)
    if not everywhere:
        feasible &= valid
    unsure = ~feasible if everywhere else valid & ~feasible
    r, c = np.nonzero(unsure)
    if len(r):
        feasible[r, c] = links_close(
            points[rows[r]], points[nbr[r, c]], max_range_km, min_grazing_altitude_km
        )
    if wanted <= k:  # every feasible one is among the first k
        chosen, found = feasible, feasible.sum(axis=1)
    else:
        rank = np.cumsum(feasible, axis=1)
        chosen, found = feasible & (rank <= k), rank[:, -1]
    short = rows[(found < k) & (nbr[:, -1] < n)]
    if chosen.all():
        return np.repeat(rows, chosen.shape[1]), nbr.ravel(), dist.ravel(), short
    r, c = np.nonzero(chosen)
    return rows[r], nbr[r, c], dist[r, c], short


def _each_pair_once(a, b, length, n: int):
    """Pairs ``(a, b)`` as ``i < j``, each once (its first listing), in increasing ``(i, j)``.

    The key ``i n + j`` and the listing's place share one int64 when they fit
    (a million satellites do): numpy's plain sort of it is several times faster
    than an argsort.
    """
    lo = np.minimum(a, b).astype(np.int64, copy=False)
    hi = np.maximum(a, b)
    key = lo * n
    key += hi
    m = len(key)
    place_bits = max(int(m - 1).bit_length(), 1)
    if int(n * n - 1).bit_length() + place_bits <= 63:
        key <<= place_bits  # in place: the temporaries of a million satellites are 32 MB each
        key |= np.arange(m, dtype=np.int64)
        key.sort()
        source = key & ((1 << place_bits) - 1)
        key >>= place_bits
    else:
        source = np.argsort(key, kind="stable")
        key = key[source]
    first = np.ones(m, dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    source = source[first]
    return lo[source], hi[source], length[source]


def inter_shell_edges(
    positions_km,
    shell_of,
    extra_terminals: int,
    max_range_km: float,
    min_grazing_altitude_km: float = DEFAULT_GRAZING_ALTITUDE_KM,
    k: int = 2,
):
    """Links between satellites of different shells, nearest first, ``extra_terminals`` each.

    ``shell_of`` ``(n,)`` gives each satellite's shell; every satellite asks
    for its ``k`` nearest satellites of the other shells within range.
    """
    from scipy.spatial import cKDTree

    pos = np.asarray(positions_km, dtype=float)
    shell_of = np.asarray(shell_of)
    ok = np.isfinite(pos).all(axis=1)
    lo_all, hi_all = [], []
    for shell in np.unique(shell_of):
        mine = np.flatnonzero((shell_of == shell) & ok)
        others = np.flatnonzero((shell_of != shell) & ok)
        if not len(mine) or not len(others):
            continue
        tree = cKDTree(pos[others])
        dist, nbr = tree.query(pos[mine], k=min(k, len(others)), distance_upper_bound=max_range_km)
        dist, nbr = np.atleast_2d(dist.T).T, np.atleast_2d(nbr.T).T
        a = np.repeat(mine, dist.shape[1])
        valid = np.isfinite(dist.ravel())
        b = others[np.minimum(nbr.ravel(), len(others) - 1)]
        lo_all.append(np.minimum(a, b)[valid])
        hi_all.append(np.maximum(a, b)[valid])
    if not lo_all:
        return np.array([], int), np.array([], int)
    lo, hi = np.concatenate(lo_all), np.concatenate(hi_all)
    key = np.unique(lo.astype(np.int64) * len(pos) + hi)
    lo, hi = key // len(pos), key % len(pos)
    feasible = links_close(pos[lo], pos[hi], max_range_km, min_grazing_altitude_km)
    lo, hi = lo[feasible], hi[feasible]
    free = np.full(len(pos), extra_terminals)
    keep = greedy_b_matching(lo, hi, link_lengths_km(pos[lo], pos[hi]), free)
    return lo[keep], hi[keep]


@dataclass(frozen=True, eq=False)
class LinkGraph:
    """A laser mesh as arrays: ``n`` satellites and ``(i, j)`` links with their attributes.

    Node arrays ``(n,)``: ``shell``, ``plane``, ``slot``, ``compute_kw``,
    ``sunlit`` (visible fraction of the Sun, 0..1).  Edge arrays ``(m,)``:
    ``i``, ``j``, ``length_km``, ``capacity_gbps``; ``latency_ms`` follows
    from the length.  Every attribute is required: none defaults to 1.
    """

    n: int
    i: np.ndarray
    j: np.ndarray
    length_km: np.ndarray
    capacity_gbps: np.ndarray
    nodes: dict = field(default_factory=dict)
    #: The links' CSR pattern (:class:`orbital.candidate_adjacency.CandidateAdjacency` of
    #: ``i, j``, or a subset of a larger one) when the caller holds it: :meth:`adjacency` then
    #: fills it instead of sorting, and keeps the hop matrix for the next caller.
    pattern: object = field(default=None, repr=False, compare=False)
    _hops: list = field(default_factory=list, init=False, repr=False, compare=False)

    def __post_init__(self):
        m = len(self.i)
        for name in ("j", "length_km", "capacity_gbps"):
            if len(getattr(self, name)) != m:
                raise ValueError(
                    f"edge attribute {name!r} has {len(getattr(self, name))} values for {m} links"
                )
        if self.pattern is not None and self.pattern.n_links != m:
            raise ValueError(f"the pattern holds {self.pattern.n_links} links for {m}")
        if np.any(~np.isfinite(self.length_km)) or np.any(~np.isfinite(self.capacity_gbps)):
            raise ValueError("every link needs a finite length_km and capacity_gbps")
        for name, values in self.nodes.items():
            if len(values) != self.n:
                raise ValueError(f"node attribute {name!r} has {len(values)} values for {self.n}")

    @property
    def latency_ms(self) -> np.ndarray:
        return self.length_km / LIGHT_KM_S * 1e3

    @property
    def n_links(self) -> int:
        return len(self.i)

    def adjacency(self, weight: str | None = None):
        """The symmetric scipy.sparse adjacency (CSR).

        ``weight`` names an edge attribute, or None for hops.  With a
        ``pattern`` the hop matrix is made once and shared: do not modify it.
        """
        from scipy.sparse import coo_array

        if self.pattern is not None:
            if weight is not None:
                return self.pattern.adjacency(values=np.asarray(getattr(self, weight)))
            if not self._hops:  # components and the hop diameter ask for the same matrix
                self._hops.append(self.pattern.adjacency())
            return self._hops[0]
        values = np.ones(self.n_links) if weight is None else np.asarray(getattr(self, weight))
        data = np.concatenate([values, values])
        rows = np.concatenate([self.i, self.j])
        cols = np.concatenate([self.j, self.i])
        return coo_array((data, (rows, cols)), shape=(self.n, self.n)).tocsr()

    def to_networkx(self):
        """The mesh as a networkx Graph with every node and edge attribute."""
        import networkx as nx

        graph = nx.Graph()
        names = list(self.nodes)
        columns = [np.asarray(self.nodes[k]).tolist() for k in names]
        graph.add_nodes_from(
            (k, dict(zip(names, values, strict=True)))
            for k, values in enumerate(zip(*columns, strict=True))
        ) if names else graph.add_nodes_from(range(self.n))
        latency = self.latency_ms
        graph.add_edges_from(
            (
                int(a),
                int(b),
                {"length_km": float(d), "latency_ms": float(t), "capacity_gbps": float(c)},
            )
            for a, b, d, t, c in zip(
                self.i, self.j, self.length_km, latency, self.capacity_gbps, strict=True
            )
        )
        return graph

    def without_nodes(self, removed: np.ndarray) -> "LinkGraph":
        """The same mesh with the links of ``removed`` (boolean ``(n,)``) satellites cut."""
        keep = ~(removed[self.i] | removed[self.j])
        if keep.all():
            return self
        return LinkGraph(
            self.n,
            self.i[keep],
            self.j[keep],
            self.length_km[keep],
            self.capacity_gbps[keep],
            self.nodes,
            None if self.pattern is None else self.pattern.restricted(keep),
        )


def graph_from_networkx(graph) -> LinkGraph:
    """A :class:`LinkGraph` from a networkx graph with integer nodes ``0..n-1``.

    Every edge must carry ``length_km`` and ``capacity_gbps``: a missing
    attribute raises ``ValueError`` instead of being read as 1.
    """
    n = graph.number_of_nodes()
    if set(graph.nodes) != set(range(n)):
        raise ValueError(
            "graph_from_networkx needs nodes numbered 0..n-1; relabel them first "
            "(networkx.convert_node_labels_to_integers)"
        )
    edges = list(graph.edges(data=True))
    for a, b, data in edges:
        for key in ("length_km", "capacity_gbps"):
            if key not in data:
                raise ValueError(f"link {a}-{b} has no {key!r}: every link needs one")
    i = np.array([a for a, _, _ in edges], dtype=int)
    j = np.array([b for _, b, _ in edges], dtype=int)
    attributes = [graph.nodes[k] for k in range(n)]
    names = set(attributes[0]) if attributes else set()
    nodes = {}
    if names and all(set(a) == names for a in attributes):
        nodes = {name: np.array([a[name] for a in attributes]) for name in sorted(names)}
    return LinkGraph(
        n,
        i,
        j,
        np.array([d["length_km"] for _, _, d in edges], dtype=float),
        np.array([d["capacity_gbps"] for _, _, d in edges], dtype=float),
        nodes,
    )
