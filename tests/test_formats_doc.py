"""docs/FORMATS.md stays true: its tables marked ✱ are parsed and compared with workbooks written now.

The demo writes a whole round in Vietnamese and in English (templates, merged workbook, scores,
report, plan, commitment workbooks); a template with ``--prefill`` (column O) and an export are
written beside it. Each check returns what disagrees, so a test says every difference at once,
and the last tests change the document and see each check fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "FORMATS.md"
LANGS = ("vi", "en")
UNIT = "so-tc"  # a unit with a template and a commitment workbook in the demo
#: The stamp table's columns → the demo's workbook of that format.
STAMPED = ("template", "merged", "scores", "commitments", "report", "plan", "export")


# ---------------------------------------------------------------------------------------------
# The document


def table(text: str, title: str) -> list[dict[str, str]]:
    """The rows of the first table under the heading ``title`` (the ✱ mark ignored), keyed by its header cells."""
    lines = text.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("#") and line.lstrip("#").replace("✱", "").strip() == title]
    assert heads, f"docs/FORMATS.md has no heading {title!r}"
    rows: list[list[str]] = []
    for line in lines[heads[0] + 1:]:
        if line.startswith("#"):
            break
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    assert len(rows) > 2, f"no table under {title!r}"
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[2:]]


def plain(cell: str) -> str:
    """A cell without its code marks: '`Dữ liệu`' → 'Dữ liệu'."""
    return cell.replace("`", "").strip()


def listed(cell: str) -> list[str]:
    """A cell that lists, comma-separated: '`a`, `b`' → ['a', 'b']."""
    return [plain(x) for x in cell.split(",")]


# ---------------------------------------------------------------------------------------------
# The files


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(context, {lang: the demo's folder}): a round in each language, plus a prefilled template and an export."""
    from dti_cli import api
    from dti_cli.core import i18n
    from dti_cli.demo import run_demo
    from dti_cli.methodology.assign import assignments_for
    from dti_cli.methodology.context import load_context
    from dti_cli.template import write_templates

    ctx = load_context()
    folders = {}
    for lang in LANGS:
        d = tmp_path_factory.mktemp(f"formats-{lang}") / "round"
        with i18n.using(lang):
            run_demo(ctx, d)
            write_templates(ctx, assignments_for(ctx, UNIT), d / "prefill", prefill=d / "merged.xlsx", workers=1)
            api.export(ctx, d / "scores.xlsx").write(d / "export.xlsx")
        folders[lang] = d
    return ctx, folders


def paths(ctx, d: Path) -> dict[str, Path]:
    return {"template": d / "1-phieu-mau" / f"DTI{ctx.year}_{UNIT}.xlsx", "prefill": d / "prefill" / f"DTI{ctx.year}_{UNIT}.xlsx",
            "merged": d / "merged.xlsx", "scores": d / "scores.xlsx", "commitments": d / "3-cam-ket" / f"DTI{ctx.year}_cam-ket_{UNIT}.xlsx",
            "report": d / "bao-cao-dti.xlsx", "plan": d / "ke-hoach.xlsx", "export": d / "export.xlsx"}


_books: dict[Path, openpyxl.Workbook] = {}


def book(path: Path) -> openpyxl.Workbook:
    if path not in _books:
        _books[path] = openpyxl.load_workbook(path)
    return _books[path]


def sheet(wb: openpyxl.Workbook, title: str):
    return wb[title] if title in wb.sheetnames else None


def stamp(path: Path) -> dict[str, str]:
    return {r[0]: r[1] for r in book(path)["_dti"].iter_rows(values_only=True) if r[0] is not None}


def row(ws, n: int) -> list:
    values = [c.value for c in ws[n]]
    while values and values[-1] is None:
        values.pop()
    return values


def header(ws) -> list:
    """The header row: the first with more than one filled cell (a title or banner line above it has one)."""
    for n in range(1, ws.max_row + 1):
        values = row(ws, n)
        if sum(v is not None for v in values) > 1:
            return values
    return []


# ---------------------------------------------------------------------------------------------
# The checks: each returns what the document and the files disagree on


def check_template_columns(text: str, ctx, folders) -> list[str]:
    from dti_cli.formats import template as layout

    rows = table(text, "Data sheet columns")
    out = []
    ids = [(r["col"], plain(r["id"])) for r in rows]
    code = [(letter, key) for letter, (key, _t, _w) in layout.COLUMNS.items()]
    if ids != code:
        out.append(f"template columns: the document has {ids}, formats/template.py {code}")
    years = {"year": ctx.year, "baseline_year": ctx.baseline.year}
    for lang in LANGS:
        p = paths(ctx, folders[lang])
        want = {r["col"]: plain(r[f"header {lang}"]).format(**years) for r in rows}
        data_title = stamp(p["prefill"])["data_sheet"]
        got = dict(zip(want, row(book(p["prefill"])[data_title], layout.HEADER_ROW), strict=False))
        for letter, header_ in want.items():
            if got.get(letter) != header_:
                out.append(f"template ({lang}, --prefill) column {letter}: the document says {header_!r}, the workbook {got.get(letter)!r}")
        plain_row = row(book(p["template"])[data_title], layout.HEADER_ROW)
        if plain_row != [want[c] for c in want if c != layout.PREFILL_COL]:
            out.append(f"template ({lang}) without --prefill: header row {plain_row}")
    return out


