"""Charged particles slowing down through a solar cell's coverglass (continuous slowing down).

Collision stopping powers from the Bethe formula without shell or density corrections:

* protons (PDG, *Review of Particle Physics*, "Passage of particles through matter", the
  Bethe equation without ``delta``): ``S/rho = K (Z/A) / beta^2 * (0.5 ln(2 m c^2 beta^2 gamma^2
  T_max / I^2) - beta^2)``, ``K = 0.307075 MeV cm^2/mol``;
* electrons (Rohrlich & Carlson 1954 as in ICRU Report 37, 1984, without ``delta``):
  ``S/rho = (K/2) (Z/A) / beta^2 * (ln(tau^2 (tau + 2) / (2 (I / m c^2)^2)) + F(tau))``,
  ``F = 1 - beta^2 + (tau^2/8 - (2 tau + 1) ln 2) / (tau + 1)^2``, ``tau = T / m c^2``;
  radiative losses are left out (under 1 % of the collision loss in SiO2 at 1 MeV).

The Bethe formula fails at low proton energies; below its own maximum, where the
logarithm equals 1 (``2 m c^2 beta^2 = e I``: 0.094 MeV in water, 0.174 MeV in SiO2), the
proton stopping power is taken proportional to velocity (Lindhard & Scharff, Phys. Rev.
124, 128, 1961: ``S ~ sqrt(E)``), joined to the Bethe value there. That join is an
assumption of this module, not a fitted curve; in water it gives PSTAR's CSDA ranges to
0.5 % at 1 MeV and 5 % at 0.5 MeV (tests/orbital/test_stopping.py). It only moves where
protons left with a few hundred keV stop, within the first micrometres of the cell.

The CSDA range is ``R(E) = int_0^E dE' / S(E')`` in g/cm^2; a particle of energy ``E``
leaves a layer of areal density ``x`` with ``R^-1(R(E) - x)``, or stops in it.
"""

import numpy as np

#: Bethe's constant 4 pi N_A r_e^2 m_e c^2, MeV cm^2/mol (PDG 2024, table 34.1).
BETHE_K_MEV_CM2_MOL = 0.307075
#: Electron rest energy, MeV (CODATA 2018).
ELECTRON_MASS_MEV = 0.51099895
#: Proton rest energy, MeV (CODATA 2018).
PROTON_MASS_MEV = 938.27208816
#: Fused silica (SiO2): mean excitation energy 139.2 eV and Z/A = 0.49930 (ICRU Report 49,
#: 1993, as listed for "silicon dioxide" in NIST PSTAR/ESTAR), density 2.20 g/cm^3
#: (Corning HPFS 7980 fused silica datasheet: 2.201 g/cm^3).
FUSED_SILICA_MEAN_EXCITATION_EV = 139.2
FUSED_SILICA_Z_OVER_A = 0.49930
FUSED_SILICA_DENSITY_G_CM3 = 2.20

#: The range tables span these energies, MeV, on a log grid of this many points (the electron
#: formula turns negative near 0.5 keV in SiO2, so electrons start at 1 keV).
_GRID_MAX_MEV, _GRID_POINTS = 1e5, 2001
_GRID_MIN_MEV = {"p": 1e-4, "e": 1e-3}


def proton_bethe_maximum_mev(mean_excitation_ev):
    """Proton energy, MeV, of the Bethe formula's maximum (``2 m c^2 beta^2 = e I``)."""
    beta2 = np.e * mean_excitation_ev * 1e-6 / (2.0 * ELECTRON_MASS_MEV)
    return 0.5 * PROTON_MASS_MEV * beta2


def proton_stopping_mev_cm2_g(energy_mev, mean_excitation_ev, z_over_a):
    """Proton collision mass stopping power, MeV cm^2/g, for energies in MeV (any shape)."""
    e = np.asarray(energy_mev, dtype=float)
    e_join = proton_bethe_maximum_mev(mean_excitation_ev)
    e_bethe = np.maximum(e, e_join)
    gamma = 1.0 + e_bethe / PROTON_MASS_MEV
    beta2 = 1.0 - 1.0 / gamma**2
    ratio = ELECTRON_MASS_MEV / PROTON_MASS_MEV
    wmax = 2.0 * ELECTRON_MASS_MEV * beta2 * gamma**2 / (1.0 + 2.0 * gamma * ratio + ratio**2)
    i_mev = mean_excitation_ev * 1e-6
    log_term = 0.5 * np.log(2.0 * ELECTRON_MASS_MEV * beta2 * gamma**2 * wmax / i_mev**2)
    bethe = BETHE_K_MEV_CM2_MOL * z_over_a / beta2 * (log_term - beta2)
    return np.where(e >= e_join, bethe, bethe * np.sqrt(e / e_join))


