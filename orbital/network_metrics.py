"""Measuring a laser mesh: clusters, their compute, diameters, bisection, all-reduce.

Works on :class:`orbital.links.LinkGraph` through scipy.sparse.csgraph (tens
of times faster than networkx at a million nodes, a tenth of the memory);
the tests check every metric against networkx on small graphs.
"""

from dataclasses import dataclass

import numpy as np

from orbital.links import LinkGraph, plus_grid_edges

#: Up to this many nodes in the largest cluster the diameters are exact (all sources).
EXACT_DIAMETER_MAX_NODES = 2_000
#: Least shortest-path trees a bounded diameter grows on a larger cluster (the double sweep
#: this replaced grew four).
DIAMETER_SWEEPS = 4
#: Link visits one search per symmetry class may spend: what every source costs at
#: :data:`EXACT_DIAMETER_MAX_NODES` on a +Grid (2,000 trees of 4,000 links).
DIAMETER_EXACT_WORK_LINKS = 8_000_000
#: Link visits a bounded diameter may spend (the failure sweep bounds ten meshes a plan):
#: about 50 trees of a 2,500-satellite mesh, never fewer than :data:`DIAMETER_SWEEPS`.
DIAMETER_WORK_LINKS = 250_000
#: Bounds this close (relative) are one value: far below a metre or a nanosecond, far above
#: the rounding of float64 sums of a few thousand link lengths.
DIAMETER_RTOL = 1e-9


def components(graph: LinkGraph):
    """``(n_components, labels (n,))`` of the mesh; isolated satellites are components too."""
    from scipy.sparse.csgraph import connected_components

    return connected_components(graph.adjacency(), directed=False)


def largest_component(graph: LinkGraph, labels: np.ndarray) -> np.ndarray:
    """Indices of the satellites in the largest cluster."""
    counts = np.bincount(labels)
    return np.flatnonzero(labels == np.argmax(counts))


def _subgraph_adjacency(graph: LinkGraph, members: np.ndarray, weight):
    return principal_submatrix(graph.adjacency(weight), members)


def principal_submatrix(matrix, members):
    """``matrix[members][:, members]`` of a square scipy.sparse CSR ``matrix``: a new
    matrix of the same class, sharing nothing with ``matrix``.

    ``members`` ``(k,)`` node indices.  Integers, ascending and distinct (as clusters
    are found), the rows are read in one pass with their entries kept in order and
    columns renumbered by rank, in linear time and with int32 indices while they fit:
    about a fifth of scipy's row-then-column fancy indexing, which sorts each row again
    and turns the matrix to CSC and back (20-25 ms a cluster of 340,000 satellites).
    Anything else (another order, repeats, negative indices, a boolean mask, a list)
    takes scipy's indexing, with its meaning and its errors.
    """
    chosen = np.asarray(members)
    k = len(chosen) if chosen.ndim == 1 else -1
    if (
        getattr(matrix, "format", None) != "csr"
        or k < 0
        or chosen.dtype.kind not in "iu"
        or (k and (chosen[0] < 0 or np.any(chosen[1:] <= chosen[:-1])))
    ):
        return matrix[members][:, members]
    members = chosen
    n = matrix.shape[0]
    index = np.int32 if max(n, matrix.nnz) < 2**31 else np.int64
    indptr = matrix.indptr
    starts = np.take(indptr, members)
    counts = np.take(indptr, members + 1) - starts
    row_ends = np.cumsum(counts, dtype=np.int64)
    total = int(row_ends[-1]) if k else 0
    if k and int(members[-1]) - int(members[0]) + 1 == k:  # a run of rows: one slice
        positions = slice(int(starts[0]), int(starts[0]) + total)
        columns = matrix.indices[positions]
        data = matrix.data[positions].copy()
    else:
        positions = np.repeat(starts - (row_ends - counts), counts)
        positions += np.arange(total, dtype=positions.dtype)
        columns = np.take(matrix.indices, positions)
        data = np.take(matrix.data, positions)
    rank = np.full(n, -1, dtype=index)
    rank[members] = np.arange(k, dtype=index)
    columns = np.take(rank, columns)
    kept = columns >= 0
    before = np.zeros(total + 1, dtype=index)
    np.cumsum(kept, out=before[1:])
    new_indptr = np.take(before, np.concatenate([[0], row_ends]))
    if before[-1] < total:  # some rows reach outside the members
        columns, data = columns[kept], data[kept]
    return type(matrix)((data, columns, new_indptr), shape=(k, k))


