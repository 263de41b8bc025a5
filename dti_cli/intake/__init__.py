"""Opening a returned workbook safely: format by its bytes, zip checks, a bounded parse → RawWorkbook.

Every file an agency sends back is treated as hostile until read. :func:`open_workbook`

1. refuses what is not a workbook, recognised by its bytes and never by its name: a zero-byte
   file, an Excel lock file (``~$…``), a file over the size limit, a legacy .xls or an encrypted
   .xlsx (both OLE containers; the stream names tell them apart), an .xlsb, CSV, HTML, PDF or
   other text renamed .xlsx, a truncated zip;
2. checks the zip central directory before anything is decompressed: member count, declared
   sizes, total declared size, compression ratio, the encrypted flag, the compression method;
3. decompresses each part it needs itself, in chunks, and stops as soon as a part yields more
   than it declared (a zip bomb that lies about its size), then checks the CRC;
4. parses the XML with expat in a streaming way: any DTD (so any entity, internal or external)
   is refused, and the cell, row, sheet and shared-string counts are bounded as it goes, so a
   sheet that really holds millions of cells is refused without being held in memory.
   The ``<dimension>`` a sheet claims is ignored: every real cell is read.

``open_workbook(path, lazy=True)`` (what merge uses) makes every check above but parses a
worksheet only when it is first asked for; ``wb.finish()`` then checks the sheets nobody asked
for (decompressed with their bounds and CRC, well-formed, no DTD) or, with ``full=True`` or when
they are large, reads them as an eager open does.

Values come back as the file stores them: ``int``/``float`` numbers, ``str`` text (shared,
inline and rich-text strings joined), ``bool``, ``datetime`` for numbers whose style is a date
format (and ``t="d"`` cells), :class:`~dti_cli.intake.cells.ErrorValue` (a ``str`` subclass, e.g.
``"#DIV/0!"``) for error cells, ``None`` for empty cells. A formula cell reads as its cached
value (``None`` when the file has none) and is listed in :attr:`Sheet.formulas`.

**.xls and .ods** (chosen: read them, with a warning). Officials still save as Excel 97-2003 or
from LibreOffice; refusing would only delay the answer by a round of e-mails. They are read with
python-calamine (values only: no defined names, no formulas, so merge finds inputs by the id in
column A) **in a separate process** with a time limit and a memory limit, so that a crash or an
abort in the Rust reader, or a file built to exhaust it, cannot take dti down. The workbook comes
back with a warning-level note (``file.legacy_xls`` or ``file.ods``) so merge can say "please
send .xlsx next time"; when the child fails, the same code is raised as an :class:`IntakeError`.

An :class:`IntakeError` carries a stable ``code`` and a ``message`` in the run's language
(:mod:`dti_cli.core.i18n`), which starts with the file's name and says what to do; an
:class:`IntakeNote` (a file read anyway) carries the same two. Refusal codes (``IntakeError.code``): ``file.not_found``, ``file.unreadable``, ``file.empty``,
``file.lock_file``, ``file.too_large``, ``file.legacy_xls``, ``file.ods``, ``file.encrypted``,
``file.xlsb``, ``file.csv``, ``file.html``, ``file.xml_spreadsheet``, ``file.not_xlsx``,
``file.truncated``, ``file.corrupt``, ``file.zip_bomb``, ``file.zip_method``, ``xml.entities``,
``xml.invalid``, ``file.too_many_sheets``, ``file.too_many_cells``, ``file.too_many_strings``.

The package, one module per job (each a stage of the open, in the order a file meets them):

- ``opener``: :func:`open_workbook` (the checks before any parse, which reader a file's bytes call
  for, an .xlsx assembled from its parts) and :func:`ensure_defused`;
- ``sniff``: what a file is by its bytes;
- ``zipread``: the zip directory checks and the bounded, CRC-checked decompression of each part;
- ``stream``: the streaming expat reader of every part, which decides every refusal;
- ``tree``: the fast path through ElementTree for parts of ordinary size and shape;
- ``cells``: cell references and values, shared by both readers;
- ``legacy``: .xls and .ods through python-calamine in a child process;
- ``model``: the limits, the error, the workbook and its sheets.
"""

from .cells import MAX_COL, MAX_ROW, col_index, col_letters, is_date_format, split_ref
from .model import IntakeError, IntakeNote, Limits, RawWorkbook, Sheet
from .opener import ensure_defused, open_workbook

__all__ = [
    "MAX_COL",
    "MAX_ROW",
    "IntakeError",
    "IntakeNote",
    "Limits",
    "RawWorkbook",
    "Sheet",
    "col_index",
    "col_letters",
    "ensure_defused",
    "is_date_format",
    "open_workbook",
    "split_ref",
]
