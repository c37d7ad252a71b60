"""SGP4 propagation of whole shells, streamed in chunks with reused buffers.

Two paths give positions ``(n_sat, n_t, 3)`` in km, chunk by chunk:

* :func:`propagate_satrecs`, for any element sets (OMM, TLE): python-sgp4's
  ``SatrecArray`` over a chunk of satellites at a time.
* :func:`propagate_walker`, for circular Walker shells.  SGP4's near-Earth
  model is axially symmetric: the right ascension of the node enters only as a
  final rotation about the TEME z axis, and no secular or periodic rate
  depends on it.  So every plane is a rotated copy of a reference plane with
  the same set of satellite phases, and only the distinct phases
  (``P*S/gcd(P,F)`` of them; ``S`` when ``F = 0``) are propagated.  The
  result equals the full path to rounding error, with or without drag.

Chunks are yielded as :class:`PositionChunk` views into a buffer that the next
chunk overwrites: copy what you keep.  The buffer is component-major
(``(3, n, n_t)`` underneath), so ``positions_km[..., 2]`` is contiguous and
whole-chunk arithmetic on one component is fast.  A satellite whose
propagation fails (decay, SGP4 error codes, a radius no orbit of its elements
reaches: :mod:`orbital.validity`) has NaN positions from its first failure
on, and from the start when it failed between its element epoch and the first
time asked for.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from orbital import walker as _walker
from orbital.constants import SGP4_MAX_SATNUM
from orbital.frames import FrameRotation
from orbital.times import Epoch, TimeGrid, builtin_timescale
from orbital.validity import (
    bounds_and_failed_before,
    failed_before,
    implausible,
    radius_bounds_km,
)

#: Satellites per chunk: about 110 MB of float64 positions at 96 steps, small
#: enough that first-touch allocation and the cache stay cheap here.
DEFAULT_CHUNK_SATS = 50_000

#: Satellites given to ``SatrecArray`` at once within a chunk: its TEME positions and
#: velocities (float64, 2 x 4.5 MB at 96 steps) then stay small whatever the chunk.
SGP4_BLOCK_SATS = 2048

#: Memory allowed for cached reference planes of a Walker shell, bytes.
REFERENCE_CACHE_BYTES = 256 * 2**20


class PositionChunk(NamedTuple):
    """Satellites ``start:stop`` of the stream and their positions ``(stop-start, n_t, 3)`` km."""

    start: int
    stop: int
    positions_km: np.ndarray


def sgp4_epoch(epoch) -> float:
    """Epoch in SGP4's convention: days since 1949 December 31 00:00 UTC.

    ``epoch`` is anything :meth:`orbital.times.Epoch.parse` takes; SGP4's UTC
    clock has no leap seconds (:meth:`~orbital.times.Epoch.sgp4_dates`).
    """
    jd, fr = Epoch.parse(epoch).sgp4_dates()
    return (jd - 2433281.5) + fr


def make_satrec(
    satnum: int,
    epoch,
    *,
    no_kozai_rad_min: float,
    inclination_rad: float,
    raan_rad: float,
    mean_anomaly_rad: float,
    eccentricity: float = 0.0,
    argp_rad: float = 0.0,
    bstar: float = 0.0,
):
    """One ``Satrec`` from mean elements (TEME of date, WGS-72), no TLE text involved.

    ``epoch`` is an :class:`~orbital.times.Epoch` (or anything its ``parse``
    takes), or already SGP4's days since 1949 December 31.
    """
    from sgp4.api import WGS72, Satrec

    satrec = Satrec()
    satrec.sgp4init(
        WGS72,
        "i",
        int(satnum) % (SGP4_MAX_SATNUM + 1),
        epoch if isinstance(epoch, float) else sgp4_epoch(epoch),
        bstar,
        0.0,
        0.0,
        eccentricity,
        argp_rad,
        inclination_rad,
        mean_anomaly_rad,
        no_kozai_rad_min,
        raan_rad,
    )
    return satrec


@dataclass(frozen=True, eq=False)
class CircularWalker:
    """A circular Walker shell as SGP4 mean elements.

    ``raan_rad`` has shape ``(planes,)``; satellite ``s`` of plane ``p`` has
    index ``p * sats_per_plane + s`` and id ``first_id`` plus that index.
    Argument of perigee is zero and the phase sits in the mean anomaly.
    ``epoch`` is anything :meth:`orbital.times.Epoch.parse` takes, kept as an Epoch.
    """

    epoch: Epoch
    no_kozai_rad_min: float
    inclination_rad: float
    raan_rad: np.ndarray
    sats_per_plane: int
    phasing: int
    bstar: float = 0.0
    first_id: int = 0

    def __post_init__(self):
        object.__setattr__(self, "epoch", Epoch.parse(self.epoch))

    @property
    def planes(self) -> int:
        return len(self.raan_rad)

    @property
    def n_sats(self) -> int:
        return self.planes * self.sats_per_plane

    def phases_rad(self) -> np.ndarray:
        """Mean anomaly at epoch of every satellite, rad, shape ``(planes, sats_per_plane)``."""
        units = _walker.phase_units(self.planes, self.sats_per_plane, self.phasing)
        return units * (2.0 * np.pi / self.n_sats)

    @cached_property
    def _sgp4_epoch(self) -> float:
        return sgp4_epoch(self.epoch)

    def satrec(self, index: int, *, raan_rad=None, mean_anomaly_rad=None):
        plane, slot = divmod(int(index), self.sats_per_plane)
        if mean_anomaly_rad is None:
            units = _walker.satellite_phase_unit(
                plane, slot, self.planes, self.n_sats, self.phasing
            )
            mean_anomaly_rad = units * (2.0 * np.pi / self.n_sats)
        return make_satrec(
            self.first_id + index,
            self._sgp4_epoch,
            no_kozai_rad_min=self.no_kozai_rad_min,
            inclination_rad=self.inclination_rad,
            raan_rad=self.raan_rad[plane] if raan_rad is None else raan_rad,
            mean_anomaly_rad=mean_anomaly_rad,
            bstar=self.bstar,
        )

    def satrecs(self) -> "LazySatrecs":
        """Every satellite as a ``Satrec``, built on demand slice by slice."""
        return LazySatrecs(self)


class LazySatrecs(Sequence):
    """A sequence of a Walker shell's ``Satrec`` objects, built when sliced."""

    def __init__(self, shell: CircularWalker):
        self._shell = shell

    def __len__(self) -> int:
        return self._shell.n_sats

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._shell.satrec(i) for i in range(*item.indices(len(self)))]
        if not -len(self) <= item < len(self):
            raise IndexError(item)
        return self._shell.satrec(item % len(self))


