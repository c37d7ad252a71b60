"""The radiation stage: each shell's trapped protons and electrons, the dose behind the
payload's shielding, the aluminium the sizing adds, and when radiation limits the life.

The orbit averages come from NASA's AP8/AE8 (:mod:`orbital.radiation`) at solar
minimum and maximum.  The design takes, at every thickness, the larger of the
two phases' total dose: AP8's protons peak at solar minimum and AE8's electrons
at maximum, and a five-year life sees both.  The dose the payload may take in
its design life is its tolerance over the radiation design margin; the least
aluminium that keeps the yearly dose under that share is the shielding needed.
What it adds beyond the wall the design already has (``[radiation]
shielding_mm_al``, in the structure's mass) is priced as a thin shell over the
payload's enclosure (area x thickness x 2.70 g/cm^3).  Beyond
``max_shielding_mm_al`` the sizing adds no more: the satellite flies the
ceiling and its life is what its tolerance allows there, shorter than the
design life (the plan says radiation, not drag, limits it).
"""

from dataclasses import dataclass

import numpy as np

from constellations.model.band import log_linear, node_indices
from constellations.model.constellation import Constellation
from constellations.model.hardware import PAYLOADS
from constellations.stages.resolve import ResolvedShell

#: Solar-cycle phases of AP8/AE8.
SOLAR_PHASES = ("min", "max")
#: Aluminium, kg per m^2 per mm of thickness (2.70 g/cm^3, CRC Handbook).
ALUMINIUM_KG_M2_PER_MM = 2.70
#: The thicknesses the dose-depth curve is reported at, mm of aluminium.
DOSE_DEPTH_MM_AL = np.array([0.5, 1.0, 2.0, 3.0, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 50.0])
#: The energies the fluxes are quoted above, MeV (the field's usual thresholds).
PROTON_THRESHOLD_MEV = 10.0
ELECTRON_THRESHOLD_MEV = 1.0


@dataclass(frozen=True, eq=False)
class ShellRadiation:
    """One shell's trapped-particle environment and what it asks of the satellite.

    Fluxes are orbit averages, 1/(cm^2 s), above :data:`PROTON_THRESHOLD_MEV`
    and :data:`ELECTRON_THRESHOLD_MEV`, by solar phase.  Dose rates in rad(Si)
    a year behind ``shielding_mm_al`` (the wall as designed), by phase, for
    protons and electrons; ``dose_depth_rad_si_per_year`` the design (larger
    phase) total at each of :data:`DOSE_DEPTH_MM_AL`.  ``shielding_needed_mm_al``
    is the least wall that keeps the design-life dose within tolerance over the
    margin (inf if even 50 mm does not); ``flown_mm_al`` what the satellite
    flies (the wall, raised to the need, capped at the ceiling) and
    ``shielding_kg`` the aluminium that adds a satellite; ``life_years`` what
    the tolerance allows behind ``flown_mm_al`` (inf where the dose is zero);
    ``limits_life`` whether that is shorter than the design life.
    ``ddd_mev_g_per_year`` the solar cells' displacement damage dose a year
    behind their coverglass (the larger phase) and ``array_remaining_factor``
    the share of their power left at the end of the design life.
    """

    name: str
    altitude_km: float
    inclination_deg: float
    spectra: dict
    proton_flux_cm2_s: dict
    electron_flux_cm2_s: dict
    shielding_mm_al: float
    proton_rad_si_per_year: dict
    electron_rad_si_per_year: dict
    dose_depth_rad_si_per_year: np.ndarray
    design_phase: str
    tolerance_krad_si: float
    design_margin: float
    design_life_years: float
    shielding_needed_mm_al: float
    flown_mm_al: float
    shielding_kg: float
    life_years: float
    ddd_mev_g_per_year: float
    array_remaining_factor: float

    @property
    def dose_rad_si_per_year(self) -> float:
        """The design phase's total dose rate behind the wall as designed, rad(Si)/yr."""
        phase = self.design_phase
        return self.proton_rad_si_per_year[phase] + self.electron_rad_si_per_year[phase]

    @property
    def allowed_rad_si_per_year(self) -> float:
        """The dose rate the payload may take over its design life, rad(Si)/yr."""
        return float(
            allowed_dose_rad_si_per_year(
                self.tolerance_krad_si, self.design_margin, self.design_life_years
            )
        )

    @property
    def limits_life(self) -> bool:
        return self.life_years < self.design_life_years


