"""CSDA ranges against NIST's tables, and the slowing-down through a layer.

Authorities: NIST PSTAR and ESTAR (Berger, Coursey, Zucker & Chang, NIST Standard Reference
Database 124) for liquid water, whose mean excitation energy (75 eV) and Z/A (0.55508) are
ICRU Report 49's and 37's; the same code with fused silica's constants slows particles
through a cell's coverglass.
"""

import numpy as np
import pytest

from orbital.stopping import (
    ELECTRON_MASS_MEV,
    PROTON_MASS_MEV,
    csda_range_g_cm2,
    proton_bethe_maximum_mev,
    residual_energy_mev,
)

#: Liquid water: ICRU mean excitation energy, eV, and Z/A.
WATER_I_EV, WATER_Z_OVER_A = 75.0, 0.55508
#: PSTAR, liquid water: proton CSDA range, g/cm^2, at 1, 10 and 100 MeV.
PSTAR_WATER = {1.0: 2.458e-3, 10.0: 1.230e-1, 100.0: 7.718}
#: ESTAR, liquid water: electron CSDA range, g/cm^2, at 0.1 and 1 MeV.
ESTAR_WATER = {0.1: 1.431e-2, 1.0: 4.367e-1}
#: Bethe without shell corrections, and the velocity-proportional join below its maximum:
#: 1.1 % short of PSTAR at 10 MeV, so 2 %.
PROTON_RANGE_RTOL = 0.02
#: Collision stopping without the density effect or radiative losses, to 1 MeV.
ELECTRON_RANGE_RTOL = 0.02


@pytest.mark.parametrize("energy", sorted(PSTAR_WATER))
def test_proton_range_in_water_is_pstar(energy):
    got = csda_range_g_cm2(energy, "p", WATER_I_EV, WATER_Z_OVER_A)
    assert got == pytest.approx(PSTAR_WATER[energy], rel=PROTON_RANGE_RTOL)


@pytest.mark.parametrize("energy", sorted(ESTAR_WATER))
def test_electron_range_in_water_is_estar(energy):
    got = csda_range_g_cm2(energy, "e", WATER_I_EV, WATER_Z_OVER_A)
    assert got == pytest.approx(ESTAR_WATER[energy], rel=ELECTRON_RANGE_RTOL)


def test_bethe_maximum_is_where_its_logarithm_is_one():
    # 2 m c^2 beta^2 = e I, beta^2 = 2 E / M (non-relativistic): E = e I M / (4 m c^2).
    expected = np.e * 75e-6 * PROTON_MASS_MEV / (4.0 * ELECTRON_MASS_MEV)
    assert proton_bethe_maximum_mev(75.0) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("particle", ["p", "e"])
def test_a_layer_as_thick_as_the_range_stops_the_particle(particle):
    energy = 5.0
    rng = csda_range_g_cm2(energy, particle)
    assert residual_energy_mev(energy, 1.0001 * rng, particle) == 0.0
    assert residual_energy_mev(energy, 0.0, particle) == pytest.approx(energy, rel=1e-9)
    # Half the range leaves the energy whose range is the other half.
    left = residual_energy_mev(energy, 0.5 * rng, particle)
    assert csda_range_g_cm2(left, particle) == pytest.approx(0.5 * rng, rel=1e-3)


def test_thicker_layers_leave_less_energy():
    thickness = np.array([0.0, 0.01, 0.02, 0.05, 0.1])
    left = residual_energy_mev(20.0, thickness, "p")
    assert np.all(np.diff(left) < 0)


def test_unknown_particle_and_energy_out_of_table_raise():
    with pytest.raises(ValueError, match="particle"):
        csda_range_g_cm2(1.0, "n")
    with pytest.raises(ValueError, match="energy outside"):
        csda_range_g_cm2(1e-5, "p")
