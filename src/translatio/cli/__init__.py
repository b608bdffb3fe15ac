"""The ``translatio`` command line: the Typer app and its entry point.

Commands live in ``pipeline`` (extract, translate, status, build, run), ``review``
(check, approve), ``serve`` (the review desk), ``models`` (Argos packages) and ``tm``
(the translation memory);
``common`` holds the options and the one error handler they share.
"""

from __future__ import annotations

from translatio.cli import review, serve
from translatio.cli.models import models_app
from translatio.cli.pipeline import app
from translatio.cli.tm import tm_app

__all__ = ["app", "main"]

review.register(app)
serve.register(app)
app.add_typer(models_app, name="models")
app.add_typer(tm_app, name="tm")


def main() -> None:
    """Console-script entry point."""
    app()
