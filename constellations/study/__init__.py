"""Trade studies: variants of a scenario planned on Dask (see constellations.study.engine)."""
