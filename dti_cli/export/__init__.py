"""Tidy exports and trends across rounds and years."""
