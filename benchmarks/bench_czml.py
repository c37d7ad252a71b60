"""Benchmark: ``orbital-dc plan PRESET --czml FILE``: the file's size and the time it adds.

Usage::

    python benchmarks/bench_czml.py [--repeats 3] [--presets dawn-dusk-340 million-340]

Each preset is planned with ``--stages resolve`` (all the CZML needs) in a fresh
interpreter, with and without ``--czml FILE``; the time the CZML adds is the median
difference of the two (imports of astropy for the Sun and czml3 included, as a user
pays them).  The floor ("the raw library"): ``czml3`` itself serialising the same
document, ``Document.dumps()``, timed in this process on the file read back; the time
added is printed as a multiple of it.

Targets (an assumption of the project, the 2-core reference machine): a file under
30 MB (the report's budget for ``million-340``) and under 10 s added.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from common import machine, print_table, timed_cli, verdict

SIZE_TARGET_MB = 30.0
ADDED_TARGET_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--presets", nargs="+", default=["dawn-dusk-340", "million-340"])
    args = parser.parse_args()
    import czml3

    print(json.dumps(machine(("numpy", "sgp4", "czml3", "pydantic"))))
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for preset in args.presets:
            out = os.path.join(folder, f"{preset}.czml")
            base, czml = [], []
            for _ in range(args.repeats):
                seconds, result = timed_cli(["plan", preset, "--stages", "resolve"], folder)
                if result.returncode:
                    raise SystemExit(result.stderr)
                base.append(seconds)
                seconds, result = timed_cli(
                    ["plan", preset, "--stages", "resolve", "--czml", out], folder
                )
                if result.returncode:
                    raise SystemExit(result.stderr)
                czml.append(seconds)
            added = statistics.median(czml) - statistics.median(base)
            size_mb = os.path.getsize(out) / 1e6
            document = czml3.Document.load(out)
            start = time.perf_counter()
            document.dumps()
            floor = time.perf_counter() - start
            line = result.stderr.strip().splitlines()[-1]
            print(f"{preset}: {line}; plan alone {statistics.median(base):.2f} s")
            rows.append(
                (
                    f"{preset} size, MB",
                    len(document.packets) - 1,
                    f"{SIZE_TARGET_MB:g}",
                    f"{size_mb:.1f}",
                    verdict(size_mb, SIZE_TARGET_MB),
                )
            )
            rows.append(
                (
                    f"{preset} time added, s (x czml3 dumps {floor:.2f} s)",
                    len(document.packets) - 1,
                    f"{ADDED_TARGET_S:g}",
                    f"{added:.2f} ({added / floor:.1f}x)",
                    verdict(added, ADDED_TARGET_S),
                )
            )
    print_table(rows, header=("measurement", "entities", "target", "measured", "result"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
