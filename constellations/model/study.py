"""A trade study's file: which scenario keys vary, how, and which plan outputs to record.

A study is a TOML file (:class:`StudyFile`)::

    [study]
    name = "claim-1mt-uncertainty"
    base = "claim-1mt-100kw"          # a preset, or a scenario file relative to the study file
    seed = 1
    design = "latin-hypercube"        # grid, latin-hypercube, sobol, saltelli, one-at-a-time
    samples = 256                     # sampled designs only
    outputs = ["usd_per_pflop_day", "lcoc_usd_per_kw_year"]

    [[parameters]]
    path = "launch.cost_per_flight_usd"
    distribution = "lognormal"
    median = 1.0e7
    sigma = 0.8

    [[parameters]]                    # design = "grid" only: values, or range = [start, stop, step]
    path = "shells[*].altitude_km"
    range = [330.0, 350.0, 10.0]

    [[correlations]]                  # sampled designs only: a rank correlation of two parameters
    paths = ["launch.cost_per_flight_usd", "cost.array_usd_per_w"]
    rho = 0.3

A parameter's ``path`` names a key of the scenario file as the file writes it:
``launch.cost_per_flight_usd``, ``cost.ground.pue``, ``shells[0].altitude_km`` (one
shell) or ``shells[*].inclination_deg`` (every shell).  The path ``shells`` itself
(:data:`SHELL_CHOICE`) picks which one of the base's shells flies, by name: each point
is then a constellation of that shell alone, so a study compares orbits side by side
(``values = ["walker-53", "dawn-dusk"]``).  ``[[marks]]`` name values of the swept
parameter that the page marks on its charts (a preset's span, such as a filing's
altitudes, or given values).  :func:`check_paths` checks the
paths against the :class:`~constellations.model.scenario.ScenarioFile` schema and the
base scenario's shells; :func:`apply` writes a sample's values into the base
scenario's TOML data, and :func:`scenario_with` checks the result with the scenario's
own rules.  Everything here is pure: reading files is ``constellations.io.study``'s.
"""

import copy
import datetime
import math
import re
import typing
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from constellations.errors import ScenarioError
from constellations.model.keys import closest
from constellations.model.scenario import ScenarioFile
from constellations.model.validation import Design, Hint, Items, scenario_error

#: Ways to choose a study's points.  ``grid``: every combination of the parameters'
#: values; the others draw ``samples`` points from the parameters' distributions.
DESIGNS = ("grid", "latin-hypercube", "sobol", "saltelli", "one-at-a-time")
#: The designs that draw from distributions.
SAMPLED_DESIGNS = DESIGNS[1:]
#: Designs whose sample count must be a power of two (a Sobol' sequence's balance
#: holds only for those; scipy warns otherwise).
POWER_OF_TWO_DESIGNS = ("sobol", "saltelli")

#: The plan outputs a study may record, each with its unit and what it is.
OUTPUTS: dict[str, tuple[str, str]] = {
    "kw_per_tonne": ("kW/t", "compute power per tonne of the worst shell's satellite"),
    "usd_per_pflop_day": ("USD per PFLOP-day", "cost of a day of a PFLOPS of compute in orbit"),
    "space_to_ground_ratio": ("1", "orbit's cost per kW-year of IT over the ground's"),
    "lcoc_usd_per_kw_year": ("USD per kW-year", "levelised cost of compute in orbit"),
    "installed_gw": ("GW", "compute power installed by the end of the launch cadence"),
    "uncontrolled_lifetime_days": (
        "days",
        "shortest orbital lifetime without station keeping (a lower bound above NRLMSIS's "
        "1,000 km)",
    ),
    "longest_eclipse_min": ("minutes", "longest eclipse of any plane over the year"),
    "largest_cluster_mw": ("MW", "compute power of the largest connected laser-mesh cluster"),
    "propellant_kg_per_tonne_year": (
        "kg/t a year",
        "station-keeping propellant a tonne of satellite needs a year (the most of any shell)",
    ),
    "satellite_life_years": (
        "years",
        "the life a satellite flies: design life, propellant and radiation, the least",
    ),
    "dose_rad_si_per_year": (
        "rad(Si) a year",
        "trapped-particle ionising dose behind the [radiation] wall (the most of any shell)",
    ),
    "shielding_needed_mm_al": (
        "mm Al",
        "aluminium that keeps the design life's dose within the payload's tolerance (inf "
        "beyond 50 mm)",
    ),
    "user_latency_ms": (
        "ms",
        "one-way latency to a user who sees the satellite at 25 deg elevation (the highest shell)",
    ),
}

