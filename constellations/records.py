"""Results -> the plan JSON: the only place for its keys, units, rounding and null."""
