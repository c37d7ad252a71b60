"""Solar-cell radiation degradation by displacement damage dose (the NRL method).

Method (Messenger, Summers, Burke, Walters & Xapsos, "Modeling solar cell degradation in
space: a comparison of the NRL displacement damage dose and the JPL equivalent fluence
approaches", Prog. Photovolt. 9, 103-121, 2001):

1. The orbit-averaged omnidirectional integral spectra (AE8/AP8's form) are slowed down
   through the coverglass, fused silica, by the CSDA range relation of
   :mod:`orbital.stopping`, along every slant path ``t / mu`` of the front hemisphere.
2. The cell is shielded at the back by an infinite slab (the usual assumption), so it
   sees the front hemisphere only; a thin active layer takes from an isotropic
   omnidirectional flux ``J`` the dose of ``J / 2`` at normal incidence, each direction
   through its own slant thickness: ``D = (J/2) int_0^1 NIEL(E_out(t / mu)) d mu``.
3. Protons: ``D_p = sum dPhi NIEL_p(E_out)``. Electrons: NRL's effective dose
   ``D_e = sum dPhi NIEL_e(1 MeV) (NIEL_e(E_out) / NIEL_e(1 MeV))^n``, made
   proton-equivalent by ``D_e / R_ep``; the total ``D_p + D_e / R_ep``.
4. The cell's maximum power follows the characteristic curve
   ``P/P0 = 1 - C log10(1 + D / D_x)``.

NIEL in GaAs, MeV cm^2/g: NRL's SCREAM screened-relativistic calculation (the NIEL of
Summers et al., IEEE TNS 40, 1372, 1993, as the NRL method uses it) with a 10 eV
displacement threshold, as tabulated in The Aerospace Corporation's solarpy
(``data/GaAs_Scream_Protons.txt``, ``GaAs_Scream_Electrons.txt``; their header gives the
10 eV, and the electron onset at 0.25-0.28 MeV agrees with it by two-body kinematics).

Assumptions, stated because no published value was found for this cell (see
docs/design.md): the electron exponent ``n = 1`` and ``R_ep = 1``, i.e. electron and proton
damage scale by NIEL alone, as Baur et al. (Proc. 14th ICATPP, 2014) found for
GaInP/GaAs/Ge cells with SR-NIEL; so ``D_x`` below is the electron curve's. The curve's
``C`` and ``D_x`` are a least-squares fit of that curve to the datasheet's remaining
maximum power at 1-MeV electron fluences, each fluence times ``NIEL_e(1 MeV)``.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np

from orbital.constants import JULIAN_YEAR_DAYS, SECONDS_PER_DAY
from orbital.radiation import integral_flux_at
from orbital.stopping import (
    FUSED_SILICA,
    electron_csda_range_table,
    proton_range_table,
)

FUSED_SILICA_DENSITY_G_CM3 = FUSED_SILICA.density_g_cm3


@cache
def coverglass_range_table(particle: str):
    """CSDA range-energy table of protons (``"p"``) or electrons (``"e"``) in fused silica."""
    if particle == "p":
        return proton_range_table(FUSED_SILICA, 1e-4, 1e5)
    return electron_csda_range_table(FUSED_SILICA, 1e-3, 1e5)


def residual_energy_mev(energy_mev, areal_density_g_cm2, particle: str):
    """Energy, MeV, left after crossing ``areal_density_g_cm2`` of glass (broadcast); 0 if
    stopped."""
    table = coverglass_range_table(particle)
    left = table.range_of(energy_mev) - np.asarray(areal_density_g_cm2, dtype=float)
    return np.where(left > table.range_g_cm2[0], table.energy_of(left), 0.0)


def incident_energy_mev(exit_energy_mev, areal_density_g_cm2, particle: str):
    """Energy, MeV, a particle needs to leave ``areal_density_g_cm2`` of glass with
    ``exit_energy_mev`` (the inverse of :func:`residual_energy_mev`)."""
    table = coverglass_range_table(particle)
    return table.energy_of(table.range_of(exit_energy_mev) + np.asarray(areal_density_g_cm2))


#: Proton NIEL in GaAs, (energy MeV, MeV cm^2/g): NRL SCREAM, 10 eV threshold (module docstring).
PROTON_NIEL_GAAS = (
    (8.0e-05, 1.0e-10), (9.0e-05, 1.0e-10), (1.0e-04, 1.0e-10), (2.0e-04, 1.25e-01),
    (3.0e-04, 6.99e-01), (4.0e-04, 1.02), (5.0e-04, 1.25), (7.0e-04, 1.53), (1.0e-03, 1.76),
    (2.0e-03, 1.95), (3.0e-03, 1.93), (5.0e-03, 1.77), (7.0e-03, 1.60), (1.0e-02, 1.41),
    (2.0e-02, 1.01), (3.0e-02, 7.96e-01), (5.0e-02, 5.74e-01), (7.0e-02, 4.55e-01),
    (1.0e-01, 3.50e-01), (2.0e-01, 2.05e-01), (3.0e-01, 1.48e-01), (5.0e-01, 9.69e-02),
    (7.0e-01, 7.26e-02), (1.0, 5.33e-02), (2.0, 2.89e-02), (3.0, 2.00e-02), (5.0, 1.27e-02),
    (7.0, 9.67e-03), (10.0, 7.42e-03), (20.0, 5.27e-03), (30.0, 4.61e-03), (50.0, 4.11e-03),
    (70.0, 3.81e-03), (100.0, 3.60e-03), (200.0, 3.25e-03), (300.0, 3.08e-03),
    (500.0, 3.23e-03), (700.0, 3.43e-03), (1000.0, 3.46e-03),
)  # fmt: skip
#: Electron NIEL in GaAs, (energy MeV, MeV cm^2/g): NRL SCREAM, 10 eV threshold.
ELECTRON_NIEL_GAAS = (
    (1.26e-01, 1.0e-10), (1.41e-01, 1.0e-10), (1.58e-01, 1.0e-10), (1.78e-01, 1.0e-10),
    (2.00e-01, 1.0e-10), (2.24e-01, 1.0e-10), (2.51e-01, 1.0e-10), (2.82e-01, 1.26e-06),
    (3.16e-01, 3.29e-06), (3.55e-01, 5.35e-06), (3.98e-01, 7.46e-06), (4.47e-01, 9.61e-06),
    (5.01e-01, 1.18e-05), (5.62e-01, 1.41e-05), (6.31e-01, 1.65e-05), (7.08e-01, 1.89e-05),
    (7.94e-01, 2.14e-05), (8.91e-01, 2.40e-05), (1.00, 2.66e-05), (1.12, 2.94e-05),
    (1.26, 3.22e-05), (1.41, 3.52e-05), (1.58, 3.81e-05), (1.78, 4.12e-05), (2.00, 4.44e-05),
    (2.24, 4.75e-05), (2.51, 5.08e-05), (2.82, 5.41e-05), (3.16, 5.75e-05), (3.55, 6.09e-05),
    (3.98, 6.43e-05), (4.47, 6.78e-05), (5.01, 7.12e-05), (5.62, 7.48e-05), (6.31, 7.83e-05),
    (7.08, 8.18e-05), (7.94, 8.54e-05), (8.91, 8.89e-05), (10.0, 9.24e-05), (11.2, 9.60e-05),
    (12.6, 9.95e-05), (14.1, 1.03e-04), (15.8, 1.07e-04), (17.8, 1.10e-04), (20.0, 1.13e-04),
    (22.4, 1.17e-04), (25.1, 1.20e-04), (28.2, 1.24e-04), (31.6, 1.27e-04), (35.5, 1.30e-04),
    (39.8, 1.33e-04), (44.7, 1.36e-04), (50.1, 1.39e-04), (56.2, 1.42e-04), (63.1, 1.45e-04),
    (70.8, 1.48e-04), (79.4, 1.50e-04), (89.1, 1.53e-04), (100.0, 1.55e-04),
)  # fmt: skip
#: NIEL of 1-MeV electrons in GaAs, MeV cm^2/g (the table's 1 MeV entry).
ELECTRON_NIEL_1MEV_GAAS = 2.66e-05
#: NRL's electron exponent n (assumption: 1, pure NIEL scaling; module docstring).
ELECTRON_DDD_EXPONENT_N = 1.0
#: Electron-to-proton dose ratio R_ep (assumption: 1; module docstring).
ELECTRON_TO_PROTON_DOSE_RATIO = 1.0
#: Gauss-Legendre nodes over mu = cos(incidence) in (0, 1) for the front hemisphere.
_MU_NODES = 24
#: Exit-energy bins per decade, and the lowest exit energy resolved, MeV (below it the
#: proton NIEL table is zero and electrons are far under their displacement threshold).
_BINS_PER_DECADE = 100
_LOWEST_EXIT_MEV = {"p": 1e-4, "e": 1e-3}
_SECONDS_PER_YEAR = JULIAN_YEAR_DAYS * SECONDS_PER_DAY


@dataclass(frozen=True)
class CellDegradation:
    """A cell type's maximum-power characteristic curve ``P/P0 = 1 - c log10(1 + D/dx)``.

    ``dx_mev_g`` is in proton-equivalent displacement damage dose, MeV/g of GaAs.
    """

    name: str
    c: float
    dx_mev_g: float
    sources: tuple[str, ...]


#: Azur Space 3G30-Advanced (GaInP/GaInAs/Ge, 30 %): datasheet Vmp and Imp at 0, 5e13,
#: 2.5e14, 5e14, 1e15 and 1e16 1-MeV e/cm^2 give Pmp remaining factors 0.963, 0.946, 0.927,
#: 0.888 and 0.630 (tests/orbital/test_solar_cells.py); c and dx fitted to those.
CELLS: dict[str, CellDegradation] = {
    "azur_3g30_advanced": CellDegradation(
        name="Azur Space 3G30-Advanced triple-junction InGaP/GaAs/Ge",
        c=0.3059,
        dx_mev_g=1.772e10,
        sources=(
            "Azur Space, TJ Solar Cell 3G30-Advanced datasheet (bdb_00010891-01-00), "
            "Vmp and Imp against 1-MeV electron fluence",
            "Messenger et al., Prog. Photovolt. 9, 103 (2001): the characteristic curve",
            "c and dx: least-squares fit of that curve to the datasheet's Pmp remaining "
            "factors, fluence times NIEL_e(1 MeV) = 2.66e-5 MeV cm^2/g (SCREAM, GaAs)",
        ),
    ),
}


def _niel(table, energy_mev):
    e, s = np.asarray(table, dtype=float).T
    log_s = np.interp(np.log(energy_mev), np.log(e), np.log(s))
    return np.where(np.asarray(energy_mev) < e[0], 0.0, np.exp(log_s))


def proton_niel_gaas_mev_cm2_g(energy_mev):
    """Proton NIEL in GaAs, MeV cm^2/g (log-log in the SCREAM table; 0 below, flat above)."""
    return _niel(PROTON_NIEL_GAAS, np.maximum(np.asarray(energy_mev, dtype=float), 1e-12))


def electron_niel_gaas_mev_cm2_g(energy_mev):
    """Electron NIEL in GaAs, MeV cm^2/g (log-log in the SCREAM table; 0 below, flat above)."""
    return _niel(ELECTRON_NIEL_GAAS, np.maximum(np.asarray(energy_mev, dtype=float), 1e-12))


def _check_spectrum(label, energy_mev, flux_cm2_s):
    e = np.asarray(energy_mev, dtype=float)
    f = np.asarray(flux_cm2_s, dtype=float)
    if e.ndim != 1 or e.shape != f.shape or e.size < 2:
        raise ValueError(f"{label}: energies and fluxes must be 1-d, same length, >= 2 points")
    if not np.all(np.diff(e) > 0) or e[0] <= 0:
        raise ValueError(f"{label}: energies must be positive and strictly increasing")
    if not np.all(np.isfinite(f)) or np.any(f < 0):
        raise ValueError(f"{label}: integral fluxes must be finite and not negative")
    if np.any(np.diff(f) > 0):
        raise ValueError(f"{label}: an integral flux cannot grow with energy")
    return e, f


def _front_dose_per_s(particle, energy_mev, flux, areal_g_cm2, damage):
    """``0.5 int_0^1 sum dPhi damage(E_out) dmu`` over the front hemisphere, MeV/g/s.

    Binned in exit energy (a log grid plus each tabulated energy's exit energy), each bin
    holding the particles whose incident energies map into it, so the spectrum behind the
    glass is resolved down to the particles that barely get through. Particles above the
    last tabulated energy leave as that energy does.
    """
    nodes, weights = np.polynomial.legendre.leggauss(_MU_NODES)
    mu, w = 0.5 * (nodes + 1.0), 0.5 * weights
    slant = areal_g_cm2 / mu[:, None]
    lowest = _LOWEST_EXIT_MEV[particle]
    top = max(energy_mev[-1], 10.0 * lowest)
    grid = np.geomspace(lowest, top, int(np.ceil(np.log10(top / lowest) * _BINS_PER_DECADE)) + 1)
    tabulated_exit = residual_energy_mev(energy_mev[None, :], slant, particle)
    points = np.sort(
        np.concatenate(
            [np.broadcast_to(grid, (mu.size, grid.size)), np.maximum(tabulated_exit, lowest)],
            axis=1,
        ),
        axis=1,
    )
    incident = incident_energy_mev(points, slant, particle)
    above = integral_flux_at(incident, energy_mev, flux)
    counts = above[:, :-1] - above[:, 1:]
    centres = np.sqrt(points[:, 1:] * points[:, :-1])
    last = tabulated_exit[:, -1]
    lump = np.where(last > 0, flux[-1] * damage(np.maximum(last, lowest)), 0.0)
    per_mu = (damage(centres) * counts).sum(axis=1) + lump
    return 0.5 * float(np.dot(w, per_mu))


def _electron_effective_niel(energy_mev):
    ratio = electron_niel_gaas_mev_cm2_g(energy_mev) / ELECTRON_NIEL_1MEV_GAAS
    return ELECTRON_NIEL_1MEV_GAAS * ratio**ELECTRON_DDD_EXPONENT_N


def displacement_damage_dose_mev_g(
    proton_energy_mev,
    proton_flux_cm2_s,
    electron_energy_mev,
    electron_flux_cm2_s,
    coverglass_mm: float,
    years: float,
) -> float:
    """Proton-equivalent displacement damage dose in a cell's GaAs, MeV/g, over ``years``.

    ``proton_flux_cm2_s`` / ``electron_flux_cm2_s``: orbit-averaged omnidirectional
    integral flux above each energy, 1/(cm^2 s), as AE8/AP8 give it, shapes ``(n_p,)`` and
    ``(n_e,)`` on strictly increasing energies in MeV. ``coverglass_mm``: fused silica
    (2.20 g/cm^3) in front of the cell; behind it an infinite shield. Particles above the
    last energy count at that energy. Method, sources and assumptions: module docstring.

    Raises ValueError for a negative coverglass or duration, negative or growing integral
    fluxes, or energies not strictly increasing.
    """
    if not (np.isfinite(coverglass_mm) and coverglass_mm >= 0):
        raise ValueError(f"coverglass_mm={coverglass_mm}: must be a thickness >= 0 mm")
    if not (np.isfinite(years) and years >= 0):
        raise ValueError(f"years={years}: must be a duration >= 0")
    e_p, f_p = _check_spectrum("protons", proton_energy_mev, proton_flux_cm2_s)
    e_e, f_e = _check_spectrum("electrons", electron_energy_mev, electron_flux_cm2_s)
    areal = 0.1 * coverglass_mm * FUSED_SILICA_DENSITY_G_CM3
    protons = _front_dose_per_s("p", e_p, f_p, areal, proton_niel_gaas_mev_cm2_g)
    electrons = _front_dose_per_s("e", e_e, f_e, areal, _electron_effective_niel)
    rate = protons + electrons / ELECTRON_TO_PROTON_DOSE_RATIO
    return rate * years * _SECONDS_PER_YEAR


def remaining_power_factor(ddd_mev_g, cell: CellDegradation):
    """Remaining maximum power ``P/P0 = 1 - C log10(1 + D/Dx)``, clipped to [0, 1].

    ``ddd_mev_g``: proton-equivalent displacement damage dose, MeV/g (any shape; a float
    in, a float out). Raises ValueError for a negative dose.
    """
    d = np.asarray(ddd_mev_g, dtype=float)
    if np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ValueError("ddd_mev_g: a displacement damage dose must be finite and >= 0 MeV/g")
    factor = np.clip(1.0 - cell.c * np.log10(1.0 + d / cell.dx_mev_g), 0.0, 1.0)
    return float(factor) if factor.ndim == 0 else factor
