"""Trade-study statistics on plain arrays: sampling designs, Sobol' indices, the Pareto front.

Independent of the planner: :mod:`studies.designs` draws points over named
parameters (factorial grids, Latin hypercube, scrambled Sobol' sequences,
Saltelli matrices, one-at-a-time sweeps) and maps unit-hypercube samples to
values by inverse CDF; :mod:`studies.sobol` turns the outputs evaluated on a
Saltelli design into first- and total-order indices with bootstrap intervals;
:mod:`studies.pareto` finds the non-dominated designs among several outputs.
"""