#: The distributions a sampled parameter may take, each with its keys.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
    "choice": ("values",),
}
#: Keys a distribution may leave out.
_OPTIONAL = {"choice": ("weights",)}
#: Every key a distribution's parameter may hold besides path and distribution.
_DISTRIBUTION_KEYS = ("low", "high", "mean", "sd", "median", "sigma", "mode", "values", "weights")

#: Most points a grid parameter's range may give, and most samples a study may draw.
MAX_POINTS = 100_000
#: The parameter path that picks which one of the base scenario's ``[[shells]]`` flies
#: (its values are shell names): each point is a constellation of that shell alone.
SHELL_CHOICE = "shells"
#: Fewest values of a grid's swept parameter: the page draws each output against it.
MIN_SWEPT_POINTS = 3

Number = float
Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]
OutputName = Literal[tuple(OUTPUTS)]


class StudyTable(Design):
    """The ``[study]`` table: name, base scenario, design, samples and outputs."""

    table_name = "[study]"

    name: Annotated[str, Field(min_length=1, pattern=r"\S")] = Field(
        description="The study's name."
    )
    base: Annotated[str, Field(min_length=1), Hint("a preset name or a scenario TOML file")] = (
        Field(description="The scenario varied: a preset, or a file relative to the study file.")
    )
    seed: Seed = Field(0, description="Seed of the random draws: the same seed, the same samples.")
    design: Literal[DESIGNS] = Field(description="How the study's points are chosen.")
    samples: Annotated[int | None, Field(ge=2, le=MAX_POINTS)] = Field(
        None,
        description='Points drawn by a sampled design (not with design = "grid" or '
        '"one-at-a-time").',
    )
    outputs: list[OutputName] = Field(
        list(OUTPUTS), description="Plan outputs recorded at every point (default: all)."
    )
    pareto: list[OutputName] | None = Field(
        None,
        description="Two or three of the outputs whose Pareto front the page draws (default: "
        "the first two outputs).",
    )

    @model_validator(mode="after")
    def _samples_fit_the_design(self):
        if self.design == "grid" and self.samples is not None:
            raise ValueError(
                'samples: design = "grid" takes its points from the parameters\' values; '
                "remove samples, or choose a sampled design"
            )
        if self.design == "one-at-a-time" and self.samples is not None:
            raise ValueError(
                'samples: design = "one-at-a-time" takes the median and each parameter\'s 5th '
                "and 95th percentiles (2 points a parameter, and the median); remove samples"
            )
        if self.design not in ("grid", "one-at-a-time") and self.samples is None:
            raise ValueError(
                f"missing 'samples'; design = \"{self.design}\" draws that many points"
            )
        if self.design in POWER_OF_TWO_DESIGNS and self.samples & (self.samples - 1):
            low = 1 << (self.samples.bit_length() - 1)
            raise ValueError(
                f'samples={self.samples}: design = "{self.design}" needs a power of two; '
                f"write {low} or {low * 2}"
            )
        if len(set(self.outputs)) != len(self.outputs):
            raise ValueError("outputs: an output is named twice; name each once")
        if self.pareto is not None:
            if not 2 <= len(self.pareto) <= 3 or len(set(self.pareto)) != len(self.pareto):
                raise ValueError("pareto: name two or three different outputs")
            missing = [name for name in self.pareto if name not in self.outputs]
            if missing:
                raise ValueError(f"pareto: {missing[0]!r} is not recorded; add it to outputs")
        return self

    @property
    def pareto_outputs(self) -> list[str]:
        """The outputs of the Pareto front: ``pareto``, or the first two recorded."""
        return list(self.pareto) if self.pareto is not None else list(self.outputs[:2])


