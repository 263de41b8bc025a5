"""The report as JSON: :meth:`Report.to_dict`, exactly (the library's result is the file's content).

Written without indentation: Python's JSON encoder is its fast C encoder only then (indented, the report's JSON took
longer to write than the HTML page and the workbook together). ``python -m json.tool`` shows it indented.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.safety import atomic_output
from .model import Report


def render_json(rep: Report, *, banner: str | None = None) -> str:
    doc = rep.to_dict()
    if banner:
        doc = {**doc, "banner": banner}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False) + "\n"


def write_json(rep: Report, path: str | Path, *, banner: str | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_json(rep, banner=banner), encoding="utf-8")
    return Path(path)
