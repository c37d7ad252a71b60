"""Drag at 330-350 km (orbital/drag.py, constellations/stages/atmosphere.py, the closure, the CLI).

Authorities, none of them the code under test:

* NRLMSIS 2.1 through ``pymsis.calculate`` called here directly, always with F10.7, its
  81-day mean and Ap given (nothing is downloaded), on satellite tracks propagated here
  with Skyfield's ``EarthSatellite`` and its ITRS frame and WGS-84 model;
* Skyfield's WGS-84 (``wgs84.latlon`` forward, ``wgs84.geographic_position_of`` back) for
  geodetic coordinates;
* the planner's assumed global-mean densities at 340 km (about 3e-12, 1.2e-11 and
  3.3e-11 kg/m^3 for F10.7 about 70, 150 and 250: rounded design values, an assumption),
  against a global mean of NRLMSIS 2.1 computed here;
* closed forms: drag ``F = 0.5 rho v^2 Cd A`` with ``v = sqrt(mu / (R + h))`` (Vallado,
  Fundamentals of Astrodynamics and Applications, 4th ed., eq. 8-28), propellant
  ``F t / (Isp g0)``; the decay of a circular orbit through an exponential atmosphere,
  ``dh/dt = -rho B sqrt(mu (R + h))``, integrated exactly with ``erfi``; the orbit average
  of ``|s . v|`` for a sun-tracking array, ``(2/pi) cos(beta)``, and for a radiator turned
  edge-on to the Sun, ``|sin beta| (2/pi) K(cos^2 beta)`` (derived below);
* the Sun from JPL's DE421 (``skyfield-data``) and SGP4's orbit normals for beta angles;
* the Fakel SPT-100 datasheet (83 mN at 1.35 kW, Isp 1600 s) for the thruster.
"""

import json
import math

import numpy as np
import pymsis
import pytest
from helpers import run_cli_in_process as run_cli
from scipy.special import ellipkm1, erfi
from sgp4.api import WGS72, Satrec, jday
from sgp4.earth_gravity import wgs72
from skyfield import sgp4lib
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs

from constellations.io.scenario import ScenarioError, load_scenario, parse_scenario
from constellations.model.drag import THRUSTERS, DragDesign
from constellations.planner import plan
from constellations.records import drag_record, plan_record, to_json_text
from constellations.stages.atmosphere import (
    AboveModel,
    PropulsionDemand,
    ShellAtmosphere,
    drag_area_m2_per_tonne,
    shell_atmosphere,
)
from constellations.stages.resolve import resolve
from orbital.attitude import array_flow_factor, radiator_flow_factor
from orbital.drag import (
    REENTRY_ALTITUDE_KM,
    SOLAR_ACTIVITY,
    StationKeeping,
    decay_days,
    density_kg_m3,
    geodetic_from_itrs,
)

# --- constants, each with its source ------------------------------------------------------

#: SGP4's Earth (WGS-72, Vallado et al. 2006, AIAA 2006-6753): the shells' altitudes are
#: above this equatorial radius, km, and this mu, km^3/s^2, sets their speed.
EARTH_RADIUS_WGS72_KM = wgs72.radiusearthkm
MU_KM3_S2 = wgs72.mu
#: Standard gravity (CGPM 1901), m/s^2.
G0_M_S2 = 9.80665
#: Julian year (IAU), s: "a year" of station keeping.
JULIAN_YEAR_S = 365.25 * 86400.0
#: Fakel SPT-100 datasheet: 83 mN of thrust for 1.35 kW, specific impulse 1600 s.
SPT100_THRUST_MN, SPT100_POWER_KW, SPT100_ISP_S = 83.0, 1.35, 1600.0
#: Assumed global-mean densities at 340 km for low / moderate / high solar activity (rounded
#: design values, an assumption; NRLMSIS 2.1 is checked against them below).
DESIGN_DENSITY_KG_M3 = {"low": 3e-12, "moderate": 1.2e-11, "high": 3.3e-11}
#: F10.7 of about 70 / 150 / 250 for the three cases: the planner's assumption.
DESIGN_F107 = {"low": 70.0, "moderate": 150.0, "high": 250.0}
CASES = ("low", "moderate", "high")
#: The plans the tests share: the drag feeding the sizing (the default), and the satellite's
#: own propulsion budget (feed_sizing = false, with a custom activity case).
FED = ("dawn-dusk", "53-degree")
OWN = ("dawn-dusk, own budget", "53-degree, own budget")

# --- tolerances ---------------------------------------------------------------------------

#: The issue's requirement: the planner's orbit-mean density within 10 % of NRLMSIS called
#: directly on the same track points.
DENSITY_RTOL = 0.10
#: Geodetic latitude, longitude and height against Skyfield's WGS-84: within a metre.
ONE_METER_KM = 1e-3
#: orbital.drag.geodetic_from_itrs is Skyfield's wgs84, which stops after three fixed-point
#: iterations on the latitude: up to 2.8 mm short of convergence at the surface, 2.3 mm at
#: 340 km, 1 mm at 2000 km (measured against Bowring's method below, itself converged to
#: 1e-9 m; heights agree to 1e-7 m).  The rotation of the points out of the ITRS and back
#: adds a few 1e-12 km.  Allow a centimetre.
SKYFIELD_WGS84_KM = 1e-5
#: The quoted global means are rounded and for unstated days and Ap: a global mean computed
#: here at 340 km must be within this factor of each.
GLOBAL_MEAN_FACTOR = 1.5
#: One shell's orbit-mean density (its latitudes, its local times, one day) against the
#: quoted global means: within this factor.
SHELL_MEAN_FACTOR = 2.0
#: The orbital/drag.py functions call pymsis exactly as a direct call does; pymsis returns
#: float32 (7 significant digits).
FLOAT32_RTOL = 1e-6
#: The closed forms evaluated twice in float64.
CLOSED_FORM_RTOL = 1e-12
#: Hand-computed values are written to four significant figures.
FOUR_FIGURES_RTOL = 5e-4
#: A brute-force orbit average on BRUTE_FORCE_SAMPLES midpoints: the integrand |sin| has
#: kinks, where the midpoint rule errs by O(step^2) ~ 1e-7.
BRUTE_FORCE_SAMPLES = 20_000
QUADRATURE_ATOL = 1e-6
#: The planner averages an edge-on-to-the-Sun radiator over 72 points of the orbit and a
#: subsample of the beta angles: within 1 % of the radiator's area of the exact share.  (At
#: |beta| below 2 deg the share changes within a degree of orbit around noon and midnight,
#: and the 72-point average misses up to 0.6 % of the area there.)
RADIATOR_SHARE_ATOL = 0.01
#: Beta angles here (SGP4 normals, DE421 Sun, daily means of 8 samples) and the planner's
#: agree to a few hundredths of a degree (tests/test_illumination.py; up to 0.2 deg on a day
#: when a 53-degree plane's beta moves 6 deg), which moves a year's mean cos(beta) by less
#: than 1e-4 (measured 1e-5); the drag area also carries the sizing's 1e-4 settling
#: tolerance between its last two iterations.  So 1e-3:
FLOW_RTOL = 1e-3
#: Products and sums of float64 figures: rounding only.
ROUNDING_ATOL = 1e-12
#: Feed-back into the sizing: the figures are copied and summed, and the closure's mass is
#: converged to 1e-9.
FEEDBACK_RTOL = 1e-9

#: Decay through an exponential atmosphere: the planner integrates dt = dh / |dh/dt| with
#: the midpoint rule on steps of ``step_km``.  The integrand ~ exp(h/H) / sqrt(R + h) has
#: f''/f ~ 1/H^2, so the composite midpoint rule errs by about (step/H)^2 / 24 of the
#: total; twice that is allowed.


def midpoint_rtol(step_km: float, scale_height_km: float) -> float:
    return 2.0 * (step_km / scale_height_km) ** 2 / 24.0


#: The keys of every case in a shell's "drag" record (the plan JSON contract).
CASE_KEYS = {
    "f107",
    "ap",
    "density_kg_m3",
    "drag_area_m2_per_tonne",
    "dv_m_s_per_year",
    "thrust_mn_per_tonne",
    "thruster_power_kw_per_tonne",
    "propellant_kg_per_tonne_year",
    "lifetime_days_uncontrolled",
}

EPOCH_YEAR = 2027
#: The planner tracks its sampled satellites over a day at this step, s.
TRACK_STEP_S = 600.0