class Parameter(Design):
    """A ``[[parameters]]`` table: a scenario key and its values (a grid) or distribution.

    A grid gives ``values`` (any values the key takes) or ``range = [start, stop, step]``
    (stop included when the steps reach it).  A distribution gives ``distribution`` and
    its keys: uniform low/high, normal mean/sd, lognormal median/sigma (of the log),
    triangular low/mode/high, choice values (and optional weights).
    """

    path: Annotated[str, Field(min_length=1), Hint("such as 'shells[0].altitude_km'")] = Field(
        description="The scenario key varied, as the file writes it."
    )
    values: list | None = Field(None, description="Grid values, or a choice's values.")
    range: (
        Annotated[list[Number], Field(min_length=3, max_length=3), Items("[start, stop, step]")]
        | None
    ) = Field(None, description="Grid values: [start, stop, step], stop included.")
    distribution: Literal[tuple(DISTRIBUTIONS)] | None = Field(
        None, description="The distribution the sampled designs draw from."
    )
    low: Number | None = Field(None, description="uniform, triangular: lowest value.")
    high: Number | None = Field(None, description="uniform, triangular: highest value.")
    mode: Number | None = Field(None, description="triangular: most likely value.")
    mean: Number | None = Field(None, description="normal: mean.")
    sd: Number | None = Field(None, description="normal: standard deviation.")
    median: Number | None = Field(None, description="lognormal: median (exp of the log's mean).")
    sigma: Number | None = Field(None, description="lognormal: standard deviation of the log.")
    weights: list[float] | None = Field(
        None, description="choice: relative weights of the values (default: equal)."
    )

    @field_validator("range", mode="before")
    @classmethod
    def _three_numbers(cls, value):
        if isinstance(value, list) and len(value) != 3:
            raise ValueError("must be [start, stop, step], three numbers")
        return value

    @property
    def is_grid(self) -> bool:
        """True for a grid parameter (values or range, no distribution)."""
        return self.distribution is None

    @property
    def numeric(self) -> bool:
        """True when every value the parameter takes is a number (all but some grids/choices)."""
        if self.distribution not in (None, "choice"):
            return True
        return all(_is_number(v) for v in self.points())

    def points(self) -> tuple:
        """A grid's values (a range spelled out), or a choice's values; () for the others."""
        if self.range is not None:
            return _range_points(*self.range)
        return tuple(self.values or ())

    @model_validator(mode="after")
    def _one_kind(self):
        given = [key for key in _DISTRIBUTION_KEYS if getattr(self, key) is not None]
        if self.distribution is None:
            if self.values is not None and self.range is not None:
                raise ValueError(f"{self.path}: values and range both given; give one")
            if self.values is None and self.range is None:
                raise ValueError(
                    f"{self.path}: give values = [...] or range = [start, stop, step] (a grid), "
                    'or a distribution = "uniform", "normal", "lognormal", "triangular" or "choice"'
                )
            stray = [key for key in given if key != "values"]
            if stray:
                raise ValueError(
                    f"{self.path}: {stray[0]} belongs to a distribution; add distribution = ..."
                    " or remove it"
                )
            if self.values is not None and not self.values:
                raise ValueError(f"{self.path}: values must not be empty")
            if self.range is not None:
                _check_range(self.path, *self.range)
            return self
        if self.range is not None:
            raise ValueError(f"{self.path}: range is a grid's; remove it, or remove distribution")
        needed, optional = DISTRIBUTIONS[self.distribution], _OPTIONAL.get(self.distribution, ())
        missing = [key for key in needed if getattr(self, key) is None]
        kind = f'distribution = "{self.distribution}"'
        if missing:
            raise ValueError(f"{self.path}: {kind} needs {' and '.join(needed)}; add {missing[0]}")
        stray = [key for key in given if key not in needed + optional]
        if stray:
            raise ValueError(
                f"{self.path}: {kind} takes {' and '.join(needed + optional)}, not {stray[0]}; "
                f"remove {stray[0]}"
            )
        _check_distribution(self)
        return self


