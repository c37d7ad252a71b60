"""Orbital design points: what a study computes once per orbit and reuses for every sample.

:func:`orbital_point` plans the expensive stages of one scenario (the year of
sunlight by plane, NRLMSIS along each shell's track, the mesh when an output
needs it) and keeps what the cheap stages read
(:class:`~constellations.stages.samples.OrbitalPoint`).  :func:`point_key` names
a point by exactly the inputs that determine it; :func:`to_cache` and
:func:`from_cache` turn one into plain arrays and JSON for the study's store.
"""

import json
from types import SimpleNamespace

import numpy as np

from constellations.stages.formation import ShadingGeometry, shading_geometry
from constellations.stages.samples import OrbitalPoint, ShellPoint

#: Float keys of the vector tables that change the orbital design point instead of varying
#: within a call (the cells' damage behind their coverglass is found with the orbit's
#: spectra).
ORBITAL_FLOATS = ("radiation.coverglass_mm",)
#: The scenario keys an orbital design point depends on: the orbits and the epoch, the
#: mesh, the radiator's attitude and faces (its hot case and drag share), the battery's
#: policy (the mesh counts a shedding satellite's compute in sunlight only), the drag's
#: own activity case when the scenario gives one.
ORBITAL_KEYS = {
    "scenario": ("epoch",),
    "shells": None,
    "element_sets": None,
    "links": None,
    "radiator": ("attitude", "faces", "environment"),
    "radiation": tuple(path.partition(".")[2] for path in ORBITAL_FLOATS),
    "battery": ("policy",),
    "drag": ("f107", "ap"),
}

#: The custom activity case's table when a study varies F10.7 and Ap: F10.7 nodes every
#: CUSTOM_F107_STEP sfu and Ap nodes at these values, over the range the samples span.
#: Density is interpolated log-linearly in F10.7 and log(1 + Ap); tests/study/
#: test_orbital_points.py bounds the error against NRLMSIS called directly.
CUSTOM_F107_STEP = 20.0
CUSTOM_AP_NODES = (0.0, 2.0, 4.0, 7.0, 12.0, 20.0, 35.0, 60.0, 100.0, 170.0, 280.0, 400.0)
#: The lifetime's table takes every third of those nodes (and the last): each node is a
#: density profile down to reentry.
CUSTOM_LIFETIME_STRIDE = 3


def point_key(document: dict, stages, custom_box) -> str:
    """The cache key of an orbital design point (:func:`constellations.io.study_store.cache_key`:
    SHA-256 with the package's version) of the inputs that determine it: the
    :data:`ORBITAL_KEYS` of the scenario's TOML data, the stages planned and the custom
    activity table's range."""
    from constellations.io.study_store import cache_key

    parts = {}
    for table, keys in ORBITAL_KEYS.items():
        value = document.get(table)
        if value is None:
            continue
        parts[table] = value if keys is None else {k: value[k] for k in keys if k in value}
    parts["stages"] = sorted(stages)
    parts["custom_box"] = None if custom_box is None else [float(v) for v in custom_box]
    # TOML dates and times as text: the key is of the values, whatever their type.
    return cache_key(json.loads(json.dumps(parts, sort_keys=True, default=str)))


def custom_nodes(box) -> tuple[np.ndarray, np.ndarray]:
    """F10.7 and Ap nodes covering ``box`` = ``(f107_low, f107_high, ap_low, ap_high)``."""
    f_low, f_high, ap_low, ap_high = box
    start = CUSTOM_F107_STEP * np.floor(f_low / CUSTOM_F107_STEP)
    stop = CUSTOM_F107_STEP * np.ceil(f_high / CUSTOM_F107_STEP)
    f107 = np.arange(start, stop + CUSTOM_F107_STEP / 2, CUSTOM_F107_STEP)
    f107 = np.maximum(f107, 1.0)
    if len(f107) < 2:
        f107 = np.array([f107[0], f107[0] + CUSTOM_F107_STEP])
    nodes = np.asarray(CUSTOM_AP_NODES)
    lo = max(0, np.searchsorted(nodes, ap_low, side="right") - 1)
    hi = min(len(nodes) - 1, np.searchsorted(nodes, ap_high, side="left"))
    ap = nodes[lo : max(hi, lo + 1) + 1]
    return f107, ap