SCENARIO = """
[scenario]
name = "{name}"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "{name}"
altitude_km = 340.0
{orbit}
planes = {planes}
sats_per_plane = 1
"""
DAWN_DUSK = "sun_synchronous = true\nltan_hours = 18.0"
INCLINED_53 = "inclination_deg = 53.0"
#: One satellite for both shells: a GB300 rack with the default bus, array and battery,
#: and horizontal radiators, edge-on to the flow in every orbit (a radiator's normal along
#: the nadir is perpendicular to a circular orbit's velocity).
SATELLITE = {"payload": "gb300-nvl72", "payload_units": 1, "design_life_years": 5.0}
SOLAR_ARRAY = {"efficiency_bol": 0.30, "areal_density_kg_m2": 1.5}
RADIATOR = {"temperature_k": 320.0, "attitude": "nadir"}
#: A satellite's own propulsion budget, different from the defaults, for feed_sizing = false.
OWN_PROPULSION = {"propulsion_power_w_per_tonne": 250.0, "propellant_kg_per_tonne_year": 7.0}
#: A custom activity case, between the moderate and high ones in both indices.
CUSTOM_F107, CUSTOM_AP = 180.0, 20.0


def toml_table(section: str, table: dict) -> str:
    """A flat TOML table (strings, numbers, booleans: JSON spells them as TOML does)."""
    return f"\n[{section}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in table.items())


def scenario_text(name, orbit, planes, *, satellite=None, drag=None) -> str:
    text = SCENARIO.format(name=name, orbit=orbit, planes=planes)
    text += toml_table("satellite", {**SATELLITE, **(satellite or {})})
    text += toml_table("solar_array", SOLAR_ARRAY)
    text += toml_table("radiator", RADIATOR)
    if drag:
        text += toml_table("drag", drag)
    return text


def one_error_line(result, command: str) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"orbital-dc {command}: error:")
    return lines[0]


# --- independent machinery: tracks, NRLMSIS, beta angles -----------------------------------


def sampled_planes(planes: int) -> np.ndarray:
    """The planes whose tracks the issue samples: up to four, spread over the nodes."""
    return np.unique(np.linspace(0, planes - 1, 4).round().astype(int))


def skyfield_track(resolved, ts):
    """One day of the sampled satellites (one per sampled plane, at mean anomaly 0) every
    TRACK_STEP_S, propagated with Skyfield: ``(dates, lat_deg, lon_deg, height_km, positions)``,
    arrays ``(n_sat, n_t)``; ``positions`` is the list of Skyfield positions per satellite.
    """
    walker = resolved.walker
    epoch = walker.epoch
    jd, fr = jday(epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, epoch.second)
    t_s = np.arange(0.0, 86400.0, TRACK_STEP_S)
    times = ts.utc(epoch.year, epoch.month, epoch.day, epoch.hour, epoch.minute, t_s)
    lat, lon, height, positions = [], [], [], []
    for plane in sampled_planes(walker.planes):
        satrec = Satrec()
        satrec.sgp4init(
            WGS72,
            "i",
            90000 + int(plane),
            (jd - 2433281.5) + fr,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            walker.inclination_rad,
            0.0,
            walker.no_kozai_rad_min,
            float(walker.raan_rad[plane]),
        )
        position = EarthSatellite.from_satrec(satrec, ts).at(times)
        where = wgs84.geographic_position_of(position)
        lat.append(where.latitude.degrees)
        lon.append(where.longitude.degrees)
        height.append(where.elevation.km)
        positions.append(position)
    start = np.datetime64(epoch.datetime.replace(tzinfo=None), "s")
    dates = start + t_s.astype("timedelta64[s]")
    lat = np.array(lat)
    return np.broadcast_to(dates, lat.shape), lat, np.array(lon), np.array(height), positions


def msis_mean_kg_m3(dates, lat, lon, height, f107, ap) -> float:
    """Mean NRLMSIS 2.1 mass density over points, from pymsis directly (indices given)."""
    dates, lat, lon, height = (np.ravel(a) for a in np.broadcast_arrays(dates, lat, lon, height))
    n = len(dates)
    out = pymsis.calculate(
        dates,
        lon,
        lat,
        height,
        f107s=np.full(n, f107),
        f107as=np.full(n, f107),
        aps=np.full((n, 7), ap),
    )
    return float(np.mean(out[:, pymsis.Variable.MASS_DENSITY], dtype=np.float64))


def orbit_average(direction_fn, samples=BRUTE_FORCE_SAMPLES):
    """``mean |f(r_hat, v_hat)|`` around a circular orbit with normal +z, midpoint rule."""
    u = (np.arange(samples) + 0.5) * (2.0 * np.pi / samples)
    zero = np.zeros_like(u)
    r_hat = np.stack([np.cos(u), np.sin(u), zero], axis=-1)
    v_hat = np.stack([-np.sin(u), np.cos(u), zero], axis=-1)
    return float(np.mean(np.abs(direction_fn(r_hat, v_hat))))


def sun_at_beta(beta_deg):
    """A unit Sun vector at ``beta_deg`` above the orbit plane (normal +z)."""
    beta = math.radians(beta_deg)
    return np.array([math.cos(beta), 0.0, math.sin(beta)])


def daily_beta_deg(resolved, ts, de421, samples_per_day=8):
    """Daily mean beta angle of each plane over EPOCH_YEAR, ``(planes, days)``, degrees.

    Orbit normals from SGP4 (r x v of each plane's first satellite), the apparent Sun
    from DE421, both in TEME.
    """
    days = 365
    t_s = np.arange(days * samples_per_day) * (86400.0 / samples_per_day)
    times = ts.utc(EPOCH_YEAR, 1, 1, 0, 0, t_s)
    sun = de421["earth"].at(times).observe(de421["sun"]).apparent().frame_xyz(sgp4lib.TEME).km.T
    sun /= np.linalg.norm(sun, axis=-1, keepdims=True)
    jd0, fr0 = jday(EPOCH_YEAR, 1, 1, 0, 0, 0)
    per_plane = resolved.shell.sats_per_plane
    betas = []
    for plane in range(resolved.shell.planes):
        satrec = resolved.walker.satrec(plane * per_plane)
        errors, r, v = satrec.sgp4_array(np.full(len(t_s), jd0), fr0 + t_s / 86400.0)
        assert not errors.any()
        normal = np.cross(r, v)
        normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
        beta = np.degrees(np.arcsin(np.sum(normal * sun, axis=-1)))
        betas.append(beta.reshape(days, samples_per_day).mean(axis=1))
    return np.array(betas)


# --- plans shared by the tests --------------------------------------------------------------


def planned(ts, text):
    """``(constellation, resolved, plan)``: the plan runs resolve, illumination and closure."""
    constellation = parse_scenario(text)
    (resolved,) = resolve(constellation, ts)
    return constellation, resolved, plan(constellation, stages={"closure"})


def closed(plan_tuple):
    """The shell's ShellClosure (its sizing and drag), which must close."""
    (shell,) = plan_tuple[2].closure.shells
    assert shell.closes, shell.not_closed
    return shell


def drag_cases(plan_tuple) -> dict:
    """The shell's DragCase per activity case, by name."""
    return {c.name: c for c in closed(plan_tuple).drag.cases}


@pytest.fixture(scope="module")
def dawn_dusk_plan(ts):
    """A dawn-dusk SSO at 340 km, LTAN 18, one plane; [drag] defaults (feed_sizing = true)."""
    return planned(ts, scenario_text("dd340", DAWN_DUSK, 1))


@pytest.fixture(scope="module")
def inclined_plan(ts):
    """The same satellite in a 53-degree shell at 340 km, four planes 90 degrees apart."""
    return planned(ts, scenario_text("i53", INCLINED_53, 4))


OWN_BUDGET_DRAG = {"feed_sizing": False, "f107": CUSTOM_F107, "ap": CUSTOM_AP}


@pytest.fixture(scope="module")
def own_budget_plan(ts):
    """The dawn-dusk shell with feed_sizing = false, its own propulsion, and a custom case."""
    text = scenario_text("own", DAWN_DUSK, 1, satellite=OWN_PROPULSION, drag=OWN_BUDGET_DRAG)
    return planned(ts, text)


@pytest.fixture(scope="module")
def own_budget_inclined_plan(ts):
    """The same satellite, budget and [drag] in the 53-degree shell."""
    text = scenario_text("own53", INCLINED_53, 4, satellite=OWN_PROPULSION, drag=OWN_BUDGET_DRAG)
    return planned(ts, text)


@pytest.fixture(scope="module")
def plans(dawn_dusk_plan, inclined_plan, own_budget_plan, own_budget_inclined_plan):
    return {
        "dawn-dusk": dawn_dusk_plan,
        "53-degree": inclined_plan,
        "dawn-dusk, own budget": own_budget_plan,
        "53-degree, own budget": own_budget_inclined_plan,
    }