class Correlation(Design):
    """A ``[[correlations]]`` table: the rank correlation of two sampled parameters."""

    paths: Annotated[list[str], Field(min_length=2, max_length=2), Items('["path", "path"]')] = (
        Field(description="The two parameters' paths.")
    )
    rho: Annotated[float, Field(gt=-1.0, lt=1.0), Hint("a Spearman rank correlation")] = Field(
        description="Their rank correlation, between -1 and 1 (both excluded)."
    )

    @field_validator("paths", mode="before")
    @classmethod
    def _two_paths(cls, value):
        if isinstance(value, list) and len(value) != 2:
            raise ValueError('must name two parameters\' paths: paths = ["a", "b"]')
        return value


class Mark(Design):
    """A ``[[marks]]`` table: a value or span of the swept parameter the page marks.

    ``preset`` marks the span a scenario preset flies (the least and the most of the
    swept key over its shells, altitude bands spelled out); ``at`` gives the value
    (one number) or span (two) instead.
    """

    label: Annotated[str, Field(min_length=1, pattern=r"\S")] = Field(
        description="What the mark is, as the chart labels it."
    )
    preset: Annotated[str | None, Field(min_length=1), Hint("a scenario preset's name")] = Field(
        None, description="A scenario preset whose span of the swept key is marked."
    )
    at: Annotated[list[Number], Field(min_length=1, max_length=2)] | None = Field(
        None, description="The value, or [low, high] span, marked instead of a preset's."
    )
    source: str | None = Field(None, description="Where the value comes from (shown on hover).")

    @field_validator("at", mode="before")
    @classmethod
    def _one_or_two(cls, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [value]
        if isinstance(value, list) and not 1 <= len(value) <= 2:
            raise ValueError("give one number, or two for a span: at = [low, high]")
        return value

    @model_validator(mode="after")
    def _preset_or_at(self):
        if self.preset is not None and self.at is not None:
            raise ValueError(f"{self.label}: both preset and at given; keep one of them")
        if self.preset is None and self.at is None:
            raise ValueError(
                f'{self.label}: give preset = "a preset\'s name" or at = [low, high], one of them'
            )
        if self.at is not None and len(self.at) == 2 and not self.at[0] <= self.at[1]:
            raise ValueError(f"{self.label}: at = [low, high] with low <= high")
        return self


class StudyFile(Design):
    """An orbital-dc trade study: a base scenario, the keys varied and the outputs recorded.

    Unknown sections and keys are refused with the closest valid name.  The
    parameters' paths are checked against the base scenario by :func:`check_paths`.
    """

    key_noun: ClassVar[str] = "section"
    bracket_tables: ClassVar[bool] = True

    study: Annotated[
        StudyTable, Hint('add one with name, base = "a preset or scenario file" and design')
    ] = Field(description="What is studied and how.")
    parameters: list[Parameter] = Field(
        default_factory=list, description="The scenario keys varied: at least one."
    )
    correlations: list[Correlation] = Field(
        default_factory=list, description="Rank correlations between sampled parameters."
    )
    marks: list[Mark] = Field(
        default_factory=list,
        description="Values of the swept parameter the page marks on every chart (a grid "
        "with one numeric parameter of three or more values).",
    )

    @model_validator(mode="after")
    def _consistent(self):
        design = self.study.design
        if not self.parameters:
            raise ValueError(
                'no [[parameters]]; add one for each scenario key varied, with path = "..."'
            )
        seen: dict[str, int] = {}
        for i, parameter in enumerate(self.parameters):
            where = f"parameters[{i}] ({parameter.path})"
            if design == "grid" and not parameter.is_grid:
                raise ValueError(
                    f'{where}: a distribution with design = "grid"; give values or range, or '
                    f"choose a sampled design ({', '.join(SAMPLED_DESIGNS)})"
                )
            if design != "grid" and parameter.is_grid:
                raise ValueError(
                    f'{where}: a grid (values or range) with design = "{design}"; give a '
                    'distribution (a fixed set of values: distribution = "choice"), or choose '
                    'design = "grid"'
                )
            key = _normal_path(parameter.path)
            if key in seen:
                raise ValueError(
                    f"{where}: the same key as parameters[{seen[key]}]; vary each key once"
                )
            seen[key] = i
        if design == "grid":
            count = math.prod(len(p.points()) for p in self.parameters)
            if count > MAX_POINTS:
                raise ValueError(
                    f"the grid has {count:,} points, more than {MAX_POINTS:,}; give fewer values"
                )
        if self.correlations and design == "grid":
            raise ValueError("correlations: a grid has none; remove [[correlations]]")
        by_path = {p.path: p for p in self.parameters}
        pairs = set()
        for i, correlation in enumerate(self.correlations):
            a, b = correlation.paths
            for path in (a, b):
                if path not in by_path:
                    close = closest(path, list(by_path))
                    hint = f"did you mean {close!r}?" if close else "name a [[parameters]] path"
                    raise ValueError(
                        f"correlations[{i}]: {path!r} is not a parameter's path; {hint}"
                    )
                if by_path[path].distribution == "choice":
                    raise ValueError(
                        f"correlations[{i}]: {path!r} is a choice; correlate numeric "
                        "distributions only"
                    )
            if a == b:
                raise ValueError(f"correlations[{i}]: {a!r} with itself; name two parameters")
            if frozenset((a, b)) in pairs:
                raise ValueError(f"correlations[{i}]: {a!r} and {b!r} again; give a pair once")
            pairs.add(frozenset((a, b)))
        chooses = [i for i, p in enumerate(self.parameters) if p.path == SHELL_CHOICE]
        for i, parameter in enumerate(self.parameters):
            steps = parameter.path.split(".")[0]
            if chooses and steps.startswith(f"{SHELL_CHOICE}[") and steps != "shells[*]":
                raise ValueError(
                    f"parameters[{i}] ({parameter.path}): names a shell by its index while "
                    f"parameters[{chooses[0]}] picks the shell that flies; write shells[*]"
                )
        if self.marks and self.swept_parameter is None:
            raise ValueError(
                "marks: mark values of a grid's swept parameter: one numeric parameter of "
                f'{MIN_SWEPT_POINTS} or more values with design = "grid"; remove [[marks]]'
            )
        return self

    @property
    def swept_parameter(self) -> "Parameter | None":
        """The parameter a grid sweeps: its one numeric parameter of at least
        :data:`MIN_SWEPT_POINTS` values (the others are the series), None otherwise."""
        if self.study.design != "grid":
            return None
        swept = [p for p in self.parameters if p.numeric and len(p.points()) >= MIN_SWEPT_POINTS]
        return swept[0] if len(swept) == 1 else None


# --- checks of the values --------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _range_points(start: float, stop: float, step: float) -> tuple[float, ...]:
    count = math.floor((stop - start) / step * (1 + 1e-12) + 1e-9) + 1
    return tuple(start + i * step for i in range(count))


def _check_range(path: str, start: float, stop: float, step: float) -> None:
    if step == 0 or (stop - start) * step < 0:
        raise ValueError(
            f"{path}: range = [{start:g}, {stop:g}, {step:g}]: the step must be nonzero and lead "
            "from start to stop"
        )
    if (stop - start) / step + 1 > MAX_POINTS:
        raise ValueError(
            f"{path}: range = [{start:g}, {stop:g}, {step:g}] gives more than {MAX_POINTS:,} "
            "values; take a larger step"
        )


def _check_distribution(p: Parameter) -> None:
    kind = p.distribution
    if kind == "uniform" and not p.low < p.high:
        raise ValueError(f"{p.path}: uniform: low={p.low:g} must be below high={p.high:g}")
    if kind == "normal" and not p.sd > 0:
        raise ValueError(f"{p.path}: normal: sd={p.sd:g} must be positive")
    if kind == "lognormal":
        if not p.median > 0:
            raise ValueError(f"{p.path}: lognormal: median={p.median:g} must be positive")
        if not p.sigma > 0:
            raise ValueError(f"{p.path}: lognormal: sigma={p.sigma:g} must be positive")
    if kind == "triangular" and not (p.low <= p.mode <= p.high and p.low < p.high):
        raise ValueError(
            f"{p.path}: triangular: needs low <= mode <= high and low < high "
            f"(low={p.low:g}, mode={p.mode:g}, high={p.high:g})"
        )
    if kind == "choice":
        if not p.values:
            raise ValueError(f"{p.path}: choice: values must not be empty")
        if p.weights is not None:
            if len(p.weights) != len(p.values):
                raise ValueError(
                    f"{p.path}: choice: {len(p.weights)} weights for {len(p.values)} values; "
                    "give one weight a value"
                )
            if min(p.weights) < 0:
                raise ValueError(f"{p.path}: choice: weights must not be negative")
            if not sum(p.weights) > 0:
                raise ValueError(f"{p.path}: choice: the weights must not all be 0")


# --- parameter paths into the scenario -------------------------------------------------------

_SEGMENT = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?P<index>\*|\d+)\])?$")
#: "every element" in a path: ``shells[*]``.
EVERY = "*"


