"""The report a director reads: the ranked gaps against the baseline, pictures, a first page in words.

:func:`build_report` (``model``) turns scores into a :class:`Report`; ``firstpage`` says it in
three to five sentences; ``actions`` gives each gap its concrete step; one module writes each
format (``to_html``, ``to_xlsx``, ``to_md``, ``to_json``, ``to_csv``), and :func:`write_report`
chooses by the file's extension. ``pictures`` feeds the report's numbers to the inline SVG
charts of :mod:`dti_cli.core.charts`.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import UsageError
from ..core.i18n import _
from .model import Report, build_report

__all__ = ["WRITERS", "Report", "build_report", "check_format", "write_report"]

#: File extension → format.
WRITERS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def check_format(path: str | Path) -> str:
    """The format a file name asks for; UsageError for an extension the report is not written in."""
    kind = WRITERS.get(Path(path).suffix.lower())
    if kind is None:
        raise UsageError(_("{path}: the report is written as {formats}; give a file name with one of these extensions.").format(
            path=path, formats=", ".join(sorted(set(WRITERS)))))
    return kind


def write_report(rep: Report, path: str | Path, *, top: int | None = None, banner: str | None = None, force: bool = False,
                 inputs: tuple[str, ...] = ()) -> Path:
    """Write the report in the format its extension names (.xlsx, .html, .md, .json, .csv), through an atomic output."""
    kind = check_format(path)
    if kind == "json":
        from .to_json import write_json

        return write_json(rep, path, banner=banner, force=force, inputs=inputs)
    if kind == "csv":
        from .to_csv import write_csv

        return write_csv(rep, path, banner=banner, force=force, inputs=inputs)
    if kind == "md":
        from .to_md import write_markdown

        return write_markdown(rep, path, top=top, banner=banner, force=force, inputs=inputs)
    if kind == "html":
        from .to_html import write_html

        return write_html(rep, path, top=top, banner=banner, force=force, inputs=inputs)
    from .to_xlsx import write_xlsx

    return write_xlsx(rep, path, banner=banner, force=force, inputs=inputs)
