"""Study files (TOML): a trade study and the base scenario it varies.

The schema is :class:`constellations.model.study.StudyFile`; :func:`read_study`
reads a study file, its base scenario (a preset, or a scenario file relative to
the study file), checks the base as a scenario and every parameter's path
against it.
"""

import dataclasses
import tomllib
from pathlib import Path

from pydantic import ValidationError

from constellations.errors import ScenarioError
from constellations.io.scenario import (
    parse_scenario,
    preset_names,
    preset_text,
    read_toml_bytes,
)
from constellations.model.keys import closest
from constellations.model.study import StudyFile, check_paths
from constellations.model.validation import scenario_error


@dataclasses.dataclass(frozen=True)
class Study:
    """A checked study: the file, and the base scenario's TOML data it varies.

    ``base_origin`` names the base in messages (``preset claim-1mt-100kw`` or its
    path); ``base_dir`` is where the base's element set files are found.  ``marks``
    holds the file's ``[[marks]]`` as :class:`MarkSpan` s of the swept parameter.
    """

    file: StudyFile
    base_document: dict
    base_origin: str
    base_dir: Path
    marks: tuple = ()


@dataclasses.dataclass(frozen=True)
class MarkSpan:
    """A ``[[marks]]`` table resolved: its label, the swept parameter's span ``low`` to
    ``high`` (equal for one value) and its source (None when the file gives none)."""

    label: str
    low: float
    high: float
    source: str | None


def parse_study(text: str, origin: str = "<study>", base_dir: Path | None = None) -> Study:
    """A :class:`Study` from TOML text; ``base_dir`` is where a base file is looked for.

    Raises ScenarioError of one line, starting with ``origin``.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML ({exc}); fix the syntax there") from None
    except ValueError:  # a decimal integer longer than Python reads
        raise ScenarioError(f"{origin}: a number too long to read; write it shorter") from None
    try:
        study = StudyFile.model_validate(data)
    except ValidationError as exc:
        raise scenario_error(exc, StudyFile, origin) from None
    folder = base_dir or Path(".")
    base_text, base_origin, base_folder = _base(study.study.base, origin, folder)
    parse_scenario(base_text, origin=base_origin, base_dir=base_folder)  # the base must plan
    document = tomllib.loads(base_text)
    try:
        check_paths(study, document)
    except ScenarioError as exc:
        raise ScenarioError(f"{origin} {exc}") from None
    marks = tuple(_mark_span(i, mark, study, origin) for i, mark in enumerate(study.marks))
    return Study(study, document, base_origin, base_folder, marks)


def _mark_span(i: int, mark, study: StudyFile, origin: str) -> MarkSpan:
    """A mark's span of the swept parameter: its ``at``, or what its preset flies there
    (over every shell of the preset, a band's levels spelled out)."""
    if mark.at is not None:
        return MarkSpan(mark.label, float(mark.at[0]), float(mark.at[-1]), mark.source)
    path = study.swept_parameter.path
    where = f"{origin} marks[{i}] ({mark.label})"
    if mark.preset not in preset_names():
        close = closest(mark.preset, preset_names(), cutoff=0.6)
        hint = f"did you mean {close!r}?" if close else "`orbital-dc plan --help` lists them"
        raise ScenarioError(f"{where}: preset = {mark.preset!r}: no such preset; {hint}")
    values = _preset_values(mark.preset, path)
    if not values:
        raise ScenarioError(
            f"{where}: preset = {mark.preset!r} gives no number at {path}; give at = [low, high]"
        )
    return MarkSpan(mark.label, min(values), max(values), mark.source)


def _preset_values(name: str, path: str) -> list[float]:
    """The numbers the preset ``name`` flies at ``path``: ``shells[*].key`` (or one shell's)
    read off its shells as planned (bands spelled out), any other key off its file."""
    constellation = parse_scenario(preset_text(name), origin=f"preset {name}")
    head, _, key = path.rpartition(".")
    if head.startswith("shells["):
        index = head[len("shells[") : -1]
        shells = constellation.shells
        if index != "*":
            named = tomllib.loads(preset_text(name)).get("shells", [])
            wanted = named[int(index)]["name"] if int(index) < len(named) else None
            shells = [s for s in shells if wanted in (s.name, s.band)]
        found = [getattr(shell, key, None) for shell in shells]
    else:
        found = [tomllib.loads(preset_text(name))]
        for step in path.split("."):
            found = [table.get(step) if isinstance(table, dict) else None for table in found]
    return [float(v) for v in found if isinstance(v, (int, float)) and not isinstance(v, bool)]


def _base(base: str, origin: str, folder: Path) -> tuple[str, str, Path]:
    """The base scenario's text, its name in messages and its folder."""
    path = Path(base) if Path(base).is_absolute() else folder / base
    presets = preset_names()
    if base in presets and not path.is_file():
        return preset_text(base), f"preset {base}", Path(".")
    if not path.is_file():
        close = closest(base, presets, cutoff=0.6)
        hint = f"did you mean the preset {close!r}? " if close else ""
        raise ScenarioError(
            f"{origin} [study]: base = {base!r}: no such scenario file (relative to the study "
            f"file's folder) or preset; {hint}give a scenario TOML file or a preset name"
        )
    return read_toml_bytes(path).decode("utf-8-sig"), str(path), path.parent


def study_names() -> list[str]:
    """Names of the studies shipped with the package (``constellations/presets/studies``)."""
    from importlib import resources

    folder = resources.files("constellations") / "presets" / "studies"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def study_text(name: str) -> str:
    """The TOML text of the shipped study ``name``."""
    from importlib import resources

    return (resources.files("constellations") / "presets" / "studies" / f"{name}.toml").read_text(
        encoding="utf-8"
    )


def read_study(path) -> Study:
    """The study file at ``path``, or a shipped study by name (:func:`study_names`), and
    its base scenario, checked.

    Raises ScenarioError (one line: the file, the key, what to change).
    """
    if str(path) in study_names() and not Path(path).is_file():
        return parse_study(study_text(str(path)), origin=f"study {path}")
    path = Path(path)
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder; give a study TOML file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        close = closest(str(path), study_names(), cutoff=0.6)
        hint = (
            f"; did you mean the shipped study {close!r}?"
            if close
            else (f"; the shipped studies are {', '.join(study_names())}")
        )
        raise ScenarioError(f"{path}: no such study file{hint}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 (TOML's encoding)"
        ) from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return parse_study(text, origin=str(path), base_dir=path.parent)
