"""The planner: constellation designs, scenario files, presets, plan() and the CLI.

The public API, for notebooks::

    from constellations import load_scenario, plan, plan_figures
    constellation = load_scenario("dawn-dusk-340")
    kept = {}
    result = plan(constellation, keep=kept)
    figures = plan_figures(constellation, result, kept)  # (heading, plotly Figure) pairs

Names are imported on first use, so that the CLI's ``--help`` stays instant.
"""

_EXPORTS = {
    "Constellation": "constellations.model.constellation",
    "ElementSet": "constellations.model.constellation",
    "Shell": "constellations.model.constellation",
    "ScenarioError": "constellations.errors",
    "load_scenario": "constellations.io.scenario",
    "parse_scenario": "constellations.io.scenario",
    "preset_names": "constellations.io.scenario",
    "plan": "constellations.planner",
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
