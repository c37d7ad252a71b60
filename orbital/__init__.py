"""Physics of orbital data-center constellations: arrays in, arrays out.

One module per physical concern.  Nothing here knows about scenario files,
presets or plots; the planner in :mod:`constellations` calls these functions
and :mod:`viz` draws what they return.

State layout used everywhere: positions are ``(n_sat, n_t, 3)`` arrays in km,
the layout python-sgp4's ``SatrecArray`` returns.
"""
