"""Trapped-particle spectra over circular orbits (AP8/AE8 via aep8) and the dose behind aluminium.

Authorities: aep8 itself called on the same points; NIST PSTAR and ESTAR tables; closed-form
single-energy cases solved here with scipy; published physical facts about the belts.
"""

import aep8
import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import EarthLocation
from astropy.time import Time
from scipy.integrate import quad
from scipy.optimize import brentq

from orbital.radiation import (
    ALTITUDE_NODES_KM,
    ALUMINIUM_DENSITY_G_CM3,
    ELECTRON_ENERGIES_MEV,
    INTERPOLATE_FROM_ORBITS,
    MEV_PER_G_PER_RAD,
    PROTON_ENERGIES_MEV,
    SECONDS_PER_YEAR,
    TrappedSpectra,
    circular_orbit_samples,
    dose_depth_rad_si_per_year,
    orbit_spectra,
    orbit_spectra_batch,
    shielding_for_dose_mm_al,
)
from orbital.stopping import (
    ALUMINIUM,
    SILICON,
    WATER,
    electron_stopping_mev_cm2_g,
    katz_penfold_range_g_cm2,
    proton_range_table,
    proton_stopping_mev_cm2_g,
)

EPOCH = Time("2027-01-01T00:00:00", scale="utc")
SSO_INCLINATION_DEG = 97.9
#: Equal up to the order of summation: float64 rounding over a few thousand terms.
SUMMATION_RTOL = 1e-12
#: Coarse grids: the comparisons with aep8 are exact on any grid; the dose tests take the
#: batch's grid (36 x 24), whose orbit averages are within 0.4-3 % of the default 72 x 48.
COARSE = {"n_anomaly": 12, "n_node": 8}
BATCH_GRID = {"n_anomaly": 36, "n_node": 24}


def _aep8_mean(samples, particle, solar, energy_mev):
    """The orbit average by aep8's own EarthLocation-based call, mean over the samples."""
    location = EarthLocation.from_geocentric(*samples, unit=u.km)
    with np.errstate(invalid="ignore"):
        flux = aep8.model(particle, solar).integral_flux(location, EPOCH, energy_mev * u.MeV)
    return flux.to_value(1 / (u.cm**2 * u.s)).mean()


@pytest.mark.parametrize("altitude_km", [340.0, 650.0, 1400.0])
@pytest.mark.parametrize("inclination_deg", [53.0, SSO_INCLINATION_DEG])
@pytest.mark.parametrize("solar", ["min", "max"])
def test_orbit_average_is_aep8_on_the_same_samples(altitude_km, inclination_deg, solar):
    samples = circular_orbit_samples(altitude_km, inclination_deg, **COARSE)
    spectra = orbit_spectra(altitude_km, inclination_deg, EPOCH, solar, samples=samples)
    p10 = np.flatnonzero(spectra.proton_energy_mev == 10.0)[0]
    e1 = np.flatnonzero(spectra.electron_energy_mev == 1.0)[0]
    assert spectra.proton_flux_cm2_s[p10] == pytest.approx(
        _aep8_mean(samples, "p", solar, 10.0), rel=SUMMATION_RTOL
    )
    assert spectra.electron_flux_cm2_s[e1] == pytest.approx(
        _aep8_mean(samples, "e", solar, 1.0), rel=SUMMATION_RTOL
    )
    assert spectra.solar == solar


def test_samples_lie_on_the_orbit_shell_and_cover_its_latitudes():
    x, y, z = circular_orbit_samples(650.0, 53.0, n_anomaly=72, n_node=48)
    radius = np.sqrt(x**2 + y**2 + z**2)
    np.testing.assert_allclose(radius, 6378.135 + 650.0, rtol=1e-14)  # WGS-72 radius + altitude
    lat = np.degrees(np.arcsin(z / radius))
    assert lat.max() == pytest.approx(53.0, abs=0.1)  # u = 87.5 deg: asin(sin 53 sin 87.5)
    assert lat.min() == pytest.approx(-lat.max(), abs=1e-12)
    # Uniform in u: a circular orbit spends a fraction 2/pi asin(sin b / sin i) below |lat| b.
    below_30 = np.mean(np.abs(lat) < 30.0)
    exact = 2 / np.pi * np.arcsin(np.sin(np.radians(30)) / np.sin(np.radians(53)))
    assert below_30 == pytest.approx(exact, abs=1 / 72)  # one anomaly step


