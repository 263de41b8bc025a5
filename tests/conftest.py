"""Shared fixtures: a CLI runner with a fixed terminal width, the loaded context, LibreOffice."""

from __future__ import annotations

import os
import shutil

import pytest

# Rich reads the width from the environment: fix it so output assertions are stable.
os.environ["COLUMNS"] = "160"
os.environ["TERM"] = "dumb"
os.environ.pop("DTI_PROFILE", None)
os.environ.pop("DTI_CATALOGUE", None)
os.environ.pop("DTI_LANG", None)


@pytest.fixture(autouse=True)
def _vietnamese():
    """Every test starts in the default language (Vietnamese); one that switches is put back."""
    from dti_cli.commands.base import set_language

    set_language("vi")
    yield
    set_language("vi")


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `dti ARGS…` as a user would; returns the click Result."""
    from dti_cli.cli import app

    def _invoke(*args: str, **kw):
        from dti_cli.cli import _lang_in
        from dti_cli.commands.base import set_language

        argv = [str(a) for a in args]
        set_language(_lang_in(argv))  # as `dti` does before the app runs
        return runner.invoke(app, argv, catch_exceptions=False, **kw)

    return _invoke


@pytest.fixture(scope="session")
def ctx():
    from dti_cli.methodology.context import load_context

    return load_context()


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice():
    path = soffice_path()
    if not path:
        pytest.skip("LibreOffice (soffice) is not installed")
    return path