def _normal_path(path: str) -> str:
    """The key a path names, with list indices dropped (shells[0] and shells[*] overlap)."""
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _fields(model) -> dict:
    """``{key as the file writes it: FieldInfo}``."""
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _table_in(annotation):
    """``(Design class, is a list of them)`` a field holds, or (None, False)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    for arg in typing.get_args(annotation):
        found, _ = _table_in(arg)
        if found is not None:
            return found, origin in (list, tuple) or _
    return None, False


def _takes_numbers(info) -> bool:
    """True when a field's annotation admits a number (float or int, not only bool)."""
    stack = [info.annotation]
    while stack:
        annotation = stack.pop()
        if annotation in (float, int):
            return True
        stack.extend(typing.get_args(annotation))
    return False


def _counts(base_document: dict) -> dict[str, int]:
    """How many tables the base scenario holds in each array of tables."""
    return {
        key: len(base_document.get(key) or [])
        for key, info in _fields(ScenarioFile).items()
        if _table_in(info.annotation)[1]
    }


def valid_paths(base_document: dict) -> list[str]:
    """Every path a parameter may name in this base scenario, in the schema's order."""
    counts = _counts(base_document)
    found: list[str] = []

    def walk(model, prefix: str) -> None:
        for key, info in _fields(model).items():
            inner, is_list = _table_in(info.annotation)
            if inner is None:
                found.append(prefix + key)
            elif is_list:
                for index in [EVERY, *range(counts.get(key, 0))]:
                    walk(inner, f"{prefix}{key}[{index}].")
            else:
                walk(inner, f"{prefix}{key}.")

    walk(ScenarioFile, "")
    return [SHELL_CHOICE, *found] if counts.get(SHELL_CHOICE) else found