def check_sheet_titles(text: str, ctx, folders) -> list[str]:
    out = []
    for title, kind in (("Template sheets", "template"), ("Merged sheets", "merged"), ("Scores sheets", "scores")):
        rows = table(text, title)
        for lang in LANGS:
            p = paths(ctx, folders[lang])[kind]
            want = [plain(r[f"title {lang}"]) for r in rows]
            if kind != "template":
                want.append("_dti")  # the stamp, last (the template's table lists it)
            got = [ws.title for ws in book(p).worksheets]
            if got != want:
                out.append(f"{kind} ({lang}): the document has the sheets {want}, the workbook {got}")
            hidden = {ws.title for ws in book(p).worksheets if ws.sheet_state != "visible"}
            if hidden != ({"_dti", "_lists"} if kind == "template" else {"_dti"}):
                out.append(f"{kind} ({lang}): hidden sheets {sorted(hidden)}")
            if kind != "template":
                st = stamp(p)
                for r in rows:
                    key, t = plain(r["key"]), plain(r[f"title {lang}"])
                    if st.get(f"sheet.{key}") != t:
                        out.append(f"{kind} ({lang}): the stamp's sheet.{key} is {st.get(f'sheet.{key}')!r}, the document says {t!r}")
    return out


def check_stamp_keys(text: str, ctx, folders) -> list[str]:
    rows = table(text, "The `_dti` stamp")
    sheet_keys = {"merged": [plain(r["key"]) for r in table(text, "Merged sheets")],
                  "scores": [plain(r["key"]) for r in table(text, "Scores sheets")]}
    out = []
    for kind in STAMPED:
        want: list[str] = []
        for r in rows:
            if r[kind] != "✓":
                continue
            key = plain(r["key"])
            want += [f"sheet.{k}" for k in sheet_keys[kind]] if key == "sheet.<key>" else [key]
        for lang in LANGS:
            got = list(stamp(paths(ctx, folders[lang])[kind]))
            if set(got) != set(want):
                out.append(f"{kind} ({lang}) stamp: missing from the document {sorted(set(got) - set(want))}, "
                           f"not in the workbook {sorted(set(want) - set(got))}")
            elif kind == "template" and got != want:
                out.append(f"template ({lang}) stamp: the keys are in the order {got}, the document's is {want}")
    return out


def check_format_versions(text: str, ctx, folders) -> list[str]:
    versions = {plain(r["`format`"]): plain(r["`format_version`"]) for r in table(text, "Files and who exchanges them")}
    out = []
    for lang in LANGS:
        p = paths(ctx, folders[lang])
        found = [(kind, stamp(p[kind])) for kind in STAMPED]
        doc = json.loads((folders[lang] / "bao-cao-dti.json").read_text(encoding="utf-8"))
        found.append(("report JSON", {"format": doc["format"], "format_version": str(doc["format_version"])}))
        for kind, st in found:
            if versions.get(st["format"]) != st["format_version"]:
                out.append(f"{kind} ({lang}): format {st['format']} version {st['format_version']}, "
                           f"the document says {versions.get(st['format'])!r}")
    return out


def check_merged_columns(text: str, ctx, folders) -> list[str]:
    from dti_cli.core import i18n
    from dti_cli.core.i18n import _
    from dti_cli.formats.merged import SHEETS

    out = []
    for r in table(text, "Merged sheets"):
        key, ids = plain(r["key"]), listed(r["columns (ids, in order)"])
        code = [c for c, _t, _k in SHEETS[key][1]]
        if ids != code:
            out.append(f"merged {key}: the document lists {ids}, formats/merged.py {code}")
            continue
        for lang in LANGS:
            with i18n.using(lang):
                want = [_(t) for _c, t, _k in SHEETS[key][1]]
            ws = sheet(book(paths(ctx, folders[lang])["merged"]), plain(r[f"title {lang}"]))
            if ws is None:
                out.append(f"merged {key} ({lang}): no sheet {plain(r[f'title {lang}'])!r}")
            elif header(ws) != want:
                out.append(f"merged {key} ({lang}): headers {header(ws)}, expected {want}")
    return out


