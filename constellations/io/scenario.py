"""Scenario files (TOML) and the presets that ship with the package.

The schema (a contract: docs, tests and users rely on it)::

    [scenario]
    name = "dawn-dusk-340"
    epoch = "2027-01-01T00:00:00Z"
    description = "..."            # optional
    sources = ["..."]              # optional: where the numbers come from

    [[shells]]
    name = "dd340"
    altitude_km = 340.0
    sun_synchronous = true         # or inclination_deg = 53.0
    ltan_hours = 18.0              # sun-synchronous shells only: local mean solar time
    ltan_reference = "mean"        # optional: or "apparent" (ltan_hours from the true Sun)
    sso_inclination = "sgp4"       # optional: or "j2" (the J2-only inclination)
    planes = 1
    sats_per_plane = 1
    phasing = 0
    pattern = "delta"              # or "star"
    raan_deg = 0.0                 # optional: node of the first plane, TEME of the epoch
    raan_spread_deg = 360.0        # optional: overrides the pattern's spread
    bstar = 0.0                    # optional: SGP4 drag term, 1/earth radii

    [[shells]]                     # a band: planes spread over a range of altitudes
    name = "sunrise"
    altitude_range_km = [520.0, 1800.0]   # instead of altitude_km: the lowest and highest level
    altitude_spacing_km = 10.0     # levels at 520, 530, ..., 1800 (it must divide the range)
    sun_synchronous = true
    ltan_hours = 18.0
    planes = 129                   # a multiple of the levels, dealt round-robin to them
    sats_per_plane = 400           # phasing must be 0; the other keys as for a shell

    [[element_sets]]               # optional: satellites from OMM or TLE files
    name = "starlink"
    file = "starlink.json"         # relative to the scenario file

A band flies as one Walker shell per level, named ``sunrise-520``, ``sunrise-530``,
...: level ``k`` of ``L`` holds the band's planes ``k, k + L, ...``, so neighbouring
planes sit at different altitudes (:meth:`constellations.model.constellation.Shell.levels`).

Unknown sections and keys are refused with the closest valid name.  The
structure is :class:`constellations.model.scenario.ScenarioFile` (its JSON
Schema: ``orbital-dc schema scenario``); the same models check a design built
in Python, so a file and a script are held to the same rules.
"""

import re
import sys
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from constellations.errors import ScenarioError
from constellations.model.constellation import Constellation
from constellations.model.keys import closest
from constellations.model.scenario import ScenarioFile
from constellations.model.validation import scenario_error, with_origin

DEFAULT_PRESET = "dawn-dusk-340"


def preset_names() -> list[str]:
    """Names of the presets shipped with the package."""
    folder = resources.files("constellations") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


#: A key set to a bare TOML date-time whose second is 60 (a leap second), which ``tomllib``
#: refuses because a ``datetime`` cannot hold it; quoted, the scenario's epoch takes it.
_BARE_LEAP_SECOND = re.compile(
    r"^[ \t]*(?P<key>[A-Za-z0-9_.-]+)[ \t]*=[ \t]*"
    r"(?P<value>\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:60(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)?)[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


def preset_text(name: str) -> str:
    return (resources.files("constellations") / "presets" / f"{name}.toml").read_text("utf-8")


def parse_scenario(
    text: str, origin: str = "<scenario>", base_dir: Path | None = None
) -> Constellation:
    """A :class:`Constellation` from TOML text; ``ScenarioError`` says what is wrong.

    ``origin`` (a file or a preset) starts every message; element set files
    are found relative to ``base_dir`` (default: the current folder).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        leap = _BARE_LEAP_SECOND.search(text)
        if leap is not None:
            key, value = leap.group("key"), leap.group("value")
            raise ScenarioError(
                f"{origin}: {key} = {value}: Python's TOML reader cannot hold a second of 60 in "
                f'a bare date-time; quote it: {key} = "{value}"'
            ) from None
        raise ScenarioError(f"{origin}: not valid TOML ({exc}); fix the syntax there") from None
    except ValueError:  # a decimal integer longer than Python reads (sys.get_int_max_str_digits)
        raise ScenarioError(_too_long_a_number(text, origin)) from None
    try:
        scenario = ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise scenario_error(exc, ScenarioFile, origin) from None
    element_sets = _read_element_sets(scenario, origin, base_dir or Path("."))
    try:
        return scenario.constellation(element_sets)
    except ScenarioError as exc:
        raise with_origin(origin, exc) from None


#: A key set to a decimal integer of more digits than Python turns into a number (4,300).
_LONG_INTEGER = re.compile(
    r"^[ \t]*(?P<key>[^=\n]*?)[ \t]*=[^\n\"']*?(?P<digits>\d[\d_]{999,})", re.MULTILINE
)


def _too_long_a_number(text: str, origin: str) -> str:
    limit = f"{sys.get_int_max_str_digits():,}"
    long = _LONG_INTEGER.search(text)
    if long is None:
        return f"{origin}: a number of more than {limit} digits; no key takes one, write it shorter"
    key, digits = long.group("key"), long.group("digits").replace("_", "")
    return (
        f"{origin}: {key} = <a whole number of {len(digits):,} digits>: more than the "
        f"{limit} digits Python's TOML reader takes; no key takes a number that large, "
        "write a smaller one"
    )


def _read_element_sets(scenario, origin: str, base_dir: Path) -> tuple:
    from constellations.io.omm import read_element_file

    element_sets = []
    for i, table in enumerate(scenario.element_sets):
        path = Path(table.file)
        if not path.is_absolute():
            path = base_dir / path
        try:
            element_sets.append(read_element_file(path, name=table.name))
        except ValueError as exc:
            raise ScenarioError(f"{origin} element_sets[{i}]: {exc}") from None
    return tuple(element_sets)


def load_scenario(name_or_path) -> Constellation:
    """A scenario from a TOML file path, or a preset by name (see :func:`preset_names`).

    Raises ``ScenarioError`` (one line: the file, the key, what to change).
    """
    return read_scenario(name_or_path)[0]


def read_toml_bytes(path: Path) -> bytes:
    """A TOML file's bytes, checked to be UTF-8 text (a byte-order mark, as some editors
    write, is fine).  Raises ``ScenarioError`` naming the file for other text or a read
    that fails."""
    try:
        data = path.read_bytes()
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 (TOML's encoding)"
        ) from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return data


def read_scenario(name_or_path) -> tuple[Constellation, str]:
    """:func:`load_scenario`, and the SHA-256 (hex) of the very bytes it parsed, for
    provenance (a file is read once, so the two cannot disagree)."""
    import hashlib

    text_arg = str(name_or_path)
    presets = preset_names()
    if text_arg in presets and not Path(text_arg).is_file():
        text = preset_text(text_arg)
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return parse_scenario(text, origin=f"preset {text_arg}"), sha256
    path = Path(text_arg)
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder; give a scenario TOML file or a preset name")
    if not path.is_file():
        close = closest(text_arg, presets, cutoff=0.6)
        hint = f"did you mean the preset {close!r}? " if close else ""
        raise ScenarioError(
            f"{text_arg}: no such scenario file or preset; {hint}give a TOML file or one of "
            f"the presets: {', '.join(presets)}"
        )
    data = read_toml_bytes(path)
    text = data.decode("utf-8-sig")
    sha256 = hashlib.sha256(data).hexdigest()
    return parse_scenario(text, origin=str(path), base_dir=path.parent), sha256