def _cases_of(atmosphere) -> tuple[dict, dict, bool]:
    """Density and lifetime at B = 1 of every activity case, and whether above the model."""
    from constellations.stages.atmosphere import AboveModel, unit_ballistic_lifetime_days

    above = isinstance(atmosphere, AboveModel)
    inner = atmosphere.ceiling if above else atmosphere
    density = {name: float(v) for name, v in inner.density_kg_m3.items()}
    lifetime = {k: float(v) for k, v in unit_ballistic_lifetime_days(atmosphere).items()}
    return density, lifetime, above


def _custom_grid(resolved, epoch, box, lifetimes: bool):
    """The custom case's table over ``box``: density from the track at every node; the
    lifetime (a profile down to reentry a node, a hundred times the work) only when
    ``lifetimes``, on every :data:`CUSTOM_LIFETIME_STRIDE`-th node."""
    from constellations.stages.atmosphere import shell_track
    from orbital.drag import MAX_DENSITY_ALTITUDE_KM, density_kg_m3

    f107, ap = custom_nodes(box)
    dates, lat, lon, height = shell_track(resolved, epoch)
    if float(np.max(height)) <= MAX_DENSITY_ALTITUDE_KM:
        log_rho = np.log(
            [[np.mean(density_kg_m3(dates, lat, lon, height, f, a)) for a in ap] for f in f107]
        )
    else:  # above the model: the ceiling's bounds, as the plan takes them
        log_rho = _table(resolved, epoch, f107, ap)[0]
    if not lifetimes:
        return (f107, ap, log_rho, None, None, None)
    f_life, ap_life = _coarse(f107), _coarse(ap)
    coarse_rho, coarse_life = _table(resolved, epoch, f_life, ap_life)
    # Tabulated as lifetime times the shell's density, which varies far less over the
    # nodes than either (a denser atmosphere shortens the decay about in proportion).
    return (f107, ap, log_rho, f_life, ap_life, coarse_life + coarse_rho)


def _custom_grids(sunlights, environments, epoch, box, lifetimes: bool) -> list:
    """:func:`_custom_grid` of each shell; a band's levels between its nodes have theirs
    interpolated as their atmospheres are (the logarithms linear in altitude)."""
    grids = {
        k: _custom_grid(sunlight.resolved, epoch, box, lifetimes)
        for k, (sunlight, environment) in enumerate(zip(sunlights, environments, strict=True))
        if environment.atmosphere_between is None
    }
    out = []
    for k, environment in enumerate(environments):
        if environment.atmosphere_between is None:
            out.append(grids[k])
            continue
        low, high, w = environment.atmosphere_between
        # The nodes of F10.7 and Ap are the box's, the same for every shell.
        f107, ap, log_rho, f_life, ap_life, log_life = grids[low]
        above = grids[high]
        out.append(
            (
                f107,
                ap,
                (1.0 - w) * log_rho + w * above[2],
                f_life,
                ap_life,
                None if log_life is None else (1.0 - w) * log_life + w * above[5],
            )
        )
    return out


def _coarse(nodes: np.ndarray) -> np.ndarray:
    picked = nodes[::CUSTOM_LIFETIME_STRIDE]
    return picked if picked[-1] == nodes[-1] else np.append(picked, nodes[-1])


def _table(resolved, epoch, f107, ap):
    """Log density and log lifetime at B = 1 over the nodes, through the plan's atmosphere."""
    from constellations.stages.atmosphere import shell_atmosphere

    cases = {f"{i},{j}": (float(f), float(a)) for i, f in enumerate(f107) for j, a in enumerate(ap)}
    atmosphere = shell_atmosphere(resolved, epoch, SimpleNamespace(cases=lambda: cases))
    density, lifetime, _ = _cases_of(atmosphere)
    shape = range(len(f107)), range(len(ap))
    log_rho = np.log([[density[f"{i},{j}"] for j in shape[1]] for i in shape[0]])
    log_life = np.log([[lifetime[f"{i},{j}"] for j in shape[1]] for i in shape[0]])
    return log_rho, log_life


