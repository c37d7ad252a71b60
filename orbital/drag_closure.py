"""Sizing and drag closed together, for many satellites on one orbit at once.

The drag area of a satellite follows the arrays and radiators its sizing
gives; the thruster power and propellant that hold its orbit against that drag
go back into the sizing, which changes the areas, until the two agree.  This
is the planner's closure stage (``constellations.stages.closure.close_shell``)
as a kernel over a leading sample dimension: every numeric input is a scalar
or an array ``(n,)``, and one plan is the case ``n = 1``.

Each pass, per tonne of satellite (:class:`orbital.drag.StationKeeping`'s
formulas): the drag area is ``array_m2 * array_flow_share + radiator_m2 *
radiator_flow_share + body_area``; the thrusters hold the orbit at
``thrust_density_kg_m3`` (the densest activity case designed for), the
propellant a year is the drag at ``mean_density_kg_m3`` (the mission's mean
activity) plus storms of ``storm_hours_per_year`` hours at
``storm_density_factor`` times ``storm_density_kg_m3``.  Each demand after the
first is averaged with the one before (the loop overshoots otherwise).  A
sample stops when its array area per tonne changes by at most
:data:`SETTLED_RTOL` of itself, or after ``iterations`` passes.
"""

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from orbital.closure import (
    CLOSES,
    ArraySpec,
    BatterySpec,
    Environment,
    RadiatorSpec,
    SatelliteSpec,
    SizingBatch,
    _batch_inputs,
    _check_scalars,
    _close_arrays,
    _take,
)
from orbital.constants import G0_M_S2, JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.drag import drag_n_per_tonne

#: A sample has settled when its array area per tonne moves by at most this share of itself.
SETTLED_RTOL = 1e-11
#: Passes of the loop at most (the planner's default).
MAX_ITERATIONS = 100


@dataclass(frozen=True, eq=False)
class DragClosureBatch:
    """Satellites closed with their drag: the sizing and the budget it carries, ``(n,)`` each.

    ``propulsion_power_w_per_tonne`` (W/t) and ``propellant_kg_per_tonne_year``
    (kg/t a year) are the last demand fed into the sizing: for a sample that
    stopped closing mid-loop (``sizing.reason`` not 0), the demand it failed
    under.  ``drag_area_m2_per_tonne`` is the flow-facing area (m^2/t) of the
    last sizing that closed, NaN where the satellite failed before any drag.
    ``converged`` is False where the loop ran out of passes or failed;
    ``passes`` counts the demands fed back.
    """

    sizing: SizingBatch
    propulsion_power_w_per_tonne: np.ndarray
    propellant_kg_per_tonne_year: np.ndarray
    converged: np.ndarray
    drag_area_m2_per_tonne: np.ndarray
    passes: np.ndarray


def _close_policies(groups, policies):
    """Close under the battery's policy, failing a sample where any of ``policies`` fails.

    The reason is the first failing policy's, in ``policies`` order (as the
    planner sizes them); the values are those of the battery's own policy.
    """
    sat, array, battery, radiator, env = groups
    own = _close_arrays(*groups)[0]
    reason = None
    for policy in policies:
        if policy == battery.policy:
            other = own.reason
        else:
            swapped = SimpleNamespace(**{**vars(battery), "policy": policy})
            other = _close_arrays(sat, array, swapped, radiator, env, reason_only=True)
        reason = other if reason is None else np.where(reason != CLOSES, reason, other)
    if reason is None or np.array_equal(reason, own.reason):
        return own
    return _with_reason(own, reason)


def _with_reason(batch: SizingBatch, reason: np.ndarray) -> SizingBatch:
    """``batch`` with ``reason``; NaN values where it is not 0."""
    bad = reason != CLOSES
    changes = {"reason": reason, "binding_constraint": np.where(bad, -1, batch.binding_constraint)}
    for f in dataclasses.fields(batch):
        value = getattr(batch, f.name)
        if isinstance(value, dict):
            changes[f.name] = {k: np.where(bad, np.nan, v) for k, v in value.items()}
        elif f.name not in changes and isinstance(value, np.ndarray):
            changes[f.name] = np.where(bad, np.nan, value)
    return dataclasses.replace(batch, **changes)