@dataclass(frozen=True)
class Diameter:
    """A diameter and whether it is exact; otherwise ``lower`` <= true <= ``upper``.

    ``method`` says how it was found (:func:`diameter`): ``"all sources"``;
    ``"one source, vertex-transitive"`` or ``"one source, end plane"`` (a whole
    +Grid in hops); ``"plane rings"`` (:func:`plane_ring_diameter`); ``"one
    source per slot, plane rotation"`` (:func:`plane_rotation_classes`);
    ``"bounding[ over slots], k sources"`` or ``"plane rings and bounding, k
    sources"`` (:func:`bounding_diameter`).
    """

    lower: float
    upper: float
    exact: bool
    method: str = ""

    @property
    def value(self) -> float:
        """The exact value, or the lower bound (the largest eccentricity found)."""
        return self.lower

    @property
    def gap(self) -> float:
        """``upper - lower`` (0 when exact; inf when nothing bounds it from above)."""
        return 0.0 if self.exact else self.upper - self.lower


@dataclass(frozen=True)
class GridLayout:
    """A Walker shell's +Grid as :func:`orbital.links.plus_grid_edges` builds it.

    Satellite ``first_index + p S + s`` is slot ``s`` of plane ``p``; slot ``s``
    of plane ``p`` links to slot ``s + offset`` of plane ``p + 1``, and of the
    last plane to slot ``s + seam_offset`` of the first (None: the planes do
    not wrap, a star pattern or a band).
    """

    planes: int
    sats_per_plane: int
    offset: int = 0
    seam_offset: int | None = None
    first_index: int = 0

    @property
    def n(self) -> int:
        return self.planes * self.sats_per_plane

    @property
    def wrap_planes(self) -> bool:
        return self.seam_offset is not None

    @property
    def twist(self) -> int | None:
        """Slots the seam shifts the unsheared slot ``s - p offset`` by (None without a seam);
        the mesh is the ``P x S`` torus twisted by it (:func:`orbital.links.plus_grid_cut_orders`).
        """
        if self.seam_offset is None:
            return None
        return ((self.planes - 1) * self.offset + self.seam_offset) % self.sats_per_plane

    def edges(self):
        """The whole +Grid's links ``(i, j)`` in local indices ``p S + s``."""
        i, j, _ = plus_grid_edges(
            self.planes,
            self.sats_per_plane,
            wrap_planes=self.wrap_planes,
            offset=self.offset,
            seam_offset=self.seam_offset or 0,
        )
        return i, j


def plus_grid_hop_diameter(layout: GridLayout) -> int:
    """Hop diameter of a whole +Grid (no link cut), from the lattice, without a search.

    Without a seam the mesh, unsheared (slot ``u = s - p offset``), is the
    Cartesian product of a path of ``P`` planes and a ring of ``S`` slots,
    whose diameter is the sum of theirs: ``(P - 1) + floor(S / 2)``.  With a
    seam it is the Cayley graph of ``Z^2 / L``, ``L`` spanned by ``(0, S)`` and
    ``(P, -t)`` (``t`` the :attr:`GridLayout.twist`), and the hop distance to
    ``(p, u)`` is the least L1 norm of its coset, ``min_k |p - k P| + ring(u +
    k t)`` over the windings ``k`` through the seam.  Without a twist that is
    the ``P x S`` torus's ``floor(P / 2) + floor(S / 2)``.  A twist never
    lengthens it (winding 0 or 1 reaches every coset within it), and keeps it
    only when a coset of the middle plane(s) still needs the half-turn of the
    ring both ways round: with ``r = min(t, S - t)``, when ``r <= 0`` (``P``
    even, ``S`` even), ``r <= 1`` (``P`` even and ``S`` odd, or ``P`` odd and
    ``S`` even) or ``r <= 2`` (both odd); otherwise it is shorter.  For a
    Walker delta shell with partners ``offset`` apart, ``t = P offset + F (mod
    S)``.
    """
    planes, per_plane = layout.planes, layout.sats_per_plane
    if planes < 1 or per_plane < 1:
        raise ValueError(f"a +Grid needs planes >= 1 and sats_per_plane >= 1, not {layout}")
    if layout.twist is None or planes == 1:
        return (planes - 1) + per_plane // 2
    plane = np.arange(planes)[:, None]
    slot = np.arange(per_plane)[None, :]
    reach = planes // 2 + per_plane // 2
    windings = reach // planes + 1
    best = np.full((planes, per_plane), reach, dtype=np.int64)
    for k in range(-windings, windings + 1):  # a handful of windings through the seam
        ring = (slot + k * layout.twist) % per_plane
        best = np.minimum(best, np.abs(plane - k * planes) + np.minimum(ring, per_plane - ring))
    return int(best.max())


def _cluster_layout(graph: LinkGraph, members: np.ndarray, layouts):
    """``(layout, local)``: the layout ``members`` make up whole, with each member's local
    index ``p S + s`` (from the node attributes ``plane`` and ``slot`` when present, else
    from its index); ``(None, None)`` when none does."""
    members = np.asarray(members)
    for layout in layouts:
        if len(members) != layout.n:
            continue
        if "plane" in graph.nodes and "slot" in graph.nodes:
            plane = np.asarray(graph.nodes["plane"])[members]
            slot = np.asarray(graph.nodes["slot"])[members]
            local = plane.astype(np.int64) * layout.sats_per_plane + slot
        else:
            local = members.astype(np.int64) - layout.first_index
        if local.min() < 0 or local.max() >= layout.n:
            continue
        if np.count_nonzero(np.bincount(local, minlength=layout.n)) == layout.n:
            return layout, local
    return None, None