# --- density: the planner against NRLMSIS called directly -----------------------------------


@pytest.fixture(scope="module")
def preset_shell(ts):
    """The dawn-dusk-340 preset: ten planes in a 10-degree band of nodes."""
    constellation = load_scenario("dawn-dusk-340")
    (resolved,) = resolve(constellation, ts)
    return constellation, resolved


@pytest.fixture(scope="module")
def shells(preset_shell, inclined_plan):
    return {"dawn-dusk-340 preset": preset_shell, "53-degree": inclined_plan[:2]}


@pytest.mark.parametrize("which", ["dawn-dusk-340 preset", "53-degree"])
def test_shell_density_is_nrlmsis_on_the_track(ts, shells, which):
    """Orbit-mean density of each case within 10 % of pymsis on a track propagated here."""
    constellation, resolved = shells[which]
    atmosphere = ShellAtmosphere.of(resolved, constellation.epoch, constellation.drag)
    dates, lat, lon, height, _ = skyfield_track(resolved, ts)
    assert set(atmosphere.density_kg_m3) == set(CASES)
    for case, (f107, ap) in constellation.drag.cases().items():
        direct = msis_mean_kg_m3(dates, lat, lon, height, f107, ap)
        assert atmosphere.density_kg_m3[case] == pytest.approx(direct, rel=DENSITY_RTOL), case


def test_density_function_is_pymsis_with_the_indices_given():
    """orbital.drag.density_kg_m3 at scattered points, scalar and array, against pymsis."""
    rng = np.random.default_rng(20270101)
    n = 50
    dates = np.datetime64("2027-03-01T00:00:00") + rng.integers(0, 86400 * 300, n).astype(
        "timedelta64[s]"
    )
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    lon = rng.uniform(-180.0, 180.0, n)
    alt = rng.uniform(0.0, 1000.0, n)
    f107, f107a, ap = 120.0, 140.0, 9.0
    direct = pymsis.calculate(
        dates,
        lon,
        lat,
        alt,
        f107s=np.full(n, f107),
        f107as=np.full(n, f107a),
        aps=np.full((n, 7), ap),
    )[:, pymsis.Variable.MASS_DENSITY]
    ours = density_kg_m3(dates, lat, lon, alt, f107, ap, f107a=f107a)
    assert ours.shape == (n,)
    np.testing.assert_allclose(ours, direct, rtol=FLOAT32_RTOL)
    one = density_kg_m3(dates[0], lat[0], lon[0], alt[0], f107, ap, f107a=f107a)
    assert np.shape(one) == ()
    assert float(one) == pytest.approx(float(direct[0]), rel=FLOAT32_RTOL)
    grid = density_kg_m3(dates[:3], lat[:3], lon[:3], np.array([[200.0], [400.0]]), f107, ap)
    assert grid.shape == (2, 3)
    assert np.all(grid[0] > grid[1])  # density falls with height


def bowring_geodetic(xyz_km):
    """WGS-84 geodetic latitude, longitude (deg) and height (km) of ITRS points ``(..., 3)``.

    Bowring's method (Bowring 1976, Survey Review 23: 323) with two refinements: the
    planner's own implementation before it took Skyfield's, kept here as a reference.
    """
    a, f = 6378.137, 1.0 / 298.257223563  # WGS-84 (NIMA TR8350.2)
    e2 = f * (2.0 - f)
    b = a * (1.0 - f)
    ep2 = (a * a - b * b) / (b * b)
    xyz = np.asarray(xyz_km, dtype=float)
    x, y, z = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    beta = np.arctan2(a * z, b * p)
    for _ in range(3):
        lat = np.arctan2(z + ep2 * b * np.sin(beta) ** 3, p - e2 * a * np.cos(beta) ** 3)
        beta = np.arctan2((1.0 - f) * np.sin(lat), np.cos(lat))
    n = a / np.sqrt(1.0 - e2 * np.sin(lat) ** 2)
    height = p * np.cos(lat) + z * np.sin(lat) - a * a / n
    return np.degrees(lat), np.degrees(lon), height


def assert_same_place(got, want, tolerance_km):
    """Latitude, longitude (deg) and height (km) triples within ``tolerance_km`` on the ground."""
    (got_lat, got_lon, got_h), (lat, lon, h) = got, want
    radius = EARTH_RADIUS_WGS72_KM + h
    assert np.max(np.abs(np.radians(got_lat - lat)) * radius) < tolerance_km
    off_pole = np.abs(lat) < 90.0
    dlon = (got_lon - lon + 180.0) % 360.0 - 180.0
    along = np.abs(np.radians(dlon)) * radius * np.cos(np.radians(lat))
    assert np.max(along[off_pole], initial=0.0) < tolerance_km
    assert np.max(np.abs(got_h - h)) < tolerance_km


def test_geodetic_from_itrs_inverts_skyfield_wgs84(ts):
    """Points from pole to pole, 0 to 1000 km, made by Skyfield's WGS-84, read back."""
    lat = np.linspace(-90.0, 90.0, 37)
    lon = np.linspace(-180.0, 175.0, 72)
    height_km = np.array([0.0, 120.0, 340.0, 1000.0])
    LAT, LON, H = np.meshgrid(lat, lon, height_km, indexing="ij")
    xyz = wgs84.latlon(LAT.ravel(), LON.ravel(), elevation_m=H.ravel() * 1e3).itrs_xyz.km.T
    when = ts.utc(2027, 3, 1)  # any time: the points go out of the ITRS and back
    got = geodetic_from_itrs(xyz.reshape(LAT.shape + (3,)), when)
    assert got[0].shape == LAT.shape
    assert_same_place(got, (LAT, LON, H), SKYFIELD_WGS84_KM)
    one = geodetic_from_itrs(xyz[100], when)
    assert all(np.shape(v) == () for v in one)
    assert one[0] == pytest.approx(LAT.ravel()[100], abs=1e-8)


def test_geodetic_from_itrs_is_bowring_to_a_centimetre_in_leo(ts):
    """Skyfield's wgs84 against Bowring's method, independent code, from 0 to 2000 km."""
    rng = np.random.default_rng(11)
    n_t = 50
    direction = rng.normal(size=(20, n_t, 3))
    direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
    xyz = direction * rng.uniform(6378.137 + 0.0, 6378.137 + 2000.0, (20, n_t, 1))
    times = ts.utc(2027, 1, 1, 0, 0, np.arange(n_t) * 600.0)
    got = geodetic_from_itrs(xyz, times)
    assert got[0].shape == (20, n_t)
    assert_same_place(got, bowring_geodetic(xyz), SKYFIELD_WGS84_KM)


def test_geodetic_from_itrs_matches_skyfield_on_a_satellite_track(ts, inclined_plan):
    constellation, resolved, _ = inclined_plan
    _, lat, lon, height, positions = skyfield_track(resolved, ts)
    xyz = np.stack([p.frame_xyz(itrs).km.T for p in positions])  # (n_sat, n_t, 3)
    got_lat, got_lon, got_h = geodetic_from_itrs(xyz, positions[0].t)
    radius = EARTH_RADIUS_WGS72_KM + height
    assert np.max(np.abs(np.radians(got_lat - lat)) * radius) < ONE_METER_KM
    dlon = (got_lon - lon + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(np.radians(dlon)) * radius * np.cos(np.radians(lat))) < ONE_METER_KM
    assert np.max(np.abs(got_h - height)) < ONE_METER_KM
    sub_lat, _ = wgs84.latlon_of(positions[0])
    assert np.max(np.abs(sub_lat.radians - np.radians(got_lat[0])) * radius[0]) < ONE_METER_KM
    assert np.max(np.abs(wgs84.height_of(positions[0]).km - got_h[0])) < ONE_METER_KM


# --- density: the published figures ----------------------------------------------------------


@pytest.fixture(scope="module")
def global_mean_340_km():
    """NRLMSIS 2.1 at 340 km, averaged uniformly over the sphere's area (latitudes at equal
    steps of sin), longitude, local time (eight universal times a day) and four days of the
    year (mid-January, April, July, October), per case."""
    n_lat = 18
    lat = np.degrees(np.arcsin((np.arange(n_lat) + 0.5) / n_lat * 2.0 - 1.0))
    lon = np.arange(0.0, 360.0, 30.0)
    days = np.datetime64("2027-01-01T00:00") + np.array([14, 104, 195, 287]).astype(
        "timedelta64[D]"
    )
    hours = (np.arange(0, 24, 3) * 60).astype("timedelta64[m]")
    dates = (days[:, None] + hours[None]).ravel()
    grid = np.meshgrid(dates, lon, lat, indexing="ij")
    return {
        case: msis_mean_kg_m3(grid[0], grid[2], grid[1], 340.0, f107, ap)
        for case, (f107, ap) in SOLAR_ACTIVITY.items()
    }


