"""The cost stage as tables: levelised costs, where each dollar goes, and the cadence's spend."""

import math

from constellations.present.bands import band_names, banded
from constellations.present.tables import Column, Table, plural
from constellations.present.terminal import console, rich_table


def _money(value) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def headline_table(cost) -> Table:
    return Table(
        f"Levelised cost of compute (USD of {cost.dollar_year}, IT delivered)",
        (
            Column("measure", lambda row: row[0], "left"),
            Column("space", lambda row: _money(row[1])),
            Column("ground", lambda row: _money(row[2])),
        ),
    )


def headline_rows(cost) -> list[tuple]:
    space, ground = cost.space, cost.ground
    rows = [
        ("USD per kW-year", float(space.usd_per_kw_year), float(ground.usd_per_kw_year)),
        ("USD per MWh", float(space.usd_per_mwh()), float(ground.usd_per_mwh())),
        (
            f"USD per GPU-hour ({cost.kw_per_gpu:.2f} kW)",
            float(space.usd_per_gpu_hour(cost.kw_per_gpu)),
            float(ground.usd_per_gpu_hour(cost.kw_per_gpu)),
        ),
    ]
    if cost.pflops_per_kw is not None:
        precision = f" ({cost.flops_precision})" if cost.flops_precision else ""
        rows.append(
            (
                f"USD per PFLOP-day{precision}",
                float(space.usd_per_pflop_day(cost.pflops_per_kw)),
                float(ground.usd_per_pflop_day(cost.pflops_per_kw)),
            )
        )
    return rows


WATERFALL = Table(
    "Where each dollar goes (USD per kW-year of IT delivered)",
    (
        Column("item", lambda row: row[0], "left"),
        Column("space", lambda row: _money(row[1])),
        Column("ground", lambda row: _money(row[2])),
    ),
)


def waterfall_rows(cost) -> list[tuple]:
    """``(item, space, ground)``, items that cost something on either side, largest first."""
    space, ground = cost.space.by_item, cost.ground.by_item
    items = list(space) + [k for k in ground if k not in space]
    rows = [
        (item, float(space[item]) if item in space else None,
         float(ground[item]) if item in ground else None)
        for item in items
    ]  # fmt: skip
    rows = [r for r in rows if (r[1] or 0.0) > 0.0 or (r[2] or 0.0) > 0.0]
    return sorted(rows, key=lambda r: -max(r[1] or 0.0, r[2] or 0.0))


SHELLS = Table(
    "Each shell's satellite, priced",
    (
        Column("shell", lambda s: s.name, "left"),
        Column("sats", lambda s: f"{s.satellites:,}", summed=True),
        Column("mass t", lambda s: f"{s.satellite_mass_kg / 1000:.2f}"),
        Column("USD M", lambda s: f"{(sum(s.hardware_usd.values()) + s.launch_usd) / 1e6:,.2f}"),
        Column("IT kW", lambda s: f"{s.it_kw:,.0f}"),
        Column("delivered", lambda s: f"{100 * s.delivered_share:.0f} %"),
        Column("life yr", lambda s: f"{s.service_life_years:.1f}"),
        Column("USD/kW-yr", lambda s: _money(float(s.levelised.usd_per_kw_year))),
    ),
)

BY_YEAR = Table(
    "Spend along the cadence (USD millions; IT delivered in GW-years)",
    (
        Column("year", lambda r: str(r[0]), "left"),
        Column("launched", lambda r: f"{r[1]:,.0f}"),
        Column("hardware", lambda r: f"{r[2] / 1e6:,.0f}"),
        Column("launch", lambda r: f"{r[3] / 1e6:,.0f}"),
        Column("operations and fleet", lambda r: f"{r[4] / 1e6:,.0f}"),
        Column("delivered", lambda r: _gw_years(r[5])),
    ),
)


def _gw_years(kw_years: float) -> str:
    """GW-years to three significant figures (a small fleet delivers thousandths)."""
    gw = kw_years / 1e6
    return f"{gw:,.0f}" if gw >= 1000 else f"{gw:.3g}"


