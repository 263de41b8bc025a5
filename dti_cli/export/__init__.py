"""Export: the figures and scores of any number of rounds and years as one long table, and their history.

:func:`tidy` builds the long table (:mod:`.tidy`) from scores files and merged workbooks, after
the baseline's published figures; :meth:`Tidy.write` writes it as CSV, xlsx, Parquet or JSON
(:mod:`.write`), :func:`read_export` reads it back as a DataFrame. :func:`history` lines rounds
up side by side (:mod:`.history`). The stage reads the other stages' files through their format
modules; it never imports them.
"""

from .history import History, Line, Round, history
from .tidy import COLUMNS, LEVELS, Tidy, open_source, tidy
from .write import FORMATS, read_export

__all__ = ["COLUMNS", "FORMATS", "LEVELS", "History", "Line", "Round", "Tidy", "history", "open_source", "read_export", "tidy"]
