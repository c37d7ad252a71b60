"""Files in and out: scenarios and presets, OMM/TLE, positions, GraphML, the atomic writer."""