def test_batch_equals_one_orbit_at_a_time():
    altitudes = np.array([340.0, 650.0, 650.0, 1400.0])
    inclinations = np.array([53.0, SSO_INCLINATION_DEG, SSO_INCLINATION_DEG, 30.0])
    batch = orbit_spectra_batch(altitudes, inclinations, EPOCH, "max", **COARSE)
    assert len(orbit_spectra_batch(altitudes[:2], inclinations[:2], EPOCH, "min")) == 2
    assert len(batch) == 4
    for spectra, a, i in zip(batch, altitudes, inclinations, strict=True):
        one = orbit_spectra(a, i, EPOCH, "max", samples=circular_orbit_samples(a, i, **COARSE))
        np.testing.assert_allclose(spectra.proton_flux_cm2_s, one.proton_flux_cm2_s, rtol=1e-12)
        np.testing.assert_allclose(spectra.electron_flux_cm2_s, one.electron_flux_cm2_s, rtol=1e-12)


#: IRBEM's McIlwain L has kinks of its own making (its second difference over 10 km of
#: altitude jumps to 2e-4 where elsewhere it is 1e-7), so a polynomial through the seven
#: altitude nodes misses L by up to 1e-3 and B/B0 by 3e-3 between them.  Measured on the
#: orbit averages, 150 orbits at 300-2,000 km and 30-98 deg: up to 2.4 % (median 0.05 %),
#: the most where the flux is least (>200 MeV protons and >5 MeV electrons below 500 km).
ALTITUDE_INTERPOLATION_RTOL = 0.03


def test_an_inclination_at_many_altitudes_interpolates_the_field_between_nodes():
    # 14 altitudes from 300 km up share the field at the nodes (one of them at a node);
    # 200 km, below the nodes, is evaluated point by point.
    altitudes = np.append(np.linspace(320.0, 1960.0, INTERPOLATE_FROM_ORBITS - 1),
                          [ALTITUDE_NODES_KM[2], 200.0])  # fmt: skip
    # The batch's own grid: on coarser ones a few points carry the average and their own
    # interpolation error with it (12 x 8 samples: 3.3 % at 320 km).
    batch = orbit_spectra_batch(altitudes, SSO_INCLINATION_DEG, EPOCH, "min", **BATCH_GRID)
    # At a node the field is IRBEM's own, up to the rounding of the points' radius.
    rtol = {0: ALTITUDE_INTERPOLATION_RTOL, 6: ALTITUDE_INTERPOLATION_RTOL, 13: 1e-9,
            14: SUMMATION_RTOL}  # fmt: skip
    for k, tolerance in rtol.items():
        samples = circular_orbit_samples(altitudes[k], SSO_INCLINATION_DEG, **BATCH_GRID)
        exact = orbit_spectra(altitudes[k], SSO_INCLINATION_DEG, EPOCH, "min", samples=samples)
        for particle in ("proton", "electron"):
            ours = getattr(batch[k], f"{particle}_flux_cm2_s")
            theirs = getattr(exact, f"{particle}_flux_cm2_s")
            assert np.array_equal(ours > 0, theirs > 0)
            np.testing.assert_allclose(ours, theirs, rtol=tolerance)


@pytest.fixture(scope="module")
def solar_min_53():
    """>10 MeV proton flux, solar minimum, 53 deg, on the default 72 x 48 grid."""
    out = {}
    for altitude in (340.0, 650.0, 1400.0):
        spectra = orbit_spectra(altitude, 53.0, EPOCH, "min")
        out[altitude] = spectra.proton_flux_cm2_s[spectra.proton_energy_mev == 10.0][0]
    return out