def test_solar_activity_cases_are_the_designs():
    for case in CASES:
        assert SOLAR_ACTIVITY[case][0] == DESIGN_F107[case]
        assert SOLAR_ACTIVITY[case][1] >= 0.0
    assert [SOLAR_ACTIVITY[c][1] for c in CASES] == sorted(SOLAR_ACTIVITY[c][1] for c in CASES)


@pytest.mark.parametrize("case", CASES)
def test_design_densities_are_nrlmsis_global_means(global_mean_340_km, case):
    ratio = global_mean_340_km[case] / DESIGN_DENSITY_KG_M3[case]
    assert 1.0 / GLOBAL_MEAN_FACTOR <= ratio <= GLOBAL_MEAN_FACTOR


def test_53_degree_shell_density_orders_the_cases_near_the_published_means(inclined_plan):
    cases = drag_cases(inclined_plan)
    densities = [cases[c].density_kg_m3 for c in CASES]
    assert densities[0] < densities[1] < densities[2]
    for case in CASES:
        ratio = cases[case].density_kg_m3 / DESIGN_DENSITY_KG_M3[case]
        assert 1.0 / SHELL_MEAN_FACTOR <= ratio <= SHELL_MEAN_FACTOR, case


# --- station keeping in closed form -----------------------------------------------------------


def closed_form_keeping(density_kg_m3, area_m2_per_tonne, altitude_km, cd, isp_s, mn_per_kw):
    v_m_s = math.sqrt(MU_KM3_S2 / (EARTH_RADIUS_WGS72_KM + altitude_km)) * 1e3
    force_n = 0.5 * density_kg_m3 * v_m_s**2 * cd * area_m2_per_tonne  # on a tonne
    return {
        "thrust_mn_per_tonne": force_n * 1e3,
        "dv_m_s_per_year": force_n / 1000.0 * JULIAN_YEAR_S,
        "propellant_kg_per_tonne_year": force_n * JULIAN_YEAR_S / (isp_s * G0_M_S2),
        "thruster_power_kw_per_tonne": force_n * 1e3 / mn_per_kw,
    }


def test_station_keeping_hand_values():
    """1e-11 kg/m^3, 20 m^2 per tonne, Cd 2.2 at 340 km, Isp 1600 s, 60 mN/kW.

    v = sqrt(398600.8 / 6718.135) = 7.7027 km/s; F = 0.5 * 1e-11 * 7702.7^2 * 2.2 * 20
    = 13.05 mN per tonne; a year of it is 411.9 m/s on a tonne and 26.25 kg of propellant
    at 1600 s, and takes 0.2176 kW at 60 mN/kW.
    """
    keeping = StationKeeping(1e-11, 20.0, 340.0, 2.2, 1600.0, 60.0)
    assert keeping.drag_n_per_tonne == pytest.approx(13.05e-3, rel=FOUR_FIGURES_RTOL)
    assert keeping.thrust_mn_per_tonne == pytest.approx(13.05, rel=FOUR_FIGURES_RTOL)
    assert keeping.dv_m_s_per_year == pytest.approx(411.9, rel=FOUR_FIGURES_RTOL)
    assert keeping.propellant_kg_per_tonne_year == pytest.approx(26.25, rel=FOUR_FIGURES_RTOL)
    assert keeping.thruster_power_kw_per_tonne == pytest.approx(0.2176, rel=FOUR_FIGURES_RTOL)


@pytest.mark.parametrize(
    ("density", "area", "altitude", "cd", "isp", "mn_per_kw"),
    [
        (1e-11, 20.0, 340.0, 2.2, 1600.0, 60.0),
        (3.3e-11, 45.0, 330.0, 2.0, 1500.0, 83.0 / 1.35),
        (2e-12, 5.0, 350.0, 2.4, 3000.0, 25.0),
    ],
)
def test_station_keeping_is_the_closed_form(density, area, altitude, cd, isp, mn_per_kw):
    keeping = StationKeeping(density, area, altitude, cd, isp, mn_per_kw)
    expected = closed_form_keeping(density, area, altitude, cd, isp, mn_per_kw)
    for name, value in expected.items():
        assert getattr(keeping, name) == pytest.approx(value, rel=CLOSED_FORM_RTOL), name


def test_the_thruster_is_the_spt100_datasheet():
    spt = THRUSTERS["spt-100"]
    assert spt.isp_s == SPT100_ISP_S
    assert spt.thrust_mn_per_kw == pytest.approx(SPT100_THRUST_MN / SPT100_POWER_KW, rel=1e-12)
    assert DragDesign().thruster == "spt-100"


@pytest.mark.parametrize("which", FED + OWN)
def test_plan_station_keeping_follows_from_its_density_and_area(plans, which):
    constellation = plans[which][0]
    drag = closed(plans[which]).drag
    assert drag.drag_coefficient == constellation.drag.drag_coefficient
    assert drag.thruster == THRUSTERS["spt-100"]
    for case, c in drag_cases(plans[which]).items():
        expected = closed_form_keeping(
            c.density_kg_m3,
            c.drag_area_m2_per_tonne,
            340.0,
            constellation.drag.drag_coefficient,
            SPT100_ISP_S,
            SPT100_THRUST_MN / SPT100_POWER_KW,
        )
        for name, value in expected.items():
            assert getattr(c, name) == pytest.approx(value, rel=CLOSED_FORM_RTOL), (case, name)


# --- decay through an exponential atmosphere ------------------------------------------------


def exponential_decay_days(altitude_km, reentry_km, rho0, h0_km, scale_km, ballistic_m2_kg):
    """Exact time for a circular orbit to fall from ``altitude_km`` to ``reentry_km``.

    With rho = rho0 exp(-(h - h0)/H) and dh/dt = -rho B sqrt(mu (R + h)), and u = sqrt(R + h)
    (dh = 2 u du): t = 2 exp(-(R + h0)/H) / (rho0 B sqrt(mu)) * integral of exp(u^2/H) du
    = sqrt(pi H) exp(-(R + h0)/H) [erfi(u1/sqrt H) - erfi(u0/sqrt H)] / (rho0 B sqrt(mu)).
    SI units throughout.
    """
    r_m, h0_m, big_h = EARTH_RADIUS_WGS72_KM * 1e3, h0_km * 1e3, scale_km * 1e3
    mu = MU_KM3_S2 * 1e9
    w1 = math.sqrt((r_m + altitude_km * 1e3) / big_h)
    w0 = math.sqrt((r_m + reentry_km * 1e3) / big_h)
    seconds = (
        math.sqrt(math.pi * big_h)
        * math.exp(-(r_m + h0_m) / big_h)
        * (erfi(w1) - erfi(w0))
        / (rho0 * ballistic_m2_kg * math.sqrt(mu))
    )
    return seconds / 86400.0


@pytest.mark.parametrize("scale_km", [30.0, 60.0])
@pytest.mark.parametrize("step_km", [0.5, 5.0])
def test_decay_matches_the_exponential_atmosphere_in_closed_form(scale_km, step_km):
    rho0, h0, ballistic = 1e-11, 340.0, 2.2 * 20.0 / 1000.0

    def density(h):
        return rho0 * np.exp(-(np.asarray(h) - h0) / scale_km)

    exact = exponential_decay_days(340.0, REENTRY_ALTITUDE_KM, rho0, h0, scale_km, ballistic)
    got = decay_days(340.0, ballistic, density, step_km=step_km)
    assert got == pytest.approx(exact, rel=midpoint_rtol(step_km, scale_km))


def test_decay_closed_form_is_tight_enough_to_see_the_step():
    """The tolerance above is no blanket: a 20 km step misses by more than the 0.5 km bound."""
    rho0, h0, scale, ballistic = 1e-11, 340.0, 30.0, 0.044

    def density(h):
        return rho0 * np.exp(-(np.asarray(h) - h0) / scale)

    exact = exponential_decay_days(340.0, REENTRY_ALTITUDE_KM, rho0, h0, scale, ballistic)
    coarse = decay_days(340.0, ballistic, density, step_km=20.0)
    assert abs(coarse / exact - 1.0) > midpoint_rtol(0.5, scale)


# --- lifetime ----------------------------------------------------------------------------------