def _writable(batch: SizingBatch) -> SizingBatch:
    """A copy of ``batch`` whose arrays can be written into."""
    changes = {}
    for f in dataclasses.fields(batch):
        value = getattr(batch, f.name)
        if isinstance(value, dict):
            changes[f.name] = {k: np.array(v, dtype=float) for k, v in value.items()}
        elif isinstance(value, np.ndarray):
            changes[f.name] = np.array(value)
    return dataclasses.replace(batch, **changes)


def _assign(target: SizingBatch, index, source: SizingBatch, rows=slice(None)) -> None:
    """``target[index] = source[rows]`` for every array of the batches."""
    for f in dataclasses.fields(target):
        value = getattr(target, f.name)
        if isinstance(value, dict):
            for k, v in value.items():
                v[index] = getattr(source, f.name)[k][rows]
        elif isinstance(value, np.ndarray):
            value[index] = getattr(source, f.name)[rows]


def storm_share(storm_density_factor, storm_hours_per_year):
    """The storms' extra drag over a year, as a share of the high case's: ``(factor - 1)``
    times the storm hours over the hours of a Julian year (scalars or arrays)."""
    return (
        (np.asarray(storm_density_factor, dtype=float) - 1.0)
        * np.asarray(storm_hours_per_year, dtype=float)
        / (JULIAN_YEAR_DAYS * 24.0)
    )


def propulsion_demand(
    area_m2_per_tonne,
    altitude_km,
    drag_coefficient,
    thrust_density_kg_m3,
    mean_density_kg_m3,
    storm_density_kg_m3,
    storm_share_of_year,
    isp_s,
    thrust_mn_per_kw,
):
    """``(power W/t, propellant kg/t a year)`` that hold a circular orbit against drag.

    The thrusters hold it at ``thrust_density_kg_m3``; the propellant a year is the drag
    at ``mean_density_kg_m3`` plus ``storm_share_of_year`` (:func:`storm_share`) of the
    drag at ``storm_density_kg_m3``, over the specific impulse.  Every input a scalar or
    an array; the results broadcast (:class:`orbital.drag.StationKeeping`'s formulas).
    """

    def yearly_kg(rho):
        drag = drag_n_per_tonne(rho, area_m2_per_tonne, altitude_km, drag_coefficient)
        return drag * JULIAN_YEAR_DAYS * SECONDS_PER_DAY / (isp_s * G0_M_S2)

    thrust = drag_n_per_tonne(
        thrust_density_kg_m3, area_m2_per_tonne, altitude_km, drag_coefficient
    )
    power = thrust * 1e3 / thrust_mn_per_kw * 1000.0
    propellant = (
        yearly_kg(mean_density_kg_m3) + yearly_kg(storm_density_kg_m3) * storm_share_of_year
    )
    return power, propellant


