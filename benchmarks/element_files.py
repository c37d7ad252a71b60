"""Realistic element-set files for the benchmarks, made offline from Walker shells.

:func:`write_catalogue` writes ``n`` satellites as a three-line TLE file (names
padded to 24 columns and CR LF line ends, as CelesTrak serves ``FORMAT=tle``)
and as OMM JSON (through the planner's own ``write_omm``).  The satellites are
Starlink-like Walker shells (``shell_omm_records``) whose elements are then
varied the way a real catalogue varies them: epochs spread over the three days
before the scenario epoch, small eccentricities with random arguments of
perigee, drag terms of both signs over two decades, revolution numbers, launch
designators.  The TLE lines come from python-sgp4's ``exporter.export_tle`` on
the OMM records as ``sgp4.omm.initialize`` reads them, so both files hold the
same satellites.
"""

import datetime

import numpy as np

#: Scenario epoch of the benchmark; element epochs lie in the three days before it.
EPOCH = "2027-01-01T00:00:00Z"
#: Starlink-like shells: (altitude km, inclination deg, planes, satellites per plane).
SHELLS = (
    (550.0, 53.0, 72, 22),
    (540.0, 53.2, 72, 22),
    (570.0, 70.0, 36, 20),
    (560.0, 97.6, 6, 58),
    (530.0, 43.0, 28, 48),
    (480.0, 53.0, 48, 30),
)
#: First catalogue number (Starlink's first launches are in the 44000s).
FIRST_NORAD_CAT_ID = 44_000


def catalogue_records(n: int, seed: int = 0) -> list[dict]:
    """``n`` varied OMM records (dicts with the keys of ``OMM_KEYS``)."""
    from constellations.io.omm import shell_omm_records
    from constellations.model.constellation import Constellation, Shell
    from constellations.stages.resolve import resolve
    from orbital.times import builtin_timescale

    shells, total, k = [], 0, 0
    while total < n:
        altitude, inclination, planes, per_plane = SHELLS[k % len(SHELLS)]
        shells.append(
            Shell.walker(
                f"shell{k}",
                altitude_km=altitude + 2.0 * (k // len(SHELLS)),
                inclination_deg=inclination,
                planes=planes,
                sats_per_plane=per_plane,
                phasing=k % 3,
                raan_deg=7.0 * k,
            )
        )
        total += planes * per_plane
        k += 1
    constellation = Constellation("catalogue", EPOCH, shells=tuple(shells))
    records = [r for shell in resolve(constellation, builtin_timescale()) for r in
               shell_omm_records(shell)][:n]  # fmt: skip
    rng = np.random.default_rng(seed)
    epoch = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    age_s = rng.uniform(0.0, 3 * 86400.0, n)
    eccentricity = np.round(10 ** rng.uniform(-5, -2.7, n), 7)
    argp = np.round(rng.uniform(0.0, 360.0, n), 4)
    bstar = 10 ** rng.uniform(-5, -3, n) * np.where(rng.random(n) < 0.05, -1.0, 1.0)
    ndot = np.round(10 ** rng.uniform(-7, -4, n) * np.where(rng.random(n) < 0.2, -1.0, 1.0), 8)
    motion_noise = rng.normal(0.0, 2e-4, n)
    revolutions = rng.integers(0, 99_999, n)
    launches = rng.integers(1, 120, n)
    for i, record in enumerate(records):
        when = epoch - datetime.timedelta(seconds=float(age_s[i]))
        anomaly = (record["MEAN_ANOMALY"] - argp[i]) % 360.0
        record.update(
            OBJECT_NAME=f"STARLINK-{1000 + i}",
            OBJECT_ID=f"{2019 + launches[i] // 20}-{launches[i]:03d}{'ABCDEFGH'[i % 8]}",
            EPOCH=when.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            MEAN_MOTION=round(record["MEAN_MOTION"] + float(motion_noise[i]), 8),
            ECCENTRICITY=float(eccentricity[i]),
            INCLINATION=round(record["INCLINATION"], 4),
            RA_OF_ASC_NODE=round(record["RA_OF_ASC_NODE"] % 360.0, 4),
            ARG_OF_PERICENTER=float(argp[i]),
            MEAN_ANOMALY=round(anomaly, 4),
            NORAD_CAT_ID=FIRST_NORAD_CAT_ID + i,
            REV_AT_EPOCH=int(revolutions[i]),
            BSTAR=float(f"{bstar[i]:.4e}"),
            MEAN_MOTION_DOT=float(ndot[i]),
        )
    return records


def tle_text(records: list[dict]) -> str:
    """Three-line sets of ``records`` as CelesTrak serves them (``FORMAT=tle``)."""
    from sgp4.api import Satrec
    from sgp4.exporter import export_tle
    from sgp4.omm import initialize

    lines = []
    for record in records:
        satrec = Satrec()
        initialize(satrec, record)
        line1, line2 = export_tle(satrec)
        lines += [record["OBJECT_NAME"].ljust(24), line1, line2]
    return "\r\n".join(lines) + "\r\n"


def write_catalogue(folder, n: int, seed: int = 0) -> dict:
    """Write ``catalogue_{n}.tle`` and ``catalogue_{n}.json`` in ``folder``; their paths."""
    from pathlib import Path

    from constellations.io.omm import write_omm

    records = catalogue_records(n, seed)
    folder = Path(folder)
    tle = folder / f"catalogue_{n}.tle"
    tle.write_bytes(tle_text(records).encode("ascii"))
    omm = write_omm(records, folder / f"catalogue_{n}.json")
    return {"tle": str(tle), "json": str(omm)}
