"""Which +Grid links close, link by link or one link class at a time.

The rule (:func:`grid_links_close`) is the same on both paths: in range,
the beam above the grazing altitude, and a cross-plane link's ends below the
latitude cut-off.  On the symmetric path (:func:`grid_link_classes`) it is
applied to one link of each class of :mod:`orbital.link_classes` and spread
over the class.
"""

import numpy as np

from constellations.model.links import LinksDesign
from orbital.link_classes import LinkClasses, equal_node_steps, plus_grid_link_classes
from orbital.links import links_close


def grid_links_close(r1_km, r2_km, cross_plane, design: LinksDesign) -> np.ndarray:
    """True where a +Grid link ``r1 - r2`` (ends ``(m, 3)`` km, any Earth-centred frame)
    closes: :func:`orbital.links.links_close` for the design's range and grazing altitude,
    and a cross-plane link (``cross_plane`` ``(m,)``) only with both ends at most
    ``max_cross_plane_latitude_deg`` from the equator (geocentric latitude)."""
    ok = links_close(r1_km, r2_km, design.max_range_km, design.grazing_altitude_km)
    if design.max_cross_plane_latitude_deg < 90.0:
        limit = np.sin(np.radians(design.max_cross_plane_latitude_deg))
        sin_lat1 = np.abs(r1_km[:, 2]) / np.linalg.norm(r1_km, axis=1)
        sin_lat2 = np.abs(r2_km[:, 2]) / np.linalg.norm(r2_km, axis=1)
        ok &= ~cross_plane | ((sin_lat1 <= limit) & (sin_lat2 <= limit))
    return ok


def grid_link_classes(resolved, grids, candidates) -> LinkClasses | None:
    """The link classes of the +Grid ``candidates`` (:func:`~constellations.stages.network.
    candidate_edges` of ``resolved`` with ``grids``), or None when a shell's neighbouring
    planes are not all one node step apart (then every link is its own class: use the
    general path)."""
    i, _, cross = candidates
    walkers = [shell for shell in resolved if shell.shell.formation is None]
    keys = np.empty(len(i), dtype=np.int64)
    for shell, grid in zip(walkers, grids, strict=True):
        walker = shell.walker
        if not equal_node_steps(np.degrees(walker.raan_rad), grid.partners.seam_offset is not None):
            return None
        first = shell.first_id
        mine = (i >= first) & (i < first + walker.n_sats)
        local = plus_grid_link_classes(
            walker.planes, walker.sats_per_plane, walker.phasing, i[mine] - first, cross[mine]
        )
        keys[mine] = 2 * first + local  # shells' keys never meet: 2 T of them each
    return LinkClasses.of(keys)