def failed_after_first_error(errors: np.ndarray, t_s: np.ndarray) -> np.ndarray:
    """``(n_sat, n_t)`` True from each satellite's first SGP4 error onwards, in time order.

    ``errors`` holds SGP4's error codes (or True where a step failed).  After
    reporting decay SGP4 can return error code 0 again with positions
    thousands of km off; a satellite that has failed stays failed.
    """
    failed = errors != 0
    if not failed.any():
        return failed
    order = np.argsort(t_s, kind="stable")
    if np.all(order == np.arange(len(order))):
        return np.logical_or.accumulate(failed, axis=1)
    sticky = np.empty_like(failed)
    sticky[:, order] = np.logical_or.accumulate(failed[:, order], axis=1)
    return sticky


def _sgp4_into(satrecs, jd, fr, t_s, errors, positions, velocities, **known) -> None:
    """``SatrecArray.sgp4`` writing into caller-owned buffers when the library allows it.

    Positions are NaN from a satellite's first failure on (an error code or
    an implausible radius), and throughout for a satellite that failed
    between its element epoch and the first time of ``t_s``.  ``known``
    passes on what :func:`_fail_in_place` may be given already.
    """
    from sgp4.api import SatrecArray

    satrec_array = SatrecArray(satrecs)
    try:
        satrec_array._sgp4(jd, fr, errors, positions, velocities)
    except AttributeError:  # pure-Python fallback of python-sgp4
        e, r, v = satrec_array.sgp4(jd, fr)
        errors[...], positions[...], velocities[...] = e, r, v
    _fail_in_place(satrecs, jd, fr, t_s, errors, positions, **known)