@pytest.mark.parametrize("which", FED + OWN)
def test_uncontrolled_lifetime_shortens_with_solar_activity(plans, which):
    cases = drag_cases(plans[which])
    days = [cases[c].lifetime_days_uncontrolled for c in CASES]
    assert days[0] > days[1] > days[2] > 0.0


def test_a_larger_ballistic_coefficient_decays_faster(inclined_plan):
    constellation, resolved, _ = inclined_plan
    atmosphere = ShellAtmosphere.of(resolved, constellation.epoch, constellation.drag)
    density = atmosphere.density_at("moderate")
    light = decay_days(340.0, 0.02, density)
    heavy = decay_days(340.0, 0.04, density)
    assert 0.0 < heavy < light
    assert heavy == pytest.approx(light / 2.0, rel=CLOSED_FORM_RTOL)  # t is 1/B exactly


@pytest.mark.parametrize("altitude_km", [REENTRY_ALTITUDE_KM, REENTRY_ALTITUDE_KM - 10.0, 100.0])
def test_a_satellite_at_or_below_reentry_has_no_lifetime(altitude_km):
    def density(h):
        raise AssertionError("no density is needed below the reentry altitude")

    assert decay_days(altitude_km, 0.044, density) == 0.0


@pytest.mark.parametrize("ballistic", [0.0, -0.01])
def test_decay_refuses_a_ballistic_coefficient_that_is_not_positive(ballistic):
    with pytest.raises(ValueError, match="ballistic coefficient"):
        decay_days(340.0, ballistic, lambda h: np.full(np.shape(h), 1e-11))


def test_dawn_dusk_lifetime_matches_an_integration_through_nrlmsis(ts, dawn_dusk_plan):
    """Lifetime from a density profile built here: the track propagated with Skyfield,
    lowered by 340 - h km, NRLMSIS on it, and dt = dh / (rho B sqrt(mu (R + h))) summed
    on 0.05 km steps.  The density requirement's 10 % carries into the lifetime (t ~ 1/rho).
    """
    constellation, resolved, _ = dawn_dusk_plan
    dates, lat, lon, height, _ = skyfield_track(resolved, ts)
    levels_km = np.arange(REENTRY_ALTITUDE_KM, 340.0 + 1.0, 10.0)
    edges = np.arange(REENTRY_ALTITUDE_KM, 340.0 + 1e-9, 0.05)
    mids = 0.5 * (edges[1:] + edges[:-1])
    for case, c in drag_cases(dawn_dusk_plan).items():
        f107, ap = SOLAR_ACTIVITY[case]
        profile = [
            msis_mean_kg_m3(dates, lat, lon, height + (h - 340.0), f107, ap) for h in levels_km
        ]
        rho = np.exp(np.interp(mids, levels_km, np.log(profile)))
        ballistic = constellation.drag.drag_coefficient * c.drag_area_m2_per_tonne / 1000.0
        rate_m_s = rho * ballistic * np.sqrt(MU_KM3_S2 * 1e9 * (EARTH_RADIUS_WGS72_KM + mids) * 1e3)
        days = float(np.sum(np.diff(edges) * 1e3 / rate_m_s)) / 86400.0
        assert c.lifetime_days_uncontrolled == pytest.approx(days, rel=DENSITY_RTOL), case


#: The decay profile averages every second track point (PROFILE_TRACK_STRIDE): its
#: lifetimes stay within 1 % of a profile over the whole track (0.4 % on the shipped shells).
PROFILE_SAMPLING_RTOL = 0.01


@pytest.mark.parametrize("which", ["dawn-dusk", "53-degree"])
def test_lifetime_of_the_thinned_profile_is_that_of_the_whole_track(ts, plans, which):
    """The same decay integral (orbital.drag.decay_days) through two profiles at the same
    levels: the planner's, and one averaging NRLMSIS (pymsis called here) over every point
    of a track propagated with Skyfield."""
    constellation, resolved, _ = plans[which]
    atmosphere = ShellAtmosphere.of(resolved, constellation.epoch, constellation.drag)
    dates, lat, lon, height, _ = skyfield_track(resolved, ts)
    altitude_km = resolved.shell.altitude_km
    for case, c in drag_cases(plans[which]).items():
        f107, ap = atmosphere.cases[case]
        whole = [
            msis_mean_kg_m3(dates, lat, lon, height + (h - altitude_km), f107, ap)
            for h in atmosphere.profile_km
        ]
        log_whole = np.log(whole)
        ballistic = constellation.drag.drag_coefficient * c.drag_area_m2_per_tonne / 1000.0
        days = decay_days(
            altitude_km,
            ballistic,
            lambda h, log_whole=log_whole: np.exp(np.interp(h, atmosphere.profile_km, log_whole)),
        )
        assert c.lifetime_days_uncontrolled == pytest.approx(days, rel=PROFILE_SAMPLING_RTOL), case


def test_decay_profile_at_the_shell_altitude_is_the_shell_density(dawn_dusk_plan):
    """Minimal reproduction of the lifetime defect above: one ShellAtmosphere, two densities
    for the same orbit."""
    constellation, resolved, _ = dawn_dusk_plan
    atmosphere = ShellAtmosphere.of(resolved, constellation.epoch, constellation.drag)
    for case in CASES:
        at_shell = float(atmosphere.density_at(case)(resolved.shell.altitude_km))
        assert at_shell == pytest.approx(atmosphere.density_kg_m3[case], rel=DENSITY_RTOL), case


# --- drag area: flow factors ------------------------------------------------------------------


@pytest.mark.parametrize("beta_deg", [0.0, 10.0, 37.5, 60.0, 75.0, -80.0, 89.0])
def test_array_flow_factor_is_the_orbit_average_of_s_dot_v(beta_deg):
    sun = sun_at_beta(beta_deg)
    brute = orbit_average(lambda r, v: v @ sun)
    closed = 2.0 / np.pi * math.cos(math.radians(beta_deg))
    assert brute == pytest.approx(closed, abs=QUADRATURE_ATOL)
    assert array_flow_factor([beta_deg]) == pytest.approx(brute, abs=QUADRATURE_ATOL)
    assert array_flow_factor(beta_deg) == pytest.approx(brute, abs=QUADRATURE_ATOL)


def test_array_flow_factor_of_random_orbits_and_suns():
    """Random orbit planes and Sun directions in 3D: beta from the normal, |s . v| averaged
    around the orbit, and the mean over all of them (the factor takes many betas at once)."""
    rng = np.random.default_rng(53)
    betas, shares = [], []
    for _ in range(12):
        sun = rng.normal(size=3)
        sun /= np.linalg.norm(sun)
        inc, raan = rng.uniform(0.0, np.pi), rng.uniform(0.0, 2.0 * np.pi)
        node = np.array([np.cos(raan), np.sin(raan), 0.0])
        normal = np.array([np.sin(raan) * np.sin(inc), -np.cos(raan) * np.sin(inc), np.cos(inc)])
        in_plane = np.cross(normal, node)
        u = (np.arange(BRUTE_FORCE_SAMPLES) + 0.5) * (2.0 * np.pi / BRUTE_FORCE_SAMPLES)
        v_hat = -np.sin(u)[:, None] * node + np.cos(u)[:, None] * in_plane
        betas.append(np.degrees(np.arcsin(normal @ sun)))
        shares.append(np.mean(np.abs(v_hat @ sun)))
    assert array_flow_factor(np.array(betas)) == pytest.approx(np.mean(shares), abs=QUADRATURE_ATOL)


@pytest.mark.parametrize("beta_deg", [0.0, 30.0, 75.0])
def test_body_fixed_radiators_face_the_flow_as_their_normal_says(beta_deg):
    """Normal along the velocity: fully in the flow; along nadir or the orbit normal: edge-on."""
    normal = np.array([0.0, 0.0, 1.0])
    expected = {
        "velocity": orbit_average(lambda r, v: np.sum(v * v, axis=-1)),
        "nadir": orbit_average(lambda r, v: np.sum(-r * v, axis=-1)),
        "orbit_normal": orbit_average(lambda r, v: v @ normal),
    }
    assert expected["velocity"] == pytest.approx(1.0, abs=ROUNDING_ATOL)
    for attitude, share in expected.items():
        assert radiator_flow_factor(attitude, [beta_deg]) == pytest.approx(share, abs=ROUNDING_ATOL)


