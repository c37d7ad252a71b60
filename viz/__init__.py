"""Figures for people: plotly figures and the HTML report, built from plain arrays and tables.

viz imports nothing from :mod:`constellations`; the planner hands it arrays.
"""
