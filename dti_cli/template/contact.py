"""Who the officials filling in a workbook call: the focal point's agency and contact person.

From ``--contact "Nguyễn Văn A, 0290 3 123 456, a@camau.gov.vn"`` (any order, commas or
semicolons between the parts), else the profile's ``[focal_point]`` (``agency``, ``contact_name``,
``phone``, ``email``); a field the command line leaves out comes from the profile. A workbook
without any contact says so plainly, and the command says so on the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.text import clean

#: A phone number as people write it: digits with spaces, dots, dashes, brackets, a leading +.
_PHONE = re.compile(r"\+?[\d\s.\-()/]{6,}")


@dataclass(frozen=True)
class Contact:
    """The focal point as the workbooks show it."""

    agency: str
    name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def given(self) -> bool:
        """Whether a person can be reached: a name, a phone number or an e-mail address."""
        return bool(self.name or self.phone or self.email)


def parse_contact(text: str) -> dict[str, str]:
    """The parts of ``--contact``: an e-mail has an @, a phone number is mostly digits, the rest is the name."""
    found: dict[str, list[str]] = {"name": [], "phone": [], "email": []}
    for part in re.split(r"[,;]", text):
        part = clean(part)
        if not part:
            continue
        if "@" in part and " " not in part:
            found["email"].append(part)
        elif _PHONE.fullmatch(part) and sum(ch.isdigit() for ch in part) >= 6:
            found["phone"].append(part)
        else:
            found["name"].append(part)
    return {k: ", ".join(v) for k, v in found.items() if v}


def focal_contact(focal_point: Mapping[str, str], typed: str | None = None) -> Contact:
    """The contact the workbooks show: ``--contact`` (parsed) over the profile's ``[focal_point]``."""
    fields = {"name": clean(focal_point.get("contact_name", "")), "phone": clean(focal_point.get("phone", "")),
              "email": clean(focal_point.get("email", ""))}
    if typed:
        fields.update(parse_contact(typed))
    return Contact(agency=clean(focal_point.get("agency", "")), **fields)