def check_scores_columns(text: str, ctx, folders) -> list[str]:
    from dti_cli.core import i18n
    from dti_cli.core.i18n import _

    out = []
    for r in table(text, "Scores sheets"):
        key, heads = plain(r["key"]), listed(r["columns (en headers, in order)"])
        for lang in LANGS:
            with i18n.using(lang):  # an English header is its message id ("Score {year}" for the baseline's)
                want = [_(h.replace("{baseline_year}", "{year}")).format(year=ctx.baseline.year) for h in heads]
            ws = sheet(book(paths(ctx, folders[lang])["scores"]), plain(r[f"title {lang}"]))
            if ws is None:
                out.append(f"scores {key} ({lang}): no sheet {plain(r[f'title {lang}'])!r}")
            elif header(ws) != want:
                out.append(f"scores {key} ({lang}): headers {header(ws)}, the document says {want}")
    return out


def check_commitment_columns(text: str, ctx, folders) -> list[str]:
    from dti_cli.formats.commitments import COLUMNS, FILLED, HEADER_ROW

    rows = table(text, "Commitment columns")
    out = []
    ids = [plain(r["id"]) for r in rows]
    if ids != [c[0] for c in COLUMNS]:
        out.append(f"commitment columns: the document has {ids}, formats/commitments.py {[c[0] for c in COLUMNS]}")
    filled = tuple(plain(r["id"]) for r in rows if r["filled by the agency"].startswith("yes"))
    if filled != FILLED:
        out.append(f"commitment columns filled by the agency: the document says {filled}, the code {FILLED}")
    for lang in LANGS:
        p = paths(ctx, folders[lang])["commitments"]
        ws = book(p)[stamp(p)["data_sheet"]]
        got = dict(zip([r["col"] for r in rows], row(ws, HEADER_ROW), strict=False))
        for r in rows:
            if got.get(r["col"]) != plain(r[f"header {lang}"]):
                out.append(f"commitments ({lang}) column {r['col']}: the document says {plain(r[f'header {lang}'])!r}, "
                           f"the workbook {got.get(r['col'])!r}")
        if not ws.column_dimensions["A"].hidden:
            out.append(f"commitments ({lang}): column A is not hidden")
    return out


CHECKS = [check_template_columns, check_sheet_titles, check_stamp_keys, check_format_versions, check_merged_columns,
          check_scores_columns, check_commitment_columns]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_the_document_matches_the_files(check, demo):
    ctx, folders = demo
    problems = check(DOC.read_text(encoding="utf-8"), ctx, folders)
    assert not problems, "docs/FORMATS.md disagrees with the files:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The checks fail when the document is wrong


def changed(old: str, new: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.mark.parametrize(("check", "old", "new"), [
    (check_template_columns, "| F | `value` | Giá trị | Value |", "| F | `value` | Giá trị nhập | Value |"),
    (check_template_columns, "| K | `baseline` | Điểm năm {baseline_year} |", "| K | `baseline` | Điểm năm {year} |"),
    (check_sheet_titles, "| `units` | `Theo đơn vị` | `By unit` |", "| `units` | `Theo đơn vị` | `Units` |"),
    (check_sheet_titles, "| `cover` | `Thông tin` |", "| `cover` | `Bìa` |"),
    (check_stamp_keys, "| `unit_kind` | ✓ |", "| `unit_kind` | |"),
    (check_stamp_keys, "| `baseline_year` | | | ✓ |", "| `baseline_year` | | ✓ | ✓ |"),
    (check_format_versions, "| `dti-merged` | `2` |", "| `dti-merged` | `1` |"),
    (check_merged_columns, "`input_id`, `new_value`, `reason`", "`input_id`, `reason`, `new_value`"),
    (check_scores_columns, "Pillar, Name, Points, Max", "Pillar, Name, Max, Points"),
    (check_commitment_columns, "| I | `by` | Thời hạn (ngày) |", "| I | `by` | Hạn |"),
])
def test_a_wrong_document_fails(check, old, new, demo):
    ctx, folders = demo
    assert check(changed(old, new), ctx, folders), f"{check.__name__} did not notice {new!r}"


def test_headings_are_where_the_checks_look():
    text = DOC.read_text(encoding="utf-8")
    for title in ("Files and who exchanges them", "The `_dti` stamp", "Template sheets", "Data sheet columns", "Merged sheets",
                  "Scores sheets", "Commitment columns"):
        assert table(text, title)
    marked = {m.group(1).strip() for m in re.finditer(r"^#+ (.*?) ✱$", text, re.M)}
    assert marked == {"Files and who exchanges them", "The `_dti` stamp", "Template sheets", "Data sheet columns", "Merged sheets",
                      "Scores sheets", "Commitment columns"}