@dataclass(frozen=True, eq=False)
class RadiationResult:
    """The radiation stage: one :class:`ShellRadiation` per Walker shell, in scenario order."""

    shells: tuple[ShellRadiation, ...]

    def of(self, name: str) -> ShellRadiation:
        for shell in self.shells:
            if shell.name == name:
                return shell
        raise KeyError(name)


def shielding_sizing(
    dose_depth_rad_si_per_year,
    tolerance_krad_si,
    design_margin,
    design_life_years,
    wall_mm_al,
    max_mm_al,
    enclosure_area_m2,
):
    """The shielding a satellite needs and flies, and the life its tolerance allows there.

    ``dose_depth_rad_si_per_year`` ``(len(DOSE_DEPTH_MM_AL),)``: the design dose
    rate at each tabulated thickness (falling with thickness); the other
    arguments are floats or arrays ``(n,)`` (a study's samples) that broadcast.
    Between the tabulated thicknesses the curve is interpolated log-log.
    Returns ``(needed_mm_al, flown_mm_al, shielding_kg, life_years)``: the least
    aluminium whose design-life dose, times the margin, stays within the
    tolerance (inf beyond the table's 50 mm); the wall raised to it, capped at
    ``max_mm_al``; the aluminium added over ``enclosure_area_m2`` (kg); and
    the years the tolerance lasts behind what is flown.
    """
    log_mm = np.log(DOSE_DEPTH_MM_AL)
    log_dose = np.log(np.maximum(dose_depth_rad_si_per_year, 1e-300))
    allowed = allowed_dose_rad_si_per_year(tolerance_krad_si, design_margin, design_life_years)
    # np.interp wants rising abscissae: the curve falls, so read it backwards.
    needed = np.exp(np.interp(np.log(allowed), log_dose[::-1], log_mm[::-1]))
    needed = np.where(allowed < dose_depth_rad_si_per_year[-1], np.inf, needed)
    needed = np.where(allowed >= dose_depth_rad_si_per_year[0], DOSE_DEPTH_MM_AL[0], needed)
    flown = np.minimum(np.maximum(wall_mm_al, needed), max_mm_al)
    shielding_kg = enclosure_area_m2 * (flown - wall_mm_al) * ALUMINIUM_KG_M2_PER_MM
    dose_flown = dose_behind_rad_si_per_year(dose_depth_rad_si_per_year, flown)
    with np.errstate(divide="ignore"):
        life = allowed_dose_rad_si_per_year(tolerance_krad_si, design_margin, 1.0) / dose_flown
    return needed, flown, shielding_kg, life


def dose_behind_rad_si_per_year(dose_depth_rad_si_per_year, wall_mm_al):
    """The dose rate behind ``wall_mm_al`` (float or array ``(n,)``, mm of aluminium) read
    off a dose-depth curve ``(len(DOSE_DEPTH_MM_AL),)`` in rad(Si) a year, log-log between
    the tabulated thicknesses (the end values outside them)."""
    log_dose = np.log(np.maximum(dose_depth_rad_si_per_year, 1e-300))
    return np.exp(np.interp(np.log(wall_mm_al), np.log(DOSE_DEPTH_MM_AL), log_dose))


def allowed_dose_rad_si_per_year(tolerance_krad_si, design_margin, design_life_years):
    """The dose rate a payload may take: its tolerance over the margin and the life."""
    return 1000.0 * np.asarray(tolerance_krad_si) / (design_margin * design_life_years)


def payload_dose_limits(radiation, satellite) -> tuple:
    """``(tolerance_krad_si, enclosure_area_m2)`` of a satellite's payload: ``[radiation]``'s
    tolerance or else the hardware preset's, and the area its units' enclosures cover."""
    payload = PAYLOADS[satellite.payload]
    given = radiation.dose_tolerance_krad_si
    tolerance = payload.dose_tolerance_krad_si if given is None else given
    return tolerance, satellite.payload_units * payload.enclosure_area_m2


def shell_doses(spectra: dict, wall_mm_al: float, coverglass_mm: float) -> dict:
    """``{phase: (proton, electron, ddd)}`` of an orbit's spectra by solar phase: the
    proton and electron dose rates (rad(Si)/yr, ``(1 + len(DOSE_DEPTH_MM_AL),)``) behind
    the wall then each tabulated thickness, and the cells' displacement damage dose a year
    behind their coverglass (MeV/g)."""
    from orbital.radiation import dose_depth_rad_si_per_year

    out = {}
    for phase, s in spectra.items():
        # The wall, then the table's thicknesses, in one pass over the spectrum.
        p, e = dose_depth_rad_si_per_year(s, np.append(wall_mm_al, DOSE_DEPTH_MM_AL))
        out[phase] = (p, e, _cell_dose_per_year(s, coverglass_mm))
    return out


