"""The file formats the stages exchange, each read and written in one module: the template's layout
and stamp (template writes, merge reads), the merged workbook (merge writes, score reads), the
scores file (score writes, report and plan read), and the small tables users supply
(references, national totals, effort, commitments). Stages meet here and through the
methodology, never by importing each other.
"""
