"""Every table the planner shows, defined once: the terminal and the HTML page render the same.

A :class:`Table` is a title and :class:`Column` definitions; each column
reads one value from a row item (a typed stage result) and formats it.
:mod:`constellations.present.terminal` draws a table with rich,
:mod:`constellations.present.report` as HTML; neither knows a column.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Column:
    """One column: its heading, how to read its text from a row item, and its alignment.

    ``drop_order``: a terminal too narrow for every column leaves out the columns that
    have one, 1 first (and says so under the table); None, the default, keeps the column.
    ``summed``: a count, which a row standing for several shells (an altitude band's
    levels, :mod:`constellations.present.bands`) gives as their total.
    """

    heading: str
    text: Callable[[object], str]
    align: str = "right"
    drop_order: int | None = None
    summed: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table: ``rows(items)`` gives the text of each cell, row by row."""

    title: str
    columns: tuple[Column, ...]

    def rows(self, items) -> list[list[str]]:
        return [[column.text(item) for column in self.columns] for item in items]

    def records(self, items) -> list[dict]:
        """Rows as ``{heading: text}``, for the HTML page."""
        return [dict(zip(self.headings, row, strict=True)) for row in self.rows(items)]

    @property
    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]


def hh_mm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_label(year: int, day_of_year: int) -> str:
    return (date(year, 1, 1) + timedelta(days=day_of_year - 1)).strftime("%d %b")


def season_label(year: int, season) -> str:
    """A season ``(first, last)`` day of the year as dates; a season through New Year says so."""
    if season is None:
        return "none"
    first, last = season
    wraps = " (through New Year)" if first > last else ""
    return f"{day_label(year, first)} - {day_label(year, last)}{wraps}"


# --------------------------------------------------------------------------- shells


def _orbit(item) -> str:
    shell = getattr(item, "shell", None)
    if shell is None:
        return "element set"
    if shell.is_sun_synchronous:
        if shell.ltan_hours is None:
            return "SSO"
        solar_time = " apparent" if shell.ltan_reference == "apparent" else ""
        return f"SSO LTAN {hh_mm(shell.ltan_hours)}{solar_time}"
    return "Walker"


def _walker(text):
    """A column that is empty for element sets (which have no Walker geometry)."""
    return lambda item: text(item) if hasattr(item, "shell") else ""


def _geodetic(resolved) -> str:
    heights = resolved.heights
    if heights is None or not math.isfinite(heights.min_km):
        return "-"
    return f"{heights.min_km:.1f}-{heights.max_km:.1f}"


SHELLS = Table(
    "Shells",
    (
        Column("shell", lambda r: r.shell.name if hasattr(r, "shell") else r.name, "left"),
        Column("alt km", _walker(lambda r: f"{r.shell.altitude_km:g}")),
        Column("geodetic km", _walker(_geodetic)),
        Column("incl deg", _walker(lambda r: f"{r.inclination_deg:.2f}")),
        Column("orbit", _orbit, "left"),
        Column("planes x sats", _walker(lambda r: f"{r.shell.planes} x {r.shell.sats_per_plane}")),
        Column("F", _walker(lambda r: str(r.shell.phasing)), drop_order=3),
        Column("pattern", _walker(lambda r: r.shell.pattern), "left", drop_order=2),
        Column("satellites", lambda r: f"{r.n_sats:,}", summed=True),
        Column("period min", _walker(lambda r: f"{r.period_min:.2f}"), drop_order=1),
        Column("user ms", _walker(lambda r: f"{_user_latency_ms(r):.2f}"), drop_order=4),
    ),
)


def _user_latency_ms(resolved) -> float:
    from orbital.user_link import one_way_latency_ms

    return float(one_way_latency_ms(resolved.shell.altitude_km))


# --------------------------------------------------------------------------- sunlight

