"""``translatio serve``: the review desk in a browser, on this machine."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from translatio.cli.common import ProjectOption, open_project, print_labelled, reports_errors
from translatio.errors import ConfigError

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)


@reports_errors
def serve(
    project: ProjectOption = Path("."),
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Loopback (127.0.0.1, the default) is reachable from "
            "this machine only; any other address needs an access token, printed in the URL."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8765,
    tokens: Annotated[
        Path | None,
        typer.Option(
            "--reviewer-tokens",
            metavar="FILE",
            help="A file of 'name<TAB>token' lines: each reviewer opens the desk with their "
            "own token, which names them (otherwise names are declared, not checked).",
        ),
    ] = None,
    meaning: Annotated[
        bool,
        typer.Option(
            "--meaning",
            help="Put the translations the meaning check flags first in every queue, with "
            "the reason (needs translatio[qe]; see check --meaning).",
        ),
    ] = False,
) -> None:
    """Review in a browser: edit, approve, reject translations and build the editions.

    For editors who use no PO editor. Starts a web server on this machine (loopback only
    by default) showing each language's review queue, worst first, as the review page
    ranks it. Every change is checked against what the page showed: if a translator
    saved the same entry in Poedit meanwhile, or another editor changed it, the page
    shows both texts and overwrites nothing. Each change records the reviewer's name and
    time in the catalog and in locales/<lang>/review.log. Stop it with Ctrl-C.

    Example: translatio serve --port 8765   (then open http://127.0.0.1:8765/)
    """
    try:
        import uvicorn

        from translatio.serve.app import Desk, create_app
        from translatio.serve.security import LOOPBACK, new_secret
    except ImportError as error:
        raise ConfigError(
            f"the review desk needs Starlette and uvicorn ({error.name} is missing)",
            hint="pip install 'translatio[serve]'",
        ) from None
    root = open_project(project).workspace.root
    loopback = host in LOOPBACK or _is_loopback(host)
    named = _read_tokens(tokens) if tokens else {}
    shared = "" if loopback or named else new_secret()
    access = dict(named)
    if shared:
        access[shared] = ""
        print_labelled(
            "warning",
            "yellow",
            f"listening on {host}, reachable from other machines: the access token in the "
            "address is required",
        )
    hosts = frozenset(LOOPBACK | {host.lower(), f"[{host.lower()}]"})
    desk = Desk(root, hosts=hosts, meaning=meaning, tokens=access)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    address = f"http://{shown if ':' not in shown else f'[{shown}]'}:{port}/"
    typer.echo(f"review desk for {root}: {address}" + (f"?token={shared}" if shared else ""))
    uvicorn.run(create_app(desk), host=host, port=port, log_level="warning", server_header=False)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _read_tokens(path: Path) -> dict[str, str]:
    """``token → name`` from a file of ``name<TAB>token`` lines."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the reviewer tokens: {error}", path=str(path)) from None
    tokens: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, token = line.partition("\t")
        if not name.strip() or len(token.strip()) < 16:
            raise ConfigError(
                "a reviewer token line is: a name, a tab, a token of 16 characters or more",
                path=str(path),
                line=number,
                hint="make one with: python3 -c 'import secrets; print(secrets.token_urlsafe())'",
            )
        tokens[token.strip()] = " ".join(name.split())
    if not tokens:
        raise ConfigError("the reviewer tokens file names nobody", path=str(path))
    return tokens
