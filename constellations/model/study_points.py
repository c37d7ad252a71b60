"""A study's points: the values every parameter takes at every point of its design.

The study file (:mod:`constellations.model.study`) names the parameters and the
design; :mod:`studies.designs` draws the unit samples and maps them through each
distribution.  Designs:

- ``grid``: every combination of the parameters' values (the last varying fastest);
- ``latin-hypercube`` and ``sobol``: ``samples`` points, rank correlations imposed
  where the study gives them;
- ``saltelli``: ``samples * (d + 2)`` points in the blocks A, B, A_B^(i) of
  :func:`studies.designs.saltelli` (independent parameters: Sobol' indices assume it);
- ``one-at-a-time``: every parameter at its median, then each at its 5th and 95th
  percentile in turn (a tornado's swings).

A key of whole numbers (``planes``) takes each drawn value rounded to the nearest.
"""

import numpy as np

from constellations.errors import ScenarioError
from constellations.model.study import StudyFile, _takes_floats, resolve_path
from studies import designs

#: The percentiles a one-at-a-time design swings each parameter to.
TORNADO_PERCENTILES = (0.05, 0.95)


def distribution(parameter) -> designs.Distribution:
    """The :mod:`studies.designs` distribution a sampled ``[[parameters]]`` table names."""
    p = parameter
    build = {
        "uniform": lambda: designs.Uniform(p.low, p.high),
        "normal": lambda: designs.Normal(p.mean, p.sd),
        "lognormal": lambda: designs.LogNormal(p.median, p.sigma),
        "triangular": lambda: designs.Triangular(p.low, p.mode, p.high),
        "choice": lambda: designs.Choice(
            tuple(p.values), None if p.weights is None else tuple(p.weights)
        ),
    }
    return build[p.distribution]()


def study_points(study: StudyFile, base_document: dict) -> tuple[dict[str, np.ndarray], list]:
    """``({path: values (n,)}, labels)`` of every point of the study's design.

    ``labels`` is empty except for ``one-at-a-time`` (``(path, "low" | "high")`` a row,
    ``("base", "base")`` for the first).  Raises ``ScenarioError`` for a design the
    parameters cannot take (correlations in a Saltelli design, a one-at-a-time swing
    of values that are not numbers).
    """
    head = study.study
    parameters = study.parameters
    paths = [p.path for p in parameters]
    if head.design == "grid":
        points = designs.full_factorial({p.path: list(p.points()) for p in parameters})
        return _whole_numbers(points, base_document), []
    dists = {p.path: distribution(p) for p in parameters}
    spearman = {tuple(c.paths): c.rho for c in study.correlations}
    if head.design == "one-at-a-time":
        texts = [p for p in parameters if p.distribution == "choice" and not _numbers(p.values)]
        if texts:
            raise ScenarioError(
                f"parameters[{parameters.index(texts[0])}]: path = {texts[0].path!r}: "
                "one-at-a-time swings numbers: a choice of other values has no low and high; "
                "choose latin-hypercube or sobol"
            )
        base = {path: float(d.ppf(np.array([0.5]))[0]) for path, d in dists.items()}
        low, high = TORNADO_PERCENTILES
        ranges = {
            path: tuple(float(d.ppf(np.array([q]))[0]) for q in (low, high))
            for path, d in dists.items()
        }
        points, labels = designs.one_at_a_time(base, ranges)
        return _whole_numbers(points, base_document), labels
    if head.design == "saltelli":
        if spearman:
            raise ScenarioError(
                "[[correlations]]: a saltelli design keeps its parameters independent (Sobol' "
                "indices assume it); remove the correlations or choose latin-hypercube"
            )
        unit = designs.saltelli(head.samples, len(paths), head.seed)
    elif head.design == "latin-hypercube":
        unit = designs.latin_hypercube(head.samples, len(paths), head.seed)
    else:
        unit = designs.sobol_points(head.samples, len(paths), head.seed)
    points = designs.apply(dists, unit, spearman=spearman or None)
    return _whole_numbers(points, base_document), []


def _numbers(values) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _whole_numbers(points: dict, base_document: dict) -> dict:
    rounded = {}
    for path, values in points.items():
        info = resolve_path(path, base_document)
        numeric = np.issubdtype(np.asarray(values).dtype, np.number)
        rounded[path] = np.rint(values) if numeric and not _takes_floats(info) else values
    return rounded
