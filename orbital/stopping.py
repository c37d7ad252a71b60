"""Charged particles in matter: collision stopping powers and ranges of protons and electrons.

Mass collision stopping powers ``S`` are in MeV cm^2/g, ranges and thicknesses in g/cm^2,
energies in MeV.  Two materials are needed by the dose model (:mod:`orbital.radiation`):
aluminium (the shield) and silicon (where the dose is scored); liquid water is kept as the
material the NIST tables are best known for, so the formulas can be checked against them.

* Protons: Bethe's formula with the density-effect correction (PDG, *Review of Particle
  Physics*, "Passage of particles through matter", eq. 34.5; Sternheimer, Berger & Seltzer,
  At. Data Nucl. Data Tables 30: 261, 1984, for the density effect), mean excitation
  energies of ICRU Report 37/49 (Al 166 eV, Si 173 eV, water 75 eV).  No shell, Barkas or
  Bloch corrections: against NIST PSTAR (which has them) it is about 1 % high at 10 MeV
  and within 0.5 % at 100 MeV.  Below :data:`PROTON_BETHE_MIN_MEV` Bethe fails; there the
  stopping power is continued as ``S(E_b) (E / E_b)^-0.37`` down to 0.1 MeV (an assumed
  slope, about that of aluminium's electronic stopping between 0.1 and 1 MeV in ICRU 49,
  not fitted) and as ``E^0.45`` below (velocity-proportional stopping, the low-energy form of
  Andersen & Ziegler 1977).  A dose behind a shield does not depend on it for
  protons leaving with more than ``E_b`` (the range difference ``R(E) - R(E')`` does not
  contain it); ranges are shifted by at most the range at ``E_b``, 0.004 g/cm^2 in Al.
* Electrons: collision stopping power by the Bethe-Rohrlich formula of ICRU Report 37
  (eq. 2.2 and 2.3 there; the formula of NIST ESTAR) with the same density-effect
  parameters; the practical (extrapolated) range in aluminium by Katz & Penfold, Rev. Mod.
  Phys. 24: 28 (1952): ``R = 0.412 T^(1.265 - 0.0954 ln T)`` g/cm^2 for T <= 2.5 MeV and
  ``R = 0.530 T - 0.106`` above.
"""

from dataclasses import dataclass

import numpy as np

#: 4 pi N_A r_e^2 m_e c^2, MeV cm^2/mol (PDG, table 34.1: 0.307075).
BETHE_K_MEV_CM2_MOL = 0.307075
#: Electron and proton rest energies, MeV (CODATA 2018).
ELECTRON_MASS_MEV = 0.51099895000
PROTON_MASS_MEV = 938.27208816
#: Below this proton energy Bethe's formula is not used (see the module notes), MeV.
PROTON_BETHE_MIN_MEV = 1.0
#: Below this the proton stopping power falls as velocity stopping, MeV.
PROTON_STOPPING_PEAK_MEV = 0.1
#: Exponents of the low-energy continuation (assumed, module notes): S ~ E^-0.37 from 1 to
#: 0.1 MeV, S ~ E^0.45 below (Andersen & Ziegler 1977, low-velocity form).
_PROTON_LOW_SLOPE = -0.37
_PROTON_VELOCITY_SLOPE = 0.45
#: Katz & Penfold's electron range, the two branches and where they meet, MeV.
KATZ_PENFOLD_SWITCH_MEV = 2.5


@dataclass(frozen=True)
class Material:
    """An element or compound for the stopping formulas.

    ``z_over_a`` mol/g; ``mean_excitation_ev`` (ICRU 37/49); the Sternheimer density-effect
    parameters ``c_bar, x0, x1, a, m, delta0`` (Sternheimer, Berger & Seltzer 1984, as in the
    PDG's table of atomic and nuclear properties); ``density_g_cm3``.
    """

    name: str
    z_over_a: float
    mean_excitation_ev: float
    c_bar: float
    x0: float
    x1: float
    a: float
    m: float
    delta0: float
    density_g_cm3: float


ALUMINIUM = Material("aluminium", 13 / 26.9815385, 166.0, 4.2395, 0.1708, 3.0127, 0.08024,
                     3.6345, 0.12, 2.699)  # fmt: skip
SILICON = Material("silicon", 14 / 28.0855, 173.0, 4.4355, 0.2015, 2.8716, 0.14921, 3.2546,
                   0.14, 2.33)  # fmt: skip