SUNLIGHT = Table(
    "worst plane of each shell (mean over planes)",
    (
        Column("shell", lambda s: f"{s.resolved.shell.name} (plane {s.worst.plane})", "left"),
        Column(
            "sunlit %",
            lambda s: (
                f"{100 * s.worst.sunlit_fraction_year:.2f} "
                f"({100 * s.mean.sunlit_fraction_year:.2f})"
            ),
        ),
        Column(
            "max eclipse min",
            lambda s: f"{s.worst.max_eclipse_min:.1f} ({s.mean.max_eclipse_min:.1f})",
        ),
        Column(
            "eclipse days",
            lambda s: f"{s.worst.eclipse_days} ({s.mean.eclipse_days:.0f})",
            drop_order=2,
        ),
        Column(
            "longest season", lambda s: season_label(s.worst.year, s.worst.eclipse_season), "left"
        ),
        Column(
            "beta deg",
            lambda s: f"{s.worst.min_beta_deg:.1f} .. {s.worst.max_beta_deg:.1f}",
            drop_order=1,
        ),
    ),
)


def sunlight_table(year) -> Table:
    """:data:`SUNLIGHT` titled with its year."""
    return Table(f"Sunlight in {year}: {SUNLIGHT.title}", SUNLIGHT.columns)


def shells_table(constellation) -> Table:
    """:data:`SHELLS` titled with the scenario, its size and its epoch."""
    from constellations.records import epoch_text

    title = (
        f"{constellation.name}: {plural(constellation.n_sats, 'satellite')} at epoch "
        f"{epoch_text(constellation.epoch)}"
    )
    return Table(title, SHELLS.columns)


def shells_notes(resolved) -> list[str]:
    """The note under the shells table: what ``alt km`` and ``geodetic km`` mean, and each
    shell's mean height above the WGS-84 ellipsoid (none without Walker shells)."""
    from orbital.constants import EARTH_RADIUS_WGS72_KM
    from orbital.user_link import USER_MIN_ELEVATION_DEG

    if not resolved:
        return []
    means = [
        f"{r.shell.name} {r.heights.mean_km:.1f}"
        for r in resolved
        if r.heights is not None and math.isfinite(r.heights.mean_km)
    ]
    mean = f" (the mean: {', '.join(means)} km)" if means else ""
    return [
        "alt km: SGP4's mean semi-major axis less the WGS-72 equatorial radius "
        f"({EARTH_RADIUS_WGS72_KM:,.3f} km); geodetic km: the least and the greatest height "
        f"above the WGS-84 ellipsoid over one orbit{mean}; user ms: one-way light time to a "
        f"sea-level user seeing the satellite at {USER_MIN_ELEVATION_DEG:g} deg elevation, the "
        "lowest a user terminal serves"
    ]


def sunlight_notes(illumination, fleet=None) -> list[str]:
    """The notes under the sunlight table: LTAN drift of SSO shells, the fleet over an orbit."""
    inclination = {"sgp4": "SGP4's sun-synchronous inclination", "j2": "J2-only inclination"}
    notes = [
        f"{s.resolved.shell.name}: the SSO node drifts "
        f"{round(s.resolved.ltan_drift_min_per_year, 1) + 0.0:+.1f} "
        f"min of local time a year under SGP4 ({inclination[s.resolved.sso_inclination]}); "
        "the year's figures follow that drift"
        for s in illumination.shells
        if s.resolved.ltan_drift_min_per_year is not None
    ]
    if fleet is not None:
        notes.append(fleet_note(fleet))
    return notes


def fleet_note(fleet) -> str:
    """The fleet's sunlight over one orbit from the epoch, and how many satellites failed.

    ``fleet`` is a :class:`~constellations.stages.illumination.FleetSunlight`.
    """
    failed = int(fleet.failed.max()) if len(fleet.failed) else 0
    lost = f"; {plural(failed, 'satellite')} failed (left out)" if failed else ""
    if not math.isfinite(fleet.orbit_mean_visible_fraction):
        return f"Fleet over one orbit from the epoch: no working satellite{lost}"
    return (
        f"Fleet over one orbit from the epoch: {100 * fleet.orbit_mean_visible_fraction:.2f} "
        f"% of full-Sun power on average, {100 * fleet.min_visible_fraction:.2f} % at the least"
        + lost
    )


# --------------------------------------------------------------------------- sizing


