"""Loading the catalogue file: every pillar and indicator of a year's methodology, validated.

The catalogue is a TOML file (``data/catalogue_2023.toml`` for the 2023 round), read with
``tomllib``. Every problem names the file, the indicator (and input) and the field; all of
them are reported at once. Rule descriptors are parsed by their registered kind.

Its texts are the plan's Vietnamese (``name_vi``, ``label_vi``, ``target_vi``, ``source``…) beside
their English (``name_en``, ``label_en``, ``target_en``, ``source_en``…). Short texts the appendix
repeats get their English once: ``[units]`` (each unit of measure the inputs name: ``"người" =
"people"``; an input's own ``unit_en`` wins) and ``[phrases]`` (the deadlines, and the coordinating
bodies that are no unit of the profile). A text without its English is shown in Vietnamese in an
English run; :func:`untranslated` lists them (``dti catalog check`` warns).
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.errors import DataFileError
from ..core.i18n import N_, _
from .model import COMBINE, DEFAULT_UNITS_EN, INPUT_TYPES, UNIT_GROUPS, Catalogue, Choice, Indicator, Input, Pillar, Target
from .rules import Problems, parse_rule
from .rules.base import POSITIVE, is_num


def data_path(name: str) -> Path:
    """A data file shipped inside the package."""
    return Path(str(resources.files("dti_cli") / "data" / name))


#: Where a problem is and what it is, in the words every data file's checks share.
PILLAR = N_("pillar {code}")
INDICATOR = N_("indicator {code}")
REQUIRED = N_("required")
REQUIRED_TEXT = N_("required text")
REQUIRED_NUMBER = N_("required number")


def input_where(where: str, input_id: str) -> str:
    """Where a problem of an input is: "indicator 1.1, input 1.1.a"."""
    return _("{where}, input {id}").format(where=where, id=input_id)


def read_toml(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataFileError(str(path), [_("cannot read the file: {reason}").format(reason=e.strerror or e)]) from None
    cached = _parsed(raw)
    if cached is not None:
        return cached, raw
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DataFileError(str(path), [_("not valid TOML: {error}").format(error=e)]) from None
    _keep(raw, doc)
    return doc, raw


# Parsing the 160 KB catalogue with tomllib takes 60-80 ms, more than half of what `dti score` or `dti report` add to
# start-up; its parsed form, kept by the hash of the file's bytes, loads in 2 ms. Only the TOML's data is kept (marshal:
# plain dicts, lists, text and numbers, nothing that runs code when read); every check of the file still runs on it.
_CACHE_FORMAT = b"dti-toml-1\n"


def _cache_file(raw: bytes) -> Path | None:
    import os
    import sys

    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    if not base or os.environ.get("DTI_NO_CACHE"):
        return None
    key = hashlib.sha256(raw + sys.version.encode()).hexdigest()[:32]
    return Path(base) / "dti" / f"toml-{key}.marshal"


def _parsed(raw: bytes) -> dict[str, Any] | None:
    import marshal

    try:
        f = _cache_file(raw)
        if f is None:
            return None
        data = f.read_bytes()
        if not data.startswith(_CACHE_FORMAT):
            return None
        doc = marshal.loads(data[len(_CACHE_FORMAT):])
        return doc if isinstance(doc, dict) else None
    except (OSError, ValueError, EOFError, TypeError, RuntimeError):
        return None


def _keep(raw: bytes, doc: dict[str, Any]) -> None:
    import contextlib
    import marshal
    import os
    import tempfile

    with contextlib.suppress(OSError, ValueError):  # no cache (read-only home, a value marshal cannot hold): parse each time
        f = _cache_file(raw)
        if f is None:
            return
        data = _CACHE_FORMAT + marshal.dumps(doc)
        f.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".toml-", dir=f.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, f)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def _english(doc: dict[str, Any], table: str, p: Problems) -> dict[str, str]:
    """A table of Vietnamese texts and their English (``[units]``, ``[phrases]``): text → text."""
    t = doc.get(table, {})
    if not isinstance(t, dict):
        p.add(f"[{table}]", table, _("must be a table of texts and their English, like {example}").format(example='"người" = "people"'))
        return {}
    out = {}
    for vi, en in t.items():
        if not isinstance(en, str) or not en.strip():
            p.add(f"[{table}]", vi, _(REQUIRED_TEXT))
            continue
        out[vi] = en
    return out


def _input(d: Any, code: str, where: str, p: Problems, units: dict[str, str]) -> Input | None:
    if not isinstance(d, dict):
        p.add(where, "inputs", _("each input must be a table"))
        return None
    iid = d.get("id", "")
    w = input_where(where, iid or "?")
    if not isinstance(iid, str) or not iid.startswith(code + ".") or len(iid) <= len(code) + 1:
        p.add(w, "id", _("must start with the indicator code and a dot, like '{example}'").format(example=f"{code}.a"))
    for f in ("label_vi", "label_en", "type"):
        if not isinstance(d.get(f), str) or not d.get(f):
            p.add(w, f, _(REQUIRED_TEXT))
    typ = d.get("type")
    if typ not in INPUT_TYPES:
        p.add(w, "type", _("unknown type {type!r}; expected one of {types}").format(type=typ, types=", ".join(INPUT_TYPES)))
    choices = []
    for c in d.get("choices", []):
        if not isinstance(c, dict) or not c.get("value") or not c.get("label_vi"):
            p.add(w, "choices", _("each choice needs 'value' and 'label_vi', not {value!r}").format(value=c))
            continue
        choices.append(Choice(str(c["value"]), c["label_vi"], c.get("label_en", c["label_vi"])))
    if typ == "choice" and not choices:
        p.add(w, "choices", _("a choice input needs its list of choices"))
    per_unit = tuple(d.get("per_unit", ()))
    for g in per_unit:
        if g not in UNIT_GROUPS:
            p.add(w, "per_unit", _("unknown unit group {group!r}; expected one of {groups}").format(group=g, groups=", ".join(UNIT_GROUPS)))
    combine = d.get("combine", "sum")
    if combine not in COMBINE:
        p.add(w, "combine", _("must be one of {values}").format(values=", ".join(COMBINE)))
    if combine in ("all", "any") and typ != "yes_no":
        p.add(w, "combine", _("'{combine}' combines yes/no answers; this input is {type!r}").format(combine=combine, type=typ))
    if combine == "sum" and per_unit and typ not in ("count", "number", "amount"):
        p.add(w, "combine", _("'sum' needs numbers; this input is {type!r}").format(type=typ))
    res = d.get("resolution")
    if res is not None and (not is_num(res) or res <= 0):
        p.add(w, "resolution", _(POSITIVE).format(value=res))
        res = None
    unit = d.get("unit", INPUT_TYPES.get(typ, ""))
    if not isinstance(unit, str):
        p.add(w, "unit", _(REQUIRED_TEXT))
        unit = ""
    unit_en = d.get("unit_en") or units.get(unit) or DEFAULT_UNITS_EN.get(unit, "")
    if not isinstance(unit_en, str):
        p.add(w, "unit_en", _(REQUIRED_TEXT))
        unit_en = ""
    return Input(
        id=iid,
        indicator=code,
        label_vi=d.get("label_vi", ""),
        label_en=d.get("label_en", ""),
        type=typ if typ in INPUT_TYPES else "number",
        unit=unit,
        unit_en=unit_en,
        evidence_required=bool(d.get("evidence_required", False)),
        choices=tuple(choices),
        per_unit=per_unit,
        combine=combine,
        part_of=d.get("part_of"),
        requires=d.get("requires"),
        resolution=float(res) if res is not None else None,
    )


def _target(d: dict[str, Any], where: str, p: Problems) -> Target:
    t = d.get("target")
    target = Target(text=d.get("target_vi", ""), text_en=d.get("target_en", ""))
    if isinstance(t, dict):
        if t.get("kind") not in ("full", "ratio"):
            p.add(where, "target.kind", _("must be 'full' or 'ratio'"))
        elif t["kind"] == "ratio" and (not is_num(t.get("value")) or t.get("op", ">=") not in (">", ">=")):
            p.add(where, "target", _("a ratio target needs a number 'value' and the op '>' or '>='"))
        target = Target(text=d.get("target_vi", ""), kind=t.get("kind"), value=t.get("value"), op=t.get("op", ">="),
                        text_en=d.get("target_en", ""))
    return target


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate a catalogue file (the packaged 2023 catalogue by default)."""
    path = Path(path) if path else data_path("catalogue_2023.toml")
    doc, raw = read_toml(path)
    p = Problems()
    head = doc.get("catalogue", {})
    for f in ("id", "version", "year"):
        if f not in head:
            p.add("[catalogue]", f, _(REQUIRED))
    units, phrases = _english(doc, "units", p), _english(doc, "phrases", p)
    pillars: dict[str, Pillar] = {}
    for i, d in enumerate(doc.get("pillar", [])):
        where = _(PILLAR).format(code=d.get("code", f"#{i + 1}"))
        if not isinstance(d.get("code"), str) or not is_num(d.get("max_points")):
            p.add(where, "code/max_points", _("each pillar needs a text code and a number max_points"))
            continue
        if d["code"] in pillars:
            p.add(where, "code", _("duplicate pillar code"))
        pillars[d["code"]] = Pillar(d["code"], d.get("name_vi", ""), d.get("name_en", ""), float(d["max_points"]),
                                    bool(d.get("scored", True)), d.get("note_vi"), d.get("note_en"))
    indicators: dict[str, Indicator] = {}
    seen_inputs: set[str] = set()
    for i, d in enumerate(doc.get("indicator", [])):
        code = d.get("code")
        where = _(INDICATOR).format(code=code or f"#{i + 1}")
        if not isinstance(code, str) or not code:
            p.add(where, "code", _(REQUIRED_TEXT))
            continue
        if code in indicators:
            p.add(where, "code", _("duplicate indicator code"))
        for f in ("name_vi", "name_en", "parent"):
            if not isinstance(d.get(f), str) or not d.get(f):
                p.add(where, f, _(REQUIRED_TEXT))
        mx = d.get("max_points")
        if not is_num(mx) or mx <= 0:
            p.add(where, "max_points", _(POSITIVE).format(value=mx))
            mx = 0
        parent = d.get("parent", "")
        if parent and parent not in pillars and parent not in indicators:
            p.add(where, "parent", _("{parent!r} is neither a pillar nor an indicator listed before it").format(parent=parent))
        if parent and code.rsplit(".", 1)[0] != parent:
            p.add(where, "parent", _("{parent!r} does not match the code {code!r}").format(parent=parent, code=code))
        lead = d.get("lead", [])
        if not lead or not all(isinstance(x, str) and x for x in lead):
            p.add(where, "lead", _("at least one lead agency (a unit id of the profile) is required"))
        rule = parse_rule(d.get("rule"), where, p)
        inputs = [x for x in (_input(x, code, where, p, units) for x in d.get("inputs", [])) if x]
        by_id = {x.id: x for x in inputs}
        for x in inputs:
            if x.id in seen_inputs:
                p.add(input_where(where, x.id), "id", _("duplicate input id"))
            seen_inputs.add(x.id)
            for f in ("part_of", "requires"):
                ref = getattr(x, f)
                if ref and ref not in by_id:
                    p.add(input_where(where, x.id), f, _("refers to {ref!r}, which is not an input of {code}").format(ref=ref, code=code))
        coordinating = tuple(d.get("coordinating", ()))
        deadline = d.get("deadline_vi", "")
        ind = Indicator(
            code=code,
            parent=parent,
            name_vi=d.get("name_vi", ""),
            name_en=d.get("name_en", ""),
            max_points=float(mx),
            rule=rule,
            inputs=tuple(inputs),
            lead=tuple(lead),
            coordinating=coordinating,
            target=_target(d, where, p),
            method_vi=d.get("method_vi", ""),
            deadline_vi=deadline,
            deadline_en=d.get("deadline_en") or phrases.get(deadline, ""),
            coordinating_en=tuple(phrases.get(c, "") for c in coordinating),
            lead_seed=d.get("lead_seed", ""),
            coordinating_seed=d.get("coordinating_seed", ""),
            note_vi=d.get("note_vi"),
            note_en=d.get("note_en"),
        )
        rule.check(ind, where, p)
        used = set(rule.input_ids())
        for x in inputs:
            if x.id not in used:
                p.add(input_where(where, x.id), "id", _("declared but not read by the rule"))
        if not ind.is_aggregate and not inputs:
            p.add(where, "inputs", _("a rule of the kind {kind!r} needs inputs").format(kind=rule.kind))
        indicators[code] = ind
    parents = {x.parent for x in indicators.values()}
    for ind in indicators.values():
        if ind.is_aggregate and ind.code not in parents:
            p.add(_(INDICATOR).format(code=ind.code), "rule", _("sum_children, but no indicator names it as its parent"))
        if not ind.is_aggregate and ind.code in parents:
            p.add(_(INDICATOR).format(code=ind.code), "rule", _("it has children, so its rule must be sum_children"))
    if p.items:
        raise DataFileError(str(path), p.items)
    return Catalogue(
        path=str(path),
        id=head["id"],
        version=str(head["version"]),
        year=int(head["year"]),
        source=head.get("source", ""),
        source_en=head.get("source_en", ""),
        total_points=float(head.get("total_points", 1000)),
        sha256=hashlib.sha256(raw).hexdigest(),
        pillars=pillars,
        indicators=indicators,
    )