def test_proton_flux_rises_steeply_with_altitude(solar_min_53):
    # Physical fact: from 340 to 650 km the >10 MeV flux grows 15-30 times (published range;
    # an earlier implementation here measured 15.2x at 53 deg), and by hundreds of times to
    # 1,400 km.  Here it
    # is 15.0x on this grid and 14.8x converged (216 x 144 samples): at the published range's
    # lower edge, so the bound allows the 340 km average's sampling (2 %) and radius choice.
    assert 14.0 <= solar_min_53[650.0] / solar_min_53[340.0] <= 30.0
    assert 100.0 <= solar_min_53[1400.0] / solar_min_53[340.0] <= 1000.0


def test_south_atlantic_anomaly_carries_most_of_the_flux_at_340_km():
    samples = circular_orbit_samples(340.0, 53.0, n_anomaly=36, n_node=24)
    location = EarthLocation.from_geocentric(*samples, unit=u.km)
    with np.errstate(invalid="ignore"):
        flux = aep8.model("p", "min").integral_flux(location, EPOCH, 10 * u.MeV).value
    lon = location.lon.wrap_at(180 * u.deg).deg
    lat = location.lat.deg
    saa = (lon >= -90) & (lon <= 0) & (lat >= -50) & (lat <= 0)
    # Published fact: the South Atlantic Anomaly carries most of it.  Measured: 93 % of the
    # orbit average from 11 % of the samples.
    assert flux[saa].sum() / flux.sum() > 0.8
    assert np.mean(saa) < 0.15


# ---------------------------------------------------------------- stopping powers and ranges

#: NIST PSTAR (Berger, Coursey, Zucker & Chang, NIST Standard Reference Database 124, 2005;
#: ICRU Report 49), liquid water: electronic stopping power MeV cm^2/g, CSDA range g/cm^2.
PSTAR_WATER = {10.0: (45.64, 0.1230), 100.0: (7.286, 7.718)}
#: Bethe without shell, Barkas and Bloch corrections: within 1 % of PSTAR from 10 MeV up.
BETHE_RTOL = 0.01
#: NIST ESTAR (same database; ICRU Report 37), collision stopping power, MeV cm^2/g.
ESTAR_WATER = {0.1: 4.115, 1.0: 1.849, 10.0: 1.968}
ESTAR_ALUMINIUM = {1.0: 1.465}
#: The density-effect parameters of ICRU 37 differ slightly from the Sternheimer set here.
ESTAR_RTOL = 0.01


@pytest.mark.parametrize("energy_mev", sorted(PSTAR_WATER))
def test_proton_stopping_and_range_match_pstar(energy_mev):
    stopping, csda_range = PSTAR_WATER[energy_mev]
    assert proton_stopping_mev_cm2_g(WATER, energy_mev) == pytest.approx(stopping, rel=BETHE_RTOL)
    table = proton_range_table(WATER)
    assert table.range_of(energy_mev) == pytest.approx(csda_range, rel=BETHE_RTOL)


@pytest.mark.parametrize(
    ("material", "energy_mev", "stopping"),
    [(WATER, e, s) for e, s in ESTAR_WATER.items()]
    + [(ALUMINIUM, e, s) for e, s in ESTAR_ALUMINIUM.items()],
)
def test_electron_collision_stopping_matches_estar(material, energy_mev, stopping):
    assert electron_stopping_mev_cm2_g(material, energy_mev) == pytest.approx(
        stopping, rel=ESTAR_RTOL
    )


def test_range_table_is_the_integral_of_the_stopping_power():
    table = proton_range_table(ALUMINIUM)
    step, _ = quad(lambda e: 1 / proton_stopping_mev_cm2_g(ALUMINIUM, e), 10.0, 100.0)
    assert table.range_of(100.0) - table.range_of(10.0) == pytest.approx(step, rel=1e-5)
    np.testing.assert_allclose(table.energy_of(table.range_of([2.0, 50.0])), [2.0, 50.0], 1e-9)


# ---------------------------------------------------------------------------------- the dose


