"""The small exception family of dti. Problems found in returned data are findings, not exceptions.

The library raises these with a message a user can act on, in the run's language; the CLI
prints it once on stderr and exits with ``exit_code``.
"""

from __future__ import annotations

from .i18n import N_, _


class DtiError(Exception):
    """Base of every error dti raises on purpose; the CLI prints its message and exits 1."""

    exit_code = 1


class DataFileError(DtiError):
    """A methodology, profile or baseline data file is missing or invalid."""

    def __init__(self, path: str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(_("{path}: {n} problem(s) in this data file").format(path=self.path, n=len(self.problems)) + "\n" + lines)


class UsageError(DtiError):
    """The command was called wrongly (unknown agency or code, bad option); exit 2."""

    exit_code = 2


#: What an unknown name was meant to be, in words.
WHAT = {
    "agency": N_("agency or unit"),
    "indicator code": N_("indicator code"),
    "input id": N_("input id"),
    "pillar": N_("pillar"),
    "unit id": N_("unit id"),
    "unit group": N_("unit group"),
}


class UnknownNameError(UsageError):
    """A name (agency, unit, indicator code) that matches nothing, with the closest matches."""

    def __init__(self, what: str, name: str, suggestions: list[str]):
        self.name = name
        self.what = what
        self.suggestions = list(suggestions)
        if self.suggestions:
            hint = _("Did you mean: {names}?").format(names=", ".join(repr(s) for s in self.suggestions))
        else:
            hint = _("See the lists with `dti catalog agencies` and `dti catalog list`.")
        what_text = _(WHAT[what]) if what in WHAT else what
        super().__init__(_("No {what} {name!r}.").format(what=what_text, name=name) + " " + hint)


class OutputError(DtiError):
    """An output cannot be written: it exists (use --force), it is an input, or the folder is missing."""


class InputFileError(DtiError):
    """An input file cannot be used at all (not found, unreadable, wrong kind)."""