#: What :func:`resolve_path` gives for :data:`SHELL_CHOICE`: a shell's name, text.
_SHELL_CHOICE_FIELD = FieldInfo.from_annotation(str)


def resolve_path(path: str, base_document: dict):
    """The FieldInfo of the scenario key ``path`` names; ValueError saying what is wrong.

    ``base_document`` is the base scenario's TOML data: an index must name one of its
    tables (``shells[2]`` needs three shells).
    """
    if path == SHELL_CHOICE:
        return _SHELL_CHOICE_FIELD
    counts = _counts(base_document)
    model, info, written = ScenarioFile, None, []
    segments = path.split(".")
    for n, segment in enumerate(segments):
        match = _SEGMENT.match(segment)
        fields = _fields(model) if model is not None else {}
        if match is None or match.group("key") not in fields:
            raise ValueError(_no_such_key(path, base_document))
        key, index = match.group("key"), match.group("index")
        info = fields[key]
        inner, is_list = _table_in(info.annotation)
        here = ".".join([*written, key])
        if is_list and index is None:
            raise ValueError(
                f"{here} is an array of tables: write {here}[0] for one, {here}[*] for every one"
            )
        if index is not None and not is_list:
            raise ValueError(f"{here} is not an array of tables: remove [{index}]")
        if index not in (None, EVERY) and int(index) >= counts.get(key, 0):
            count = counts.get(key, 0)
            noun = key.replace("_", " ")
            has = {0: f"no {noun}", 1: f"1 {noun[:-1]}, {key}[0]"}.get(
                count, f"{count} {noun}, {key}[0] to {key}[{count - 1}]"
            )
            raise ValueError(f"{here}[{index}]: the base scenario has {has}")
        last = n == len(segments) - 1
        if inner is not None and last:
            tail = next(iter(_fields(inner)))
            raise ValueError(f"{path} is a table; name one of its keys, such as {path}.{tail}")
        if inner is None and not last:
            raise ValueError(_no_such_key(path, base_document))
        written.append(segment)
        model = inner
    return info


