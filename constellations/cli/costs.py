"""The command that prices the compute: ``cost``."""

from constellations.cli.commands import _emit, _plan_shells, _skipped
from constellations.present import tables
from constellations.present.cost_tables import print_cost
from constellations.present.terminal import console


def cmd_cost(args) -> int:
    from constellations.records import cost_record

    plan = _plan_shells(args, {"cost", "network"}, "to price")

    def show_cost():
        if plan.cost is None:
            _skipped(plan)
            return
        print_cost(plan)
        for note in tables.out_of_range_notes(plan.closure):
            console().print(note, markup=False)

    record = {
        "scenario": plan.constellation.name,
        "skipped": dict(plan.skipped),
        "cost": None if plan.cost is None else cost_record(plan.cost, plan.constellation.cost),
    }
    _emit(record, args.json, "cost JSON", show_cost)
    return 0
