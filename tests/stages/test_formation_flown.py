"""The formation the planner flies against the physics: the preset's members, started from
the planner's own states at the epoch, integrated with J2 for 10 days (tests/relative_truth.py,
independent of the model) and read back in the integrated chief's LVLH frame."""

import numpy as np
import pytest
from relative_truth import integrate_inertial, lvlh_offsets

from constellations.io.scenario import load_scenario
from constellations.stages.formation import member_offsets_m, member_states_teme
from constellations.stages.resolve import resolve
from orbital.relative_motion import EARTH_RADIUS_M, J2, MU_M3_S2, mean_anomaly_rate_rad_s

#: The chief (member 0, at the lattice's centre) and three outer members at different
#: phases: their relative ellipses reach 900 m along-track.
MEMBERS = [0, 74, 77, 80]
DAYS = 10
#: The plan's positions against the integration: the short-period J2 terms the mean
#: relative orbits leave out, about 0.5 % of the offsets (measured 5.1 m at 900 m, not
#: growing over the 10 days); SS's closed form was 1.4 km off after 10 days.
POSITION_M = 8.0
#: "Bounded with no control": the along-track drift of the integrated members against the
#: plan's (drift-free by construction) motion, orbit mean on the first and the last day:
#: the first-order mean semi-major axis leaves a few centimetres an orbit (measured 3.2 m
#: in 10 days at most; SS's drift-free velocities drift 2.5 km).
DRIFT_M = 5.0


@pytest.fixture(scope="module")
def flown():
    scenario = load_scenario("suncatcher-81")
    shell = next(iter(resolve(scenario)))
    formation = shell.shell.formation
    rate = mean_anomaly_rate_rad_s(formation.radius_m, np.radians(formation.inclination_flown_deg))
    per_orbit = 12
    step = 2.0 * np.pi / rate / per_orbit
    t = np.arange(0.0, DAYS * 86400.0, step)
    states = member_states_teme(shell)[MEMBERS] * 1e3
    inertial = integrate_inertial(states, t, MU_M3_S2, EARTH_RADIUS_M, J2, rtol=1e-9, atol=1e-3)
    truth = lvlh_offsets(inertial[0], inertial)
    return t, per_orbit, truth, member_offsets_m(formation, t)[MEMBERS]


def test_the_plans_members_fly_its_positions_for_10_days_with_j2(flown):
    _, _, truth, plan = flown
    error = np.linalg.norm(truth - plan, axis=-1)
    assert error.max() < POSITION_M, error.max()


def test_the_plans_cluster_stays_bounded_over_10_days_without_control(flown):
    t, per_orbit, truth, plan = flown
    offset = truth[..., 1] - plan[..., 1]
    drift = offset[:, -per_orbit:].mean(axis=1) - offset[:, :per_orbit].mean(axis=1)
    assert np.abs(drift).max() < DRIFT_M, drift
    # The plan's own motion has no secular term: day 10's extent is day 0's.
    first, last = plan[:, :per_orbit], plan[:, -per_orbit:]
    assert np.abs(last).max(axis=(1, 2)) == pytest.approx(np.abs(first).max(axis=(1, 2)), abs=0.1)
    assert np.linalg.norm(truth, axis=-1).max() < 1000.0
