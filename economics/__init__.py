"""Levelised cost arithmetic: prices and lifetimes in, dollars per kW-year of IT out.

Pure NumPy and independent of the planner: every function broadcasts over
leading axes, so a trade study evaluates many variants in one call.
:mod:`economics.levelised` discounts and levelises, :mod:`economics.space`
prices a compute satellite over its service life, :mod:`economics.ground`
prices the same compute in a ground data center.
"""