def _fail_in_place(
    satrecs, jd, fr, t_s, errors, positions, *, bounds_km=None, failed_early=None
) -> None:
    """NaN into ``positions`` ``(n, n_t, 3)`` wherever :mod:`orbital.validity` says they fail.

    ``bounds_km`` (:func:`radius_bounds_km`) and ``failed_early``
    (:func:`failed_before` at the first time of ``t_s``) are computed unless given.
    """
    bad = errors != 0
    low_km, high_km = radius_bounds_km(satrecs) if bounds_km is None else bounds_km
    with np.errstate(invalid="ignore"):
        bad |= implausible(positions, low_km, high_km)
    bad = failed_after_first_error(bad, t_s)
    if failed_early is None:
        first = int(np.argmin(t_s))
        failed_early = failed_before(satrecs, jd[first], fr[first])
    bad[failed_early] = True
    positions[bad] = np.nan


def propagate_satrecs(
    satrecs: Sequence,
    grid: TimeGrid,
    *,
    frame: str = "itrs",
    chunk_sats: int = DEFAULT_CHUNK_SATS,
    dtype=np.float64,
    ts=None,
) -> Iterator[PositionChunk]:
    """Propagate any satellites with ``SatrecArray``, checked ``chunk_sats`` at a time.

    ``satrecs`` is any sequence of python-sgp4 ``Satrec`` (slicing may build
    them lazily).  Yields :class:`PositionChunk` in ``frame`` (``teme``,
    ``itrs`` or ``gcrs``) with ``dtype`` positions, of :data:`SGP4_BLOCK_SATS`
    satellites (fewer when ``chunk_sats`` is smaller, or at the end): SGP4 runs
    a block at a time, rotated into one reused buffer that is yielded while it
    is still in the processor's cache.  The check for failures before the grid
    (:func:`orbital.validity.failed_before`) and the radius bounds run over
    ``chunk_sats`` satellites at a time, before their first block.
    """
    rotation = FrameRotation(frame, grid.skyfield(ts or builtin_timescale()))
    jd, fr = grid.sgp4_dates()
    n_sat, n_t = len(satrecs), len(grid)
    size = max(1, min(chunk_sats, n_sat))
    block = min(size, SGP4_BLOCK_SATS)
    errors = np.empty((block, n_t), dtype=np.uint8)
    teme = np.empty((block, n_t, 3))
    velocities = np.empty((block, n_t, 3))
    buffer = np.empty((3, block, n_t), dtype=dtype)
    rotate = _ZRotator(block, n_t)
    first_time = int(np.argmin(grid.t_s))
    for start in range(0, n_sat, size):
        stop = min(start + size, n_sat)
        chunk = satrecs[start:stop]
        low_km, high_km, early = bounds_and_failed_before(chunk, jd[first_time], fr[first_time])
        for a in range(0, stop - start, block):
            b = min(a + block, stop - start)
            k = b - a
            known = dict(bounds_km=(low_km[a:b], high_km[a:b]), failed_early=early[a:b])
            _sgp4_into(chunk[a:b], jd, fr, grid.t_s, errors[:k], teme[:k], velocities[:k], **known)
            out = buffer[:, :k]
            rotate(teme[:k, :, 0], teme[:k, :, 1], teme[:k, :, 2], rotation.z_angle_rad, out)
            rotation.apply_matrices_inplace(out)
            yield PositionChunk(start + a, start + b, _chunk_view(buffer, k))


class _ZRotator:
    """Writes ``rot_z(angle) @ (x, y, z)`` into component-major buffers without allocating.

    ``angle_rad`` has shape ``(n_t,)`` and broadcasts over the rows of the
    ``(rows, n_t)`` component arrays.
    """

    def __init__(self, max_rows: int, n_t: int):
        self._tmp = np.empty((max_rows, n_t))

    def __call__(self, x, y, z, angle_rad, out) -> None:
        c, s = np.cos(angle_rad), np.sin(angle_rad)
        tmp = self._tmp[: x.shape[0]]
        np.multiply(x, c, out=out[0])
        np.multiply(y, s, out=tmp)
        np.subtract(out[0], tmp, out=out[0])
        np.multiply(x, s, out=out[1])
        np.multiply(y, c, out=tmp)
        np.add(out[1], tmp, out=out[1])
        out[2] = z


