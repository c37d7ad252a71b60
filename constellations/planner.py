"""plan(): a constellation in, the planner's JSON-ready summary out.

The returned dict is the plan JSON (a contract; later capabilities add
sections)::

    {"scenario": str, "epoch": ISO-8601 str, "n_sats": int,
     "shells": [{"name", "altitude_km", "inclination_deg", "sun_synchronous",
                 "ltan_hours", "planes", "sats_per_plane", "phasing",
                 "pattern", "n_sats", "period_min", "raan_deg": [per plane], ...}],
     "element_sets": [{"name", "source", "n_sats"}]}
"""

import numpy as np

from constellations.design import Constellation
from constellations.resolve import ResolvedShell, resolve


def _shell_record(resolved: ResolvedShell) -> dict:
    shell = resolved.shell
    return {
        "name": shell.name,
        "altitude_km": shell.altitude_km,
        "inclination_deg": round(resolved.inclination_deg, 6),
        "sun_synchronous": shell.is_sun_synchronous,
        "ltan_hours": shell.ltan_hours,
        "planes": shell.planes,
        "sats_per_plane": shell.sats_per_plane,
        "phasing": shell.phasing,
        "pattern": shell.pattern,
        "n_sats": shell.n_sats,
        "period_min": round(resolved.period_min, 4),
        "raan_deg": [round(float(x), 6) for x in resolved.raan_deg],
        "raan_spread_deg": shell.spread_deg,
        "bstar": shell.bstar,
        "first_sat_id": resolved.first_id,
    }


def plan(constellation: Constellation, ts=None) -> dict:
    """The plan of ``constellation`` as a JSON-ready dict (see the module docstring)."""
    resolved = resolve(constellation, ts)
    return {
        "scenario": constellation.name,
        "epoch": constellation.epoch.strftime("%Y-%m-%dT%H:%M:%SZ")
        if not constellation.epoch.microsecond
        else constellation.epoch.isoformat().replace("+00:00", "Z"),
        "n_sats": int(constellation.n_sats),
        "description": constellation.description,
        "sources": list(constellation.sources),
        "shells": [_shell_record(r) for r in resolved],
        "element_sets": [
            {"name": e.name, "source": e.source, "n_sats": e.n_sats}
            for e in constellation.element_sets
        ],
    }


def to_json_text(result: dict) -> str:
    """The plan as JSON text; NaN and infinity become null (strict JSON)."""
    import json

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, (float, np.floating)):
            return float(value) if np.isfinite(value) else None
        if isinstance(value, np.integer):
            return int(value)
        return value

    return json.dumps(clean(result), indent=2, allow_nan=False) + "\n"
