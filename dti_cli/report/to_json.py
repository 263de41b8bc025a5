"""The report as JSON: :meth:`Report.to_dict`, exactly (the library's result is the file's content)."""

from __future__ import annotations

import json
from pathlib import Path

from ..core.safety import atomic_output
from .model import Report


def render_json(rep: Report, *, banner: str | None = None) -> str:
    doc = rep.to_dict()
    if banner:
        doc = {**doc, "banner": banner}
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def write_json(rep: Report, path: str | Path, *, banner: str | None = None, force: bool = False, inputs: tuple[str, ...] = ()) -> Path:
    with atomic_output(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(render_json(rep, banner=banner), encoding="utf-8")
    return Path(path)