def _local_edges(matrix, local: np.ndarray):
    """Each undirected link of the cluster's adjacency once: ``(i, j, weight)``, local indices."""
    coo = matrix.tocoo()
    once = coo.row < coo.col
    return local[coo.row[once]], local[coo.col[once]], np.asarray(coo.data[once], dtype=float)


def _is_whole_grid(layout: GridLayout, i: np.ndarray, j: np.ndarray) -> bool:
    """Whether the links ``(i, j)`` are exactly the whole +Grid of ``layout``.

    With 3 or more planes and slots the +Grid names no pair twice, so it is whole when
    there are as many links as it has and each is a different one of its own (an in-plane
    neighbour, or a cross-plane partner at ``offset``, or at ``seam_offset`` across the
    seam): no sort.
    """
    planes, per_plane = layout.planes, layout.sats_per_plane
    if planes < 3 or per_plane < 3:
        gi, gj = layout.edges()
        if len(gi) != len(i):
            return False
        n = layout.n

        def keys(a, b):
            return np.sort(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))

        return bool(np.array_equal(keys(i, j), keys(gi, gj)))
    cross_planes = planes if layout.wrap_planes else planes - 1
    if len(i) != (planes + cross_planes) * per_plane:  # in-plane links, then cross-plane
        return False
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    pi, si = np.divmod(i, per_plane)
    pj, sj = np.divmod(j, per_plane)

    def ahead(pa, sa, pb, sb):  # b is a's cross-plane partner
        step = (pb == pa + 1) & (sb == (sa + layout.offset) % per_plane)
        if layout.wrap_planes:
            step |= (pa == planes - 1) & (pb == 0) & (sb == (sa + layout.seam_offset) % per_plane)
        return step

    # Each +Grid link has its own cell: the lower end of an in-plane link (cells 0..n-1), the
    # end whose partner it is of a cross-plane one (n..2n-1); whole when every link is one
    # and no cell is taken twice.
    cell = np.full(len(i), -1, dtype=np.int64)
    for a, pa, sa, pb, sb in ((i, pi, si, pj, sj), (j, pj, sj, pi, si)):
        cell = np.where((pa == pb) & ((sb - sa) % per_plane == 1), a, cell)
        cell = np.where(ahead(pa, sa, pb, sb), layout.n + a, cell)
    if np.any(cell < 0):
        return False
    return bool(np.bincount(cell, minlength=2 * layout.n).max() <= 1)


def _whole_grid_in_order(layout: GridLayout, matrix, local: np.ndarray) -> bool | None:
    """Whether the cluster's ``matrix`` (its nodes' local indices ``local``) is exactly the
    whole +Grid of ``layout``, read from its rows; None when that cannot be read so (fewer
    than 3 planes or slots, nodes not in local order, a matrix not in canonical CSR).

    With the nodes in local order ``p S + s``, row ``v`` of the whole +Grid holds ``v``'s
    in-plane neighbours, its cross-plane partner ahead and the one behind (none at an end
    plane of a mesh that does not wrap), all different with 3 or more planes and slots:
    the matrix is that +Grid when its rows hold those columns, in canonical CSR's
    ascending order.  A fifth of the cost of :func:`_is_whole_grid` on the links.
    """
    planes, per_plane = layout.planes, layout.sats_per_plane
    n = layout.n
    if planes < 3 or per_plane < 3 or getattr(matrix, "format", None) != "csr":
        return None
    if len(local) != n or local[0] != 0 or local[-1] != n - 1 or np.any(np.diff(local) != 1):
        return None
    if not matrix.has_canonical_format:
        return None
    cross = planes if layout.wrap_planes else planes - 1
    if matrix.nnz != 2 * (planes + cross) * per_plane:
        return False
    plane = np.arange(planes, dtype=np.int64)[:, None] * per_plane
    slot = np.arange(per_plane, dtype=np.int64)[None, :]
    neighbours = np.empty((planes, per_plane, 4), dtype=np.int64)
    neighbours[:, :, 0] = plane + (slot + 1) % per_plane
    neighbours[:, :, 1] = plane + (slot - 1) % per_plane
    neighbours[:-1, :, 2] = plane[1:] + (slot + layout.offset) % per_plane
    neighbours[1:, :, 3] = plane[:-1] + (slot - layout.offset) % per_plane
    if layout.wrap_planes:
        neighbours[-1, :, 2] = (slot[0] + layout.seam_offset) % per_plane
        neighbours[0, :, 3] = (planes - 1) * per_plane + (slot[0] - layout.seam_offset) % per_plane
    else:  # no partner beyond the end planes: put last by the sort, then dropped
        neighbours[-1, :, 2] = n
        neighbours[0, :, 3] = n
    neighbours = np.sort(neighbours.reshape(n, 4), axis=1)
    degree = np.full(n, 4, dtype=np.int64)
    if not layout.wrap_planes:
        degree[:per_plane] = degree[-per_plane:] = 3
    if not np.array_equal(np.diff(matrix.indptr), degree):
        return False
    return bool(np.array_equal(matrix.indices, neighbours[neighbours < n]))


