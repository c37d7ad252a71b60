"""Stopping powers and ranges in aluminium against NIST PSTAR and ESTAR.

Authority: NIST Standard Reference Database 124 (Berger, Coursey, Zucker & Chang, "ESTAR,
PSTAR and ASTAR: computer programs for calculating stopping-power and range tables for
electrons, protons and helium ions", data last updated July 2017), the tables for "ALUMINUM"
(Z = 13, mean excitation energy I = 166.0 eV, density 2.699 g/cm^3; ICRU Reports 37 and 49):

* PSTAR, https://physics.nist.gov/PhysRefData/Star/Text/PSTAR.html : kinetic energy (MeV),
  electronic, nuclear and total stopping power (MeV cm^2/g), CSDA range (g/cm^2);
* ESTAR, https://physics.nist.gov/PhysRefData/Star/Text/ESTAR.html : kinetic energy (MeV),
  collision, radiative and total stopping power (MeV cm^2/g), CSDA range (g/cm^2).

The rows below are NIST's default-energy output for aluminium, read (no network here) from
two transcriptions of it that agree digit for digit: the NIST text files kept in
github.com/jacyap/RangeCalc_ProtonsElectrons (Protons/Protons_Aluminium_NIST.txt,
Electrons/Electrons_Aluminium_NIST.txt), and for PSTAR's total stopping power libamtrack's
table (trunk/src/AT_StoppingPowerDataPSTAR.c, "PSTAR data downloaded from NIST database").
"""

import pytest

from orbital.stopping import (
    ALUMINIUM,
    electron_csda_range_table,
    electron_stopping_mev_cm2_g,
    proton_range_table,
    proton_stopping_mev_cm2_g,
)

#: PSTAR, aluminium: energy MeV -> (electronic, total stopping MeV cm^2/g, CSDA range g/cm^2).
PSTAR_ALUMINIUM = {
    1.0: (171.9, 172.0, 3.945e-3),
    10.0: (33.75, 33.76, 0.1705),
    30.0: (14.30, 14.31, 1.180),
    100.0: (5.676, 5.678, 10.01),
}
#: ESTAR, aluminium: energy MeV -> (collision, radiative, total stopping MeV cm^2/g, CSDA
#: range g/cm^2).
ESTAR_ALUMINIUM = {
    0.5: (1.592, 1.230e-2, 1.604, 0.2260),
    1.0: (1.465, 2.119e-2, 1.486, 0.5546),
    3.0: (1.510, 6.924e-2, 1.580, 1.869),
}

#: Bethe without shell corrections (orbital.stopping) is high, never low: the shell term
#: it omits lowers the stopping power, by more at lower energies and higher I.  The
#: bound at each energy is the omitted term's size there (measured 4.0, 1.5, 0.5 and
#: 0.1 % against PSTAR's total, which adds a nuclear part of 0.1 % or less).
SHELL_CORRECTION_RTOL = {1.0: 0.05, 10.0: 0.02, 30.0: 0.01, 100.0: 0.002}
#: The CSDA range integrates that stopping power, so it comes out short by about the
#: same fractions above 10 MeV (measured -2.0, -1.0, -0.3 %).
SHELL_CORRECTION_RANGE_RTOL = {10.0: 0.025, 30.0: 0.015, 100.0: 0.005}
#: Below 1 MeV the stopping power is an assumed continuation (orbital.stopping's notes):
#: the range at 1 MeV is all of it, and comes within 10 % of PSTAR's (measured +10.0 %).
LOW_ENERGY_CONTINUATION_RTOL = 0.12
#: ICRU 37's density-effect parameters differ slightly from the Sternheimer set used here.
ESTAR_COLLISION_RTOL = 0.01
#: Our electron CSDA range integrates collision stopping alone, so it is longer than ESTAR's
#: (which includes radiative losses) by about half the radiative share of the stopping.
RADIATIVE_LOSS_RANGE_RTOL = 0.03


@pytest.mark.parametrize("energy_mev", sorted(PSTAR_ALUMINIUM))
def test_proton_stopping_in_aluminium_is_pstar_plus_the_omitted_shell_correction(energy_mev):
    electronic, total, _ = PSTAR_ALUMINIUM[energy_mev]
    ours = float(proton_stopping_mev_cm2_g(ALUMINIUM, energy_mev))
    assert electronic <= ours <= electronic * (1 + SHELL_CORRECTION_RTOL[energy_mev])
    assert ours == pytest.approx(total, rel=SHELL_CORRECTION_RTOL[energy_mev])


@pytest.mark.parametrize("energy_mev", sorted(SHELL_CORRECTION_RANGE_RTOL))
def test_proton_csda_range_in_aluminium_matches_pstar(energy_mev):
    csda_range = PSTAR_ALUMINIUM[energy_mev][2]
    ours = float(proton_range_table(ALUMINIUM).range_of(energy_mev))
    assert ours == pytest.approx(csda_range, rel=SHELL_CORRECTION_RANGE_RTOL[energy_mev])


def test_proton_range_at_1_mev_is_the_assumed_low_energy_continuation():
    csda_range = PSTAR_ALUMINIUM[1.0][2]
    ours = float(proton_range_table(ALUMINIUM).range_of(1.0))
    assert ours == pytest.approx(csda_range, rel=LOW_ENERGY_CONTINUATION_RTOL)


@pytest.mark.parametrize("energy_mev", sorted(ESTAR_ALUMINIUM))
def test_electron_collision_stopping_in_aluminium_matches_estar(energy_mev):
    collision, radiative, total, _ = ESTAR_ALUMINIUM[energy_mev]
    ours = float(electron_stopping_mev_cm2_g(ALUMINIUM, energy_mev))
    assert ours == pytest.approx(collision, rel=ESTAR_COLLISION_RTOL)
    # The total is the collision part plus bremsstrahlung, which the dose model leaves out
    # (4.4 % of the total at 3 MeV): ours falls short of it by that share.
    assert ours + radiative == pytest.approx(total, rel=ESTAR_COLLISION_RTOL)


@pytest.mark.parametrize("energy_mev", sorted(ESTAR_ALUMINIUM))
def test_electron_csda_range_in_aluminium_is_estar_without_radiative_losses(energy_mev):
    csda_range = ESTAR_ALUMINIUM[energy_mev][3]
    ours = float(electron_csda_range_table(ALUMINIUM).range_of(energy_mev))
    assert csda_range <= ours <= csda_range * (1 + RADIATIVE_LOSS_RANGE_RTOL)