def close_with_drag_batch(
    sat: SatelliteSpec,
    array: ArraySpec,
    battery: BatterySpec,
    radiator: RadiatorSpec,
    env: Environment,
    *,
    array_flow_share,
    radiator_flow_share,
    body_area_m2_per_tonne,
    drag_coefficient,
    altitude_km,
    thrust_density_kg_m3,
    mean_density_kg_m3,
    storm_density_kg_m3,
    storm_density_factor,
    storm_hours_per_year,
    isp_s,
    thrust_mn_per_kw,
    policies: tuple[str, ...] = (),
    iterations: int = MAX_ITERATIONS,
) -> DragClosureBatch:
    """Close every sample's sizing with its own drag (see the module's description).

    The specs are :func:`orbital.closure.close_batch`'s, scalars or arrays
    ``(n,)``; their ``propulsion_power_w_per_tonne`` and
    ``propellant_kg_per_tonne_year`` start the loop and are then replaced by
    the drag's demand.  The drag inputs are scalars or ``(n,)``: the shares of
    array and radiator area facing the flow (1), the body's area (m^2/t), the
    drag coefficient, the altitude (km, above SGP4's Earth radius), the
    densities (kg/m^3) that size the thrusters, the propellant and the storms,
    the storms' density factor and hours a year, and the thruster's specific
    impulse (s) and thrust per kW of power (mN/kW).  ``policies``: battery
    policies that must close too at every pass (the planner sizes both); a
    sample fails where one does not.  ``iterations=0`` closes once with the
    specs' own budget.  Raises ``ValueError`` only as ``close_batch`` does.
    """
    _check_scalars(battery, radiator)
    n, groups = _batch_inputs(sat, array, battery, radiator, env)
    sat_n = groups[0]

    def per_sample(value):
        return np.broadcast_to(np.asarray(value, dtype=float), (n,))

    array_share, radiator_share, body = map(
        per_sample, (array_flow_share, radiator_flow_share, body_area_m2_per_tonne)
    )
    cd, altitude = per_sample(drag_coefficient), per_sample(altitude_km)
    rho_thrust, rho_mean, rho_storm = map(
        per_sample, (thrust_density_kg_m3, mean_density_kg_m3, storm_density_kg_m3)
    )
    storms = per_sample(storm_share(storm_density_factor, storm_hours_per_year))
    isp, thrust_per_kw = per_sample(isp_s), per_sample(thrust_mn_per_kw)

    def flow_area(array_m2, radiator_m2, index):
        return array_m2 * array_share[index] + radiator_m2 * radiator_share[index] + body[index]

    result = _writable(_close_policies(groups, policies))
    with np.errstate(all="ignore"):
        area = np.where(
            result.reason == CLOSES,
            flow_area(result.array_m2_per_tonne, result.radiator_m2_per_tonne, slice(None)),
            np.nan,
        )
    array_m2 = result.array_m2_per_tonne.copy()  # the last sizing's, sample by sample
    power = np.array(sat_n.propulsion_power_w_per_tonne, dtype=float)
    propellant = np.array(sat_n.propellant_kg_per_tonne_year, dtype=float)
    converged = np.zeros(n, dtype=bool)
    passes = np.zeros(n, dtype=np.int64)
    active = np.flatnonzero(result.reason == CLOSES)
    new = rows = None
    for step in range(iterations):
        if active.size == 0:
            break
        new_power, new_propellant = propulsion_demand(
            area[active],
            altitude[active],
            cd[active],
            rho_thrust[active],
            rho_mean[active],
            rho_storm[active],
            storms[active],
            isp[active],
            thrust_per_kw[active],
        )
        if step > 0:
            new_power = 0.5 * (new_power + power[active])
            new_propellant = 0.5 * (new_propellant + propellant[active])
        power[active], propellant[active] = new_power, new_propellant
        passes[active] += 1
        fed = _take(groups[0], active)
        fed.propulsion_power_w_per_tonne = new_power
        fed.propellant_kg_per_tonne_year = new_propellant
        sub = [fed] + [_take(g, active) for g in groups[1:]]
        new = _close_policies(sub, policies)
        ok = new.reason == CLOSES
        failed = active[~ok]
        result.reason[failed] = new.reason[~ok]
        _assign(result, failed, new, ~ok)  # NaN values, the reason's binding index -1
        rows = np.flatnonzero(ok)
        kept = active[rows]
        new_m2 = new.array_m2_per_tonne[rows]
        old_m2 = array_m2[kept]
        settled = np.abs(new_m2 - old_m2) <= SETTLED_RTOL * old_m2
        array_m2[kept] = new_m2
        area[kept] = flow_area(new_m2, new.radiator_m2_per_tonne[rows], kept)
        # Only the settled samples' sizing is final; the others' is overwritten next pass.
        _assign(result, kept[settled], new, rows[settled])
        converged[kept[settled]] = True
        active, rows = kept[~settled], rows[~settled]
    if active.size and new is not None:  # out of passes: the last sizing stands
        _assign(result, active, new, rows)
    return DragClosureBatch(
        sizing=result,
        propulsion_power_w_per_tonne=power,
        propellant_kg_per_tonne_year=propellant,
        converged=converged,
        drag_area_m2_per_tonne=area,
        passes=passes,
    )
