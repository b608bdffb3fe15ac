"""Token authentication to a Ray cluster: the token found where Ray's own CLI finds it.

The Ray the lock file pins protects a cluster with a token: ``ray start --head`` turns
token authentication on when the user has a token (``RAY_AUTH_TOKEN``, else the file
``RAY_AUTH_TOKEN_PATH`` names, else ``~/.ray/auth_token``, which every local Ray
instance writes the first time it starts). ``ray.init(address=…)`` sends that token only
when ``RAY_AUTH_MODE=token`` is set; without it the cluster refuses every request, Ray
prints a warning a second for some 20 seconds and then says only that it cannot connect.

``authenticate`` asks the cluster first without a token (a ``GcsClient``, which a
refused request fails at once). Only when the cluster asks for one, and ``RAY_AUTH_MODE``
is unset, is token mode turned on, with the token Ray finds: token mode is not harmless
elsewhere, since a driver in token mode refuses the workers of a cluster without
authentication, whose actors then never start. A missing or wrong token is one line
naming where the token came from, with a hint; ``RAY_AUTH_MODE`` set by the user is
respected. A Ray Client address (``ray://``) cannot be asked beforehand: there Ray's
own rules apply.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from translatio.errors import ExecutorError

__all__ = ["authenticate", "token_source"]

TOKEN_HINT = (
    "put the cluster's token (`ray get-auth-token` prints it on the head node) in "
    "RAY_AUTH_TOKEN, in a file named by RAY_AUTH_TOKEN_PATH, or in ~/.ray/auth_token"
)
"""Where a token goes, in the words of the hint."""


def token_source() -> str | None:
    """Where Ray takes the token from, in Ray's order; ``None`` when there is none."""
    if os.environ.get("RAY_AUTH_TOKEN", "").strip():
        return "RAY_AUTH_TOKEN"
    named = os.environ.get("RAY_AUTH_TOKEN_PATH")
    path = Path(named) if named else Path.home() / ".ray" / "auth_token"
    try:
        if path.read_text(encoding="utf-8").strip():
            return str(path)
    except (OSError, UnicodeDecodeError):
        pass
    return None


def authenticate(ray: Any, address: str) -> None:
    """Make the next ``ray.init(address=address)`` send the user's token if the cluster
    asks for one.

    Raises ``ExecutorError`` (one line and a hint) when the cluster refuses: no token, or
    not the cluster's; also when nothing answers as a Ray cluster at ``address``.
    """
    if address.startswith("ray://"):
        return
    raylet = ray._raylet  # the pinned Ray's own token loader and config (no public API)
    loader = raylet.AuthenticationTokenLoader.instance()
    where = f"cannot connect to the Ray cluster at {address}"

    def accepted() -> bool:
        raylet.Config.initialize("")  # Ray reads RAY_AUTH_MODE into its config: again
        loader.reset_cache()  # a token Ray loaded earlier upsets a driver in disabled mode
        try:
            raylet.GcsClient(address=address, cluster_id=None)
        except ray.exceptions.AuthenticationError:
            return False
        except ray.exceptions.RpcError as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
            raise ExecutorError(
                f"{where}: {first}",
                hint="check --ray-address: host:port of the head node's GCS (`ray start "
                "--head` prints it), or ray://host:10001",
            ) from None
        return True

    chosen = os.environ.get("RAY_AUTH_MODE")
    if chosen is None:
        if accepted():
            return
        os.environ["RAY_AUTH_MODE"] = "token"  # what ray.init() does for a local cluster
    elif chosen.lower() == "token":
        os.environ["RAY_AUTH_MODE"] = "disabled"
        try:
            open_cluster = accepted()
        finally:
            os.environ["RAY_AUTH_MODE"] = chosen
            raylet.Config.initialize("")
        if open_cluster:  # its workers could not call back a driver in token mode
            raise ExecutorError(
                f"{where}: it does not use token authentication, and RAY_AUTH_MODE=token",
                hint="unset RAY_AUTH_MODE: translatio sends the token only to a cluster "
                "that asks for it",
            )
    try:
        raylet.Config.initialize("")
        if raylet.get_authentication_mode() != raylet.AuthenticationMode.TOKEN:
            if accepted():
                return
            raise ExecutorError(
                f"{where}: it asks for an authentication token, and RAY_AUTH_MODE={chosen}",
                hint=f"unset RAY_AUTH_MODE; {TOKEN_HINT}",
            )
        loader.reset_cache()
        if not loader.has_token(ignore_auth_mode=True):  # Ray would abort the process
            why = (
                "it asks for an authentication token, and none was found"
                if chosen is None
                else "RAY_AUTH_MODE=token, but no authentication token was found"
            )
            raise ExecutorError(f"{where}: {why}", hint=TOKEN_HINT)
        if not accepted():
            raise ExecutorError(
                f"{where}: it refused the authentication token from {token_source() or 'Ray'}",
                hint=TOKEN_HINT,
            )
    except ExecutorError:
        if chosen is None:  # leave the process as it was
            del os.environ["RAY_AUTH_MODE"]
            raylet.Config.initialize("")
        raise
