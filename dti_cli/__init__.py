"""dti: the provincial Digital Transformation Index (DTI) of Vietnam, from data collection to report."""

__version__ = "0.1.0"
