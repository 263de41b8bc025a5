"""The methodology as data: the catalogue of indicators and their rule kinds, the baseline, the province."""
