"""``orbital-dc study``: the run a designer makes (store, page, table), the refusals it
meets before any work (one line, exit 2), and an existing cluster by its address."""

import textwrap

import pytest
from helpers import STUDY_BASE, run_cli

BASE = STUDY_BASE

STUDY = """
[study]
name = "tiny-mc"
base = "base.toml"
design = "latin-hypercube"
samples = 64
seed = 3
outputs = ["kw_per_tonne", "lcoc_usd_per_kw_year", "installed_gw"]
pareto = ["lcoc_usd_per_kw_year", "installed_gw"]

[[parameters]]
path = "satellite.compute_kw"
distribution = "uniform"
low = 60.0
high = 150.0

[[parameters]]
path = "launch.cost_per_kg_usd"
distribution = "lognormal"
median = 100.0
sigma = 0.8
"""


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "base.toml").write_text(BASE)
    (tmp_path / "study.toml").write_text(textwrap.dedent(STUDY))
    return tmp_path


def test_a_study_writes_its_store_and_page_and_prints_its_table(folder):
    done = run_cli(
        "study",
        "study.toml",
        "--store",
        "out.zarr",
        "--html",
        "out.html",
        "--workers",
        "1",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    assert "What the study found" in done.stdout
    assert "lcoc_usd_per_kw_year" in done.stdout
    page = (folder / "out.html").read_text()
    assert page.count('<script type="text/plain" id="orbital-dc-plotly">') == 1  # embedded once
    assert "<dd>orbital-dc study study.toml --store out.zarr --html out.html" in page  # footer
    assert "Pareto front" in page and "<script src=" not in page
    assert (folder / "out.zarr" / "zarr.json").is_file()
    # Nothing else written beside them.
    assert sorted(p.name for p in folder.iterdir()) == [
        "base.toml",
        "out.html",
        "out.zarr",
        "study.toml",
    ]
    # The store again without --resume is refused; with it, nothing is left to compute.
    again = run_cli("study", "study.toml", "--store", "out.zarr", "--workers", "1", cwd=folder)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "--resume" in again.stderr
    resumed = run_cli(
        "study", "study.toml", "--store", "out.zarr", "--resume", "--workers", "1", cwd=folder
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "0 of 1 chunks" in resumed.stdout.replace("\n", " ")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--resume",), "no such folder; run the study without --resume"),
        (("--scheduler", "tcp://127.0.0.1:9"), "no Dask scheduler answers"),
        (("--workers", "0"), "must be 1 or more"),
        (("--workers", "100000"), "a core of this machine"),
        (("--scheduler", "foo"), "--scheduler foo: not a scheduler's address"),
        (("--scheduler", "http://x:80"), "write it as tcp://HOST:PORT"),
        (("--html", "."), "--html .: is a folder; give a file name such as out.html"),
    ],
)
def test_refusals_are_one_line_and_exit_2(folder, args, says):
    done = run_cli("study", "study.toml", "--store", "new.zarr", *args, cwd=folder)
    assert done.returncode == 2
    assert says in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert not (folder / "new.zarr").exists()


def test_a_wrong_path_names_the_closest_key(folder):
    (folder / "study.toml").write_text(
        textwrap.dedent(STUDY).replace("satellite.compute_kw", "satellite.compute_kws")
    )
    done = run_cli("study", "study.toml", "--store", "new.zarr", cwd=folder)
    assert done.returncode == 2
    assert "did you mean 'satellite.compute_kw'?" in done.stderr
    assert not (folder / "new.zarr").exists()


def test_a_shipped_study_is_named_like_a_preset(folder):
    done = run_cli("study", "claim-1mt-uncertainy", "--store", "x.zarr", cwd=folder)
    assert done.returncode == 2
    assert "did you mean the shipped study 'claim-1mt-uncertainty'?" in done.stderr


def test_an_existing_cluster_runs_the_same_study_by_its_address(folder):
    from dask.distributed import LocalCluster

    from constellations.io.study import read_study
    from constellations.study.engine import run_study

    study = read_study(folder / "study.toml")
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        run = run_study(study, store=folder / "remote.zarr", scheduler=cluster.scheduler_address)
    assert run.cluster_start_s < 30 and run.chunks_computed == run.chunks_total
    assert int((run.dataset["reason"] == 0).sum()) == 64


def test_sigterm_stops_the_cluster_and_the_study_resumes(folder):
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "constellations.cli", "study", "study.toml", "--store", "s.zarr"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (folder / "s.zarr").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    # One line from orbital-dc, and no worker process left to complain of leaked resources.
    assert err.strip().splitlines()[-1].startswith("orbital-dc study: stopped by signal 15")
    assert "leaked" not in err and "Traceback" not in err
    done = run_cli(
        "study", "study.toml", "--store", "s.zarr", "--resume", "--workers", "1", cwd=folder
    )
    assert done.returncode == 0, done.stderr
    assert "of 1 chunks" in done.stdout.replace("\n", " ")