def _sized(text):
    """A column of a closed shell; a shell that does not close shows its reason once."""
    return lambda c: text(c.sized.sizing, c) if c.closes else ""


SIZING = Table(
    "Power, thermal and mass per tonne",
    (
        Column("shell", lambda c: c.name, "left"),
        Column("kW/t sun", _sized(lambda s, c: f"{s.compute_kw_per_tonne:.1f}")),
        Column(
            "kW/t avg",
            _sized(lambda s, c: f"{s.compute_kw_per_tonne_orbit_average:.1f}"),
            drop_order=2,
        ),
        Column("array m2/t", _sized(lambda s, c: f"{s.array_m2_per_tonne:.1f}")),
        Column("radiator m2/t", _sized(lambda s, c: f"{s.radiator_m2_per_tonne:.1f}")),
        Column(
            "battery kWh/t", _sized(lambda s, c: f"{s.battery_kwh_per_tonne:.1f}"), drop_order=3
        ),
        Column("mass kg", _sized(lambda s, c: f"{s.satellite_mass_kg:,.0f}")),
        Column("largest overhead", _sized(lambda s, c: s.binding_constraint), "left", drop_order=1),
        Column(
            "closes",
            lambda c: (
                ("yes" if c.converged else "yes (not converged)")
                if c.closes
                else f"no: {c.not_closed}"
            ),
            "left",
        ),
    ),
)


def sizing_table(closure) -> Table:
    """:data:`SIZING` titled with the design's battery policy (the same for every shell)."""
    policy = closure.design.battery.policy
    return Table(f"{SIZING.title}, battery policy {policy}", SIZING.columns)


#: Names listed in a note before "and N more".
LISTED_NAMES = 5


def _listed(names, details=None) -> str:
    """The first :data:`LISTED_NAMES` names (each with its detail), then how many more.

    A name's unprintable characters are written as Python escapes (``\\n``, ``\\x1b``):
    names come from element-set files, and a line break or a terminal escape in one would
    otherwise break the note over lines or into the terminal's control."""
    names = list(names)
    more = len(names) - LISTED_NAMES
    shown = [_printable(str(n)) for n in names[:LISTED_NAMES]]
    if details is not None:
        details = list(details)
        if len(details) != len(names):
            raise ValueError(f"{len(details)} details for {len(names)} names")
        shown = [f"{n} ({d})" for n, d in zip(shown, details[:LISTED_NAMES], strict=True)]
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def _printable(name: str) -> str:
    """``name`` with each character that is not printable (``str.isprintable``) escaped."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def _days_span(low: float, high: float) -> str:
    """``3.0 to 10.0 days before``, ``2.0 days after``, ``from 1.0 days after to 3.0 days before``.

    ``low`` and ``high`` are days, positive before the epoch."""

    def days(value: float) -> str:
        return f"{abs(value):,.1f}"

    if low < 0 <= high:
        return f"from {days(low)} days after to {days(high)} days before"
    near, far = sorted((days(low), days(high)), key=lambda d: float(d.replace(",", "")))
    span = near if near == far else f"{near} to {far}"
    return f"{span} days {'before' if low >= 0 else 'after'}"


def element_set_notes(checks) -> list[str]:
    """One line per element set on how far its elements are from the epoch, and a warning
    each for elements past ``stale_after_days``, for sets that repeat an earlier set of the
    file (counted from 1 in the file) and for satellites failed before the epoch.

    ``checks`` are :class:`~constellations.stages.elements.ElementSetCheck`.
    """
    notes = []
    for check in checks:
        gap = check.epoch_gap_days
        notes.append(
            f"element set {check.name}: {plural(check.n_sats, 'satellite')}, element epochs "
            f"{_days_span(float(gap.min()), float(gap.max()))} the scenario epoch"
        )
        stale = check.stale
        if stale.any():
            n_stale = int(stale.sum())
            notes.append(
                f"warning: element set {check.name}: {plural(n_stale, 'satellite')} of "
                f"{check.n_sats:,} {'has' if n_stale == 1 else 'have'} elements more than "
                f"{check.stale_after_days:g} days from the epoch, where SGP4's error has grown "
                "by tens of km or more: "
                + _listed(
                    check.stale_names,
                    [f"{abs(d):,.1f} d {'before' if d >= 0 else 'after'}" for d in gap[stale]],
                )
            )
        repeated = check.copies
        if repeated:
            one = len(repeated) == 1
            planned = "is planned as a satellite" if one else "are planned as satellites"
            notes.append(
                f"warning: element set {check.name}: {plural(len(repeated), 'set')} of "
                f"{check.n_sats:,} {'repeats' if one else 'repeat'} an earlier set exactly "
                "(catalogue number, epoch and elements; in this file or an element set listed "
                f"before it) and {planned} of {'its' if one else 'their'} own; remove the "
                "copies if they are one satellite: "
                + _listed(
                    [check.object_names[index] for index, _, _ in repeated],
                    [_copy_place(check.name, *copy) for copy in repeated],
                )
            )
        failed = check.failed_names
        if failed:
            notes.append(
                f"warning: element set {check.name}: {plural(len(failed), 'satellite')} of "
                f"{check.n_sats:,} had failed in SGP4 (decayed) before the epoch and "
                f"{'is' if len(failed) == 1 else 'are'} left out: " + _listed(failed)
            )
    return notes


def _copy_place(name: str, index: int, holder: str, earlier: int) -> str:
    """``set 12 repeats set 3`` (from 1 in the file), naming the other element set when the
    earlier copy is in another one's file."""
    where = "" if holder == name else f" of element set {_printable(holder)}"
    return f"set {index + 1} repeats set {earlier + 1}{where}"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 satellite``, ``2 satellites``, with thousands separators; ``nouns`` is the plural
    when it is not ``noun`` + s (``plural(n, "entry", "entries")``)."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def mass_table(closed) -> Table:
    """Where each tonne goes (kg per tonne), one column per closed shell; rows are subsystems."""
    columns = [Column("per tonne", lambda part: part, "left")]
    for c in closed:
        breakdown = c.sized.sizing.mass_breakdown_kg_per_tonne
        columns.append(
            Column(
                f"{c.name} kg",
                lambda part, b=breakdown: (
                    f"{sum(b.values()):.0f}" if part == "total" else f"{b[part]:.0f}"
                ),
            )
        )
    return Table("Mass per tonne", tuple(columns))


