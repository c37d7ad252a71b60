"""Walker constellation geometry: node spacing and phasing of every satellite.

Walker (1984), "Satellite constellations", J. Br. Interplanet. Soc. 37:559:
``T = P * S`` satellites in ``P`` planes spread evenly over 360 degrees of
right ascension (delta) or 180 degrees (star); within a plane the satellites
are ``360/S`` degrees apart, and each plane is advanced by ``F * 360/T``
degrees relative to the previous one (the phasing ``F``, ``0 <= F < P``).

Phases are kept as integers in units of ``2*pi/T`` so that equal phases are
recognised exactly, which the symmetric propagator relies on.
"""

from dataclasses import dataclass

import numpy as np

PATTERN_SPREAD_DEG = {"delta": 360.0, "star": 180.0}


def raan_offsets_deg(planes: int, spread_deg: float) -> np.ndarray:
    """Right ascension of each plane relative to the first, degrees, shape ``(planes,)``."""
    return np.arange(planes) * (spread_deg / planes)


def satellite_phase_unit(plane, slot, planes: int, total: int, phasing: int):
    """Argument of latitude at epoch of satellite ``slot`` of ``plane``, units of ``2*pi/T``.

    ``(s * P + p * F) mod T``; ``plane`` and ``slot`` broadcast.
    """
    return (slot * planes + plane * phasing) % total


def phase_units(planes: int, sats_per_plane: int, phasing: int) -> np.ndarray:
    """Argument of latitude at epoch of every satellite, in units of ``2*pi/T``.

    Shape ``(planes, sats_per_plane)``.
    """
    p = np.arange(planes, dtype=np.int64)[:, None]
    s = np.arange(sats_per_plane, dtype=np.int64)[None, :]
    return satellite_phase_unit(p, s, planes, planes * sats_per_plane, phasing)


@dataclass(frozen=True)
class PhaseClasses:
    """Planes grouped by the set of phases their satellites occupy.

    Plane ``p`` holds the phases ``residue[p] + P*m`` (``m = 0..S-1``) of class
    ``residue[p]``; its satellite ``s`` sits at ``m = (s + shift[p]) mod S``.
    All planes of a class are the same orbit up to a rotation about Earth's
    axis.  There are ``P / gcd(P, F)`` classes (one when ``F = 0``).
    """

    residue: np.ndarray  # (P,) int64
    shift: np.ndarray  # (P,) int64

    @classmethod
    def of(cls, planes: int, phasing: int) -> "PhaseClasses":
        pf = np.arange(planes, dtype=np.int64) * phasing
        return cls(residue=pf % planes, shift=pf // planes)


def class_phase_units(residue: int, planes: int, sats_per_plane: int) -> np.ndarray:
    """Phases (units of ``2*pi/T``) of the satellites of one class, shape ``(S,)``."""
    return residue + planes * np.arange(sats_per_plane, dtype=np.int64)
