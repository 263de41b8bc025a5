"""The small exception family of dti. Problems found in returned data are findings, not exceptions."""

from __future__ import annotations


class DtiError(Exception):
    """Base of every error dti raises on purpose; the CLI prints its message and exits 1."""

    exit_code = 1


class DataFileError(DtiError):
    """A methodology, profile or baseline data file is missing or invalid."""

    def __init__(self, path: str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.path}: {len(self.problems)} problem(s)\n{lines}")


class UsageError(DtiError):
    """The command was called wrongly (unknown agency or code, bad option); exit 2."""

    exit_code = 2


class UnknownNameError(UsageError):
    """A name (agency, unit, indicator code) that matches nothing, with the closest matches."""

    WHAT_VI = {"agency": "cơ quan, đơn vị", "indicator code": "mã chỉ số", "pillar": "chỉ số chính", "unit id": "mã đơn vị", "unit group": "nhóm đơn vị"}

    def __init__(self, what: str, name: str, suggestions: list[str]):
        self.name = name
        self.what = what
        self.suggestions = list(suggestions)
        hint = f" Có phải: {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else " Xem danh sách bằng `dti catalog agencies` / `dti catalog list`."
        super().__init__(f"Không tìm thấy {self.WHAT_VI.get(what, what)} {name!r} (Unknown {what}).{hint}")


class OutputError(DtiError):
    """An output cannot be written: it exists (use --force), it is an input, or the folder is missing."""


class InputFileError(DtiError):
    """An input file cannot be used at all (not found, unreadable, wrong kind)."""