def mass_rows(closed) -> list[str]:
    """The subsystems of the mass table, in the closure's order, then the total."""
    return [*closed[0].sized.sizing.mass_breakdown_kg_per_tonne, "total"] if closed else []


def sizing_notes(closure) -> list[str]:
    """One line per shell: why it does not close, or its satellite, FLOPS per tonne and both
    battery policies."""
    notes = [f"{c.name}: {c.not_closed}" for c in closure.shells if not c.closes]
    for c in closure.closed:
        s = c.sized.sizing
        line = (
            f"{c.name}: satellite {s.satellite_mass_kg:,.0f} kg carrying "
            f"{s.satellite_compute_kw:.1f} kW of compute"
        )
        if s.pflops_per_tonne is not None:
            line += (
                f", {s.pflops_per_tonne:.1f} PFLOPS per tonne ({closure.design.flops_precision})"
            )
        ride, shed = c.sized.policies["ride_through"], c.sized.policies["shed"]
        line += (
            f"; ride_through {ride.compute_kw_per_tonne:.1f} kW/t with "
            f"{ride.battery_kg_per_tonne:.0f} kg/t of battery; shed "
            f"{shed.compute_kw_per_tonne:.1f} kW/t in sun "
            f"({shed.compute_kw_per_tonne_orbit_average:.1f} orbit-average), "
            f"{shed.lost_compute_kwh_per_tonne_year:,.0f} kWh/t of compute lost a year"
        )
        notes.append(line)
        if c.drag is not None and c.drag.out_of_range is not None:
            notes.append(f"{c.name}: no propulsion budget for drag: {c.drag.out_of_range.message}")
    return notes