def by_year_rows(cost) -> list[tuple]:
    return list(
        zip(
            (int(y) for y in cost.years),
            cost.launched_per_year,
            cost.hardware_usd_per_year,
            cost.launch_usd_per_year,
            cost.operations_usd_per_year,
            cost.delivered_kw_years_per_year,
            strict=True,
        )
    )


def cost_notes(cost) -> list[str]:
    """The verdict, the breakevens and what decides them, one line each."""
    ratio = cost.ratio
    verdict = (
        f"space costs {ratio:.2f} times the ground"
        if ratio >= 1
        else f"space costs {ratio:.2f} of the ground (cheaper)"
    )
    gap = {
        item: float(value) - float(cost.ground.by_item.get(item, 0.0))
        for item, value in cost.space.by_item.items()
    }
    deciding = sorted((k for k in gap if gap[k] > 0), key=lambda k: -gap[k])[:3]
    notes = [
        f"{verdict} at these prices; the largest items in orbit above the ground's: "
        + ", ".join(f"{k} ({gap[k]:,.0f})" for k in deciding)
    ]
    if cost.space_as_claimed is not None:
        claimed = float(cost.space_as_claimed.usd_per_kw_year)
        notes.append(
            f"as claimed ({cost.claimed_kw_per_tonne:g} kW per tonne): {claimed:,.0f} USD per "
            f"kW-year, {cost.ratio_as_claimed:.2f} times the ground; as sized "
            f"({cost.sized_kw_per_tonne:.1f} kW per tonne across the layout): "
            f"{float(cost.space.usd_per_kw_year):,.0f}, {cost.ratio:.2f} times"
        )
    if math.isfinite(cost.breakeven_launch_usd_per_kg):
        notes.append(
            f"breakeven launch price: {cost.breakeven_launch_usd_per_kg:,.1f} USD/kg "
            "(space costs what the ground does)"
        )
    else:
        notes.append(f"no breakeven launch price: {cost.breakeven_launch_note}")
    if math.isfinite(cost.breakeven_array_usd_per_w):
        notes.append(f"breakeven array price: {cost.breakeven_array_usd_per_w:,.2f} USD/W")
    else:
        notes.append(f"no breakeven array price: {cost.breakeven_array_note}")
    if not cost.mesh_counted:
        notes.append(
            "the laser mesh was not run: every satellite is counted as in its shell's largest "
            "cluster (orbital-dc cost and plan take the others off)"
        )
    notes.append(
        f"{plural(cost.ground_stations, 'optical ground station')} for the downlink; the "
        f"fleet's own costs spread over {cost.program_years:g} years"
    )
    return notes


COMPARE = Table(
    "Levelised cost of compute (USD per kW-year of IT delivered)",
    (
        Column("scenario", lambda r: r[0], "left"),
        Column("space", lambda r: _money(r[1])),
        Column("ground", lambda r: _money(r[2])),
        Column("ratio", lambda r: f"{r[3]:.2f}"),
        Column("breakeven USD/kg", lambda r: _money(r[4])),
    ),
)


def compare_rows(columns) -> list[tuple]:
    """One row per ``(label, CostResult)``, and one more where a claim's kW per tonne is priced."""
    rows = []
    for label, cost in columns:
        ground = float(cost.ground.usd_per_kw_year)
        if cost.space_as_claimed is not None:
            claimed = float(cost.space_as_claimed.usd_per_kw_year)
            rows.append(
                (f"{label} (as claimed)", claimed, ground, cost.ratio_as_claimed, float("nan"))
            )
        sized = f"{label} (as sized)" if cost.space_as_claimed is not None else label
        rows.append(
            (
                sized,
                float(cost.space.usd_per_kw_year),
                ground,
                cost.ratio,
                cost.breakeven_launch_usd_per_kg,
            )
        )
    return rows


def print_cost(plan) -> None:
    """The cost stage's tables and notes on stdout."""
    cost = plan.cost
    out = console()
    out.print(rich_table(headline_table(cost), headline_rows(cost)))
    out.print(rich_table(WATERFALL, waterfall_rows(cost)))
    bands = band_names(plan.constellation.shells)
    out.print(rich_table(*banded(SHELLS, cost.shells, lambda s: s.name, bands)))
    out.print(rich_table(BY_YEAR, by_year_rows(cost), cost_notes(cost)))
