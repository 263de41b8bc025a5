"""The Vietnamese message catalog of dti: extract, check and compile (Babel).

Message ids in the code are English (``_("…")``, ``N_("…")``, ``ngettext``). Their Vietnamese
lives in ``dti_cli/locale/vi/parts/*.po``, one file per area of the code (so that work on two
areas never edits the same file), compiled together into
``dti_cli/locale/vi/LC_MESSAGES/dti.mo``, which is what the tool reads at run time.

    python tools/i18n.py check            # every message of the code has its Vietnamese; exit 1 otherwise
    python tools/i18n.py missing [AREA]   # the untranslated messages as a .po skeleton (to fill and save as a part)
    python tools/i18n.py compile          # parts → dti.mo (run after editing a part; tests check it is up to date)
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dti_cli"
PARTS = PACKAGE / "locale" / "vi" / "parts"
MO = PACKAGE / "locale" / "vi" / "LC_MESSAGES" / "dti.mo"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FIXED_DATE = datetime(2023, 1, 1, tzinfo=UTC)
#: Modules whose marks belong to click's and typer's catalog ("messages", tools/i18n_click.py), not to dti's.
OTHER_DOMAIN = {"commands/clickmsgs.py"}


def extract() -> dict[str, list[str]]:
    """msgid → the places (file:line) that use it; the commands' help paragraphs too."""
    out: dict[str, list[str]] = {}
    for m, places in help_texts().items():
        out.setdefault(m, []).extend(places)
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True):
        if filename in OTHER_DOMAIN:
            continue
        ids = message if isinstance(message, tuple) else (message,)
        for m in ids:
            if m:
                out.setdefault(m, []).append(f"{filename}:{lineno}")
    return out


def help_texts() -> dict[str, list[str]]:
    """The paragraphs of every command's help (docstrings are translated when shown, paragraph by paragraph)."""
    sys.path.insert(0, str(ROOT))
    import typer.main

    from dti_cli.cli import build_app
    from dti_cli.commands.clihelp import help_msgids

    out: dict[str, list[str]] = {}

    def walk(cmd: object, name: str) -> None:
        for text in (getattr(cmd, "help", None), getattr(cmd, "short_help", None), getattr(cmd, "epilog", None)):
            for m in help_msgids(text):
                out.setdefault(m, []).append(f"commands/{name}:0")
        for sub_name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, f"{name} {sub_name}".strip())

    walk(typer.main.get_command(build_app()), "")
    return out


def area_of(place: str) -> str:
    """The part a message belongs to: the first folder under dti_cli (or the module's name)."""
    first = place.split(":", 1)[0].split("/", 1)[0]
    return first.removesuffix(".py")


def read_parts() -> tuple[Catalog, list[str]]:
    """Every part merged into one catalog, and the problems found (a message translated twice differently)."""
    # Fixed dates and names in the header: the .mo is a function of the parts alone (a test compares it with the committed one).
    merged = Catalog(locale="vi", domain="dti", project="dti", version="1", charset="utf-8", creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                     msgid_bugs_address="-", last_translator="dti", language_team="dti <vi>")
    merged.plural_forms  # noqa: B018 - Vietnamese has one plural form (from the locale data)
    problems: list[str] = []
    seen: dict[str, tuple[str, object]] = {}
    for part in sorted(PARTS.glob("*.po")):
        with part.open("rb") as f:
            cat = read_po(f, locale="vi")
        for msg in cat:
            if not msg.id:
                continue
            key = msg.id if isinstance(msg.id, str) else msg.id[0]
            if key in seen and seen[key][1] != msg.string:
                problems.append(f"{part.name}: {key!r} is also translated in {seen[key][0]}, differently")
                continue
            seen[key] = (part.name, msg.string)
            if msg.fuzzy:
                problems.append(f"{part.name}: {key!r} is marked fuzzy")
            merged.add(msg.id, msg.string, flags=[f for f in msg.flags if f != "fuzzy"])
    return merged, problems


def translated(msg: object) -> bool:
    s = getattr(msg, "string", None)
    if isinstance(s, tuple):
        return all(s)
    return bool(s)


def check() -> list[str]:
    """Problems: untranslated messages of the code, conflicting or fuzzy parts."""
    used = extract()
    cat, problems = read_parts()
    for m, places in sorted(used.items()):
        msg = cat.get(m) if m in cat else next((x for x in cat if isinstance(x.id, tuple) and x.id[0] == m), None)
        if msg is None or not translated(msg):
            problems.append(f"untranslated: {m!r} ({places[0]})")
    return problems


def mo_bytes() -> bytes:
    cat, _problems = read_parts()
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def missing(area: str | None = None) -> str:
    used = extract()
    cat, _problems = read_parts()
    out = Catalog(locale="vi", domain="dti", project="dti", charset="utf-8")
    for m, places in sorted(used.items(), key=lambda kv: kv[1][0]):
        if m in cat and translated(cat[m]):
            continue
        if area and area_of(places[0]) != area:
            continue
        out.add(m, "", locations=[(p.split(":")[0], int(p.split(":")[1])) for p in places[:3]])
    buf = io.BytesIO()
    write_po(buf, out, width=120, omit_header=True)
    return buf.getvalue().decode("utf-8")


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "check"
    if cmd == "check":
        problems = check()
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)" if problems else "ok: every message has its Vietnamese")
        return 1 if problems else 0
    if cmd == "missing":
        sys.stdout.write(missing(argv[1] if len(argv) > 1 else None))
        return 0
    if cmd == "compile":
        MO.parent.mkdir(parents=True, exist_ok=True)
        MO.write_bytes(mo_bytes())
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