def sun_edge_on_share(beta_deg) -> float:
    """Orbit-mean |n . v| of a panel whose normal is along s x nadir.

    In the orbit frame s = (cos b, 0, sin b), r = (cos u, sin u, 0): s x r =
    (-sin b sin u, sin b cos u, cos b sin u), of length sqrt(1 - cos^2 b cos^2 u), whose
    component along v = (-sin u, cos u, 0) is sin b.  The orbit mean of
    |sin b| / sqrt(1 - cos^2 b cos^2 u) is |sin b| (2/pi) K(m = cos^2 b), K of the
    complementary parameter sin^2 b (``ellipkm1``) to keep small betas exact.  It tends to
    0 as |b| ln(4/|b|) at b = 0, where the panel holds the velocity in its plane.
    """
    sin_beta = math.sin(math.radians(beta_deg))
    if sin_beta == 0.0:
        return 0.0
    return abs(sin_beta) * 2.0 / math.pi * float(ellipkm1(sin_beta**2))


@pytest.mark.parametrize("beta_deg", [0.5, 2.0, 10.0, 30.0, 60.0, -75.0, 89.0])
def test_sun_edge_on_radiator_share_is_the_orbit_average(beta_deg):
    sun = sun_at_beta(beta_deg)

    def along_velocity(r, v):
        n = np.cross(sun, -r)
        return np.sum(n * v, axis=-1) / np.linalg.norm(n, axis=-1)

    brute = orbit_average(along_velocity, samples=200_000)
    assert brute == pytest.approx(sun_edge_on_share(beta_deg), abs=QUADRATURE_ATOL)
    share = radiator_flow_factor("sun_edge_on", [beta_deg])
    assert share == pytest.approx(brute, abs=RADIATOR_SHARE_ATOL)


def test_sun_edge_on_radiator_share_of_several_betas_is_their_mean():
    betas = np.linspace(-75.0, 75.0, 40)
    exact = np.mean([sun_edge_on_share(b) for b in betas])
    assert radiator_flow_factor("sun_edge_on", betas) == pytest.approx(
        exact, abs=RADIATOR_SHARE_ATOL
    )


def test_sun_edge_on_radiator_share_over_a_53_degree_year(year_beta_deg):
    betas = np.ravel(year_beta_deg["53-degree"])
    exact = np.mean([sun_edge_on_share(b) for b in betas])
    assert radiator_flow_factor("sun_edge_on", betas) == pytest.approx(
        exact, abs=RADIATOR_SHARE_ATOL
    )


def test_drag_area_adds_array_radiator_and_body():
    array_m2, radiator_m2 = 100.0, 30.0  # per tonne
    area = drag_area_m2_per_tonne(array_m2, radiator_m2, "velocity", [60.0], 0.5)
    assert area == pytest.approx(100.0 * 2.0 / np.pi * 0.5 + 30.0 + 0.5, rel=CLOSED_FORM_RTOL)
    edge_on = drag_area_m2_per_tonne(array_m2, radiator_m2, "nadir", [90.0], 0.5)
    assert edge_on == pytest.approx(
        0.5, abs=ROUNDING_ATOL
    )  # arrays face the Sun, edge-on at beta 90


# --- drag area: dawn-dusk against 53 degrees -------------------------------------------------


@pytest.fixture(scope="module")
def year_beta_deg(ts, de421, dawn_dusk_plan, inclined_plan):
    """Daily beta angles of every plane of each shell over the year, computed here."""
    return {
        which: daily_beta_deg(resolved, ts, de421)
        for which, (_, resolved, _) in (
            ("dawn-dusk", dawn_dusk_plan),
            ("53-degree", inclined_plan),
        )
    }


@pytest.fixture(scope="module")
def array_flow(year_beta_deg):
    """(2/pi) mean cos(beta) of each shell's sun-tracking arrays, from the betas here."""
    flows = {
        which: 2.0 / np.pi * float(np.mean(np.cos(np.radians(beta))))
        for which, beta in year_beta_deg.items()
    }
    flows.update({f"{which}, own budget": flows[which] for which in year_beta_deg})
    return flows


def expected_drag_area(plan_tuple, flow) -> float:
    """Array area per tonne times its flow factor, plus the body's; the nadir radiators are
    edge-on to the flow."""
    constellation = plan_tuple[0]
    sizing = closed(plan_tuple).sized.sizing
    return sizing.array_m2_per_tonne * flow + constellation.drag.body_area_m2_per_tonne


@pytest.mark.parametrize(
    "which",
    [
        "dawn-dusk",
        "53-degree",
        "dawn-dusk, own budget",
        "53-degree, own budget",
    ],
)
def test_plan_drag_area_is_what_the_sized_arrays_present(plans, array_flow, which):
    plan_tuple = plans[which]
    for c in drag_cases(plan_tuple).values():
        assert c.drag_area_m2_per_tonne == pytest.approx(
            expected_drag_area(plan_tuple, array_flow[which]), rel=FLOW_RTOL
        )


@pytest.mark.parametrize("budget", ["", ", own budget"], ids=["fed", "own"])
def test_dawn_dusk_drag_area_per_tonne_against_53_degrees(plans, array_flow, budget):
    """The 53-degree shell's drag area over the dawn-dusk one's is what the arrays' flow
    factors, from beta angles computed here, and the sized array areas give.

    Measured: 2.24x when the drag feeds the sizing (the 53-degree satellite then carries
    much more propulsion and propellant, so less array per tonne), 2.97x for the same
    satellite with its own propulsion budget; the flow factors alone are 0.509 against
    0.172 (2.96x).
    """
    dawn_dusk, inclined = f"dawn-dusk{budget}", f"53-degree{budget}"

    def area(which):
        return closed(plans[which]).drag.case("high").drag_area_m2_per_tonne

    expected = expected_drag_area(plans[inclined], array_flow[inclined]) / expected_drag_area(
        plans[dawn_dusk], array_flow[dawn_dusk]
    )
    ratio = area(inclined) / area(dawn_dusk)
    assert ratio == pytest.approx(expected, rel=FLOW_RTOL)
    assert ratio > 1.0


# --- the feed-back into the sizing -----------------------------------------------------------


def storm_share(drag: DragDesign) -> float:
    """Extra propellant of the storms as a share of a year at the high case's rate."""
    return (drag.storm_density_factor - 1.0) * drag.storm_hours_per_year / (365.25 * 24.0)


@pytest.mark.parametrize("which", FED)
def test_feed_sizing_takes_power_from_high_and_propellant_from_moderate_and_storms(plans, which):
    constellation = plans[which][0]
    shell = closed(plans[which])
    cases = drag_cases(plans[which])
    assert constellation.drag.feed_sizing is True
    assert shell.propulsion_from_drag is True
    assert shell.propulsion_power_w_per_tonne == pytest.approx(
        1000.0 * cases["high"].thruster_power_kw_per_tonne, rel=FEEDBACK_RTOL
    )
    propellant = cases["moderate"].propellant_kg_per_tonne_year + cases[
        "high"
    ].propellant_kg_per_tonne_year * storm_share(constellation.drag)
    assert shell.propellant_kg_per_tonne_year == pytest.approx(propellant, rel=FEEDBACK_RTOL)
    storm = shell.drag.storm
    assert storm.extra_propellant_kg_per_tonne_year == pytest.approx(
        propellant - cases["moderate"].propellant_kg_per_tonne_year, rel=FEEDBACK_RTOL
    )
    life = constellation.satellite.spec.design_life_years
    assert shell.sized.sizing.mass_breakdown_kg_per_tonne["propellant"] == pytest.approx(
        propellant * life, rel=FEEDBACK_RTOL
    )


@pytest.fixture(scope="module")
def custom_mean_plan(ts):
    """The dawn-dusk shell fed by its drag, with a custom case between moderate and high."""
    drag = {"f107": CUSTOM_F107, "ap": CUSTOM_AP}
    return planned(ts, scenario_text("dd340c", DAWN_DUSK, 1, drag=drag))


def test_a_custom_case_is_the_mission_mean_that_budgets_the_propellant(
    custom_mean_plan, dawn_dusk_plan
):
    constellation = custom_mean_plan[0]
    shell = closed(custom_mean_plan)
    cases = drag_cases(custom_mean_plan)
    assert cases["moderate"].density_kg_m3 < cases["custom"].density_kg_m3
    assert cases["custom"].density_kg_m3 < cases["high"].density_kg_m3
    # More propellant than the same satellite budgeted on the moderate case.
    without = closed(dawn_dusk_plan).propellant_kg_per_tonne_year
    assert shell.propellant_kg_per_tonne_year > 1.1 * without
    # The moderate case's closed form with the custom density, plus the high case's storms.
    drag = constellation.drag
    area = cases["custom"].drag_area_m2_per_tonne
    custom, high = (
        closed_form_keeping(
            cases[name].density_kg_m3,
            area,
            custom_mean_plan[1].shell.altitude_km,
            drag.drag_coefficient,
            SPT100_ISP_S,
            SPT100_THRUST_MN / SPT100_POWER_KW,
        )
        for name in ("custom", "high")
    )
    expected = custom["propellant_kg_per_tonne_year"] + high[
        "propellant_kg_per_tonne_year"
    ] * storm_share(drag)
    demand = shell.drag.propulsion_demand()
    assert demand.propellant_kg_per_tonne_year == pytest.approx(expected, rel=CLOSED_FORM_RTOL)
    assert shell.propellant_kg_per_tonne_year == pytest.approx(expected, rel=FEEDBACK_RTOL)
    # The thrusters hold the denser of high and custom: here the high case.
    assert demand.propulsion_power_w_per_tonne == pytest.approx(
        1000.0 * high["thruster_power_kw_per_tonne"], rel=CLOSED_FORM_RTOL
    )