def untranslated(cat: Catalogue, is_unit: Callable[[str], bool] | None = None) -> list[tuple[str, str, str, str]]:
    """The catalogue's texts an English run would show in Vietnamese: (indicator code, input id, field, text).

    The code is "" for the catalogue's own ``source``, the input id "" but for a unit of measure.
    ``is_unit(text)`` tells a coordinating body that is a unit of the profile (a name, the same in
    either language) from a text that needs its English in ``[phrases]``; without it every
    coordinating text is taken for a unit's name.
    """
    out: list[tuple[str, str, str, str]] = []
    if cat.source and not cat.source_en:
        out.append(("", "", "source_en", cat.source))
    for ind in cat.indicators.values():
        if ind.target.text and not ind.target.text_en:
            out.append((ind.code, "", "target_en", ind.target.text))
        if ind.deadline_vi and not ind.deadline_en:
            out.append((ind.code, "", "deadline_en", ind.deadline_vi))
        for c, en in zip(ind.coordinating, (*ind.coordinating_en, *[""] * len(ind.coordinating)), strict=False):
            if not en and is_unit is not None and not is_unit(c):
                out.append((ind.code, "", "phrases", c))
        for inp in ind.inputs:
            if inp.unit and not inp.unit_en:
                out.append((ind.code, inp.id, "units", inp.unit))
    return out