def _no_such_key(path: str, base_document: dict) -> str:
    close = closest(path, valid_paths(base_document))
    hint = f"did you mean {close!r}?" if close else "`orbital-dc schema scenario` lists the keys"
    return f"no such key in the scenario; {hint}"


def check_paths(study: StudyFile, base_document: dict) -> None:
    """Check every parameter's path against the scenario schema and the base scenario,
    and every value of a grid or a choice in the base, as the scenario checks it.

    Raises ScenarioError of one line: ``parameters[0]: path = 'shells[0].altitude':
    no such key in the scenario; did you mean 'shells[0].altitude_km'?``, or the
    scenario's own message after the paths and values it refuses
    (``shells[*].altitude_km = 5: shells[0]: altitude_km=5: must be ...``).
    """
    infos = {}
    for i, parameter in enumerate(study.parameters):
        try:
            info = infos[parameter.path] = resolve_path(parameter.path, base_document)
        except ValueError as exc:
            raise ScenarioError(f"parameters[{i}]: path = {parameter.path!r}: {exc}") from None
        if parameter.path == SHELL_CHOICE:
            _check_shell_names(i, parameter, base_document)
        if parameter.distribution not in (None, "choice") and not _takes_numbers(info):
            raise ScenarioError(
                f"parameters[{i}]: path = {parameter.path!r}: not a number; vary it with "
                'values (design = "grid") or distribution = "choice"'
            )
    # A grid's or a choice's values are known before any run: each is checked in the base
    # with the other parameters at a typical value (keys such as drag.f107 and drag.ap
    # are only valid together).
    typical = {p.path: _typical(p, infos[p.path]) for p in study.parameters}
    scenario_with(base_document, typical)
    for parameter in study.parameters:
        for value in parameter.points()[1:]:
            scenario_with(base_document, {**typical, parameter.path: value})


def shell_names(base_document: dict) -> list[str]:
    """The names of the base scenario's ``[[shells]]``, in order."""
    return [str(table.get("name")) for table in base_document.get(SHELL_CHOICE) or []]


def _check_shell_names(i: int, parameter: Parameter, base_document: dict) -> None:
    names = shell_names(base_document)
    for value in parameter.points():
        if value not in names:
            close = closest(str(value), names) if isinstance(value, str) else None
            hint = f"did you mean {close!r}?" if close else f"its shells are {', '.join(names)}"
            raise ScenarioError(
                f"parameters[{i}]: path = 'shells': {_shown(value)} is not a shell of the base "
                f"scenario; {hint}"
            )


def _typical(parameter: Parameter, info):
    """A value the parameter takes: a grid's or choice's first, a distribution's centre
    (rounded for a key of whole numbers)."""
    points = parameter.points()
    if points:
        return points[0]
    centre = {
        "uniform": lambda p: (p.low + p.high) / 2,
        "normal": lambda p: p.mean,
        "lognormal": lambda p: p.median,
        "triangular": lambda p: p.mode,
    }[parameter.distribution](parameter)
    return round(centre) if not _takes_floats(info) else centre