WATER = Material("water", 0.55509, 75.0, 3.5017, 0.2400, 2.8004, 0.09116, 3.4773, 0.0, 1.0)
#: Solar cells' coverglass: I = 139.2 eV and Z/A = 0.4993 (ICRU 49, "silicon dioxide" in
#: PSTAR/ESTAR), the density effect of fused quartz (PDG), 2.20 g/cm^3 (Corning HPFS 7980
#: datasheet: 2.201).
FUSED_SILICA = Material("fused silica", 0.49930, 139.2, 4.0029, 0.1385, 3.0025, 0.08408,
                        3.5064, 0.0, 2.20)  # fmt: skip


def density_effect(material: Material, beta_gamma):
    """Sternheimer's density-effect correction ``delta`` at ``beta gamma`` (array)."""
    x = np.log10(np.asarray(beta_gamma, dtype=float))
    mid = (
        2 * np.log(10) * x
        - material.c_bar
        + material.a * np.clip(material.x1 - x, 0, None) ** material.m
    )
    high = 2 * np.log(10) * x - material.c_bar
    low = material.delta0 * 10.0 ** (2 * (x - material.x0))
    return np.where(x >= material.x1, high, np.where(x >= material.x0, mid, low))


def _bethe_proton(material: Material, energy_mev):
    gamma = 1 + energy_mev / PROTON_MASS_MEV
    beta2 = 1 - 1 / gamma**2
    bg2 = beta2 * gamma**2
    ratio = ELECTRON_MASS_MEV / PROTON_MASS_MEV
    w_max = 2 * ELECTRON_MASS_MEV * bg2 / (1 + 2 * gamma * ratio + ratio**2)
    i_mev = material.mean_excitation_ev * 1e-6
    log_term = 0.5 * np.log(2 * ELECTRON_MASS_MEV * bg2 * w_max / i_mev**2)
    delta = density_effect(material, np.sqrt(bg2))
    return BETHE_K_MEV_CM2_MOL * material.z_over_a / beta2 * (log_term - beta2 - delta / 2)


def proton_stopping_mev_cm2_g(material: Material, energy_mev):
    """Proton mass collision (electronic) stopping power, MeV cm^2/g, at ``energy_mev`` (array).

    Bethe from :data:`PROTON_BETHE_MIN_MEV` up, the low-energy continuation below (module
    notes).  Raises ValueError for energies that are not positive.
    """
    energy = np.asarray(energy_mev, dtype=float)
    if np.any(~(energy > 0)):
        raise ValueError("proton energy must be positive (MeV)")
    e_b, e_p = PROTON_BETHE_MIN_MEV, PROTON_STOPPING_PEAK_MEV
    s_b = _bethe_proton(material, e_b)
    s_peak = s_b * (e_p / e_b) ** _PROTON_LOW_SLOPE
    bethe = _bethe_proton(material, np.maximum(energy, e_b))
    middle = s_b * (energy / e_b) ** _PROTON_LOW_SLOPE
    lowest = s_peak * (energy / e_p) ** _PROTON_VELOCITY_SLOPE
    return np.where(energy >= e_b, bethe, np.where(energy >= e_p, middle, lowest))


def electron_stopping_mev_cm2_g(material: Material, energy_mev):
    """Electron mass collision stopping power, MeV cm^2/g (ICRU 37, Bethe-Rohrlich), array in/out.

    Valid above about 10 keV (ICRU 37); raises ValueError for energies that are not positive.
    """
    energy = np.asarray(energy_mev, dtype=float)
    if np.any(~(energy > 0)):
        raise ValueError("electron energy must be positive (MeV)")
    tau = energy / ELECTRON_MASS_MEV
    gamma = tau + 1
    beta2 = 1 - 1 / gamma**2
    i_over_m = material.mean_excitation_ev * 1e-6 / ELECTRON_MASS_MEV
    f_minus = 1 - beta2 + (tau**2 / 8 - (2 * tau + 1) * np.log(2)) / (tau + 1) ** 2
    delta = density_effect(material, np.sqrt(beta2) * gamma)
    bracket = np.log(tau**2 * (tau + 2) / (2 * i_over_m**2)) + f_minus - delta
    return 0.5 * BETHE_K_MEV_CM2_MOL * material.z_over_a / beta2 * bracket


