"""What the user states: frozen design values (shells, satellite, tables). No I/O, no stage."""
