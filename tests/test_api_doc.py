"""docs/API.md: its examples run as written (doctest), offline, on the bundled sample figures."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "API.md"


def test_the_examples_of_docs_api_run_as_written():
    pytest.importorskip("pandas")
    failed, tried = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
                                     verbose=False, report=True)
    assert tried > 20
    assert failed == 0, f"{failed} of {tried} examples in {DOC.name} failed (above)"
