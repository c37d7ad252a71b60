"""The scenario's ``[links]`` table: the laser terminals and the mesh they make."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from constellations.model.satellite import MAX_LASER_TERMINALS
from constellations.model.validation import Design, Hint
from orbital.constants import MAX_ALTITUDE_KM
from orbital.links import DEFAULT_GRAZING_ALTITUDE_KM

TOPOLOGIES = ("+grid", "nearest")
#: Terminals a +Grid mesh uses: two in-plane and two cross-plane neighbours.
GRID_TERMINALS = 4
#: Longest link considered, km: a plausibility bound ten times any chord between two
#: satellites below 2,000 km that clears the atmosphere (about 10,700 km), so "no range
#: limit" can be written 100,000.
MAX_RANGE_KM = 100_000.0
#: Capacity of a link, Gbps: up to 100 Tbps, a plausibility bound a thousand times the
#: default; an all-reduce up to 1 PB (the gradients of a 500-trillion-parameter model).
MAX_CAPACITY_GBPS = 1e5
MAX_ALLREDUCE_GB = 1e6
#: Snapshots over an orbit: up to 10,000 (one every 0.6 s of a 96-minute orbit).
MAX_SNAPSHOTS = 10_000
#: A close formation's links: 1.6 Tbps per transceiver pair, the bench figure of Google's
#: Suncatcher (arXiv:2511.19468, "a bench-scale demonstrator ... 800 Gbps each-way (1.6 Tbps
#: total) transmission using a single transceiver pair"), and a 1 km range, the
#: cluster's radius there.
CLUSTER_TRANSCEIVER_GBPS = 1600.0
CLUSTER_RANGE_KM = 1.0


class LinksDesign(Design):
    """The scenario's ``[links]`` table.

    ``inter_shell`` links shells through terminals beyond the +Grid's four.
    Defaults: four terminals (+Grid), 5,000 km range and 100 Gbps per link
    (assumptions of the optical-terminal class flying in LEO mega-constellations),
    80 km grazing altitude (the beam stays above the atmosphere), cross-plane
    links kept at every latitude (``max_cross_plane_latitude_deg = 90``), a
    100 GB all-reduce (the bf16 gradients of a 50-billion-parameter model), 24
    snapshots over an orbit, no failures.  Raises ScenarioError.
    """

    table_name = "[links]"

    topology: Literal[TOPOLOGIES] = Field(
        "+grid", description="+grid: in-plane and cross-plane neighbours; nearest: closest."
    )
    terminals: int = Field(
        GRID_TERMINALS, ge=1, le=MAX_LASER_TERMINALS, description="Laser terminals a satellite."
    )
    max_range_km: float = Field(5000.0, gt=0.0, le=MAX_RANGE_KM, description="Longest link, km.")
    capacity_gbps: float = Field(
        100.0, gt=0.0, le=MAX_CAPACITY_GBPS, description="Capacity a link, Gbps."
    )
    grazing_altitude_km: Annotated[float, Hint("80 km keeps the beam above the atmosphere")] = (
        Field(
            DEFAULT_GRAZING_ALTITUDE_KM,
            ge=0.0,
            le=MAX_ALTITUDE_KM,
            description="Lowest altitude a link's beam may pass, km.",
        )
    )
    max_cross_plane_latitude_deg: float = Field(
        90.0,
        ge=0.0,
        le=90.0,
        description="Cross-plane links are dropped above this latitude, degrees.",
    )
    allreduce_model_gb: float = Field(
        100.0, gt=0.0, le=MAX_ALLREDUCE_GB, description="Size of the all-reduce, GB."
    )
    snapshots: int = Field(24, ge=1, le=MAX_SNAPSHOTS, description="Mesh snapshots over an orbit.")
    failure_fraction: float = Field(
        0.0, ge=0.0, lt=1.0, description="Share of satellites failed at random."
    )
    failure_seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the failures.")
    inter_shell: bool = Field(
        False, description="+grid: spare terminals (beyond 4) link to the nearest other shell."
    )
    cluster_range_km: float = Field(
        CLUSTER_RANGE_KM,
        gt=0.0,
        le=MAX_RANGE_KM,
        description="Formations: longest link between members of a cluster, km.",
    )
    cluster_terminals: int = Field(
        6,
        ge=1,
        le=MAX_LASER_TERMINALS,
        description="Formations: links a member may hold (6: a hexagonal lattice's neighbours).",
    )
    cluster_transceiver_gbps: float = Field(
        CLUSTER_TRANSCEIVER_GBPS,
        gt=0.0,
        le=MAX_CAPACITY_GBPS,
        description="Formations: rate of one transceiver pair, Gbps (arXiv:2511.19468's bench).",
    )
    cluster_transceivers: int = Field(
        1, ge=1, le=1000, description="Formations: transceiver pairs a link."
    )
    cluster_field_of_regard_deg: float = Field(
        90.0,
        ge=0.0,
        le=90.0,
        description="Formations: a link's largest elevation out of the orbital plane, degrees "
        "(90: any direction).",
    )

    @property
    def cluster_capacity_gbps(self) -> float:
        """Capacity of a link between members of a formation, Gbps."""
        return self.cluster_transceiver_gbps * self.cluster_transceivers

    @model_validator(mode="after")
    def _enough_terminals(self):
        if self.topology == "+grid" and self.terminals < GRID_TERMINALS:
            raise ValueError(
                f"terminals={self.terminals}: +grid needs at least {GRID_TERMINALS} per "
                "satellite (two in-plane and two cross-plane neighbours)"
            )
        if self.inter_shell and self.topology == "+grid" and self.terminals <= GRID_TERMINALS:
            raise ValueError(
                f"inter_shell = true with terminals={self.terminals}: +grid uses four; "
                "give at least 5 so a spare terminal can reach the next shell"
            )
        return self
