"""The report a director reads: the ranked gaps against the baseline, pictures, a first page in words."""
