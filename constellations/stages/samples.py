"""The cheap stages over a sample dimension: sizing with drag, cadence and cost, vectorised.

A trade study varies the hardware, the launch plan, the prices and the solar
activity far more often than the orbit.  What depends on the orbit alone (the
year of sunlight, the atmosphere along the track, the mesh) is an
:class:`OrbitalPoint`, computed once; :func:`evaluate` then runs the closure
(sizing with drag feedback), the cadence and the cost for every sample at once,
with the kernels in :mod:`orbital` (:func:`orbital.closure.close_with_drag_batch`,
:func:`orbital.cadence.simulate_fleet`) and :mod:`economics`.

A sample is a set of values of scenario keys (``satellite.compute_kw``,
``launch.cost_per_flight_usd``, ``cost.ground.pue``, ``drag.f107``, ...): the float
keys of the hardware, launch, drag and cost tables (:data:`VECTOR_SECTIONS`).  The
numbers are the plan's: :func:`evaluate` of one sample equals ``plan()`` of that
scenario (tests/study/test_study_engine.py holds them to 1e-9).  A sample whose
design does not close is NaN with a reason code
(:data:`constellations.stages.sample_kernels.REASONS`), never an
exception.
"""

from dataclasses import dataclass, field

import numpy as np

#: The scenario tables whose float keys vary over a sample dimension.
VECTOR_SECTIONS = (
    "satellite",
    "solar_array",
    "battery",
    "radiator",
    "drag",
    "radiation",
    "launch",
    "cost",
)


@dataclass(frozen=True, eq=False)
class ShellPoint:
    """What the cheap stages need of one Walker shell's orbit, found once.

    Environment of the sizing (:func:`constellations.stages.closure.shell_environment`):
    ``period_min``, ``max_eclipse_min``, ``sunlit_fraction_year`` of the worst plane,
    ``aphelion_flux_w_m2`` (arrays are sized at aphelion).  The hot case of the radiator
    is the largest over ``hot_betas_deg`` of ``a * hot_per_absorptivity_w_m2 + e *
    hot_per_emissivity_w_m2`` (absorbed per m^2, all faces, at perihelion; arrays
    ``(n_betas,)``).  ``array_share`` and ``radiator_share`` are the shares of array and
    radiator area facing the flow (their attitudes over the year's beta angles).
    ``density_kg_m3`` and ``lifetime_days_b1`` map each solar-activity case to the
    orbit-mean density and the uncontrolled lifetime at a ballistic coefficient of
    1 m^2/kg (lifetimes scale as its inverse); ``custom_grid`` tabulates both over F10.7
    and Ap where a study varies them: ``(f107 (nf,), ap (na,), log density (nf, na),
    f107 (mf,), ap (ma,), log of lifetime times density (mf, ma))``, the lifetime's three
    None when the study needs none.  ``above_model``: the track leaves NRLMSIS, drag taken
    as negligible (the bounds in ``density_kg_m3`` and ``lifetime_days_b1``).
    ``mesh_share``: share of the shell's satellites in its largest cluster (1 without
    the network).  ``dose_depth_rad_si_per_year``: the trapped-particle design dose rate
    at each of :data:`constellations.stages.radiation.DOSE_DEPTH_MM_AL` (None without
    the radiation stage); ``ddd_mev_g_per_year`` the solar cells' displacement damage
    dose a year behind the scenario's coverglass (0 without it).  ``shading``: a
    formation's :class:`~constellations.stages.formation.ShadingGeometry` (None for other
    shells), whose arrays are sized at the fixed point with their mutual shading.
    """

    name: str
    n_sats: int
    sun_synchronous: bool
    altitude_km: float
    period_min: float
    max_eclipse_min: float
    sunlit_fraction_year: float
    aphelion_flux_w_m2: float
    hot_per_absorptivity_w_m2: np.ndarray
    hot_per_emissivity_w_m2: np.ndarray
    array_share: float
    radiator_share: float
    density_kg_m3: dict
    lifetime_days_b1: dict
    above_model: bool = False
    custom_grid: tuple | None = None
    mesh_share: float = 1.0
    dose_depth_rad_si_per_year: np.ndarray | None = None
    ddd_mev_g_per_year: float = 0.0
    shading: object | None = None


@dataclass(frozen=True, eq=False)
class OrbitalPoint:
    """One orbital design point: its shells (:class:`ShellPoint`), the longest eclipse of
    any plane (minutes) and, when the network ran, the satellites of the largest cluster
    of the mesh's snapshot by group (``cluster_weights``, shells then element sets, each
    counted when it computes: in sunlight when the battery policy sheds)."""

    shells: tuple[ShellPoint, ...]
    longest_eclipse_min: float
    cluster_weights: np.ndarray | None = None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Samples:
    """What :func:`evaluate` found: ``outputs`` ``{name: (n,)}`` in the units of
    :data:`constellations.model.study.OUTPUTS`, and ``reason`` ``(n,)`` codes into
    :data:`constellations.stages.sample_kernels.REASONS` (0 where every shell closes and
    every stage ran)."""

    outputs: dict
    reason: np.ndarray


def _close(kernels, design, shell):
    """:func:`~constellations.stages.sample_kernels.close_shell` of every sample; a
    formation's at the fixed point of its sizing and mutual shading, as the plan's."""
    from constellations.stages.formation import shading_fixed_point, sized_array_side_m

    def close(worst):
        batch = kernels.close_shell(design, shell, worst)
        sizing = batch.sizing
        sides = sized_array_side_m(sizing.array_m2_per_tonne, sizing.satellite_mass_kg)
        return batch, np.where(batch.reason == 0, sides, np.nan)

    batch, _ = shading_fixed_point(close, shell.shading, design.n)
    return batch