def _chunk_view(buffer: np.ndarray, rows: int) -> np.ndarray:
    """The ``(rows, n_t, 3)`` view of a component-major ``(3, n, n_t)`` buffer."""
    return buffer[:, :rows].transpose(1, 2, 0)


class _ReferencePlanes:
    """TEME positions of one reference plane per phase class, computed on demand.

    Each is a tuple ``(x, y, z)`` of ``(S, n_t)`` arrays for a plane at
    ``raan = 0`` holding that class's phases in order ``m = 0..S-1``.
    """

    def __init__(self, shell: CircularWalker, grid: TimeGrid, classes: _walker.PhaseClasses):
        self._shell = shell
        self._jd, self._fr = grid.sgp4_dates()
        self._t_s = grid.t_s
        residues, counts = np.unique(classes.residue, return_counts=True)
        self._planes_per_class = dict(zip(residues.tolist(), counts.tolist(), strict=True))
        self._cache: dict[int, tuple] = {}
        self._cached_bytes = 0

    def get(self, residue: int):
        if residue in self._cache:
            return self._cache[residue]
        from sgp4.api import SatrecArray

        shell = self._shell
        units = _walker.class_phase_units(residue, shell.planes, shell.sats_per_plane)
        anomalies = units * (2.0 * np.pi / shell.n_sats)
        satrecs = [shell.satrec(0, raan_rad=0.0, mean_anomaly_rad=m) for m in anomalies]
        errors, positions, _ = SatrecArray(satrecs).sgp4(self._jd, self._fr)
        _fail_in_place(satrecs, self._jd, self._fr, self._t_s, errors, positions)
        planes = tuple(np.ascontiguousarray(positions[..., i]) for i in range(3))
        shared = self._planes_per_class.get(residue, 0) > 1
        if shared and self._cached_bytes + positions.nbytes <= REFERENCE_CACHE_BYTES:
            self._cache[residue] = planes
            self._cached_bytes += positions.nbytes
        return planes


