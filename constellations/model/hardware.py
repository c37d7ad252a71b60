"""Hardware presets: compute payloads and the default satellite, each with its sources.

Masses of terrestrial hardware include racks, power shelves and cooling
manifolds that a flight design would replace; override ``compute_mass_kg``
in the scenario to explore lighter payloads.  Values marked "assumption" are
the planner's own round numbers, not published figures.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ComputePayload:
    """One unit of compute payload: its power, mass and (where published) FLOPS."""

    name: str
    power_w: float
    mass_kg: float
    pflops: float | None
    flops_precision: str | None
    sources: tuple[str, ...]
    accelerators: int = 1


PAYLOADS = {
    p.name: p
    for p in (
        ComputePayload(
            "gb200-nvl72",
            power_w=120_000.0,
            mass_kg=1360.0,
            pflops=180.0,
            flops_precision="bf16 dense",
            accelerators=72,
            sources=(
                "NVIDIA DGX GB200 NVL72 (GTC 2024): 72 Blackwell GPUs, about 120 kW, "
                "1.36 t (3,000 lb), as reported by The Register and ServeTheHome, March 2024.",
                "NVIDIA GB200 NVL72 datasheet: 360 PFLOPS FP16/BF16 with sparsity, 180 dense.",
            ),
        ),
        ComputePayload(
            "gb300-nvl72",
            power_w=135_000.0,
            mass_kg=1360.0,
            pflops=1100.0,
            flops_precision="fp4 dense",
            accelerators=72,
            sources=(
                "NVIDIA GB300 NVL72 (GTC 2025): 72 Blackwell Ultra GPUs, 1.1 exaFLOPS dense FP4.",
                "Power about 120-135 kW per rack (an assumption from industry reports; 132 kW "
                "of DC power shelves in Supermicro's rack); mass assumed equal to the GB200 "
                "NVL72's 1.36 t.",
            ),
        ),
        ComputePayload(
            "h100-dgx",
            power_w=10_200.0,
            mass_kg=130.45,
            pflops=7.9,
            flops_precision="bf16 dense",
            accelerators=8,
            sources=(
                "NVIDIA DGX H100 datasheet: 8 H100 SXM5 GPUs, 10.2 kW maximum, 130.45 kg.",
                "H100 SXM5: 989 TFLOPS BF16 dense per GPU (NVIDIA H100 datasheet), 8 per system.",
            ),
        ),
        ComputePayload(
            "tpu-v4-board",
            power_w=4 * 192.0,
            mass_kg=10.0,
            pflops=4 * 0.275,
            flops_precision="bf16 dense",
            accelerators=4,
            sources=(
                "Google TPU v4 (Jouppi et al., ISCA 2023): 275 TFLOPS BF16, 192 W maximum "
                "per chip, four chips per board.",
                "Board mass 10 kg: assumption (not published).",
            ),
        ),
    )
}

DEFAULT_PAYLOAD = "gb300-nvl72"

#: The satellite a scenario without a [satellite] section gets.  Every figure
#: not taken from the payload preset is an assumption, stated here.
DEFAULT_SATELLITE = {
    "payload": DEFAULT_PAYLOAD,
    "payload_units": 1,
    "bus_power_w": 1500.0,  # assumption: avionics, attitude control, comms, heaters
    "bus_mass_kg": 150.0,  # assumption
    "laser_terminals": 4,  # +Grid: two in-plane and two cross-plane neighbours
    "laser_terminal_power_w": 100.0,  # assumption, optical terminal class
    "laser_terminal_mass_kg": 20.0,  # assumption
    "structure_fraction": 0.10,  # assumption: primary structure and harness
    "design_life_years": 5.0,  # Starlink-class replacement cycle
    "propulsion_dry_kg_per_tonne": 15.0,  # assumption: Hall thrusters, PPU, tanks
    "propellant_kg_per_tonne_year": 5.0,  # placeholder until the drag analysis sizes it
    "propulsion_power_w_per_tonne": 300.0,  # placeholder until the drag analysis sizes it
}