@dataclass(frozen=True)
class RangeTable:
    """A CSDA range-energy relation on a log grid, inverted by interpolation in log-log.

    ``energy_mev`` and ``range_g_cm2`` increase together (n,).
    """

    energy_mev: np.ndarray
    range_g_cm2: np.ndarray

    def range_of(self, energy_mev):
        """Range, g/cm^2, of particles of ``energy_mev`` (array; 0 where the energy is 0)."""
        e = np.asarray(energy_mev, dtype=float)
        out = np.exp(np.interp(np.log(np.maximum(e, self.energy_mev[0])),
                               np.log(self.energy_mev), np.log(self.range_g_cm2)))  # fmt: skip
        below = e < self.energy_mev[0]
        return np.where(below, self.range_g_cm2[0] * np.clip(e, 0, None) / self.energy_mev[0], out)

    def stopping_of(self, energy_mev):
        """``dE/dR``, MeV cm^2/g, of the table at ``energy_mev`` (array): its own stopping power."""
        e = np.asarray(energy_mev, dtype=float)
        slope = np.gradient(np.log(self.range_g_cm2), np.log(self.energy_mev))
        d_ln_r = np.interp(
            np.log(np.maximum(e, self.energy_mev[0])), np.log(self.energy_mev), slope
        )
        return np.maximum(e, self.energy_mev[0]) / (self.range_of(e) * d_ln_r)

    def energy_of(self, range_g_cm2):
        """Energy, MeV, of particles whose residual range is ``range_g_cm2`` (0 where <= 0)."""
        r = np.asarray(range_g_cm2, dtype=float)
        safe = np.maximum(r, self.range_g_cm2[0])
        out = np.exp(np.interp(np.log(safe), np.log(self.range_g_cm2), np.log(self.energy_mev)))
        below = r < self.range_g_cm2[0]
        return np.where(below, self.energy_mev[0] * np.clip(r, 0, None) / self.range_g_cm2[0], out)


def proton_range_table(material: Material, e_min_mev=1e-3, e_max_mev=1e4, n=4000) -> RangeTable:
    """Proton CSDA range ``R(E)``, the integral of ``1/S`` from 0 to E, g/cm^2, on ``n`` energies.

    The trapezoid rule in ``ln E`` (``dE/S = (E/S) d ln E``) on a log grid; below ``e_min_mev``
    the stopping power goes as ``E^0.45``, so the range there is ``e_min / (0.55 S(e_min))``.
    """
    energy = np.geomspace(e_min_mev, e_max_mev, n)
    integrand = energy / proton_stopping_mev_cm2_g(material, energy)
    head = integrand[0] / (1 - _PROTON_VELOCITY_SLOPE)  # integral_0^e_min of E^-0.45 dE, scaled
    steps = 0.5 * (integrand[1:] + integrand[:-1]) * np.diff(np.log(energy))
    return RangeTable(energy, head + np.concatenate(([0.0], np.cumsum(steps))))


def katz_penfold_range_g_cm2(energy_mev):
    """Practical (extrapolated) range of electrons in aluminium, g/cm^2 (Katz & Penfold 1952).

    ``0.412 T^(1.265 - 0.0954 ln T)`` for ``T <= 2.5`` MeV, ``0.530 T - 0.106`` above; the
    two branches differ by 0.6 % at 2.5 MeV.  Stated for 0.01-20 MeV.
    """
    t = np.asarray(energy_mev, dtype=float)
    safe = np.maximum(t, 1e-6)
    power = 0.412 * safe ** (1.265 - 0.0954 * np.log(safe))
    linear = 0.530 * t - 0.106
    return np.where(t <= 0, 0.0, np.where(t <= KATZ_PENFOLD_SWITCH_MEV, power, linear))


def electron_range_table(e_min_mev=1e-3, e_max_mev=20.0, n=4000) -> RangeTable:
    """Katz & Penfold's aluminium range on a log grid, made increasing across the branch switch."""
    energy = np.geomspace(e_min_mev, e_max_mev, n)
    return RangeTable(energy, np.maximum.accumulate(katz_penfold_range_g_cm2(energy)))


def electron_csda_range_table(material: Material, e_min_mev=1e-3, e_max_mev=1e2, n=4000):
    """Electron CSDA range in ``material``, g/cm^2: the integral of ``1/S`` (Bethe-Rohrlich
    collision stopping, no radiative loss) from ``e_min_mev``, with the range below it taken
    as ``e_min / S(e_min)``.  The formula turns negative near 0.5 keV in light materials,
    so the table starts at 1 keV."""
    energy = np.geomspace(e_min_mev, e_max_mev, n)
    integrand = energy / electron_stopping_mev_cm2_g(material, energy)
    steps = 0.5 * (integrand[1:] + integrand[:-1]) * np.diff(np.log(energy))
    return RangeTable(energy, integrand[0] + np.concatenate(([0.0], np.cumsum(steps))))