def propagate_walker(
    shell: CircularWalker,
    grid: TimeGrid,
    *,
    frame: str = "itrs",
    chunk_sats: int = DEFAULT_CHUNK_SATS,
    dtype=np.float64,
    ts=None,
) -> Iterator[PositionChunk]:
    """Propagate a circular Walker shell by symmetry, whole planes per chunk.

    Equal to :func:`propagate_satrecs` on ``shell.satrecs()`` to rounding
    error, at the cost of propagating only one plane per phase class.
    """
    rotation = FrameRotation(frame, grid.skyfield(ts or builtin_timescale()))
    classes = _walker.PhaseClasses.of(shell.planes, shell.phasing)
    references = _ReferencePlanes(shell, grid, classes)
    n_t, per_plane = len(grid), shell.sats_per_plane
    planes_per_chunk = max(1, chunk_sats // per_plane)
    max_rows = min(planes_per_chunk, shell.planes) * per_plane
    buffer = np.empty((3, max_rows, n_t), dtype=dtype)
    rotate = _ZRotator(per_plane, n_t)
    for p0 in range(0, shell.planes, planes_per_chunk):
        p1 = min(p0 + planes_per_chunk, shell.planes)
        out = buffer[:, : (p1 - p0) * per_plane]
        for p in range(p0, p1):
            rows = out[:, (p - p0) * per_plane : (p - p0 + 1) * per_plane]
            _plane_into(shell, p, references, classes, rotation, rotate, rows)
        rotation.apply_matrices_inplace(out)
        yield PositionChunk(p0 * per_plane, p1 * per_plane, _chunk_view(buffer, out.shape[1]))


def _plane_into(shell, p, references, classes, rotation, rotate, rows) -> None:
    """Plane ``p``'s positions (its class's reference plane turned to its node) into
    the component-major ``rows`` ``(3, S, n_t)``."""
    per_plane = shell.sats_per_plane
    x, y, z = references.get(int(classes.residue[p]))
    angle = shell.raan_rad[p] + rotation.z_angle_rad
    shift = int(classes.shift[p]) % per_plane
    head = per_plane - shift
    rotate(x[shift:], y[shift:], z[shift:], angle, rows[:, :head])
    if shift:
        rotate(x[:shift], y[:shift], z[:shift], angle, rows[:, head:])


def propagate_walker_satellites(
    shell: CircularWalker,
    grid: TimeGrid,
    indices,
    *,
    frame: str = "itrs",
    dtype=np.float64,
    ts=None,
) -> np.ndarray:
    """Positions ``(len(indices), n_t, 3)`` km of the satellites ``indices`` of a Walker shell.

    The same values as :func:`propagate_walker` gives them with the same
    ``dtype`` (each satellite's class reference row turned to its node by the
    same arithmetic, into a buffer of that type), for a sample scattered over
    many planes: only one plane per phase class is propagated and only the
    chosen rows are turned.  Raises ValueError for an index outside
    ``0 .. n_sats - 1``.
    """
    indices = np.asarray(indices, dtype=np.int64)
    if len(indices) and (indices.min() < 0 or indices.max() >= shell.n_sats):
        raise ValueError(f"indices must lie in 0..{shell.n_sats - 1}")
    rotation = FrameRotation(frame, grid.skyfield(ts or builtin_timescale()))
    classes = _walker.PhaseClasses.of(shell.planes, shell.phasing)
    references = _ReferencePlanes(shell, grid, classes)
    per_plane, n_t = shell.sats_per_plane, len(grid)
    plane, slot = np.divmod(indices, per_plane)
    residue = np.asarray(classes.residue)[plane]
    row = (slot + np.asarray(classes.shift)[plane]) % per_plane
    out = np.empty((3, len(indices), n_t), dtype=dtype)
    rotate = _ZRotator(len(indices), n_t)
    for r in np.unique(residue):
        mine = np.flatnonzero(residue == r)
        x, y, z = (c[row[mine]] for c in references.get(int(r)))
        angle = shell.raan_rad[plane[mine], None] + rotation.z_angle_rad
        part = np.empty((3, len(mine), n_t), dtype=dtype)
        rotate(x, y, z, angle, part)
        out[:, mine] = part
    rotation.apply_matrices_inplace(out)
    return out.transpose(1, 2, 0)


def walker_reference_planes(
    shell: CircularWalker, grid: TimeGrid
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Each phase class of a Walker shell once: its planes and its reference plane, TEME.

    Yields ``(planes, positions_km)``: ``planes`` the indices of the planes
    of the class (rising), ``positions_km`` ``(S, n_t, 3)`` float64 TEME of a
    plane with node 0 holding the class's phases (:class:`orbital.walker.
    PhaseClasses`), NaN where a propagation failed.  Plane ``p`` is these
    positions turned about z by ``shell.raan_rad[p]`` (its satellites in
    another order): what :func:`propagate_walker` rotates into every plane.
    Only ``P / gcd(P, F)`` planes are propagated, one at a time.
    """
    classes = _walker.PhaseClasses.of(shell.planes, shell.phasing)
    references = _ReferencePlanes(shell, grid, classes)
    for residue in np.unique(classes.residue):
        x, y, z = references.get(int(residue))
        yield np.flatnonzero(classes.residue == residue), np.stack([x, y, z], axis=-1)


def collect(chunks: Iterator[PositionChunk], n_sat: int, n_t: int, dtype=np.float64) -> np.ndarray:
    """All positions of a stream in one ``(n_sat, n_t, 3)`` array of ``dtype``, km.

    ``chunks`` are :class:`PositionChunk` (from
    ``constellations.stages.propagate.stream_positions`` or this module's generators),
    in the frame they were made in; ``n_sat`` is how many satellites the stream covers and
    ``n_t`` its time steps.  Each chunk is copied, so the stream may reuse its buffer.
    Raises ``ValueError`` when a chunk does not fit that shape.
    """
    positions = np.empty((n_sat, n_t, 3), dtype=dtype)
    for chunk in chunks:
        positions[chunk.start : chunk.stop] = chunk.positions_km
    return positions