def _delta(particle: str, energy_mev: float, flux_cm2_s: float) -> TrappedSpectra:
    """A single-energy integral spectrum: ``flux`` above E (and below), none 1e-6 above."""
    energies = np.array([energy_mev, energy_mev * (1 + 1e-6)])
    flux = np.array([flux_cm2_s, 0.0])
    empty = (np.array([1.0, 2.0]), np.zeros(2))
    p = (energies, flux) if particle == "p" else empty
    e = (energies, flux) if particle == "e" else empty
    return TrappedSpectra(p[0], p[1], e[0], e[1], "min")


def _rad_si_per_year(flux_cm2_s, stopping_mev_cm2_g):
    return flux_cm2_s * stopping_mev_cm2_g * SECONDS_PER_YEAR / MEV_PER_G_PER_RAD


#: The delta is 1e-6 wide and the range tables are interpolated on 4,000-point log grids.
DELTA_RTOL = 1e-3


def test_single_energy_protons_deposit_the_stopping_power_at_the_residual_energy():
    e0, flux, t_mm = 30.0, 100.0, 2.0
    t = t_mm * 0.1 * ALUMINIUM_DENSITY_G_CM3

    def path(e_out):  # the aluminium crossed while slowing from e0 to e_out (CSDA)
        return quad(lambda e: 1 / proton_stopping_mev_cm2_g(ALUMINIUM, e), e_out, e0)[0] - t

    e_out = brentq(path, 1.0, e0)
    proton, electron = dose_depth_rad_si_per_year(_delta("p", e0, flux), np.array([t_mm]))
    expected = _rad_si_per_year(flux, proton_stopping_mev_cm2_g(SILICON, e_out))
    assert proton[0] == pytest.approx(expected, rel=DELTA_RTOL)
    assert electron[0] == 0.0
    # Below the range nothing comes through: 10 MeV protons stop in 0.17 g/cm^2 (0.63 mm).
    stopped, _ = dose_depth_rad_si_per_year(_delta("p", 10.0, flux), np.array([1.0]))
    assert stopped[0] == 0.0


def test_single_energy_electrons_follow_the_katz_penfold_range():
    e0, flux, t_mm = 2.0, 1e4, 1.0
    t = t_mm * 0.1 * ALUMINIUM_DENSITY_G_CM3
    e_out = brentq(lambda e: katz_penfold_range_g_cm2(e) - (katz_penfold_range_g_cm2(e0) - t),
                   1e-3, e0)  # fmt: skip
    _, electron = dose_depth_rad_si_per_year(_delta("e", e0, flux), np.array([t_mm]))
    expected = _rad_si_per_year(flux, electron_stopping_mev_cm2_g(SILICON, e_out))
    assert electron[0] == pytest.approx(expected, rel=DELTA_RTOL)


def test_continuous_spectrum_dose_is_the_integral_over_the_differential_flux():
    # A power law F(E) = A (E^-2 - 300^-2): j(E) = 2 A E^-3.  The dose is the integral of
    # j(E) S_Si(E') over the protons that cross t, done here by scipy's adaptive quadrature
    # (the range-energy relation is the one checked against PSTAR above).
    a, t_mm = 1e4, 2.0
    t = t_mm * 0.1 * ALUMINIUM_DENSITY_G_CM3
    table = proton_range_table(ALUMINIUM)
    e_min = float(table.energy_of(t))

    def integrand(e):
        e_out = float(table.energy_of(table.range_of(e) - t))
        return 2 * a * e**-3 * float(proton_stopping_mev_cm2_g(SILICON, e_out))

    exact, _ = quad(integrand, e_min, 300.0, points=[e_min * 1.01, e_min * 1.1], limit=200)
    energies = PROTON_ENERGIES_MEV
    spectra = TrappedSpectra(
        energies, a * (energies**-2.0 - 300.0**-2.0), np.array([1.0, 2.0]), np.zeros(2), "min"
    )
    proton, _ = dose_depth_rad_si_per_year(spectra, np.array([t_mm]))
    # 64 sub-intervals of each of the grid's 12-a-decade intervals, integrated over the exit
    # energies: measured within 0.06 % at 0.5-10 mm.
    assert proton[0] == pytest.approx(_rad_si_per_year(1.0, exact), rel=2e-3)


