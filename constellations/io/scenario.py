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
    ltan_hours = 18.0              # sun-synchronous shells only
    planes = 1
    sats_per_plane = 1
    phasing = 0
    pattern = "delta"              # or "star"
    raan_deg = 0.0                 # optional: node of the first plane, TEME of the epoch
    raan_spread_deg = 360.0        # optional: overrides the pattern's spread
    bstar = 0.0                    # optional: SGP4 drag term, 1/earth radii

    [[element_sets]]               # optional: satellites from OMM or TLE files
    name = "starlink"
    file = "starlink.json"         # relative to the scenario file

Unknown sections and keys are refused with the closest valid name.
"""

import difflib
import tomllib
from importlib import resources
from pathlib import Path

from constellations.errors import ScenarioError
from constellations.model.constellation import Constellation, Shell
from constellations.model.keys import check_keys

SCENARIO_KEYS = ("name", "epoch", "description", "sources")
SHELL_KEYS = (
    "name",
    "altitude_km",
    "sun_synchronous",
    "inclination_deg",
    "ltan_hours",
    "planes",
    "sats_per_plane",
    "phasing",
    "pattern",
    "raan_deg",
    "raan_spread_deg",
    "bstar",
)
ELEMENT_SET_KEYS = ("name", "file")
SECTIONS = (
    "scenario",
    "shells",
    "element_sets",
    "satellite",
    "solar_array",
    "battery",
    "radiator",
    "drag",
    "links",
    "launch",
)
DEFAULT_PRESET = "dawn-dusk-340"


def _check_keys(where: str, table: dict, allowed: tuple[str, ...], noun: str = "key") -> None:
    check_keys(where, table, allowed, noun, error=ScenarioError)


def preset_names() -> list[str]:
    """Names of the presets shipped with the package."""
    folder = resources.files("constellations") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def preset_text(name: str) -> str:
    return (resources.files("constellations") / "presets" / f"{name}.toml").read_text("utf-8")


def parse_scenario(
    text: str, origin: str = "<scenario>", base_dir: Path | None = None
) -> Constellation:
    """A :class:`Constellation` from TOML text; ``ScenarioError`` says what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{origin}: not valid TOML ({exc}); fix the syntax there") from None
    try:
        return _build(data, origin, base_dir or Path("."))
    except ScenarioError:
        raise
    except ValueError as exc:
        raise ScenarioError(f"{origin}: {exc}") from None


def _build(data: dict, origin: str, base_dir: Path) -> Constellation:
    _check_keys(origin, data, SECTIONS, noun="section")
    head = data.get("scenario")
    if not isinstance(head, dict):
        raise ScenarioError(
            f'{origin}: missing [scenario] table; add one with name = "..." and '
            'epoch = "2027-01-01T00:00:00Z"'
        )
    _check_keys(f"{origin} [scenario]", head, SCENARIO_KEYS)
    for key in ("name", "epoch"):
        if key not in head:
            raise ScenarioError(f"{origin} [scenario]: missing {key!r}")
    shells_data = data.get("shells", [])
    if not isinstance(shells_data, list):
        raise ScenarioError(f"{origin}: write shells as [[shells]] tables (an array of tables)")
    shells = []
    for i, table in enumerate(shells_data):
        where = f"{origin} shells[{i}]"
        _check_keys(where, table, SHELL_KEYS)
        missing = [k for k in ("name", "altitude_km", "planes", "sats_per_plane") if k not in table]
        if missing:
            raise ScenarioError(f"{where}: missing {missing[0]!r}")
        kwargs = dict(table)
        sso = kwargs.pop("sun_synchronous", False)
        try:
            shells.append(Shell(is_sun_synchronous=sso, **kwargs))
        except ValueError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
    element_sets = []
    for i, table in enumerate(data.get("element_sets", [])):
        where = f"{origin} element_sets[{i}]"
        _check_keys(where, table, ELEMENT_SET_KEYS)
        if "file" not in table:
            raise ScenarioError(f"{where}: missing 'file' (an OMM .json/.csv/.xml or a .tle file)")
        from constellations.io.omm import read_element_file

        path = Path(table["file"])
        if not path.is_absolute():
            path = base_dir / path
        try:
            element_sets.append(read_element_file(path, name=table.get("name")))
        except ValueError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
    sources = head.get("sources", ())
    if isinstance(sources, str):
        sources = (sources,)
    from constellations.model.satellite import SatelliteDesign

    tables = {}
    for section in ("satellite", "solar_array", "battery", "radiator"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ScenarioError(f"{origin}: write [{section}] as a table of keys")
        tables[section] = table
    try:
        satellite = SatelliteDesign.from_tables(**tables)
    except ValueError as exc:
        raise ScenarioError(f"{origin} {exc}") from None
    drag = _table_design(origin, "drag", data.get("drag", {}))
    links = _table_design(origin, "links", data.get("links", {}))
    launch = _table_design(origin, "launch", data.get("launch", {}))
    return Constellation(
        name=str(head["name"]),
        epoch=head["epoch"],
        shells=tuple(shells),
        element_sets=tuple(element_sets),
        description=str(head.get("description", "")),
        sources=tuple(sources),
        satellite=satellite,
        drag=drag,
        links=links,
        launch=launch,
    )


def _table_design(origin: str, section: str, table):
    """A ``[drag]`` or ``[links]`` table as its design dataclass, keys checked."""
    import dataclasses

    from constellations.model.drag import DragDesign
    from constellations.model.launch import LaunchDesign
    from constellations.model.links import LinksDesign

    design_class = {"drag": DragDesign, "links": LinksDesign, "launch": LaunchDesign}[section]
    if not isinstance(table, dict):
        raise ScenarioError(f"{origin}: write [{section}] as a table of keys")
    keys = tuple(f.name for f in dataclasses.fields(design_class) if f.name != "sources")
    _check_keys(f"{origin} [{section}]", table, keys)
    try:
        return design_class(**table)
    except (TypeError, ValueError) as exc:
        message = str(exc)
        prefix = "" if message.startswith(f"[{section}]") else f"[{section}] "
        raise ScenarioError(f"{origin} {prefix}{message}") from None


def load_scenario(name_or_path) -> Constellation:
    """A scenario from a TOML file path, or a preset by name (see :func:`preset_names`)."""
    text_arg = str(name_or_path)
    presets = preset_names()
    if text_arg in presets and not Path(text_arg).is_file():
        return parse_scenario(preset_text(text_arg), origin=f"preset {text_arg}")
    path = Path(text_arg)
    if not path.is_file():
        close = difflib.get_close_matches(text_arg, presets, n=1, cutoff=0.6)
        hint = f"did you mean the preset {close[0]!r}? " if close else ""
        raise ScenarioError(
            f"{text_arg}: no such scenario file or preset; {hint}give a TOML file or one of "
            f"the presets: {', '.join(presets)}"
        )
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc})") from None
    return parse_scenario(text, origin=str(path), base_dir=path.parent)


def scenario_sha256(name_or_path) -> str | None:
    """SHA-256 of the scenario's TOML text (a preset's or a file's bytes), for provenance.

    None when it cannot be read (the loader says why).
    """
    import hashlib

    text_arg = str(name_or_path)
    try:
        if text_arg in preset_names() and not Path(text_arg).is_file():
            data = preset_text(text_arg).encode("utf-8")
        else:
            data = Path(text_arg).read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest()
