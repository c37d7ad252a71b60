"""Presentation: terminal tables and the HTML report, from one column definition per table."""
