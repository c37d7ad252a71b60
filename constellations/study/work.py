"""A study's work, found before anything runs: its points, their groups and orbital points.

The keys a study varies split the way the physics does.  Float keys of the
hardware, launch, drag and cost tables vary over a sample dimension inside one
vectorised call (:data:`constellations.stages.samples.VECTOR_SECTIONS`); every
other key (the orbits, a payload preset, a whole number) makes a *group* of the
samples that share its values, checked once as a scenario.  Groups that fly the
same orbits share one *orbital design point*
(:func:`constellations.study.context.point_key`).

:func:`prepare` finds all of it in the client, without planning anything: the
sampled values are checked against the schema's bounds (a value outside them
makes that sample's row NaN with its reason), each group's scenario is checked
as a file is (a group the scenario refuses is a set of rows with the refusal as
reason), and the rows are cut into chunks of the store.
"""

import functools
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

from constellations.errors import LimitError, ScenarioError
from constellations.io.study_store import package_version
from constellations.model.study import _steps, _takes_floats, resolve_path, scenario_with
from constellations.model.study_points import study_points
from constellations.model.validation import field_bounds
from constellations.outputs import stages_for
from constellations.stages.sample_kernels import REASONS
from constellations.stages.samples import VECTOR_SECTIONS
from constellations.study.context import ORBITAL_FLOATS

#: Most rows a chunk (one task) holds, and fewest: a task should take about a second or
#: more (scheduling costs ~2.5 ms a task here), and a study of a few hundred rows still
#: spreads over the workers.
MAX_CHUNK_ROWS = 32_768
MIN_CHUNK_ROWS = 64
#: Most orbital design points a study may fly, and the fewest seconds one takes here (a
#: small shell's year of sunlight and atmosphere; a million satellites take 50-90 s).
MAX_ORBITAL_POINTS = 1_000
SECONDS_PER_POINT_AT_LEAST = 5.0


def is_vector(path: str, base_document: dict) -> bool:
    """Whether ``path`` varies inside one vectorised call (a float key of the
    hardware, launch, drag, radiation or cost tables, not in an array of tables, and not
    one of :data:`constellations.study.context.ORBITAL_FLOATS`)."""
    steps = _steps(path)
    if steps[0][0] not in VECTOR_SECTIONS or any(index is not None for _, index in steps):
        return False
    if path in ORBITAL_FLOATS:
        return False
    return _takes_floats(resolve_path(path, base_document))


def out_of_bounds(path: str, values: np.ndarray, base_document: dict) -> tuple[np.ndarray, str]:
    """``(outside (n,), reason)``: the samples of ``path`` outside the schema's bounds."""
    low, high, low_in, high_in = field_bounds(resolve_path(path, base_document))
    values = np.asarray(values, dtype=float)
    below = (values < low) if low_in else (values <= low)
    above = (values > high) if high_in else (values >= high)
    span = f"{'[' if low_in else '('}{low:g}, {high:g}{']' if high_in else ')'}"
    return ~np.isfinite(values) | below | above, f"{path} outside {span}"


def _plain(value, whole: bool = False):
    """A numpy scalar as the Python value a TOML file would hold (``whole``: a key of
    whole numbers, whose values arrive as floats from the design's arrays)."""
    value = value.item() if isinstance(value, np.generic) else value
    if whole and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass(frozen=True)
class Group:
    """Samples sharing every key that is not a vector: their values of those keys
    (``assignment``), the orbital point they fly (its key) and, when the scenario
    refuses the group, the reason code every one of its rows takes."""

    assignment: dict
    point: str | None
    refused: int = 0