def solution_line(s) -> str:
    """A ``--solve-for`` answer as one sentence."""
    if s.reachable:
        return (
            f"{s.shell}: {s.parameter} = {s.value:.6g} reaches {s.target_kw_per_tonne:g} kW/t "
            f"(now {s.current_value:.6g}, {s.current_kw_per_tonne:.1f} kW/t)"
        )
    span = s.range_kw_per_tonne
    reach = f"{span[0]:.1f} to {span[1]:.1f} kW/t" if span else "nothing that closes"
    return (
        f"{s.shell}: no {s.parameter} in {s.searched[0]:g}..{s.searched[1]:g} reaches "
        f"{s.target_kw_per_tonne:g} kW/t with every other assumption held (that range gives "
        f"{reach})"
    )


# --------------------------------------------------------------------------- drag


def _case(text):
    """A drag column that is not a bound anywhere: ``text(case)``."""

    def cell(row) -> str:
        return text(row[1])

    return cell


def _upper(value_of, fmt: str):
    """A drag column whose values are upper bounds above the density model (the values at
    its top, which the density only falls from): there ``<`` and the value rounded *up* at
    the column's precision, so that the bound stays true and never reads ``<0``; ``-``
    where the bound is not a positive number."""

    def cell(row) -> str:
        closure, case = row
        value = value_of(case)
        if closure.drag.out_of_range is None:
            return format(value, fmt)
        if not (math.isfinite(value) and value > 0):
            return "-"
        return "<" + format(_rounded_up(value, fmt), fmt)

    return cell


#: Relative slack below which a value counts as already on its printed step (float
#: rounding of ``value / step``), so that 0.3 at one decimal prints 0.3, not 0.4.
_ON_STEP_RTOL = 1e-9


def _rounded_up(value: float, fmt: str) -> float:
    """``value`` > 0 rounded up to the last digit ``fmt`` (``.1f``, ``,.0f``, ``.2e``) prints."""
    digits = int(fmt.split(".")[-1].rstrip("ef")) if "." in fmt else 0
    exponent = math.floor(math.log10(value)) if fmt.endswith("e") else 0
    step = 10.0 ** (exponent - digits)
    return math.ceil(value / step * (1.0 - _ON_STEP_RTOL)) * step


#: Beyond a century an uncontrolled lifetime says only that the orbit does not clear itself
#: within any mission's horizon: the tables print "> 36,525" days (the JSON keeps the figure).
LIFETIME_HORIZON_YEARS = 100.0


def _lifetime(row) -> str:
    """Days to reentry (a lower bound, ``>``, above the density model, rounded down), or
    past the horizon."""
    from orbital.constants import JULIAN_YEAR_DAYS

    closure, case = row
    days = case.lifetime_days_uncontrolled
    horizon_days = LIFETIME_HORIZON_YEARS * JULIAN_YEAR_DAYS
    if days > horizon_days:
        return f">{horizon_days:,.0f}"
    if closure.drag.out_of_range is None:
        return f"{days:,.0f}"
    # A lower bound rounds down to stay true; one under a day says nothing.
    return f">{math.floor(days):,}" if days >= 1 else "-"


DRAG = Table(
    "Drag and station keeping per tonne (mean drag area; the high case sizes the thrusters)",
    (
        Column("shell", lambda row: row[0].name, "left"),
        Column("case", lambda row: row[1].name, "left"),
        Column("F10.7/Ap", _case(lambda c: f"{c.f107:g}/{c.ap:g}"), drop_order=1),
        Column("density kg/m3", _upper(lambda c: c.density_kg_m3, ".2e")),
        Column("area m2/t", _case(lambda c: f"{c.drag_area_m2_per_tonne:.1f}"), drop_order=2),
        Column("dv m/s/yr", _upper(lambda c: c.dv_m_s_per_year, ",.0f")),
        Column("thrust mN/t", _upper(lambda c: c.thrust_mn_per_tonne, ".1f"), drop_order=3),
        Column("power kW/t", _upper(lambda c: c.thruster_power_kw_per_tonne, ".2f")),
        Column("prop. kg/t/yr", _upper(lambda c: c.propellant_kg_per_tonne_year, ".1f")),
        Column("days to reentry", _lifetime),
    ),
)