def shell_radiation(
    constellation: Constellation, resolved: ResolvedShell, spectra: dict, doses=None
) -> ShellRadiation:
    """One shell's :class:`ShellRadiation` from its spectra by solar phase (and their
    :func:`shell_doses`, when already found)."""
    design = constellation.radiation
    satellite = constellation.satellite
    tolerance, area_m2 = payload_dose_limits(design, satellite)
    life = satellite.spec.design_life_years
    wall = design.shielding_mm_al
    if doses is None:
        doses = shell_doses(spectra, wall, design.coverglass_mm)
    protons, electrons, depth = {}, {}, {}
    for phase, (p, e, _) in doses.items():
        protons[phase], electrons[phase] = float(p[0]), float(e[0])
        depth[phase] = p[1:] + e[1:]
    design_phase = max(SOLAR_PHASES, key=lambda ph: protons[ph] + electrons[ph])
    design_depth = np.max([depth[phase] for phase in SOLAR_PHASES], axis=0)
    needed, flown, shielding_kg, life_years = shielding_sizing(
        design_depth,
        tolerance,
        design.design_margin,
        life,
        wall,
        design.max_shielding_mm_al,
        area_m2,
    )
    ddd_rate = max(float(ddd) for _, _, ddd in doses.values())
    return ShellRadiation(
        name=resolved.shell.name,
        altitude_km=resolved.shell.altitude_km,
        inclination_deg=resolved.inclination_deg,
        spectra=spectra,
        proton_flux_cm2_s={
            ph: s.flux_above("proton", PROTON_THRESHOLD_MEV) for ph, s in spectra.items()
        },
        electron_flux_cm2_s={
            ph: s.flux_above("electron", ELECTRON_THRESHOLD_MEV) for ph, s in spectra.items()
        },
        shielding_mm_al=wall,
        proton_rad_si_per_year=protons,
        electron_rad_si_per_year=electrons,
        dose_depth_rad_si_per_year=design_depth,
        design_phase=design_phase,
        tolerance_krad_si=tolerance,
        design_margin=design.design_margin,
        design_life_years=life,
        shielding_needed_mm_al=float(needed),
        flown_mm_al=float(flown),
        shielding_kg=float(shielding_kg),
        life_years=float(life_years),
        ddd_mev_g_per_year=ddd_rate,
        array_remaining_factor=array_remaining_factor(ddd_rate, life, design.cell),
    )


def _cell_dose_per_year(spectra, coverglass_mm: float) -> float:
    from orbital.solar_cells import displacement_damage_dose_mev_g

    return displacement_damage_dose_mev_g(
        spectra.proton_energy_mev,
        spectra.proton_flux_cm2_s,
        spectra.electron_energy_mev,
        spectra.electron_flux_cm2_s,
        coverglass_mm,
        1.0,
    )


def array_remaining_factor(ddd_mev_g_per_year, design_life_years, cell: str):
    """The cells' remaining power after the design life's displacement damage (floats or
    arrays ``(n,)``), by the cell's curve (:data:`orbital.solar_cells.CELLS`)."""
    from orbital.solar_cells import CELLS, remaining_power_factor

    return remaining_power_factor(
        np.asarray(ddd_mev_g_per_year) * np.asarray(design_life_years), CELLS[cell]
    )


#: The widest altitude step between orbits evaluated in full: the orbits of a family (one
#: inclination, or sun-synchronous) between two evaluated ones are interpolated, log-linear
#: in altitude (measured: see tests/stages/test_radiation_stage.py).
NODE_SPACING_KM = 50.0


def _families(orbits) -> list[list[int]]:
    """Orbit indices grouped by family: sun-synchronous ones together (their inclination
    follows the altitude), the rest by inclination; each sorted by altitude."""
    groups = {}
    for i, (_, inclination, sso) in enumerate(orbits):
        groups.setdefault("sso" if sso else inclination, []).append(i)
    return [sorted(g, key=lambda i: orbits[i][0]) for g in groups.values()]


