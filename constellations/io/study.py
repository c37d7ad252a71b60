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
    path); ``base_dir`` is where the base's element set files are found.
    """

    file: StudyFile
    base_document: dict
    base_origin: str
    base_dir: Path


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
    return Study(study, document, base_origin, base_folder)


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