def electron_stopping_mev_cm2_g(energy_mev, mean_excitation_ev, z_over_a):
    """Electron collision mass stopping power, MeV cm^2/g, for energies in MeV (any shape)."""
    tau = np.asarray(energy_mev, dtype=float) / ELECTRON_MASS_MEV
    gamma = tau + 1.0
    beta2 = 1.0 - 1.0 / gamma**2
    i_rel = mean_excitation_ev * 1e-6 / ELECTRON_MASS_MEV
    f_minus = 1.0 - beta2 + (tau**2 / 8.0 - (2.0 * tau + 1.0) * np.log(2.0)) / gamma**2
    log_term = np.log(tau**2 * (tau + 2.0) / (2.0 * i_rel**2))
    return 0.5 * BETHE_K_MEV_CM2_MOL * z_over_a / beta2 * (log_term + f_minus)


def _range_table(particle: str, mean_excitation_ev: float, z_over_a: float):
    if particle not in _GRID_MIN_MEV:
        raise ValueError(f"particle={particle!r}: must be 'p' (protons) or 'e' (electrons)")
    energy = np.geomspace(_GRID_MIN_MEV[particle], _GRID_MAX_MEV, _GRID_POINTS)
    if particle == "p":
        stopping = proton_stopping_mev_cm2_g(energy, mean_excitation_ev, z_over_a)
        # S ~ sqrt(E) below the grid, so R = 2 E / S there.
        start = 2.0 * energy[0] / stopping[0]
    else:
        stopping = electron_stopping_mev_cm2_g(energy, mean_excitation_ev, z_over_a)
        start = energy[0] / stopping[0]
    inverse = 1.0 / stopping
    steps = 0.5 * (inverse[1:] + inverse[:-1]) * np.diff(energy)
    return energy, start + np.concatenate(([0.0], np.cumsum(steps)))


def csda_range_g_cm2(
    energy_mev,
    particle: str,
    mean_excitation_ev: float = FUSED_SILICA_MEAN_EXCITATION_EV,
    z_over_a: float = FUSED_SILICA_Z_OVER_A,
):
    """CSDA range, g/cm^2, of protons (``"p"``) or electrons (``"e"``) of ``energy_mev``.

    Any shape; energies must lie in 1e-4 (protons) or 1e-3 (electrons) to 1e5 MeV. Default
    material: fused silica. Raises ValueError for another particle or an energy outside.
    """
    e = np.asarray(energy_mev, dtype=float)
    energy, rng = _range_table(particle, mean_excitation_ev, z_over_a)
    if np.any(e < energy[0]) or np.any(e > energy[-1]):
        raise ValueError(f"energy outside {energy[0]:g}-{energy[-1]:g} MeV")
    return np.exp(np.interp(np.log(e), np.log(energy), np.log(rng)))


def residual_energy_mev(
    energy_mev,
    areal_density_g_cm2,
    particle: str,
    mean_excitation_ev: float = FUSED_SILICA_MEAN_EXCITATION_EV,
    z_over_a: float = FUSED_SILICA_Z_OVER_A,
):
    """Energy, MeV, left after crossing ``areal_density_g_cm2`` (broadcast); 0 if stopped."""
    e = np.asarray(energy_mev, dtype=float)
    x = np.asarray(areal_density_g_cm2, dtype=float)
    energy, rng = _range_table(particle, mean_excitation_ev, z_over_a)
    e_in = np.clip(e, energy[0], energy[-1])
    left = np.exp(np.interp(np.log(e_in), np.log(energy), np.log(rng))) - x
    out = np.exp(np.interp(np.log(np.maximum(left, rng[0])), np.log(rng), np.log(energy)))
    return np.where(left > rng[0], out, 0.0)


def incident_energy_mev(
    exit_energy_mev,
    areal_density_g_cm2,
    particle: str,
    mean_excitation_ev: float = FUSED_SILICA_MEAN_EXCITATION_EV,
    z_over_a: float = FUSED_SILICA_Z_OVER_A,
):
    """Energy, MeV, a particle needs to leave ``areal_density_g_cm2`` with ``exit_energy_mev``.

    The inverse of :func:`residual_energy_mev` (broadcast); clipped to the table's 1e5 MeV.
    """
    e = np.asarray(exit_energy_mev, dtype=float)
    x = np.asarray(areal_density_g_cm2, dtype=float)
    energy, rng = _range_table(particle, mean_excitation_ev, z_over_a)
    e_out = np.clip(e, energy[0], energy[-1])
    total = np.exp(np.interp(np.log(e_out), np.log(energy), np.log(rng))) + x
    return np.exp(np.interp(np.log(total), np.log(rng), np.log(energy)))