def evaluate(scenario, point: OrbitalPoint, vectors: dict, outputs, n: int) -> Samples:
    """The ``outputs`` of ``n`` samples of ``scenario`` on the orbital design ``point``.

    ``scenario`` is the checked :class:`~constellations.model.scenario.ScenarioFile` of
    the samples' group (every key they share); ``vectors`` maps the keys that vary,
    as paths (``satellite.compute_kw``), to arrays ``(n,)`` (float keys of
    :data:`VECTOR_SECTIONS`).  Values are not checked here: the engine checks them
    against the schema's bounds first.
    """
    from constellations.stages import sample_kernels as kernels

    design = kernels.Design.of(scenario, vectors, n)
    shells = [_close(kernels, design, shell) for shell in point.shells]
    reason = np.zeros(n, dtype=np.int16)
    for shell in shells:  # the first shell that fails names the reason, as the plan does
        reason = np.where(reason == 0, shell.reason, reason)
    values = {}
    wanted = set(outputs)
    if "kw_per_tonne" in wanted:
        kw = np.stack(
            [np.where(s.reason == 0, s.sizing.compute_kw_per_tonne, np.inf) for s in shells]
        )
        worst = kw.min(axis=0)  # the worst shell that closes, as the plan quotes
        values["kw_per_tonne"] = np.where(np.isfinite(worst), worst, np.nan)
    if "uncontrolled_lifetime_days" in wanted:
        values["uncontrolled_lifetime_days"] = np.min(
            np.stack([s.shortest_lifetime_days for s in shells]), axis=0
        )
    if "propellant_kg_per_tonne_year" in wanted:
        values["propellant_kg_per_tonne_year"] = _of_closed(
            shells, lambda s: s.propellant_kg_per_tonne_year, np.max, n
        )
    if "satellite_life_years" in wanted:
        life = design.spec.design_life_years
        values["satellite_life_years"] = _of_closed(shells, lambda s: s.life_years(life), np.min, n)
    if wanted & {"dose_rad_si_per_year", "shielding_needed_mm_al"}:
        values.update(_radiation_outputs(design, shells, n))
    if "user_latency_ms" in wanted:
        from orbital.user_link import one_way_latency_ms

        top_km = max(shell.altitude_km for shell in point.shells)
        values["user_latency_ms"] = np.full(n, float(one_way_latency_ms(top_km)))
    if "longest_eclipse_min" in wanted:
        values["longest_eclipse_min"] = np.full(n, point.longest_eclipse_min)
    if "largest_cluster_mw" in wanted:
        weights = point.cluster_weights
        values["largest_cluster_mw"] = (
            np.full(n, np.nan)
            if weights is None
            else float(np.sum(weights)) * design.compute_kw / 1000.0 * np.ones(n)
        )
    fleet = None
    if wanted & {"installed_gw", *kernels.COST_OUTPUTS}:
        fleet, heavy = kernels.cadence(design, shells, point)
        reason = np.where((reason == 0) & heavy, kernels.TOO_HEAVY, reason)
    if "installed_gw" in wanted:
        values["installed_gw"] = np.where(reason == 0, fleet.installed_gw[:, -1], np.nan)
    if wanted & set(kernels.COST_OUTPUTS):
        costs = kernels.cost(design, shells, point, fleet)
        for name in kernels.COST_OUTPUTS:
            if name in wanted:
                values[name] = np.where(reason == 0, costs[name], np.nan)
    return Samples({name: np.asarray(values[name], dtype=float) for name in outputs}, reason)


def _of_closed(shells, read, pick, n: int) -> np.ndarray:
    """``pick`` (np.max or np.min) of ``read(shell)`` ``(n,)`` over the shells that close in
    each sample, NaN where none does (the plan's readers in :mod:`constellations.outputs`)."""
    fill = -np.inf if pick is np.max else np.inf
    stacked = np.stack(
        [
            np.where(s.reason == 0, np.broadcast_to(np.asarray(read(s), float), (n,)), fill)
            for s in shells
        ]
    )
    closes = np.any(np.stack([s.reason == 0 for s in shells]), axis=0)
    return np.where(closes, pick(stacked, axis=0), np.nan)


def _radiation_outputs(design, shells, n: int) -> dict:
    """The dose behind the ``[radiation]`` wall and the shielding needed, the most of any
    shell, every sample (NaN without the radiation stage)."""
    from constellations.stages.radiation import dose_behind_rad_si_per_year

    curves = [s.point.dose_depth_rad_si_per_year for s in shells]
    if any(curve is None for curve in curves):
        return {
            "dose_rad_si_per_year": np.full(n, np.nan),
            "shielding_needed_mm_al": np.full(n, np.nan),
        }
    wall = np.broadcast_to(np.asarray(design.radiation.shielding_mm_al, float), (n,))
    doses = np.stack([dose_behind_rad_si_per_year(curve, wall) for curve in curves])
    needed = np.stack([np.broadcast_to(s.shielding_needed_mm_al, (n,)) for s in shells])
    return {"dose_rad_si_per_year": doses.max(axis=0), "shielding_needed_mm_al": needed.max(axis=0)}
