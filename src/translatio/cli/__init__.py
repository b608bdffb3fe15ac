"""The ``translatio`` command line: the Typer app and its entry point.

Commands live in ``pipeline`` (extract, translate, status, build, run), ``review``
(check, approve) and ``models`` (Argos packages); ``common`` holds the options and the
one error handler they share.
"""

from __future__ import annotations

from translatio.cli import review
from translatio.cli.models import models_app
from translatio.cli.pipeline import app

__all__ = ["app", "main"]

review.register(app)
app.add_typer(models_app, name="models")


def main() -> None:
    """Console-script entry point."""
    app()
