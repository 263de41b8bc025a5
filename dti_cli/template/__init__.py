"""Data-collection workbooks: one per agency that leads an indicator, one per unit for per-unit inputs."""
