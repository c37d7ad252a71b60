"""What the benchmark scripts share: isolated workers, the machine, the results table."""

import json
import os
import platform
import resource
import subprocess
import sys
from importlib import metadata

GB = 10**9


def timed_cli(args, cwd) -> tuple[float, "subprocess.CompletedProcess"]:
    """Wall seconds of ``orbital-dc ARGS`` in a fresh interpreter in ``cwd``, and its result
    (output captured as text, warnings off)."""
    import time

    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "constellations.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return time.perf_counter() - start, result


#: The planner's packages, compiled to bytecode by :func:`compile_planner` (as an installed
#: copy's are, or any copy's after its first run where Python may write its cache).
PLANNER_PACKAGES = ("constellations", "orbital", "viz", "economics", "studies")


def compile_planner() -> str:
    """Compile the planner's modules to bytecode in place (their ``__pycache__``, ignored by
    git), once, and say so: the state a user's second run starts from.  A machine that sets
    ``PYTHONDONTWRITEBYTECODE`` (this project's reference machine does) would otherwise have
    every fresh interpreter compile them again, about 0.5 s that is CPython's, not the
    planner's.  Returns the line to print."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    folders = [os.path.join(root, package) for package in PLANNER_PACKAGES]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=True)
    return "the planner's modules compiled to bytecode first (a second run's state)"


def peak_rss_bytes() -> int:
    """Peak resident memory of this process so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_worker(script: str, kind: str, spec: dict) -> dict:
    """Run one measurement of ``script`` in a fresh interpreter; its peak RSS is its own.

    The script answers ``--worker PAYLOAD`` with a JSON object on its last line.
    """
    payload = json.dumps({"kind": kind, "spec": spec})
    done = subprocess.run(
        [sys.executable, os.path.abspath(script), "--worker", payload],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} {spec} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_worker_at(revision: str, script: str, kind: str, spec: dict) -> dict:
    """:func:`run_worker` on the planner as it was at git ``revision`` of this repository,
    unpacked into a temporary folder that comes first on the import path.  The worker's
    answer must carry ``module``, the path of a module it imported, to prove which code ran.
    """
    import tempfile

    root = os.path.dirname(os.path.dirname(os.path.abspath(script)))
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(  # from the root: in a subfolder git archives only that
            ["git", "-C", root, "archive", revision], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        payload = json.dumps({"kind": kind, "spec": spec})
        done = subprocess.run(
            [sys.executable, "-B", os.path.abspath(script), "--worker", payload],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": folder},
            cwd=folder,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"baseline {revision} failed:\n{done.stderr}")
        answer = json.loads(done.stdout.strip().splitlines()[-1])
        if not answer["module"].startswith(folder):
            raise SystemExit(f"baseline {revision} ran {answer['module']}, not its own code")
    return answer


def _first_field(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def machine(packages=("numpy", "sgp4")) -> dict:
    """Cores, memory, CPU model, Python and the versions of ``packages``."""
    memory = _first_field("/proc/meminfo", "MemTotal")
    if memory is not None:
        memory = f"{int(memory.split()[0]) * 1024 / GB:.1f} GB"
    info = {
        "nproc": len(os.sched_getaffinity(0)),
        "memory": memory or "unknown",
        "cpu": _first_field("/proc/cpuinfo", "model name") or "unknown",
        "python": platform.python_version(),
    }
    for name in packages:
        info[name] = metadata.version(name)
    return info


def verdict(measured: float, target: float | None) -> str:
    if target is None:
        return "-"
    return "PASS" if measured <= target else "FAIL"


def print_table(
    rows, header=("measurement", "n_sat", "target", "measured", "result"), right=(1,)
) -> None:
    """Rows under ``header``, aligned: columns in ``right`` to the right, the rest left."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print(line)
    for row in rows:
        cells = [str(c) for c in row]
        print(
            "  ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    print(line)


def answer_worker(payload: str, workers: dict) -> int:
    """The worker side of :func:`run_worker`: run the named measurement, print its JSON."""
    job = json.loads(payload)
    print(json.dumps(workers[job["kind"]](job["spec"])))
    return 0


def constellation_from_spec(spec: dict):
    """A preset (``{"preset": name}``) or one Walker shell from its numbers.

    ``phasing`` defaults to 0; ``snapshots`` sets the mesh's snapshots per orbit.
    """
    from constellations.io.scenario import load_scenario
    from constellations.model.constellation import Constellation, Shell
    from constellations.model.links import LinksDesign

    if "preset" in spec:
        return load_scenario(spec["preset"])
    shell = Shell.walker(
        "bench",
        altitude_km=spec["altitude_km"],
        inclination_deg=spec["inclination_deg"],
        planes=spec["planes"],
        sats_per_plane=spec["sats_per_plane"],
        phasing=spec.get("phasing", 0),
    )
    links = LinksDesign(**({"snapshots": spec["snapshots"]} if "snapshots" in spec else {}))
    return Constellation("bench", "2027-01-01T00:00:00Z", shells=(shell,), links=links)


def seconds_text(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{1000 * seconds:.1f} ms"


def gb_text(n_bytes: float) -> str:
    return f"{n_bytes / GB:.2f} GB"


def finish(rows, notes) -> int:
    """Print the table and the notes; exit status 1 when a target failed."""
    print_table(rows)
    for note in notes:
        print(f"- {note}")
    return 1 if any(row[-1] == "FAIL" for row in rows) else 0
