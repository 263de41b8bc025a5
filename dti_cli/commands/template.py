"""`dti template`: registered on the main app by :func:`register`. (Being built.)"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