@pytest.mark.parametrize("which", OWN)
def test_feed_sizing_false_keeps_the_satellites_own_budget(plans, which):
    constellation = plans[which][0]
    shell = closed(plans[which])
    high = shell.drag.case("high")
    assert constellation.drag.feed_sizing is False
    assert shell.propulsion_from_drag is False
    own_power = OWN_PROPULSION["propulsion_power_w_per_tonne"]
    own_propellant = OWN_PROPULSION["propellant_kg_per_tonne_year"]
    assert shell.propulsion_power_w_per_tonne == own_power
    assert shell.propellant_kg_per_tonne_year == own_propellant
    assert abs(1000.0 * high.thruster_power_kw_per_tonne - own_power) > 1.0  # it could differ
    life = constellation.satellite.spec.design_life_years
    assert shell.sized.sizing.mass_breakdown_kg_per_tonne["propellant"] == pytest.approx(
        own_propellant * life, rel=FEEDBACK_RTOL
    )


# --- the plan JSON contract and the CLI -------------------------------------------------------


def check_drag_record(record, cases):
    assert set(record["cases"]) == set(cases)
    for case, c in record["cases"].items():
        assert set(c) == CASE_KEYS, case
        for key, value in c.items():
            assert isinstance(value, float) and math.isfinite(value) and value >= 0.0, (case, key)
        assert c["density_kg_m3"] > 0.0 and c["lifetime_days_uncontrolled"] > 0.0
        if case in SOLAR_ACTIVITY:
            assert (c["f107"], c["ap"]) == SOLAR_ACTIVITY[case]


@pytest.mark.parametrize("which", FED + OWN)
def test_plan_json_gives_every_shell_its_drag(plans, which):
    result = plan_record(plans[which][2])
    cases = CASES + (("custom",) if which in OWN else ())
    for shell in result["shells"]:
        check_drag_record(shell["drag"], cases)
        assert shell["drag"]["in_model_range"] is True
        assert shell["drag"]["thruster"]["isp_s"] == SPT100_ISP_S
    again = json.loads(to_json_text(result))
    for shell in again["shells"]:
        check_drag_record(shell["drag"], cases)


@pytest.mark.parametrize("which", OWN)
def test_a_drag_f107_ap_pair_adds_a_custom_case(plans, which):
    check_drag_record(drag_record(closed(plans[which]).drag), CASES + ("custom",))
    cases = drag_cases(plans[which])
    assert (cases["custom"].f107, cases["custom"].ap) == (CUSTOM_F107, CUSTOM_AP)
    density = {c: cases[c].density_kg_m3 for c in cases}
    assert density["moderate"] < density["custom"] < density["high"]


