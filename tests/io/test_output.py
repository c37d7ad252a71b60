"""The positions CSV writer against Python's csv module, the reference for the format."""

import csv
import io

import numpy as np

from constellations.io import positions as output
from constellations.io.positions import write_positions
from orbital.propagation import PositionChunk


def reference_csv(chunks, t_s, table, shell_names) -> str:
    """The rows as csv.writer writes them, one by one (the writer's original form)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sat_id", "shell", "plane", "slot", "t_s", "x_km", "y_km", "z_km"])
    for chunk in chunks:
        for i in range(chunk.stop - chunk.start):
            k = chunk.start + i
            head = [
                int(table["sat_id"][k]),
                shell_names[table["shell"][k]],
                int(table["plane"][k]),
                int(table["slot"][k]),
            ]
            for j, t in enumerate(t_s):
                x, y, z = chunk.positions_km[i, j]
                writer.writerow(head + [f"{t:g}", f"{x:.6f}", f"{y:.6f}", f"{z:.6f}"])
    return out.getvalue()


def test_csv_matches_the_csv_module_byte_for_byte_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "CSV_BLOCK_ROWS", 40)  # 10 satellites a block: blocks and tails
    rng = np.random.default_rng(3)
    n_sat, t_s = 700, np.array([0.0, 30.0, 60.5, 1e6])  # 2,800 rows per 700 satellites
    positions = rng.normal(scale=7000.0, size=(n_sat, len(t_s), 3))
    positions[5, 2] = [-0.0000004, 1e-7, 123456.7890125]  # signs and rounding at the edges
    chunks = [PositionChunk(a, b, positions[a:b]) for a, b in ((0, 250), (250, 251), (251, n_sat))]
    table = {
        "sat_id": np.arange(n_sat) * 7,
        "shell": np.repeat([0, 1, 2], [300, 300, 100]),
        "plane": np.arange(n_sat) % 13,
        "slot": np.arange(n_sat) // 13,
    }
    # Names that csv must quote: a comma, a quote, and a plain one.
    shell_names = ["low,shell", 'the "best" shell', "dd340"]
    path = tmp_path / "p.csv"
    write_positions(
        path,
        iter(chunks),
        n_sat=n_sat,
        t_s=t_s,
        table=table,
        shell_names=shell_names,
        epoch=None,
        frame="itrs",
        dtype=np.float64,
    )
    written = path.read_bytes().decode()
    assert written == reference_csv(chunks, t_s, table, shell_names)
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[1][1] == "low,shell" and rows[-1][1] == "dd340"
