"""Hardware presets: compute payloads and the default satellite, each with its sources.

Masses of terrestrial hardware include racks, power shelves and cooling
manifolds that a flight design would replace; override ``compute_mass_kg``
in the scenario to explore lighter payloads.  Values marked "assumption" are
the planner's own round numbers, not published figures.
"""

from dataclasses import dataclass

#: Google's radiation test of a Trillium TPU with 67 MeV protons: the HBM stack was the
#: most sensitive part, showing irregularities from about 2 krad(Si) and no hard failure
#: up to the 15 krad(Si) tested.
HBM_DOSE_SOURCE = (
    "Dose tolerance 2 krad(Si): onset of HBM irregularities in Google's 67 MeV proton test "
    "of a Trillium TPU, no hard failure up to 15 krad(Si) (Google Research, 'Towards a "
    "future space-based, highly scalable AI infrastructure system design', November 2025)."
)
#: The hard-failure level of the same test, krad(Si).
HBM_HARD_FAILURE_KRAD_SI = 15.0


@dataclass(frozen=True)
class ComputePayload:
    """One unit of compute payload: its power, mass and (where published) FLOPS.

    ``dose_tolerance_krad_si`` is the total ionising dose the unit is designed
    to, krad(Si): where no test of the part is published, the figure of
    Google's Trillium (TPU v6e) proton test, whose most sensitive part was
    its HBM stack (:data:`HBM_DOSE_SOURCE`), which every preset here carries.
    ``enclosure_area_m2`` is the outer area of the box the unit flies in,
    the area added shielding must cover (a thin shell: area x thickness x
    2.70 g/cm^3).
    """

    name: str
    power_w: float
    mass_kg: float
    pflops: float | None
    flops_precision: str | None
    sources: tuple[str, ...]
    accelerators: int = 1
    dose_tolerance_krad_si: float = 2.0
    enclosure_area_m2: float = 1.0


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
            enclosure_area_m2=8.74,
            sources=(
                "NVIDIA DGX GB200 NVL72 (GTC 2024): 72 Blackwell GPUs, about 120 kW, "
                "1.36 t (3,000 lb), as reported by The Register and ServeTheHome, March 2024.",
                "NVIDIA GB200 NVL72 datasheet: 360 PFLOPS FP16/BF16 with sparsity, 180 dense.",
                "Enclosure 8.74 m^2: the 48U MGX rack, 600 x 1,068 x 2,236 mm (NVIDIA GB200 "
                "NVL72 rack specification).",
                HBM_DOSE_SOURCE,
            ),
        ),
        ComputePayload(
            "gb300-nvl72",
            power_w=135_000.0,
            mass_kg=1360.0,
            pflops=1100.0,
            flops_precision="fp4 dense",
            accelerators=72,
            enclosure_area_m2=8.74,
            sources=(
                "NVIDIA GB300 NVL72 (GTC 2025): 72 Blackwell Ultra GPUs, 1.1 exaFLOPS dense FP4.",
                "Power about 120-135 kW per rack (an assumption from industry reports; 132 kW "
                "of DC power shelves in Supermicro's rack); mass assumed equal to the GB200 "
                "NVL72's 1.36 t.",
                "Enclosure 8.74 m^2: assumed the GB200 NVL72 rack (600 x 1,068 x 2,236 mm).",
                HBM_DOSE_SOURCE,
            ),
        ),
        ComputePayload(
            "h100-dgx",
            power_w=10_200.0,
            mass_kg=130.45,
            pflops=7.9,
            flops_precision="bf16 dense",
            accelerators=8,
            enclosure_area_m2=1.85,
            sources=(
                "NVIDIA DGX H100 datasheet: 8 H100 SXM5 GPUs, 10.2 kW maximum, 130.45 kg.",
                "H100 SXM5: 989 TFLOPS BF16 dense per GPU (NVIDIA H100 datasheet), 8 per system.",
                "Enclosure 1.85 m^2: the 8U DGX H100 chassis, 482 x 897 x 356 mm (NVIDIA DGX "
                "H100 datasheet).",
                HBM_DOSE_SOURCE,
            ),
        ),
        ComputePayload(
            "tpu-v4-board",
            power_w=4 * 192.0,
            mass_kg=10.0,
            pflops=4 * 0.275,
            flops_precision="bf16 dense",
            accelerators=4,
            enclosure_area_m2=0.49,
            sources=(
                "Google TPU v4 (Jouppi et al., ISCA 2023): 275 TFLOPS BF16, 192 W maximum "
                "per chip, four chips per board.",
                "Board mass 10 kg: assumption (not published).",
                "Enclosure 0.49 m^2: assumption, a 500 x 400 x 50 mm box.",
                HBM_DOSE_SOURCE,
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