def plane_ring_diameter(layout: GridLayout, i, j, weight) -> tuple[float, float] | None:
    """Bounds ``(lower, upper)`` on the weighted diameter of a +Grid with partners in the same slot.

    For a shell whose cross-plane partner is the same slot (``offset`` 0 and a
    seam, if any, with ``seam_offset`` 0: phasing 0, the ``million-340``
    shells) and links ``(i, j)`` (local indices ``p S + s``, any of the +Grid's
    links cut) weighing ``weight`` ``(m,)``.  When every plane's links weigh
    the same slot by slot (a circular Walker shell with ``F = 0`` at one
    instant: the rotation ``p -> p + 1`` about the Earth's axis maps it onto
    itself), a shortest path from slot ``s0`` to ``k`` planes away at slot
    ``s1`` makes all its cross-plane hops at one slot ``s*`` (the cheapest it
    passes: moving them there never costs more), so the distance is ``min over
    s* of ring(s0, s*) + k c(s*) + ring(s*, s1)`` (``ring`` along a plane,
    ``c(s*)`` the cross-plane link at ``s*``), largest at the furthest plane
    ``k = floor(P / 2)`` (a wrapped shell) or ``P - 1`` (from an end plane of
    one that does not wrap).  That is one Dijkstra from each slot on a graph of
    ``2 S`` nodes.  Links weighing differently plane by plane are bounded: the
    lightest of each slot's (a cut link counts infinite) gives the lower bound,
    the heaviest the upper.  Returns None when the links are not of that form
    (another offset, a link between other satellites, fewer than 3 planes or
    slots).
    """
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import dijkstra

    planes, per_plane = layout.planes, layout.sats_per_plane
    if layout.offset != 0 or layout.seam_offset not in (None, 0):
        return None
    if planes < 3 or per_plane < 3:
        return None
    i, j, weight = np.asarray(i), np.asarray(j), np.asarray(weight, dtype=float)
    pi, si = np.divmod(i, per_plane)
    pj, sj = np.divmod(j, per_plane)
    ds, dp = (sj - si) % per_plane, (pj - pi) % planes
    along = (pi == pj) & ((ds == 1) | (ds == per_plane - 1))
    across = (si == sj) & ((dp == 1) | (dp == planes - 1))
    if not np.all(along | across):
        return None
    # Each link at its lower end: (p, s)-(p, s + 1) at (p, s); (p, s)-(p + 1, s) at (p, s).
    a_plane = np.where(along, pi, np.where(dp == 1, pi, pj))
    a_slot = np.where(along & (ds == per_plane - 1), sj, si)
    if not layout.wrap_planes and np.any(across & (a_plane == planes - 1)):
        return None
    rows = planes if layout.wrap_planes else planes - 1
    far = planes // 2 if layout.wrap_planes else planes - 1
    in_lo, in_hi = _at_cells((planes, per_plane), a_plane, a_slot, along, weight)
    cross_lo, cross_hi = _at_cells((planes, per_plane), a_plane, a_slot, across, weight)
    # The heaviest (upper) counts a link missing from any plane as cut at its slot.
    ring_lo, ring_hi = in_lo.min(axis=0), in_hi.max(axis=0)
    hop_lo, hop_hi = cross_lo[:rows].min(axis=0), cross_hi[:rows].max(axis=0)
    weights = ((ring_lo, hop_lo), (ring_hi, hop_hi))  # for the lower bound, then the upper
    gap = _relative_gap((ring_lo, hop_lo), (ring_hi, hop_hi))
    if gap <= DIAMETER_RTOL:
        # Every plane weighs the same slot by slot, to rounding: the upper bound's weights
        # are the lower's times at most 1 + gap, and so are its distances.
        lower = _ladder_eccentricity(ring_lo, far * hop_lo)
        return lower, lower * (1.0 + gap)
    bounds = []
    for ring, hop in weights:
        if np.all(np.isfinite(ring)):
            bounds.append(_ladder_eccentricity(ring, far * hop))
            continue
        s = np.arange(per_plane)
        nxt = (s + 1) % per_plane
        ok_ring, ok_hop = np.isfinite(ring), np.isfinite(hop)
        src = np.concatenate([s[ok_ring], per_plane + s[ok_ring], s[ok_hop]])
        dst = np.concatenate([nxt[ok_ring], per_plane + nxt[ok_ring], per_plane + s[ok_hop]])
        data = np.concatenate([ring[ok_ring], ring[ok_ring], far * hop[ok_hop]])
        quotient = coo_array((data, (src, dst)), shape=(2 * per_plane, 2 * per_plane)).tocsr()
        dist = dijkstra(quotient, directed=False, indices=np.arange(per_plane))
        bounds.append(float(np.max(dist[:, per_plane:])))
    return bounds[0], bounds[1]


