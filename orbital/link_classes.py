"""Link classes of a circular Walker shell's +Grid: one geometry for many links.

SGP4's near-Earth model is axially symmetric (the node enters only as a final
rotation about the TEME z axis; :mod:`orbital.propagation` propagates one
plane per phase class for that reason).  Two +Grid links whose first
satellites share an argument of latitude at the epoch (a phase, in units of
``2 pi / T``) and whose second satellites lie the same step away (the next
slot of the plane; or the partner in the next plane, ``offset P + F`` units
ahead and one node step ``360/P``, ``spread/P`` in a band, further on) are the
same pair of orbits turned about the Earth's axis.  Their lengths, the lowest
altitude of their beams and the latitudes of their ends are equal at every
instant, to the rounding of the rotation, so whether one closes decides
whether all of its class close.

A shell of ``P`` planes of ``S`` with phasing ``F`` holds ``P S / gcd(P, F)``
distinct phases, so at most that many classes of each kind: ``2 S`` classes
for ``F = 0`` against ``2 P S`` links.  The classes are exact (no sampling and
no interpolation in time), with or without drag: drag breaks the time shift
between phases, not the rotation about the axis.
"""

from dataclasses import dataclass

import numpy as np

from orbital import walker as _walker

#: Plane pairs whose node steps differ by more than this, degrees, are not one class
#: (the nodes of a resolved shell are its first node plus whole steps: their rounding is
#: below 1e-12 deg).
NODE_STEP_ATOL_DEG = 1e-9


def plus_grid_link_classes(
    planes: int, sats_per_plane: int, phasing: int, i, cross_plane
) -> np.ndarray:
    """Class of every +Grid link of one Walker shell, ``(m,)`` int64.

    ``i`` and ``cross_plane`` ``(m,)`` are the first ends of the shell's
    candidates, in its own indices, and their kind
    (:func:`orbital.links.plus_grid_edges`: slot ``s`` of plane ``p`` at index
    ``p S + s``; the second end is the next slot, or the partner in the next
    plane).  The class is
    ``2 u + c``, ``u`` the phase of ``i`` in units of ``2 pi / T``
    (:func:`orbital.walker.satellite_phase_unit`) and ``c`` 1 for a
    cross-plane link, in ``0 .. 2 T - 1``.  Links of one class have the
    same geometry when every cross-plane link (the seam included) spans the
    same node step: :func:`equal_node_steps` checks it.
    """
    total = planes * sats_per_plane
    plane, slot = np.divmod(np.asarray(i, dtype=np.int64), sats_per_plane)
    phase = _walker.satellite_phase_unit(plane, slot, planes, total, phasing)
    return 2 * phase + np.asarray(cross_plane, dtype=np.int64)


def equal_node_steps(raan_deg, wrap_planes: bool) -> bool:
    """True when every pair of neighbouring planes is the same node step apart.

    ``raan_deg`` ``(P,)`` the planes' nodes, degrees; ``wrap_planes`` adds the
    seam from the last plane to the first.  Steps within
    :data:`NODE_STEP_ATOL_DEG` are equal.
    """
    raan = np.asarray(raan_deg, dtype=float)
    if len(raan) < 2:
        return True
    steps = np.diff(raan)
    if wrap_planes:
        steps = np.append(steps, raan[0] - raan[-1])
    steps = steps % 360.0
    steps = np.where(steps > 360.0 - NODE_STEP_ATOL_DEG, steps - 360.0, steps)
    return bool(np.ptp(steps) <= NODE_STEP_ATOL_DEG)


@dataclass(frozen=True, eq=False)
class LinkClasses:
    """Links grouped into classes that close or open together.

    ``representative`` ``(k,)``: one link of each class (the first in
    candidate order); ``of_link`` ``(m,)``: the class of every link, so that
    ``values[of_link]`` spreads one value a class over the links.
    """

    representative: np.ndarray
    of_link: np.ndarray

    @classmethod
    def of(cls, keys) -> "LinkClasses":
        """The classes of links labelled by ``keys`` ``(m,)`` (equal keys, one class)."""
        keys = np.asarray(keys).ravel()
        integer = np.issubdtype(keys.dtype, np.integer)
        if integer and len(keys) and keys.min() >= 0 and keys.max() < 4 * len(keys):
            # Keys no larger than a few times the links: counted in a table, not sorted.
            present = np.zeros(int(keys.max()) + 1, dtype=bool)
            present[keys] = True
            number = np.cumsum(present, dtype=np.int64) - 1  # classes in order of their key
            of_link = number[keys]
            representative = np.full(int(number[-1]) + 1, len(keys), dtype=np.int64)
            np.minimum.at(representative, of_link, np.arange(len(keys), dtype=np.int64))
            return cls(representative, of_link)
        order = np.argsort(keys, kind="stable")  # equal keys keep candidate order
        ordered = keys[order]
        starts = np.ones(len(keys), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        of_link = np.empty(len(keys), dtype=np.int64)
        of_link[order] = np.cumsum(starts) - 1
        return cls(order[starts].astype(np.int64), of_link)

    @property
    def n_classes(self) -> int:
        return len(self.representative)

    def spread(self, per_class: np.ndarray) -> np.ndarray:
        """Per-class values ``(k,)`` as per-link values ``(m,)``."""
        return np.asarray(per_class)[self.of_link]
