"""Wijkinzicht: one shared, trustworthy picture of a Dutch neighbourhood."""

__version__ = "0.1.0"
