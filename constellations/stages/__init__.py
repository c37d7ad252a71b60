"""One module per stage: typed inputs in, frozen results out. No JSON, no printing."""