def _takes_floats(info) -> bool:
    stack = [info.annotation]
    while stack:
        annotation = stack.pop()
        if annotation is float:
            return True
        stack.extend(typing.get_args(annotation))
    return False


# --- the values into the scenario ------------------------------------------------------------


def _steps(path: str) -> list[tuple[str, str | None]]:
    return [
        (m.group("key"), m.group("index"))
        for m in (_SEGMENT.match(segment) for segment in path.split("."))
    ]


def apply(base_document: dict, assignments: dict) -> dict:
    """The base scenario's TOML data with ``assignments`` (``{path: value}``) set.

    A deep copy: ``base_document`` is left as it was.  ``shells[*].key`` sets the key
    in every shell; ``shells`` (:data:`SHELL_CHOICE`) keeps only the shell of that name,
    before any other key is set; a table the base leaves out (``[cost.ground]``) is added.
    The paths must have passed :func:`resolve_path` against this base.  Raises ValueError for a
    path that names no key.
    """
    document = copy.deepcopy(base_document)
    if SHELL_CHOICE in assignments:
        name = assignments[SHELL_CHOICE]
        flown = [t for t in document.get(SHELL_CHOICE) or [] if t.get("name") == name]
        if not flown:
            raise ValueError(f"shells = {name!r}: the base scenario has no such shell")
        document[SHELL_CHOICE] = flown
    for path, value in assignments.items():
        if path == SHELL_CHOICE:
            continue
        if any(_SEGMENT.match(s) is None for s in path.split(".")):
            raise ValueError(f"{path!r}: not a scenario key path")
        _set(document, _steps(path), copy.deepcopy(value))
    return document


def _set(table: dict, steps: list, value) -> None:
    (key, index), rest = steps[0], steps[1:]
    if not rest:
        table[key] = value
        return
    if index is None:
        inner = table.get(key)
        if not isinstance(inner, dict):
            inner = table[key] = {}
        _set(inner, rest, value)
        return
    items = table.get(key) or []
    chosen = items if index == EVERY else [items[int(index)]]
    for item in chosen:
        _set(item, rest, value)


def _concrete(path: str, base_document: dict) -> list[tuple]:
    """The TOML locations (``("shells", 0, "altitude_km")``) a path sets in this base."""
    locations = [()]
    counts = _counts(base_document)
    for key, index in _steps(path):
        if index is None:
            locations = [loc + (key,) for loc in locations]
        elif index == EVERY:
            locations = [loc + (key, i) for loc in locations for i in range(counts.get(key, 0))]
        else:
            locations = [loc + (key, int(index)) for loc in locations]
    return locations


def scenario_with(base_document: dict, assignments: dict, sample: int | None = None):
    """The :class:`ScenarioFile` of the base with ``assignments`` set, checked as a file is.

    A value the scenario refuses raises its one-line ScenarioError, prefixed with the
    sample's index and the parameter(s) it comes from: ``sample 3: shells[*].altitude_km = 5:
    shells[0]: altitude_km=5.0: must be between 150 and 2000 km``.
    """
    document = apply(base_document, assignments)
    try:
        return ScenarioFile.model_validate(document)
    except ValidationError as exc:
        message = str(scenario_error(exc, ScenarioFile))
        loc = tuple(exc.errors(include_url=False)[0]["loc"])
        blamed = [
            f"{path} = {_shown(value)}"
            for path, value in assignments.items()
            if any(_overlaps(place, loc) for place in _concrete(path, base_document))
        ]
        parts = ([f"sample {sample}"] if sample is not None else []) + blamed
        raise ScenarioError(": ".join([*parts, message]) if parts else message) from None


def _shown(value) -> str:
    """A value as TOML wrote it where that differs from Python's repr (dates and times)."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return repr(value)


def _overlaps(place: tuple, loc: tuple) -> bool:
    """True when a set key and an error's location are the same, or one holds the other."""
    n = min(len(place), len(loc))
    return place[:n] == loc[:n]
