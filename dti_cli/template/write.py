"""Writing a run's workbooks: one per assignment, into a folder, never over a file without ``force``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ..core import i18n
from ..core.errors import OutputError
from ..core.i18n import _
from ..core.safety import atomic_output
from ..formats import template as layout
from ..methodology.assign import Assignment
from ..methodology.context import Context
from .book import write_book
from .contact import Contact, focal_contact
from .parallel import default_workers, run_shared
from .prefill import last_year
from .shared import Shared
from .texts import Round

#: What a workbook costs besides its rows, in rows (to share the workbooks out evenly).
COST_PER_BOOK = 25


@dataclass
class TemplateRun:
    """What a run wrote, and what its workbooks left as placeholders (``contact``, ``deadline``)."""

    folder: Path
    year: int = 0
    written: list[tuple[Assignment, Path]] = field(default_factory=list)
    contact: Contact = field(default_factory=lambda: Contact(""))
    deadline: date | None = None
    lang: str = "vi"

    @property
    def placeholders(self) -> list[str]:
        """What the workbooks could not say: no contact person, no deadline."""
        return [k for k, missing in (("contact", not self.contact.given), ("deadline", self.deadline is None)) if missing]


def write_templates(ctx: Context, items: list[Assignment], out_dir: str | os.PathLike, *, force: bool = False,
                    deadline: date | None = None, contact: str | None = None, prefill: str | os.PathLike | None = None,
                    generated_at: datetime | None = None, workers: int | None = None, banner: str | None = None) -> TemplateRun:
    """Write one workbook per assignment into ``out_dir`` (created if missing), in the run's language.

    Nothing is written when one of the files exists, unless ``force``. ``contact``: the focal
    point's contact person as typed ("Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn"), over the
    profile's ``[focal_point]``. ``prefill``: last year's merged workbook, whose values are shown
    beside this year's cells. ``workers``: processes writing (default: one per processor, see
    :mod:`.parallel`). ``banner``: printed on every page (the demo's "SỐ LIỆU MẪU").
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(_("{path}: is a file, not a folder; -o takes the folder the workbooks are written into.").format(path=out))
    targets = [(a, out / layout.file_name(a.unit.id, ctx.year)) for a in items]
    if not force:
        existing = [p.name for _a, p in targets if p.exists()]
        if existing:
            shown = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
            raise OutputError(_("{path}: {n} of the workbooks are already there ({files}); nothing was written. "
                                "Add --force to replace them, or choose another folder with -o.").format(path=out, n=len(existing), files=shown))
    merged = None
    if prefill is not None:
        from ..formats.merged import read_merged

        merged = read_merged(prefill, ctx.catalogue)
    lang = i18n.language()
    run = TemplateRun(folder=out, year=ctx.year, contact=focal_contact(ctx.profile.focal_point, contact), deadline=deadline, lang=lang)
    rnd = Round(year=ctx.year, baseline_year=ctx.baseline.year, province=ctx.profile.name_full, source=ctx.catalogue.source_in(lang),
                deadline=deadline, contact=run.contact, lang=lang, banner=banner)
    shared = Shared(ctx, rnd, prefill=merged is not None)
    shared.prepare(items)
    when = (generated_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    inputs = [prefill] if prefill is not None else []

    def write(target: tuple[Assignment, Path]) -> None:
        a, path = target
        last = last_year(merged, ctx.catalogue, a.unit.id) if merged is not None else None
        with atomic_output(path, force=force, inputs=inputs) as tmp:
            write_book(tmp, shared, a, stamp(ctx, a, lang, when), last)

    n = default_workers(len(targets)) if workers is None else max(1, workers)
    run_shared(targets, write, cost=lambda t: COST_PER_BOOK + len(t[0].inputs), workers=n)
    run.written.extend(targets)
    return run


def stamp(ctx: Context, a: Assignment, lang: str, generated_at: str) -> dict[str, str]:
    """The hidden stamp of one workbook (keys in the layout's order, values text)."""
    cat = ctx.catalogue
    values = {
        "format": layout.FORMAT, "format_version": layout.FORMAT_VERSION, "catalogue_id": cat.id, "catalogue_version": cat.version,
        "catalogue_sha256": cat.sha256, "province_id": ctx.profile.id, "province": ctx.profile.name, "unit_id": a.unit.id,
        "unit_name": a.unit.name, "unit_kind": a.unit_kind, "year": str(ctx.year), "generated_at": generated_at, "lang": lang,
        "data_sheet": layout.sheet_title("data", lang), "input_ids": ",".join(i.id for i in a.inputs),
    }
    return {k: values[k] for k in layout.STAMP_KEYS}
