"""The radiator's hot case: the most environmental flux it absorbs over a shell's beta range.

The orbit-mean flux of :func:`orbital.thermal.radiator_environment` (Sun, albedo and
Earth's infrared on the radiator's faces in its attitude), at beta angles across the
range a shell's planes see in a year; the hot case is the largest.
"""

import numpy as np

from constellations.stages.resolve import ResolvedShell
from orbital.thermal import radiator_environment, radiator_environment_components


def hot_case_radiator_w_m2(
    resolved: ResolvedShell, radiator, beta_range_deg, solar_flux: float
) -> float:
    """Largest orbit-mean absorbed flux (W/m^2, all faces) over the shell's beta range,
    in sunlight of ``solar_flux`` W/m^2."""
    if not radiator.environment:
        return 0.0
    betas = hot_case_betas_deg(beta_range_deg)
    return max(
        radiator_environment(
            b,
            resolved.shell.altitude_km,
            attitude=radiator.attitude,
            absorptivity=radiator.absorptivity,
            emissivity=radiator.emissivity,
            faces=radiator.faces,
            solar_flux_w_m2=solar_flux,
        ).orbit_mean_w_m2
        for b in betas
    )


def hot_case_betas_deg(beta_range_deg) -> np.ndarray:
    """The beta angles (deg) the hot case is sought at: 9 across the range, and 0 if inside."""
    low, high = beta_range_deg
    return np.unique(np.concatenate([np.linspace(low, high, 9), np.clip([0.0], low, high)]))


def hot_case_components(
    resolved: ResolvedShell, radiator, beta_range_deg, solar_flux: float
) -> tuple[np.ndarray, np.ndarray]:
    """The orbit-mean flux a radiator absorbs, split by what scales it, at each hot-case beta.

    :func:`orbital.thermal.radiator_environment` is linear in the absorptivity
    (Sun and albedo) and the emissivity (Earth's infrared), so the flux is
    ``absorptivity * sun + emissivity * ir`` with ``sun`` and ``ir`` (W/m^2,
    all faces, ``(n_beta,)`` over :func:`hot_case_betas_deg`) found once for
    the attitude and faces of ``radiator``.  See :func:`hot_case_from_components`.
    """
    components = np.array(
        [
            radiator_environment_components(
                b,
                resolved.shell.altitude_km,
                attitude=radiator.attitude,
                faces=radiator.faces,
                solar_flux_w_m2=solar_flux,
            )
            for b in hot_case_betas_deg(beta_range_deg)
        ]
    )
    return components[:, 0], components[:, 1]


def hot_case_from_components(sun, ir, absorptivity, emissivity) -> np.ndarray:
    """The hot-case flux, W/m^2: the largest ``absorptivity * sun + emissivity * ir`` over the
    betas, for absorptivities and emissivities that are scalars or arrays ``(n,)``.

    ``sun`` and ``ir`` from :func:`hot_case_components`; the result has the
    broadcast shape of the two (:func:`hot_case_radiator_w_m2` for scalars).
    """
    a = np.asarray(absorptivity, dtype=float)[..., None]
    e = np.asarray(emissivity, dtype=float)[..., None]
    return np.max(a * np.asarray(sun) + e * np.asarray(ir), axis=-1)