# --------------------------------------------------------------------------- radiation


def _phases(values: dict, fmt: str) -> str:
    from constellations.stages.radiation import SOLAR_PHASES

    return " / ".join(format(values[phase], fmt) for phase in SOLAR_PHASES)


def _years(value: float) -> str:
    return "-" if not math.isfinite(value) or value > 1000 else f"{value:.1f}"


def _shielding(mm: float) -> str:
    return "> 50" if not math.isfinite(mm) else f"{mm:.1f}"


RADIATION = Table(
    "Trapped radiation (AP8/AE8 orbit average, solar min / max) and the payload's shielding",
    (
        Column("shell", lambda r: r.name, "left"),
        Column("p >10 MeV /cm2/s", lambda r: _phases(r.proton_flux_cm2_s, ".3g")),
        Column("e >1 MeV /cm2/s", lambda r: _phases(r.electron_flux_cm2_s, ".3g"), drop_order=2),
        Column(
            "rad(Si)/yr",
            lambda r: f"{r.dose_rad_si_per_year:,.0f} ({r.shielding_mm_al:g} mm)",
        ),
        Column("need mm", lambda r: _shielding(r.shielding_needed_mm_al)),
        Column("flown mm", lambda r: f"{r.flown_mm_al:.1f}", drop_order=3),
        Column("added kg", lambda r: f"{r.shielding_kg:,.0f}", drop_order=1),
        Column("life yr", lambda r: _years(r.life_years)),
        Column("cells EOL %", lambda r: f"{100 * r.array_remaining_factor:.1f}", drop_order=4),
    ),
)


def radiation_notes(radiation) -> list[str]:
    """Under the radiation table: the dose method, the tolerance, and where radiation limits."""
    if radiation is None or not radiation.shells:
        return []
    first = radiation.shells[0]
    notes = [
        "rad(Si)/yr: protons and electrons at the centre of an aluminium sphere of the wall's "
        "thickness, the larger solar phase; need mm: the least aluminium keeping "
        f"{first.design_margin:g} x the dose of the {first.design_life_years:g}-year design "
        f"life within the payload's {first.tolerance_krad_si:g} krad(Si); added kg: the "
        "aluminium over the payload's enclosure beyond the wall; life yr: what the tolerance "
        "allows behind what is flown (- beyond 1,000 years); cells EOL %: the solar cells' "
        "power left by the design life's displacement damage behind their coverglass (the "
        "[solar_array] yearly loss comes on top)"
    ]
    notes += [
        f"{r.name}: radiation limits the life to {r.life_years:.1f} years (needs "
        f"{_shielding(r.shielding_needed_mm_al)} mm, flies {r.flown_mm_al:g} mm, the "
        "[radiation] max_shielding_mm_al)"
        for r in radiation.shells
        if r.limits_life
    ]
    return notes


def drag_rows(closure) -> list[tuple]:
    """``(shell closure, drag case)`` pairs of every shell whose drag was found."""
    return [(c, case) for c in closure.shells if c.drag is not None for case in c.drag.cases]


def out_of_range_notes(closure, prefix: str = "") -> list[str]:
    """One line per shell whose drag lies outside the density model's range, saying what
    was taken instead (every command whose figures rest on the closure prints them)."""
    if closure is None:
        return []
    return [
        f"{prefix}{c.name}: {c.drag.out_of_range.message}"
        for c in closure.shells
        if c.drag is not None and c.drag.out_of_range is not None
    ]


def drag_notes(closure) -> list[str]:
    return out_of_range_notes(closure) + [
        f"{c.name}: does not close: {c.not_closed}" for c in closure.shells if c.drag is None
    ]


# --------------------------------------------------------------------------- the mesh

MESH = Table(
    "Laser mesh at the snapshot, and over one orbit",
    (Column("measure", lambda row: row[0], "left"), Column("value", lambda row: row[1])),
)


def _diameter_text(found, form: str) -> str:
    """A diameter with what it is: ``40 (exact)``, or its bracket ``103.5 ms (lower bound;
    at most 127.4 ms)`` (:class:`orbital.network_metrics.Diameter`)."""
    if found.exact:
        return f"{form.format(found.value)} (exact)"
    return f"{form.format(found.lower)} (lower bound; at most {form.format(found.upper)})"