def orbital_point(
    constellation, stages, custom_box=None, *, lifetimes: bool = True, progress=None
) -> OrbitalPoint:
    """The orbital design point of ``constellation`` for a study recording ``stages``.

    ``custom_box`` ``(f107_low, f107_high, ap_low, ap_high)`` tabulates the custom
    activity case over that range (a study varying ``drag.f107`` and ``drag.ap``), its
    lifetimes too when ``lifetimes`` (a study recording them, or budgeting propellant
    itself, needs them).
    Raises ``ScenarioError`` as :func:`constellations.planner.plan` does.
    """
    from constellations.planner import plan
    from constellations.stages.band_environment import shell_environments
    from constellations.stages.closure import hot_case_components, shell_environment
    from orbital.attitude import array_flow_factor, radiator_flow_factor
    from orbital.power import solar_flux_w_m2

    network = "network" in stages
    planned = plan(
        constellation,
        stages={"illumination", "radiation", *(("network",) if network else ())},
        progress=progress,
    )
    radiator = constellation.satellite.radiator
    shares = np.ones(len(constellation.shells))
    weights = None
    if network and planned.network is not None:
        from constellations.stages.cost import mesh_shares
        from orbital.network_metrics import components, largest_component

        graph = planned.network.graph
        shares = mesh_shares(planned.network, len(constellation.shells))
        _, labels = components(graph)
        members = largest_component(graph, labels)
        counted = graph.nodes["sunlit"] if constellation.satellite.battery.policy == "shed" else 1.0
        counted = np.broadcast_to(np.asarray(counted, dtype=float), labels.shape)
        groups = len(constellation.shells) + len(constellation.element_sets)
        weights = np.bincount(
            np.asarray(graph.nodes["shell"])[members], weights=counted[members], minlength=groups
        )
    shells = []
    illumination = planned.illumination
    lifetimes = lifetimes and custom_box is not None
    sunlights = () if illumination is None else illumination.shells
    # The plan's own atmospheres and hot cases (a band's levels from a few of them): the
    # closure's when the mesh needed it, else found here.
    closure = planned.closure
    environments = (
        closure.environments
        if closure is not None and closure.environments
        else shell_environments(sunlights, constellation.epoch, constellation.drag, radiator)
    )
    custom_grids = (
        None
        if custom_box is None
        else _custom_grids(sunlights, environments, constellation.epoch, custom_box, lifetimes)
    )
    for k, (sunlight, environment) in enumerate(zip(sunlights, environments, strict=True)):
        resolved = sunlight.resolved
        hot_case = environment.hot_case
        if hot_case is None:
            hot_case = hot_case_components(
                resolved,
                radiator,
                sunlight.beta_range_deg,
                float(solar_flux_w_m2(sunlight.year.perihelion_au)),
            )
        per_a, per_e = hot_case
        env = shell_environment(sunlight, radiator, hot_case)
        betas = np.ravel(sunlight.year.beta_deg)
        density, lifetime, above = _cases_of(environment.atmosphere)
        shells.append(
            ShellPoint(
                name=resolved.shell.name,
                n_sats=resolved.shell.n_sats,
                sun_synchronous=bool(resolved.shell.is_sun_synchronous),
                altitude_km=float(resolved.shell.altitude_km),
                period_min=float(env.period_min),
                max_eclipse_min=float(env.max_eclipse_min),
                sunlit_fraction_year=float(env.sunlit_fraction_year),
                aphelion_flux_w_m2=float(env.solar_flux_w_m2),
                hot_per_absorptivity_w_m2=per_a,
                hot_per_emissivity_w_m2=per_e,
                array_share=array_flow_factor(betas),
                radiator_share=radiator_flow_factor(radiator.attitude, betas),
                density_kg_m3=density,
                lifetime_days_b1=lifetime,
                above_model=above,
                custom_grid=None if custom_box is None else custom_grids[k],
                mesh_share=float(shares[k]),
                shading=shading_geometry(resolved),
                **_radiation_of(planned.radiation, resolved.shell.name),
            )
        )
    longest = (
        float("nan")
        if illumination is None
        else max(p.max_eclipse_min for s in illumination.shells for p in s.planes)
    )
    return OrbitalPoint(tuple(shells), float(longest), weights)


