"""The scenario's ``[links]`` table: the laser terminals and the mesh they make."""

from dataclasses import dataclass

TOPOLOGIES = ("+grid", "nearest")


@dataclass(frozen=True)
class LinksDesign:
    """The scenario's ``[links]`` table.

    ``inter_shell`` links shells through terminals beyond the +Grid's four.
    Defaults: four terminals (+Grid), 5,000 km range and 100 Gbps per link
    (assumptions of the optical-terminal class flying in LEO mega-constellations),
    80 km grazing altitude (the beam stays above the atmosphere), cross-plane
    links kept at every latitude (``max_cross_plane_latitude_deg = 90``), a
    100 GB all-reduce (the bf16 gradients of a 50-billion-parameter model), 24
    snapshots over an orbit, no failures.
    """

    topology: str = "+grid"
    terminals: int = 4
    max_range_km: float = 5000.0
    capacity_gbps: float = 100.0
    grazing_altitude_km: float = 80.0
    max_cross_plane_latitude_deg: float = 90.0
    allreduce_model_gb: float = 100.0
    snapshots: int = 24
    failure_fraction: float = 0.0
    failure_seed: int = 0
    inter_shell: bool = False  # +grid: spare terminals (beyond 4) link to the nearest other shell

    def __post_init__(self):
        if self.topology not in TOPOLOGIES:
            raise ValueError(f'[links] topology={self.topology!r}: must be "+grid" or "nearest"')
        if isinstance(self.terminals, bool) or not isinstance(self.terminals, int):
            raise ValueError(f"[links] terminals={self.terminals!r}: must be a whole number")
        need = 4 if self.topology == "+grid" else 1
        if self.terminals < need:
            raise ValueError(
                f"[links] terminals={self.terminals}: {self.topology} needs at least {need} per "
                "satellite (two in-plane and two cross-plane neighbours for +grid)"
            )
        if not self.max_range_km > 0:
            raise ValueError(f"[links] max_range_km={self.max_range_km}: must be positive")
        if not self.capacity_gbps > 0:
            raise ValueError(f"[links] capacity_gbps={self.capacity_gbps}: must be positive")
        if self.grazing_altitude_km < 0:
            raise ValueError(
                f"[links] grazing_altitude_km={self.grazing_altitude_km}: must not be negative "
                "(80 km keeps the beam above the atmosphere)"
            )
        if not 0 <= self.max_cross_plane_latitude_deg <= 90:
            raise ValueError("[links] max_cross_plane_latitude_deg must be between 0 and 90")
        if not self.allreduce_model_gb > 0:
            raise ValueError("[links] allreduce_model_gb must be positive")
        if (
            isinstance(self.snapshots, bool)
            or not isinstance(self.snapshots, int)
            or (self.snapshots < 1)
        ):
            raise ValueError(f"[links] snapshots={self.snapshots!r}: must be a whole number >= 1")
        if not 0 <= self.failure_fraction < 1:
            raise ValueError("[links] failure_fraction must be at least 0 and below 1")
        if self.inter_shell and self.topology == "+grid" and self.terminals < 5:
            raise ValueError(
                f"[links] inter_shell = true with terminals={self.terminals}: +grid uses four; "
                "give at least 5 so a spare terminal can reach the next shell"
            )