@dataclass(frozen=True, eq=False)
class Work:
    """Everything a study will compute: ``points`` ``{path: (n,)}``, the vector paths,
    each row's group (``group_of`` ``(n,)``) and the :class:`Group` s, the orbital points
    (``point_documents``: key -> the TOML data of a scenario flying it), the reasons
    (codes index ``reasons``), rows already refused (``refused`` ``(n,)`` codes, 0 for
    none), the stages the outputs need, the custom activity box, the chunk size and the
    study's fingerprint."""

    points: dict
    labels: list
    vector_paths: tuple
    group_of: np.ndarray
    groups: tuple
    point_documents: dict
    reasons: tuple
    refused: np.ndarray
    stages: tuple
    custom_box: tuple | None
    lifetimes: bool
    chunk_size: int
    fingerprint: str
    n: int = field(default=0)

    @functools.cached_property
    def categories(self) -> dict:
        """``{path: sorted values}`` of the parameters whose values are not numbers: the
        store keeps them as codes, indices into these lists."""
        return {
            path: sorted({str(v) for v in values})
            for path, values in self.points.items()
            if not np.issubdtype(np.asarray(values).dtype, np.number)
        }

    @property
    def n_chunks(self) -> int:
        return -(-self.n // self.chunk_size)

    def chunk_rows(self, index: int) -> slice:
        return slice(index * self.chunk_size, min(self.n, (index + 1) * self.chunk_size))


def fingerprint(study_file, base_document: dict) -> str:
    """SHA-256 of the study (its file as parsed, its base scenario's data) and the package
    version: a store written by another study, or another version, is not resumed."""
    text = json.dumps(
        {
            "study": study_file.model_dump(mode="json"),
            "base": base_document,
            "version": package_version(),
        },
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_rows_for(n: int, workers: int) -> int:
    """Rows a chunk: about four chunks a worker, within the bounds above."""
    return int(min(MAX_CHUNK_ROWS, max(MIN_CHUNK_ROWS, -(-n // (4 * max(1, workers))))))


def prepare(study, *, workers: int = 2, chunk_size: int | None = None) -> "Work":
    """The :class:`Work` of ``study`` (a :class:`constellations.io.study.Study`).

    Raises ``ScenarioError`` when the study's base itself cannot be varied as asked
    (a design the parameters cannot take).
    """
    file, base = study.file, study.base_document
    points, labels = study_points(file, base)
    n = len(next(iter(points.values())))
    vector_paths = tuple(p for p in points if is_vector(p, base))
    group_paths = [p for p in points if p not in vector_paths]
    reasons = list(REASONS)
    refused = np.zeros(n, dtype=np.int16)
    for path in vector_paths:
        outside, reason = out_of_bounds(path, points[path], base)
        if outside.any():
            reasons.append(reason)
            refused = np.where((refused == 0) & outside, len(reasons) - 1, refused)
    whole = {p: not _takes_floats(resolve_path(p, base)) for p in group_paths}
    keys = list(zip(*[[_plain(v, whole[p]) for v in points[p]] for p in group_paths], strict=True))
    if not group_paths:
        keys = [()] * n
    index: dict = {}
    group_of = np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)
    outputs = file.study.outputs
    stages = stages_for(outputs)
    custom_box = None
    if {"drag.f107", "drag.ap"} & set(vector_paths):
        f107 = points.get("drag.f107")
        ap = points.get("drag.ap")
        f107 = np.asarray(base.get("drag", {}).get("f107") if f107 is None else f107, float)
        ap = np.asarray(base.get("drag", {}).get("ap") if ap is None else ap, float)
        good = refused == 0
        f107, ap = np.broadcast_arrays(f107, ap)
        f107, ap = f107[good], ap[good]
        if f107.size:
            custom_box = (float(f107.min()), float(f107.max()), float(ap.min()), float(ap.max()))
    lifetimes = "uncontrolled_lifetime_days" in outputs or not _feeds(base)
    groups, documents = [], {}
    from constellations.model.study import apply
    from constellations.study.context import point_key

    for key, g in index.items():
        rows = np.flatnonzero(group_of == g)
        assignment = dict(zip(group_paths, key, strict=True))
        good = rows[refused[rows] == 0]
        first = good[0] if good.size else rows[0]
        sample = {p: _plain(points[p][first]) for p in vector_paths}
        try:
            scenario_with(base, {**assignment, **sample}, sample=int(first))
        except ScenarioError as exc:
            reasons.append(str(exc))
            groups.append(Group(assignment, None, len(reasons) - 1))
            continue
        document = apply(base, {**assignment, **sample})
        point = point_key(document, stages, custom_box)
        documents.setdefault(point, document)
        groups.append(Group(assignment, point))
    for g, group in enumerate(groups):
        if group.refused:
            refused = np.where((group_of == g) & (refused == 0), group.refused, refused)
    size = min(chunk_size or chunk_rows_for(n, workers), MAX_CHUNK_ROWS, max(n, 1))
    if len(documents) > MAX_ORBITAL_POINTS:
        hours = len(documents) * SECONDS_PER_POINT_AT_LEAST / 3600 / max(1, workers)
        raise LimitError(
            f"{origin_of(study)}: the study flies {len(documents):,} different orbits, more "
            f"than {MAX_ORBITAL_POINTS:,}; each plans a year of sunlight and the atmosphere "
            f"of its shells (at least {SECONDS_PER_POINT_AT_LEAST:g} s: {hours:,.1f} h or more "
            f"on {workers} workers); vary the orbit over fewer values and the rest over a "
            "sample dimension"
        )
    return Work(
        points=points,
        labels=labels,
        vector_paths=vector_paths,
        group_of=group_of,
        groups=tuple(groups),
        point_documents=documents,
        reasons=tuple(reasons),
        refused=refused,
        stages=stages,
        custom_box=custom_box,
        lifetimes=lifetimes,
        chunk_size=int(size),
        fingerprint=fingerprint(file, base),
        n=n,
    )


def origin_of(study) -> str:
    """How messages name the study: its name."""
    return f"study {study.file.study.name}"


def _feeds(document: dict) -> bool:
    return bool(document.get("drag", {}).get("feed_sizing", True))