def mesh_rows(network) -> list[tuple[str, str]]:
    """The mesh's figures as ``(measure, value)`` rows."""
    snap, over = network.snapshot, network.over_orbit
    rows = [
        ("topology", network.topology),
        ("links", f"{snap.links:,}"),
        ("clusters (connected components)", f"{snap.components:,}"),
        ("largest cluster", plural(snap.largest_cluster_sats, "satellite")),
        ("its compute", f"{snap.largest_cluster_compute_mw:,.1f} MW"),
        ("hop diameter", _diameter_text(snap.hop_diameter, "{:.0f}")),
        ("latency diameter", _diameter_text(snap.latency_diameter_ms, "{:.1f} ms")),
        ("bisection", f"{snap.bisection_tbps:,.2f} Tbps"),
        (
            "ring all-reduce",
            f"{snap.allreduce_s:,.1f} s for {network.design.allreduce_model_gb:g} GB",
        ),
        (
            "largest cluster over the orbit",
            f"min {int(over.largest_cluster_sats.min()):,}, "
            f"mean {float(over.largest_cluster_sats.mean()):,.0f}",
        ),
        (
            "its compute over the orbit",
            f"min {float(over.largest_cluster_compute_mw.min()):,.1f} MW",
        ),
    ]
    if over.largest_cluster_sats_with_failures is not None:
        rows.append(
            (
                f"with {100 * over.failure_fraction:g} % failed",
                "min " + plural(int(over.largest_cluster_sats_with_failures.min()), "satellite"),
            )
        )
    return rows


# --------------------------------------------------------------------------- formations

FORMATION = Table(
    "Close formation: spacing, drift, station keeping, shading, the cluster's mesh",
    (Column("measure", lambda row: row[0], "left"), Column("value", lambda row: row[1])),
)


def _duration(seconds) -> str:
    if seconds is None or seconds != seconds:
        return "-"
    if seconds == float("inf"):
        return "never"
    if seconds < 2 * 3600:
        return f"{seconds / 60:,.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / 86400:,.1f} days"


def formation_rows(result) -> list[tuple[str, str]]:
    """Every formation's figures as ``(measure, value)`` rows (one block a formation)."""
    rows = []
    for f in result.formations:
        pitch = "spacing" if f.lattice == "3d" else "pitch"
        lattice = f"{f.lattice}, {pitch} {f.radial_pitch_m:g} m"
        rows += [
            (f"{f.name}", f"{f.clusters} x {f.members} members, {lattice}"),
            ("smallest separation (1 orbit)", f"{f.min_separation_m:,.1f} m"),
            ("largest neighbour distance", f"{f.max_neighbour_m:,.1f} m"),
            ("farthest from the chief", f"{f.max_extent_m:,.0f} m"),
            ("keep-out", f"{f.keep_out_m:g} m"),
            ("ballistic coefficient", f"{f.ballistic_coefficient_m2_kg:.4f} m^2/kg"),
        ]
        mismatch = f"{100 * f.ballistic_mismatch:g} %"
        for c in f.cases:
            rows += [
                (
                    f"{c.name}: density, drift {f.drift_distance_m:g} m",
                    f"{c.density_kg_m3:.2e} kg/m^3, {_duration(c.drift_time_s)} ({mismatch})",
                ),
                (
                    f"{c.name}: keeping +/- {f.station_keeping_tolerance_m:g} m",
                    f"{c.station_keeping_m_s_per_year:.3g} m/s, "
                    f"{1000 * c.propellant_kg_per_year:.3g} g a member-year, "
                    f"burn every {_duration(c.burn_interval_s)}",
                ),
                (
                    f"{c.name}: control lost, < {f.keep_out_m:g} m",
                    "after " + _duration(c.first_approach_s)
                    if c.first_approach_s is not None
                    else "not within 30 days",
                ),
            ]
        rows.append(
            (
                f"arrays shaded ({f.array_side_m:.1f} m square, as sized)",
                f"{100 * f.shaded_fraction_epoch:.2f} % (epoch orbit), "
                f"{100 * f.shaded_fraction_worst_month:.2f} % worst month (the arrays are "
                "sized for it)",
            )
        )
        if f.plane_keeping_m_s_per_year_max > 0.0:
            rows.append(
                (
                    "plane keeping (J2, a member-year)",
                    f"{f.plane_keeping_m_s_per_year_mean:.3g} m/s mean, "
                    f"{f.plane_keeping_m_s_per_year_max:.3g} m/s most "
                    f"({f.plane_keeping_propellant_kg_per_year_max:.3g} kg)",
                )
            )
        m = f.mesh
        if m is not None:
            rows += [
                ("cluster links", f"{m.links:,} of {m.capacity_gbps / 1000:g} Tbps, mean "
                 f"{m.mean_link_m or 0:,.0f} m"),
                ("cluster compute", f"{m.compute_mw:,.2f} MW in {m.largest_cluster_sats} members"),
                ("cluster bisection", f"{m.bisection_tbps:,.1f} Tbps"),
                ("cluster ring all-reduce", f"{m.allreduce_s:,.2f} s, {m.hop_diameter:.0f} hops"),
            ]  # fmt: skip
    return rows