#: Cells of the ``(slots, 2 slots)`` arrays :func:`_ladder_eccentricity` holds at once.
LADDER_CHUNK_CELLS = 4_000_000


def _relative_gap(low, high) -> float:
    """Largest ``high / low - 1`` over the pairs of arrays ``low``, ``high`` (positive,
    finite ``low``); inf where a value is not finite or not positive."""
    gap = 0.0
    for lo, hi in zip(low, high, strict=True):
        if not (np.all(np.isfinite(hi)) and np.all(lo > 0)):
            return np.inf
        gap = max(gap, float(np.max(hi / lo)) - 1.0) if len(lo) else gap
    return gap


def _ladder_eccentricity(ring: np.ndarray, rung: np.ndarray) -> float:
    """Largest distance from a slot of one ring to a slot of the other over one rung.

    Two copies of a ring of ``S`` slots, link ``k`` (slot ``k`` to ``k + 1``) weighing
    ``ring[k]`` (finite) in both, joined at slot ``k`` by a rung of ``rung[k]`` (inf:
    none): the distance from ``s0`` to ``s1`` is ``min over k of R(s0, k) + rung[k] +
    R(k, s1)`` (``R`` along the ring: more rungs never help, the rings being alike).  The
    minimum over ``k`` is a distance transform along the ring, two running minima over
    two turns of it (Felzenszwalb & Huttenlocher 2012, Distance transforms of sampled
    functions, Theory of Computing 8, 415-428, for the L1 case), so every ``s0`` at once
    in ``O(S^2)`` without a heap: the values of a Dijkstra from each slot, to rounding.
    """
    per_plane = len(ring)
    at = np.concatenate([[0.0], np.cumsum(ring[:-1])])  # each slot's place along the ring
    turn = float(np.sum(ring))
    two_turns = np.concatenate([at, at + turn])
    best = 0.0
    rows = max(1, LADDER_CHUNK_CELLS // (2 * per_plane))
    for first in range(0, per_plane, rows):
        apart = np.abs(at[first : first + rows, None] - at[None, :])
        to_rung = np.minimum(apart, turn - apart) + rung[None, :]  # (rows, S)
        values = np.concatenate([to_rung, to_rung], axis=1)
        # From behind: a rung at most a turn before the target (the second turn's slots).
        ahead = np.minimum.accumulate(values - two_turns, axis=1)[:, per_plane:]
        ahead += two_turns[per_plane:]
        # From ahead: at most a turn after it (the target in the first of two turns).
        behind = np.minimum.accumulate((values + two_turns)[:, ::-1], axis=1)[:, ::-1]
        behind = behind[:, :per_plane] - two_turns[:per_plane]
        best = max(best, float(np.max(np.minimum(ahead, behind))))
    return best


def _at_cells(shape, rows, cols, which, weight) -> tuple[np.ndarray, np.ndarray]:
    """``(lightest, heaviest)``: ``(P, S)`` cells holding the least and the greatest
    ``weight`` of the links ``which`` at cell ``(rows, cols)``, inf where none is.  A mesh
    without repeated links has one link a cell, written once for both; ``np.minimum.at``
    and ``np.maximum.at`` (ten times slower) only fold repeats."""
    flat = rows[which].astype(np.int64) * shape[1] + cols[which]
    values = weight[which]
    if len(flat) and np.bincount(flat, minlength=shape[0] * shape[1]).max() > 1:
        lightest, heaviest = np.full(shape, np.inf), np.full(shape, -np.inf)
        np.minimum.at(lightest.reshape(-1), flat, values)
        np.maximum.at(heaviest.reshape(-1), flat, values)
        heaviest[~np.isfinite(heaviest)] = np.inf
        lightest[~np.isfinite(lightest)] = np.inf
        return lightest, heaviest
    cells = np.full(shape, np.inf)
    cells.reshape(-1)[flat] = values
    cells[~np.isfinite(cells)] = np.inf
    return cells, cells


def _distances(matrix, sources, unweighted: bool) -> np.ndarray:
    """Shortest distances from ``sources`` over the symmetric ``matrix``: breadth-first in hops
    (:func:`orbital.breadth_first.hop_distances`), else scipy's dijkstra, directed on the
    symmetric matrix (the same distances as undirected, without adding its transpose)."""
    if unweighted:
        from orbital.breadth_first import hop_distances

        return hop_distances(_csr(matrix), sources)
    from scipy.sparse.csgraph import dijkstra

    return dijkstra(matrix, directed=True, indices=sources)


def bounding_diameter(
    matrix, *, unweighted: bool, max_sources: int, seed: int = 0, classes=None
) -> tuple[float, float, int]:
    """Diameter bounds of a connected graph by eccentricity bounding (Takes and Kosters 2011).

    ``matrix`` is the graph's symmetric scipy.sparse adjacency.  Each
    shortest-path tree from a source ``q`` bounds every node's eccentricity:
    ``max(ecc(q) - d(q, w), d(q, w)) <= ecc(w) <= ecc(q) + d(q, w)``; a node
    whose upper bound is no more than the largest eccentricity found cannot
    hold the diameter and is dropped.  Sources alternate between the node of
    largest upper bound and of smallest lower bound (the first is drawn with
    ``seed``, the second is then the furthest from it: a double sweep), as in
    networkx's ``diameter(usebounds=True)``.  ``classes`` ``(n,)`` (optional)
    labels nodes ``0..k-1`` that an automorphism of the weighted graph maps
    onto each other: they share one eccentricity, so each class takes the
    tightest bounds of its members and is a source at most once.  Stops when
    no node is left (exact) or after ``max_sources`` trees.  Trees in hops
    grow by breadth-first search (:func:`orbital.breadth_first.hop_distances`),
    weighted ones by scipy's dijkstra.  Returns
    ``(lower, upper, sources)``.  Raises ValueError for a disconnected graph.

    A double sweep in hops (``max_sources=2``, no ``classes``) is read off
    the two trees' eccentricities and furthest nodes alone
    (:func:`_double_sweep`): the same lower bound, source count and
    exactness, and the upper bound ``ecc(q) + ecc(q)`` (less one when the first
    tree has one furthest node) instead of the second tree's tighter one.

    Takes, F. W. & Kosters, W. A. (2011), Determining the diameter of small
    world networks, CIKM '11, 1191-1196.
    """
    n = matrix.shape[0]
    if unweighted and classes is None and max_sources == 2 and n > 1:
        return _double_sweep(matrix, seed)
    each = classes is None  # every node its own class: no reduction over classes
    if each:
        k, first = n, np.arange(n)
    else:
        classes = np.asarray(classes)
        k = int(classes.max()) + 1
        by_class = np.argsort(classes, kind="stable")
        starts = np.searchsorted(classes[by_class], np.arange(k))
        first = by_class[starts]  # a member of each class
    low = np.zeros(k)
    high = np.full(k, np.inf)
    alive = np.ones(k, dtype=bool)
    found = 0.0
    drawn = int(np.random.default_rng(seed).integers(n))
    source = drawn if each else int(classes[drawn])
    take_high = True
    sources = 0
    while sources < max_sources:
        dist = _distances(matrix, int(first[source]), unweighted)
        sources += 1
        ecc = float(np.max(dist))
        if not np.isfinite(ecc):
            raise ValueError("bounding_diameter needs a connected graph")
        found = max(found, ecc)
        if each:
            nearest = furthest = dist
        else:
            near = dist[by_class]  # each class's nearest member bounds it best
            nearest = np.minimum.reduceat(near, starts)
            furthest = np.maximum.reduceat(near, starts)
        np.maximum(low, np.maximum(ecc - nearest, 0.0), out=low)
        np.maximum(low, furthest, out=low)
        np.minimum(high, ecc + nearest, out=high)
        alive[source] = False
        alive &= high > found * (1.0 + DIAMETER_RTOL)
        if not np.any(alive):
            return found, found, sources
        key = np.where(alive, high, -np.inf) if take_high else np.where(alive, low, np.inf)
        source = int(np.argmax(key) if take_high else np.argmin(key))
        take_high = not take_high
    return found, max(found, float(np.max(high[alive]))), sources


def _double_sweep(matrix, seed: int) -> tuple[float, float, int]:
    """:func:`bounding_diameter`'s two trees in hops, without a distance array.

    Its first tree, from ``q`` drawn with ``seed``, leaves every other node
    alive (``ecc(q) + d(q, w) > ecc(q)``) and its next source is the lowest
    index of greatest upper bound: the lowest of ``q``'s furthest nodes, ``b``.
    After ``b``'s tree the largest eccentricity found is ``ecc(b)`` (at least
    ``d(q, b) = ecc(q)``), ``b``'s own bound drops every other node but ``b``,
    and ``q``'s drops those with ``d(q, w) <= ecc(b) - ecc(q)``: so the bounds
    meet exactly when that holds for every node but ``b``, which the first
    tree's furthest nodes tell (:func:`orbital.breadth_first.furthest`), and
    ``ecc(q) + max d(q, w)`` over the nodes left bounds the diameter above.
    """
    from orbital.breadth_first import furthest

    n = matrix.shape[0]
    csr = _csr(matrix)
    first = int(np.random.default_rng(seed).integers(n))
    ecc_first, far, reached = furthest(csr, first)
    if reached < n:
        raise ValueError("bounding_diameter needs a connected graph")
    ecc_second, _, _ = furthest(csr, int(far[0]))
    found = float(max(ecc_first, ecc_second))
    slack = ecc_second - ecc_first  # nodes of d(q, w) above it stay alive, but b
    if slack >= ecc_first or (slack == ecc_first - 1 and len(far) == 1):
        return found, found, 2
    return found, max(found, float(ecc_first + ecc_first - (len(far) == 1))), 2


def _csr(matrix):
    """``matrix`` in scipy.sparse CSR (itself when it is)."""
    if getattr(matrix, "format", None) == "csr":
        return matrix
    from scipy.sparse import csr_array

    return csr_array(matrix)


def plane_rotation_classes(layout: GridLayout, i, j, weight) -> np.ndarray | None:
    """Each satellite's slot ``(P S,)`` when turning every plane one on is a symmetry, else None.

    The map ``(p, s) -> (p + 1 mod P, s)`` (at one instant: the shell turned
    ``360 / P`` degrees about the Earth's axis) is an automorphism of the mesh
    when the planes wrap and it carries every link ``(i, j)`` (local indices
    ``p S + s``) onto a link of equal ``weight`` (relative
    :data:`DIAMETER_RTOL`): so it is for a circular Walker delta shell with
    phasing ``F = 0`` (every plane's satellites at the same arguments of
    latitude) whose seam partner is the ordinary one, with links cut by any
    rule that depends on latitude, range or grazing altitude.  With ``F != 0``
    satellite ``s`` of plane ``p + 1`` lags the image of satellite ``s`` of
    plane ``p`` by ``2 pi F / T``: the rotation then needs a time shift and is
    no symmetry of one snapshot.
    """
    planes, per_plane = layout.planes, layout.sats_per_plane
    if not layout.wrap_planes or planes < 2:
        return None
    i, j, weight = np.asarray(i, np.int64), np.asarray(j, np.int64), np.asarray(weight, float)
    n = layout.n
    key = np.minimum(i, j) * n + np.maximum(i, j)
    order = np.argsort(key)
    key, weight = key[order], weight[order]
    mi, mj = (i[order] + per_plane) % n, (j[order] + per_plane) % n
    moved = np.minimum(mi, mj) * n + np.maximum(mi, mj)
    at = np.minimum(np.searchsorted(key, moved), len(key) - 1)
    if len(key) == 0 or not np.array_equal(key[at], moved):
        return None
    if np.any(np.abs(weight[at] - weight) > DIAMETER_RTOL * np.abs(weight)):
        return None
    return np.arange(n) % per_plane


def diameter(
    graph: LinkGraph,
    members: np.ndarray,
    weight: str | None = None,
    seed: int = 0,
    *,
    layouts=(),
    least_sources: int | None = None,
) -> Diameter:
    """Diameter of the cluster ``members`` in hops (``weight=None``) or in an edge attribute.

    - Up to :data:`EXACT_DIAMETER_MAX_NODES` nodes: exact, every source.
    - A whole +Grid (``members`` are all of one of ``layouts``, a sequence of
      :class:`GridLayout`, and every one of its links is there): in hops it is
      vertex-transitive (a translation of the lattice maps any satellite to
      any other), so one breadth-first search is exact; a mesh that does not
      wrap is a product of a path and a ring, whose end plane's eccentricity is
      its diameter (:func:`plus_grid_hop_diameter`).
    - A +Grid with partners in the same slot (phasing 0), in hops or weighted,
      links cut or not: :func:`plane_ring_diameter`, exact when every plane's
      links weigh the same slot by slot, else bounded.
    - A wrapped +Grid that turning every plane one on maps onto itself with
      its weights (:func:`plane_rotation_classes`: phasing 0, any partner
      offset, links cut or not): every satellite of a slot has one
      eccentricity, so one search per slot is exact while ``S`` times the
      links is within :data:`DIAMETER_EXACT_WORK_LINKS`; above, the slots are
      the classes of :func:`bounding_diameter`.
    - Anything else (failures, ``nearest``, several shells linked, other
      phasings weighted): :func:`bounding_diameter` with at least
      ``least_sources`` trees (None: :data:`DIAMETER_SWEEPS`; 2 is a double sweep) and up to
      :data:`DIAMETER_WORK_LINKS` link visits; exact if the bounds meet, else the
      bracket (the plane rings' bracket, when it is tighter, narrows it).
    """
    from orbital.breadth_first import furthest

    matrix = _subgraph_adjacency(graph, members, weight)
    n = matrix.shape[0]
    rings = None
    if n <= 1:
        return Diameter(0.0, 0.0, True, "all sources")
    unweighted = weight is None
    if n <= EXACT_DIAMETER_MAX_NODES:
        from scipy.sparse.csgraph import shortest_path

        dist = shortest_path(matrix, directed=False, unweighted=unweighted)
        value = float(np.max(dist))
        return Diameter(value, value, True, "all sources")
    layout, local = _cluster_layout(graph, members, layouts)
    if layout is not None:
        edges = None  # the cluster's links in local indices, read once when needed
        whole = _whole_grid_in_order(layout, matrix, local) if unweighted else False
        if whole is None:  # not decided from the matrix's rows: from its links
            edges = _local_edges(matrix, local)
            whole = _is_whole_grid(layout, *edges[:2])
        if whole:
            start = int(np.flatnonzero(local == 0)[0])  # plane 0: an end plane without a seam
            ecc, _, reached = furthest(_csr(matrix), start)
            value = float(ecc) if reached == n else np.inf
            how = "vertex-transitive" if layout.wrap_planes else "end plane"
            return Diameter(value, value, True, f"one source, {how}")
        i, j, w = _local_edges(matrix, local) if edges is None else edges
        rings = plane_ring_diameter(layout, i, j, np.ones(len(i)) if unweighted else w)
        if rings is not None:
            lower, upper = rings
            if upper <= lower * (1.0 + DIAMETER_RTOL):
                return Diameter(lower, lower, True, "plane rings")
    links = max(matrix.nnz // 2, 1)
    classes, kind = None, ""
    if layout is not None:
        slot_of = plane_rotation_classes(layout, i, j, np.ones(len(i)) if unweighted else w)
        if slot_of is not None:
            classes, kind = slot_of[local], "slots"
            if layout.sats_per_plane * links <= DIAMETER_EXACT_WORK_LINKS:
                value = 0.0
                sources = np.flatnonzero(local < layout.sats_per_plane)  # plane 0
                for chunk in np.array_split(sources, -(-len(sources) // 64)):
                    dist = _distances(matrix, chunk, unweighted)
                    value = max(value, float(np.max(dist)))
                return Diameter(value, value, True, "one source per slot, plane rotation")
    least = DIAMETER_SWEEPS if least_sources is None else least_sources
    budget = max(least, DIAMETER_WORK_LINKS // links)
    lower, upper, sources = bounding_diameter(
        matrix, unweighted=unweighted, max_sources=min(budget, n), seed=seed, classes=classes
    )
    method = f"bounding over {kind}, {sources} sources" if kind else f"bounding, {sources} sources"
    if rings is not None and (rings[0] > lower or rings[1] < upper):
        lower, upper = max(lower, rings[0]), min(upper, rings[1])
        method = f"plane rings and bounding, {sources} sources"
    exact = upper <= lower * (1.0 + DIAMETER_RTOL)
    return Diameter(lower, lower if exact else upper, exact, method)


def cut_capacity_gbps(graph: LinkGraph, side: np.ndarray) -> float:
    """Capacity of the links crossing between ``side`` (boolean ``(n,)``) and the rest."""
    crossing = side[graph.i] != side[graph.j]
    return float(np.sum(graph.capacity_gbps[crossing]))


def bisection_gbps(graph: LinkGraph, members: np.ndarray, candidate_orders) -> float:
    """Smallest capacity crossing a balanced split of ``members``, over candidate orders.

    Each candidate order (an array of node indices, the members in some
    natural order: by plane, by slot, along a +Grid's straight cuts
    (:func:`orbital.links.plus_grid_cut_orders`)) is cut in half, its first
    ``len // 2`` members against the rest; the least crossing capacity found
    bounds the minimum bisection from above, and with a +Grid's straight cuts
    equals it on every whole +Grid mesh of 4 to 24 nodes checked by brute force.
    """
    best = np.inf
    inside = np.zeros(graph.n, dtype=bool)
    inside[members] = True
    both_inside = inside[graph.i] & inside[graph.j]
    for order in candidate_orders:
        order = np.asarray(order)
        order = order[inside[order]]
        side = np.zeros(graph.n, dtype=bool)
        side[order[: len(order) // 2]] = True
        crossing = (side[graph.i] != side[graph.j]) & both_inside
        best = min(best, float(np.sum(graph.capacity_gbps[crossing])))
    return best


def ring_allreduce_s(
    n_nodes: int, model_gb: float, link_gbps: float, hop_latency_ms: float
) -> float:
    """Time of a ring all-reduce of ``model_gb`` over ``n_nodes`` (Patarasuk & Yuan 2009).

    ``2 (N - 1) / N * M / B`` of transfer plus ``2 (N - 1)`` hop latencies.
    """
    if n_nodes <= 1:
        return 0.0
    transfer_s = 2.0 * (n_nodes - 1) / n_nodes * model_gb * 8.0 / link_gbps
    return transfer_s + 2.0 * (n_nodes - 1) * hop_latency_ms / 1e3