def _dose_mix(low, high, w: float):
    """Doses log-linear between two orbits' (weight ``w`` on ``high``), linear where either
    is zero (an electron dose behind a wall beyond their range)."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    positive = (low > 0) & (high > 0)
    return np.where(positive, log_linear(low, high, w), (1.0 - w) * low + w * high)


def _mixed_spectra(low, high, w: float):
    """Spectra a fraction ``w`` of the way from ``low``'s orbit to ``high``'s (log-linear)."""
    import dataclasses

    return dataclasses.replace(
        low,
        proton_flux_cm2_s=log_linear(low.proton_flux_cm2_s, high.proton_flux_cm2_s, w),
        electron_flux_cm2_s=log_linear(low.electron_flux_cm2_s, high.electron_flux_cm2_s, w),
    )


def orbit_nodes(orbits) -> tuple[list[int], list]:
    """Which ``(altitude_km, inclination_deg, sso)`` orbits are evaluated in full (each
    family's ends and one at least every :data:`NODE_SPACING_KM`), and for each orbit
    ``(low, high, w)``: it lies a fraction ``w`` of the way in altitude from orbit ``low``
    to orbit ``high`` (both evaluated), or None when it is evaluated itself."""
    full, between = [], [None] * len(orbits)
    for family in _families(orbits):
        altitudes = np.array([orbits[i][0] for i in family])
        nodes = node_indices(altitudes, NODE_SPACING_KM)
        full.extend(family[k] for k in nodes)
        for a, b in zip(nodes[:-1], nodes[1:], strict=True):
            for k in range(a + 1, b):
                w = (altitudes[k] - altitudes[a]) / (altitudes[b] - altitudes[a])
                between[family[k]] = (family[a], family[b], float(w))
    return full, between


def orbit_spectra_by_phase(orbits, epoch) -> list[dict]:
    """``{phase: TrappedSpectra}`` for each ``(altitude_km, inclination_deg, sso)`` orbit.

    One vectorised AP8/AE8 evaluation per solar phase covers the orbits evaluated in full
    (:func:`orbit_nodes`); the others are interpolated log-linear in altitude.
    """
    from orbital.radiation import orbit_spectra_batch

    full, between = orbit_nodes(orbits)
    altitude = np.array([orbits[i][0] for i in full])
    inclination = np.array([orbits[i][1] for i in full])
    evaluated = {
        phase: dict(
            zip(full, orbit_spectra_batch(altitude, inclination, epoch, phase), strict=True)
        )
        for phase in SOLAR_PHASES
    }
    out = []
    for i, mix in enumerate(between):
        if mix is None:
            out.append({phase: evaluated[phase][i] for phase in SOLAR_PHASES})
        else:
            low, high, w = mix
            out.append(
                {
                    phase: _mixed_spectra(evaluated[phase][low], evaluated[phase][high], w)
                    for phase in SOLAR_PHASES
                }
            )
    return out


def trapped_radiation(constellation: Constellation, resolved, progress=None) -> RadiationResult:
    """The radiation stage for every resolved Walker shell.

    Shells flying the same orbit share it; see :func:`orbit_spectra_by_phase` for how
    many orbits are evaluated.  ``progress(n)`` is told as shells are done.
    """
    from astropy.time import Time

    def orbit(r):
        return (r.shell.altitude_km, round(r.inclination_deg, 6), bool(r.shell.is_sun_synchronous))

    orbits = sorted({orbit(r) for r in resolved})
    # The geomagnetic field's epoch: to the second is far finer than AP8/AE8 resolve.
    epoch = Time(constellation.epoch.datetime.replace(tzinfo=None), scale="utc")
    spectra = orbit_spectra_by_phase(orbits, epoch)
    _, between = orbit_nodes(orbits)
    design = constellation.radiation
    # The doses of each orbit evaluated in full; an orbit between two has theirs
    # log-linear in altitude, as its spectra are (a band's levels: a dose a level costs
    # as much as the spectra of a node).
    doses = {
        i: shell_doses(spectra[i], design.shielding_mm_al, design.coverglass_mm)
        for i, mix in enumerate(between)
        if mix is None
    }
    for i, mix in enumerate(between):
        if mix is not None:
            low, high, w = mix
            doses[i] = {
                phase: tuple(
                    _dose_mix(a, b, w)
                    for a, b in zip(doses[low][phase], doses[high][phase], strict=True)
                )
                for phase in SOLAR_PHASES
            }
    index = {o: i for i, o in enumerate(orbits)}
    shells = []
    for r in resolved:
        i = index[orbit(r)]
        shells.append(shell_radiation(constellation, r, spectra[i], doses[i]))
        if progress:
            progress(1)
    return RadiationResult(tuple(shells))