# --------------------------------------------------------------------------- cadence


def _last(values, fmt) -> str:
    value = values[-1] if len(values) else None
    return "-" if value is None or value != value else fmt(value)


def _span(c) -> str:
    """The simulated years: ``2027-2036``, or from a first month other than January."""
    if c.first_month.endswith("-01"):
        return f"{c.years[0]}-{c.years[-1]}"
    return f"{len(c.years)} from {c.first_month}"


def compare_table(labels: list[str]) -> Table:
    """Launch plans side by side: one column per scenario; rows from :func:`compare_rows`."""
    return Table(
        "Launch cadence (end of the last simulated year)",
        (Column("", lambda row: row[0], "left"),)
        + tuple(Column(label, lambda row, k=k: row[1][k]) for k, label in enumerate(labels)),
    )


#: The rows of the comparison: a measure and how to read it from a CadenceResult.
COMPARE_ROWS = (
    ("years", lambda c: _span(c)),
    ("vehicle", lambda c: f"{c.vehicle} ({c.payload_t:g} t)"),
    ("flights a year", lambda c: _last(c.flights_per_year, lambda v: f"{v:,.0f}")),
    (
        "of which replacement",
        lambda c: _last(c.replacement_flights_per_year, lambda v: f"{v:,.0f}"),
    ),
    ("satellites in orbit", lambda c: _last(c.satellites_in_orbit, lambda v: f"{v:,.0f}")),
    ("tonnes in orbit", lambda c: _last(c.tonnes_in_orbit, lambda v: f"{v:,.0f}")),
    ("kW per tonne", lambda c: f"{c.kw_per_tonne_used:.1f} ({c.kw_per_tonne_source})"),
    ("installed GW (in sun)", lambda c: _last(c.installed_gw, lambda v: f"{v:,.1f}")),
    (
        "installed GW (orbit avg)",
        lambda c: _last(c.installed_gw_orbit_average, lambda v: f"{v:,.1f}"),
    ),
    ("GW added in year 1", lambda c: f"{c.added_gw_per_year[0]:,.1f}"),
    ("steady state GW", lambda c: f"{c.steady_state_gw:,.1f}"),
    ("cumulative flights", lambda c: _last(c.cumulative_flights, lambda v: f"{v:,.0f}")),
    ("cumulative cost", lambda c: _last(c.cumulative_cost_usd, lambda v: f"${v / 1e9:,.1f} B")),
    ("cost per installed W", lambda c: _last(c.cost_per_watt_usd, lambda v: f"${v:.3f}")),
    (
        "shells full",
        lambda c: _listed([f"{k} {v}" for k, v in c.shell_full.items() if v]) or "none",
    ),
)


def compare_rows(cadences) -> list[tuple[str, list[str]]]:
    return [(name, [read(c) for c in cadences]) for name, read in COMPARE_ROWS]