def _radiation_of(radiation, name: str) -> dict:
    if radiation is None:
        return {}
    shell = radiation.of(name)
    return {
        "dose_depth_rad_si_per_year": shell.dose_depth_rad_si_per_year,
        "ddd_mev_g_per_year": shell.ddd_mev_g_per_year,
    }


_SCALARS = (
    "name",
    "n_sats",
    "sun_synchronous",
    "altitude_km",
    "period_min",
    "max_eclipse_min",
    "sunlit_fraction_year",
    "aphelion_flux_w_m2",
    "array_share",
    "radiator_share",
    "density_kg_m3",
    "lifetime_days_b1",
    "above_model",
    "mesh_share",
    "ddd_mev_g_per_year",
)


_CUSTOM = ("f107", "ap", "log_rho", "f107_life", "ap_life", "log_life")
#: The arrays of a formation's :class:`~constellations.stages.formation.ShadingGeometry`.
_SHADING = ("offsets_m", "sun_lvlh", "sunlit")


def to_cache(point: OrbitalPoint) -> tuple[dict, dict]:
    """``(arrays, meta)``: the point as named float arrays and JSON-able values."""
    arrays = {}
    meta = {"longest_eclipse_min": point.longest_eclipse_min, "shells": []}
    if point.cluster_weights is not None:
        arrays["cluster_weights"] = np.asarray(point.cluster_weights, dtype=float)
    for k, shell in enumerate(point.shells):
        meta["shells"].append({name: getattr(shell, name) for name in _SCALARS})
        arrays[f"shell{k}_hot_a"] = shell.hot_per_absorptivity_w_m2
        arrays[f"shell{k}_hot_e"] = shell.hot_per_emissivity_w_m2
        if shell.dose_depth_rad_si_per_year is not None:
            arrays[f"shell{k}_dose"] = np.asarray(shell.dose_depth_rad_si_per_year, dtype=float)
        if shell.shading is not None:
            for name in _SHADING:
                arrays[f"shell{k}_shading_{name}"] = np.asarray(getattr(shell.shading, name))
        if shell.custom_grid is not None:
            for name, values in zip(_CUSTOM, shell.custom_grid, strict=True):
                if values is not None:
                    arrays[f"shell{k}_custom_{name}"] = np.asarray(values, dtype=float)
    return arrays, meta


def from_cache(arrays: dict, meta: dict) -> OrbitalPoint:
    """The :class:`OrbitalPoint` :func:`to_cache` gave ``(arrays, meta)`` for."""
    shells = []
    for k, scalars in enumerate(meta["shells"]):
        shading = None
        if f"shell{k}_shading_sunlit" in arrays:
            shading = ShadingGeometry(
                **{name: arrays[f"shell{k}_shading_{name}"] for name in _SHADING}
            )
        custom = None
        if f"shell{k}_custom_f107" in arrays:
            custom = tuple(arrays.get(f"shell{k}_custom_{name}") for name in _CUSTOM)
        shells.append(
            ShellPoint(
                **scalars,
                hot_per_absorptivity_w_m2=arrays[f"shell{k}_hot_a"],
                hot_per_emissivity_w_m2=arrays[f"shell{k}_hot_e"],
                dose_depth_rad_si_per_year=arrays.get(f"shell{k}_dose"),
                custom_grid=custom,
                shading=shading,
            )
        )
    return OrbitalPoint(
        tuple(shells), float(meta["longest_eclipse_min"]), arrays.get("cluster_weights")
    )
