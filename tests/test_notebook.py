"""Jupyter: the quickstart notebook runs and its figures display inline, with no network.

``examples/quickstart.ipynb`` is executed in a fresh ``python3`` kernel (as Jupyter runs it),
from an empty temporary directory.  In an ipykernel kernel plotly picks its
``plotly_mimetype`` renderer: each figure is a ``display_data`` output carrying the
figure's JSON under ``application/vnd.plotly.v1+json``, which JupyterLab, Notebook 7 and
VS Code draw with their own bundled plotly.js, so nothing is fetched from a CDN.
"""

import json
from pathlib import Path

import pytest

NEEDS = "running a notebook needs ipykernel, nbclient and nbformat: pip install -e '.[test]'"
pytest.importorskip("ipykernel", reason=NEEDS)
nbclient = pytest.importorskip("nbclient", reason=NEEDS)
nbformat = pytest.importorskip("nbformat", reason=NEEDS)

NOTEBOOK = Path(__file__).resolve().parent.parent / "examples" / "quickstart.ipynb"
PLOTLY_MIME = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The notebook executed once, from an empty working directory."""
    cwd = tmp_path_factory.mktemp("cwd")
    home = tmp_path_factory.mktemp("jupyter")
    examples = _listing(NOTEBOOK.parent)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as env:
        # The kernel inherits this environment.  Keep IPython's history and the connection
        # file out of the user's home; drop a developer's own plotly renderer (say
        # "browser") so that the kernel shows figures as a plain Jupyter session does.
        env.setenv("IPYTHONDIR", str(home / "ipython"))
        env.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        env.delenv("PLOTLY_RENDERER", raising=False)
        client = nbclient.NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
        )
        client.execute()  # raises CellExecutionError if any cell fails
    return {"notebook": notebook, "cwd": cwd, "examples": examples}


def _listing(directory: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in directory.iterdir()}


def _cell(notebook, tag: str):
    (cell,) = [c for c in notebook.cells if tag in c.metadata.get("tags", [])]
    return cell


def _figure(cell) -> dict:
    """The one figure the cell displays, as plotly JSON."""
    shown = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
    assert len(shown) == 1, cell.outputs
    assert PLOTLY_MIME in shown[0].data, sorted(shown[0].data)
    spec = shown[0].data[PLOTLY_MIME]
    return json.loads(spec) if isinstance(spec, str) else spec


def test_notebook_runs_without_error(run):
    code = [c for c in run["notebook"].cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    printed = "".join(
        o.text for c in code for o in c.outputs if o.output_type == "stream" and o.name == "stdout"
    )
    assert "1,000 satellites" in printed


def test_globe_displays_inline(run):
    figure = _figure(_cell(run["notebook"], "globe"))
    assert "scatter3d" in {trace["type"] for trace in figure["data"]}
    assert "sunlight and shadow" in figure["layout"]["title"]["text"]


def test_chart_displays_inline(run):
    figure = _figure(_cell(run["notebook"], "chart"))
    assert figure["data"] and {trace["type"] for trace in figure["data"]} <= {"scatter"}


def test_figures_need_no_network(run):
    """Nothing displayed loads a script from the web (as the notebook_connected renderer
    would): the figures display offline."""
    outputs = json.dumps([c.get("outputs", []) for c in run["notebook"].cells])
    assert '<script src="http' not in outputs
    assert "cdn.plot.ly" not in outputs


def test_notebook_writes_nothing(run):
    """Not into its working directory, nor beside the notebook (no checkpoints, no saving)."""
    assert _listing(run["cwd"]) == {}
    assert _listing(NOTEBOOK.parent) == run["examples"]
