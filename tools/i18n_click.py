"""Keep the catalog of click's and typer's own words in step with the installed typer.

    python tools/i18n_click.py           # re-extract, merge into messages.po, compile messages.mo
    python tools/i18n_click.py --check   # change nothing; exit 1 if there is work to do

The words come from two places: the gettext calls of the installed typer package (``_`` and
``ngettext``, in typer/*.py and the vendored typer/_click/*.py, which Babel's own directory walk
would skip for its leading underscore), and the ``N_`` marks of dti_cli/commands/clickmsgs.py, which
give gettext the words typer 0.28 writes in plain English. They are merged into
dti_cli/locale/<lang>/LC_MESSAGES/messages.po with Babel: translations are kept, a new message
arrives untranslated (or fuzzy, with the translation of a close old one, to be checked), a
message typer no longer has is kept at the end as obsolete (#~). Then messages.mo is compiled
next to it, leaving fuzzy translations out. After an update, translate what is new in the .po,
remove its fuzzy flags and run the script again.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import typer
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "dti_cli" / "locale"
CLICKMSGS = ROOT / "dti_cli" / "commands" / "clickmsgs.py"
LANGUAGES = ("vi",)
PROJECT = "dti-typer"  # Babel reads Project-Id-Version back as "<project> <version>": one word
DOMAIN = "messages"  # gettext's default domain: the one typer's `from gettext import gettext as _` uses

TYPER_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
CLICKMSGS_KEYWORDS = {"N_": None}


def extract() -> Catalog:
    """Every message of the installed typer and of dti_cli/commands/clickmsgs.py, as a template."""
    template = Catalog(project=PROJECT, fuzzy=False)
    typer_dir = Path(typer.__file__).parent
    sources = [(p, TYPER_KEYWORDS, p.relative_to(typer_dir.parent)) for p in sorted(typer_dir.rglob("*.py"))]
    sources.append((CLICKMSGS, CLICKMSGS_KEYWORDS, CLICKMSGS.relative_to(ROOT)))
    for path, keywords, shown_as in sources:
        for lineno, msgid, comments, context in extract_from_file("python", path, keywords=keywords):
            template.add(msgid, locations=[(shown_as.as_posix(), lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def merged(template: Catalog, lang: str) -> Catalog:
    """The language's catalog updated from *template* (a new one if there is none yet)."""
    path = po_path(lang)
    if path.exists():
        catalog = read_catalog(path)
    else:
        catalog = Catalog(locale=lang, project=template.project, fuzzy=False)
    catalog.update(template, update_creation_date=False)
    catalog.project, catalog.version = PROJECT, typer.__version__  # the typer whose messages these are
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100)
    return buf.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def mo_messages(data: bytes) -> dict:
    """msgid → msgstr of a compiled catalog (what gettext will find), header left out."""
    return {m.id: m.string for m in read_mo(io.BytesIO(data)) if m.id}


def problems(catalog: Catalog) -> list[str]:
    """Messages not ready to ship: untranslated or fuzzy."""
    out = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            out.append(f"untranslated: {m.id!r}")
        elif m.fuzzy:
            out.append(f"fuzzy: {m.id!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the .po or .mo is behind typer, or a message is untranslated or fuzzy")
    args = parser.parse_args(argv)

    template = extract()
    status = 0
    for lang in LANGUAGES:
        path = po_path(lang)
        catalog = merged(template, lang)
        todo = problems(catalog)
        mo = path.with_suffix(".mo")
        if args.check:
            if not path.exists() or {m.id for m in read_catalog(path) if m.id} != {m.id for m in catalog if m.id}:
                todo.insert(0, f"{path.relative_to(ROOT)} does not have the messages of the installed typer: run tools/i18n_click.py")
            elif not mo.exists() or mo_messages(mo.read_bytes()) != mo_messages(mo_bytes(read_catalog(path))):
                todo.insert(0, f"{mo.relative_to(ROOT)} is not compiled from {path.name}: run tools/i18n_click.py")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(po_bytes(catalog))
            mo.write_bytes(mo_bytes(catalog))
            print(f"{path.relative_to(ROOT)}: {sum(1 for m in catalog if m.id)} messages; {mo.name} compiled")
        for line in todo:
            print(f"{lang}: {line}", file=sys.stderr)
        status |= bool(todo)
    return status


if __name__ == "__main__":
    sys.exit(main())