def test_cli_drag_writes_valid_json(tmp_path):
    run = run_cli("drag", "dawn-dusk-340", "--json", "-", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["scenario"] == "dawn-dusk-340"
    (shell,) = out["shells"]
    assert shell["name"] == "dd340" and shell["altitude_km"] == 340.0
    check_drag_record(shell["drag"], CASES)


# --- above NRLMSIS's range: drag taken as negligible, and said so -----------------------------

#: NRLMSIS 2.1's fitted range (pymsis's documentation), km.
NRLMSIS_RANGE_KM = (0.0, 1000.0)
#: The planner's ground for calling drag negligible above it: the density at the top of the
#: range is below this even at solar maximum, kg/m^3.
NEGLIGIBLE_DENSITY_KG_M3 = 1e-13


def high_scenario(name, orbit, planes, altitude_km, *, satellite=None, drag=None) -> str:
    text = scenario_text(name, orbit, planes, satellite=satellite, drag=drag)
    return text.replace("altitude_km = 340.0", f"altitude_km = {altitude_km}")


@pytest.fixture(scope="module")
def high_plan(ts):
    """The 53-degree satellite at 1,200 km, two planes; [drag] defaults (feed_sizing = true)."""
    return planned(ts, high_scenario("i1200", INCLINED_53, 2, 1200.0))


def test_above_nrlmsis_the_atmosphere_says_it_is_out_of_range(high_plan, ts):
    """The 1,200 km shell's track reaches above NRLMSIS's range; the planner evaluates the
    model on the same track lowered until its top sits at 1,000 km (its ceiling), which pymsis
    called directly on those points reproduces."""
    constellation, resolved, _ = high_plan
    with pytest.raises(ValueError, match="NRLMSIS"):
        ShellAtmosphere.of(resolved, constellation.epoch, constellation.drag)
    outcome = shell_atmosphere(resolved, constellation.epoch, constellation.drag)
    assert isinstance(outcome, AboveModel)
    dates, lat, lon, height, _ = skyfield_track(resolved, ts)
    assert (outcome.out_of_range.quantity, outcome.out_of_range.valid) == (
        "altitude_km",
        NRLMSIS_RANGE_KM,
    )
    assert outcome.out_of_range.value == pytest.approx(height.max(), abs=ONE_METER_KM)
    assert "negligible" in outcome.out_of_range.taken_as
    lowered = height.max() - NRLMSIS_RANGE_KM[1]
    assert outcome.ceiling.altitude_km == pytest.approx(1200.0 - lowered, abs=ONE_METER_KM)
    f107, ap = SOLAR_ACTIVITY["high"]
    n = dates.size
    direct = pymsis.calculate(
        np.ravel(dates),
        np.ravel(lon),
        np.ravel(lat),
        np.ravel(height - lowered),
        f107s=np.full(n, f107),
        f107as=np.full(n, f107),
        aps=np.full((n, 7), ap),
    )[..., pymsis.Variable.MASS_DENSITY]
    assert outcome.ceiling.density_kg_m3["high"] == pytest.approx(np.mean(direct), rel=1e-3)


def test_a_shell_below_1000_km_whose_track_climbs_above_it_is_out_of_range(ts):
    """A dawn-dusk shell at 990 km: over the poles the ellipsoid dips 21 km, so its geodetic
    height passes 1,000 km.  The height the planner reports is the track's highest point, as
    Skyfield's WGS-84 finds it on the same satellites and times."""
    constellation = parse_scenario(high_scenario("dd990", DAWN_DUSK, 1, 990.0))
    (resolved,) = resolve(constellation, ts)
    _, _, _, height, _ = skyfield_track(resolved, ts)
    assert height.max() > NRLMSIS_RANGE_KM[1]
    outcome = shell_atmosphere(resolved, constellation.epoch, constellation.drag)
    assert isinstance(outcome, AboveModel)
    assert outcome.out_of_range.value == pytest.approx(height.max(), abs=ONE_METER_KM)


def test_above_nrlmsis_no_station_keeping_is_budgeted_and_the_bounds_are_stated(high_plan):
    """Drag is taken as negligible in the sizing; each case states an upper bound on station
    keeping (the ceiling's density is the densest air the orbit can meet) and a lower bound on
    the uncontrolled lifetime: the decay from the ceiling plus the descent to it at no more
    than the ceiling's density (Vallado eq. 9-63, circular), worked here by hand."""
    constellation, resolved, result = high_plan
    shell = closed(high_plan)
    drag = shell.drag
    assert drag.out_of_range is not None
    assert drag.propulsion_demand() == PropulsionDemand(0.0, 0.0)
    assert constellation.drag.feed_sizing is True and shell.propulsion_from_drag is True
    assert shell.propulsion_power_w_per_tonne == 0.0
    assert shell.propellant_kg_per_tonne_year == 0.0
    assert shell.sized.sizing.mass_breakdown_kg_per_tonne["propellant"] == 0.0
    assert shell.sustainable_years == constellation.satellite.spec.design_life_years
    ceiling = shell_atmosphere(resolved, constellation.epoch, constellation.drag).ceiling
    assert drag.bound_altitude_km == ceiling.altitude_km
    assert [c.name for c in drag.cases] == ["low", "moderate", "high"]
    mu_m3_s2 = wgs72.mu * 1e9
    for case in drag.cases:
        rho = ceiling.density_kg_m3[case.name]
        assert case.density_kg_m3 == rho
        ballistic = constellation.drag.drag_coefficient * case.drag_area_m2_per_tonne / 1000.0
        a_m = (wgs72.radiusearthkm + 1200.0) * 1e3
        descent_s = (
            (1200.0 - ceiling.altitude_km) * 1e3 / (rho * ballistic * math.sqrt(mu_m3_s2 * a_m))
        )
        from_ceiling = decay_days(ceiling.altitude_km, ballistic, ceiling.density_at(case.name))
        assert case.lifetime_days_uncontrolled == pytest.approx(
            from_ceiling + descent_s / 86400.0, rel=1e-12
        )
    assert drag.uncontrolled_lifetime_beyond_years == pytest.approx(
        drag.case("high").lifetime_days_uncontrolled / 365.25
    )
    for record in (
        plan_record(result)["shells"][0]["drag"],
        json.loads(to_json_text(plan_record(result)))["shells"][0]["drag"],
    ):
        assert record["in_model_range"] is False
        assert set(record["cases"]) == {"low", "moderate", "high"}
        assert record["model_range"]["valid_altitude_km"] == list(NRLMSIS_RANGE_KM)
        assert record["model_range"]["highest_track_km"] > 1200.0
        assert record["model_range"]["bound_altitude_km"] == drag.bound_altitude_km
        assert record["uncontrolled_lifetime_beyond_years"] > 10.0


def test_above_nrlmsis_with_its_own_budget_the_satellite_keeps_it(ts):
    drag = {"feed_sizing": False}
    text = high_scenario("own1200", INCLINED_53, 2, 1200.0, satellite=OWN_PROPULSION, drag=drag)
    plan_tuple = planned(ts, text)
    shell = closed(plan_tuple)
    assert shell.drag.out_of_range is not None
    assert shell.propulsion_from_drag is False
    assert shell.propulsion_power_w_per_tonne == OWN_PROPULSION["propulsion_power_w_per_tonne"]
    assert shell.propellant_kg_per_tonne_year == OWN_PROPULSION["propellant_kg_per_tonne_year"]
    # Nothing is needed to hold the orbit, so the propellant lasts the design life.
    assert shell.sustainable_years == plan_tuple[0].satellite.spec.design_life_years


def test_nrlmsis_density_at_the_top_of_its_range_is_negligible_even_at_solar_maximum():
    """pymsis directly, over a day of latitudes, longitudes and local times at 1,000 km."""
    lat = np.linspace(-85.0, 85.0, 18)
    lon = np.arange(-180.0, 180.0, 30.0)
    dates = np.datetime64("2027-01-01T00:00") + (np.arange(8) * 3).astype("timedelta64[h]")
    grid = np.meshgrid(dates, lat, lon, indexing="ij")
    f107, ap = SOLAR_ACTIVITY["high"]
    dates, lat, lon = (np.ravel(a) for a in grid)
    n = len(dates)
    out = pymsis.calculate(
        dates,
        lon,
        lat,
        np.full(n, NRLMSIS_RANGE_KM[1]),
        f107s=np.full(n, f107),
        f107as=np.full(n, f107),
        aps=np.full((n, 7), ap),
    )
    assert np.max(out[:, pymsis.Variable.MASS_DENSITY]) < NEGLIGIBLE_DENSITY_KG_M3


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("alt_km", [-0.1, -50.0, 1000.5, 2000.0])
def test_density_refuses_altitudes_outside_nrlmsis(alt_km):
    with pytest.raises(ValueError, match="outside NRLMSIS"):
        density_kg_m3(np.datetime64("2027-01-01"), 0.0, 0.0, alt_km, 150.0, 15.0)
    with pytest.raises(ValueError, match="outside NRLMSIS"):
        density_kg_m3(np.datetime64("2027-01-01"), 0.0, 0.0, [340.0, alt_km], 150.0, 15.0)


def test_density_takes_the_ends_of_its_range():
    ground, top = density_kg_m3(np.datetime64("2027-01-01"), 0.0, 0.0, [0.0, 1000.0], 150.0, 15.0)
    assert ground > top > 0.0


@pytest.mark.parametrize(
    ("f107", "ap", "message"),
    [(-70.0, 4.0, "f107=-70.0"), (0.0, 4.0, "f107=0.0"), (150.0, -1.0, "ap=-1.0")],
)
def test_density_refuses_negative_indices(f107, ap, message):
    with pytest.raises(ValueError, match=message):
        density_kg_m3(np.datetime64("2027-01-01"), 0.0, 0.0, 340.0, f107, ap)
    with pytest.raises(ValueError, match=message):
        DragDesign(f107=f107, ap=ap)


def test_cli_drag_refuses_a_zero_drag_coefficient_in_one_line(tmp_path):
    path = tmp_path / "zero-cd.toml"
    path.write_text(scenario_text("zero", INCLINED_53, 1, drag={"drag_coefficient": 0.0}))
    line = one_error_line(run_cli("drag", str(path), cwd=tmp_path), "drag")
    assert "drag_coefficient=0.0" in line and "positive" in line


@pytest.mark.parametrize(
    ("key", "closest"),
    [
        ("drag_coeficient", "drag_coefficient"),
        ("feed_sizeing", "feed_sizing"),
        ("storm_hours", "storm_hours_per_year"),
        ("body_area", "body_area_m2_per_tonne"),
        ("thrustor", "thruster"),
    ],
)
def test_unknown_drag_key_suggests_the_closest(key, closest):
    text = scenario_text("typo", INCLINED_53, 1, drag={key: 1.0})
    with pytest.raises(ScenarioError, match=rf"\[drag\]: unknown key '{key}'.*'{closest}'"):
        parse_scenario(text)


def test_cli_drag_suggests_the_closest_key_in_one_line(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(scenario_text("typo", INCLINED_53, 1, drag={"drag_coeficient": 2.2}))
    line = one_error_line(run_cli("drag", str(path), cwd=tmp_path), "drag")
    assert "did you mean 'drag_coefficient'" in line


@pytest.mark.parametrize("half", [{"f107": 180.0}, {"ap": 20.0}])
def test_f107_and_ap_come_together(half):
    with pytest.raises(ScenarioError, match="f107 and ap go together"):
        parse_scenario(scenario_text("half", INCLINED_53, 1, drag=half))


# --- a reentering satellite is data -------------------------------------------------------------


SINKING = """
[scenario]
name = "sinking"
epoch = "2027-01-01T00:00:00Z"

[[shells]]
name = "sinking"
altitude_km = 340.0
inclination_deg = 53.0
planes = 2
sats_per_plane = 2
bstar = 0.5
"""


def test_propagating_a_decaying_shell_flags_it_with_nan(tmp_path):
    """bstar = 0.5 at 340 km: SGP4 reports decay within hours; positions turn NaN and stay so."""
    path = tmp_path / "sinking.toml"
    path.write_text(SINKING)
    out = tmp_path / "sinking.npz"
    run = run_cli(
        "propagate", str(path), "--hours", "120", "--step-s", "600", "--out", str(out), cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    with np.load(out) as archive:
        positions = archive["positions_km"]
    assert positions.shape == (4, 721, 3)
    lost = np.isnan(positions).any(axis=-1)
    assert np.all(np.isfinite(positions[:, 0]))  # in orbit at the epoch
    assert np.all(lost[:, -1])  # gone by day 5
    assert np.all(np.diff(lost.astype(int), axis=1) >= 0)  # once lost, lost for good
    assert np.all(np.isnan(positions[lost]))


def test_a_shell_just_under_the_density_models_top_keeps_its_profile_in_range():
    """A level between the profile's 10 km steps (987.5 km, its track up to about 1,000 km):
    the decay profile ends at the shell, not a step above it outside NRLMSIS's range (it
    was a bug: 'altitude 105-1001 km: outside NRLMSIS's 0-1000 km')."""
    from constellations.model.constellation import Constellation, Shell
    from constellations.planner import plan

    shell = Shell.sun_synchronous(
        name="s987", altitude_km=987.5, planes=1, sats_per_plane=2, ltan_hours=18.0
    )
    closure = plan(
        Constellation("top", "2027-01-01T00:00:00Z", shells=(shell,)), stages={"closure"}
    )
    drag = closure.closure.of("s987").drag
    assert drag is not None and all(c.lifetime_days_uncontrolled > 0 for c in drag.cases)
