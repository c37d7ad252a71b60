"""The planner: constellation designs, scenario files, presets, plan() and the CLI.

The public API, for notebooks::

    from constellations import load_scenario, plan, plan_figures
    result = plan(load_scenario("dawn-dusk-340"))     # a typed Plan, one result per stage
    figures = plan_figures(result)                    # (heading, plotly Figure) pairs

Names are imported on first use, so that the CLI's ``--help`` stays instant.
"""

_EXPORTS = {
    "Constellation": "constellations.model.constellation",
    "ElementSet": "constellations.model.constellation",
    "Formation": "constellations.model.formation",
    "OrbitalDcError": "constellations.errors",
    "Plan": "constellations.planner",
    "Shell": "constellations.model.constellation",
    "ScenarioError": "constellations.errors",
    "load_scenario": "constellations.io.scenario",
    "parse_scenario": "constellations.io.scenario",
    "preset_names": "constellations.io.scenario",
    "plan": "constellations.planner",
    "plan_record": "constellations.records",
    "plan_figures": "constellations.present.report",
    "stream_positions": "constellations.stages.propagate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'constellations' has no attribute {name!r}")


def __dir__():
    return __all__