@pytest.fixture(scope="module")
def sso_650():
    samples = circular_orbit_samples(650.0, SSO_INCLINATION_DEG, **BATCH_GRID)
    return {
        solar: orbit_spectra(650.0, SSO_INCLINATION_DEG, EPOCH, solar, samples=samples)
        for solar in ("min", "max")
    }


def test_dose_falls_with_thickness(sso_650):
    thickness = np.geomspace(0.1, 50.0, 40)
    for spectra in sso_650.values():
        proton, electron = dose_depth_rad_si_per_year(spectra, thickness)
        assert proton.shape == electron.shape == thickness.shape
        assert np.all(np.diff(proton) < 0)
        assert np.all(np.diff(electron) <= 0)


def test_proton_dose_agrees_with_an_independent_implementation(sso_650):
    # A separate implementation of the proton part written earlier for this project (its own
    # sampling, stopping table and quadrature; not kept), 650 km SSO, solar minimum:
    # 475/346/253/197 rad(Si)/yr behind 1/2/5/10 mm.
    # This one is 8-12 % lower; AP8 itself is uncertain by about a factor of 2.
    proton, _ = dose_depth_rad_si_per_year(sso_650["min"], np.array([1.0, 2.0, 5.0, 10.0]))
    np.testing.assert_allclose(proton, [475.0, 346.0, 253.0, 197.0], rtol=0.15)


def test_shielding_for_dose_inverts_the_dose_depth_curve(sso_650):
    spectra = sso_650["max"]
    target = 300.0
    t = shielding_for_dose_mm_al(spectra, target)
    below = sum(dose_depth_rad_si_per_year(spectra, np.array([t])))[0]
    above = sum(dose_depth_rad_si_per_year(spectra, np.array([t * 0.999])))[0]
    assert below <= target < above
    assert shielding_for_dose_mm_al(spectra, 1e-3, max_mm_al=20.0) == float("inf")


def test_bad_inputs_raise(sso_650):
    with pytest.raises(ValueError, match="altitude 100 km"):
        orbit_spectra(100.0, 53.0, EPOCH, "min")
    with pytest.raises(ValueError, match="altitude 2500 km"):
        orbit_spectra_batch(np.array([500.0, 2500.0]), 53.0, EPOCH, "min")
    with pytest.raises(ValueError, match="solar"):
        orbit_spectra(500.0, 53.0, EPOCH, "mid")
    with pytest.raises(ValueError, match="positive"):
        dose_depth_rad_si_per_year(sso_650["min"], np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="positive"):
        shielding_for_dose_mm_al(sso_650["min"], 0.0)


def test_energy_grids_are_inside_the_models():
    assert PROTON_ENERGIES_MEV[0] == 0.1 and PROTON_ENERGIES_MEV[-1] == 300.0
    assert ELECTRON_ENERGIES_MEV[0] == 0.05 and ELECTRON_ENERGIES_MEV[-1] == 7.0
    spectra = orbit_spectra(
        1400.0, 53.0, EPOCH, "max", samples=circular_orbit_samples(1400.0, 53.0, **COARSE)
    )
    assert np.all(np.isfinite(spectra.proton_flux_cm2_s))
    assert np.all(np.isfinite(spectra.electron_flux_cm2_s))
    assert np.all(np.diff(spectra.proton_flux_cm2_s) <= 0)  # integral spectra
    assert np.all(np.diff(spectra.electron_flux_cm2_s) <= 0)


def test_an_orbit_found_again_is_looked_up_not_evaluated():
    """The spectra cache: the same orbit, phase and day give the same (read-only) spectra."""
    from astropy.time import Time

    from orbital import radiation

    epoch = Time("2027-03-01T00:00:00", scale="utc")
    first = radiation.orbit_spectra_batch(np.array([712.5]), np.array([98.2]), epoch, "max")[0]
    again = radiation.orbit_spectra_batch(np.array([712.5]), np.array([98.2]), epoch, "max")[0]
    assert again is first
    assert not first.proton_flux_cm2_s.flags.writeable
