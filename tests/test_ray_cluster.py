"""Joining a Ray cluster started the way the README says: ``ray start --head``, then
``--ray-address``.

The module starts one real head node with the Ray the lock file pins (``ray start --head``
on free ports, in its own ``--temp-dir``), under a home directory of its own that holds a
Ray token, as every user's does once a local Ray instance has run: ``ray start --head``
then turns token authentication on, and a driver that does not send the token is refused.
The tests join it, compare the catalogs with the local executor's, kill a worker by its
pid, and stop the cluster by its own process ids at the end (never ``ray stop``, which
ends every Ray process of the user, the suite's other Ray instances included).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")  # as in test_ray
import ray

from translatio import ExecutorError, Project
from translatio.engines.argos.executors.cluster import RayExecutor
from translatio.engines.argos.executors.local import LocalExecutor
from translatio.engines.argos.executors.ray_output import ray_log

from .argos_fixture import build_package
from .conftest import MakeProject
from .test_ray import corpus, translated

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the cluster's processes in /proc"
)

TRANSLATIO = (sys.executable, "-m", "translatio")
_AUTH_VARIABLES = ("HOME", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_ADDRESS")
_RAY_LINE = re.compile(
    r"^\[\d{4}-\d\d-\d\d [\d:,]+ [DIWEF] \d+ \d+\]"  # Ray's C++ core
    r"|^\d{4}-\d\d-\d\d [\d:,]+\t(?:INFO|WARNING|ERROR) "  # Ray's Python loggers
    r"|\((?:raylet|pid=\d+)[^)]*\)",  # what the driver's listener prints
    re.MULTILINE,
)


@dataclass(frozen=True)
class HeadNode:
    """A cluster this module started with ``ray start --head``."""

    address: str
    """``127.0.0.1:PORT`` of its GCS, what ``--ray-address`` takes."""
    home: Path
    """The home directory it was started under (``.ray/auth_token`` in it)."""
    temp_dir: Path
    """Its ``--temp-dir``: sessions, sockets and logs."""
    group: int
    """The process group of ``ray start`` (its session), which its daemons keep."""


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for each in sockets:
            each.bind(("127.0.0.1", 0))
        return [each.getsockname()[1] for each in sockets]
    finally:
        for each in sockets:
            each.close()


def _processes() -> dict[int, tuple[int, int, str]]:
    """Every process: pid → (parent, process group, state)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[2]), fields[0])
    return table


def _cluster_pids(head: HeadNode) -> set[int]:
    """The head node's processes: its process group (GCS, raylet, monitors, dashboard),
    their descendants (workers have groups of their own), and anything naming its
    temp dir."""
    table = _processes()
    pids = {pid for pid, (_, group, _) in table.items() if group == head.group}
    for pid in table:
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes()
        except OSError:
            continue
        if os.fsencode(head.temp_dir) in command:
            pids.add(pid)
    grown = True
    while grown:
        children = {pid for pid, (parent, _, _) in table.items() if parent in pids}
        grown = not children <= pids
        pids |= children
    pids.discard(os.getpid())
    return pids


def _alive(pids: set[int]) -> set[int]:
    table = _processes()
    return {pid for pid in pids if pid in table and table[pid][2] != "Z"}


def _stop(head: HeadNode) -> None:
    """End the head node's processes, and only those: TERM, then KILL after 3 s (its
    GCS and raylet take some 10 s to end on TERM; a test cluster has nothing to keep)."""
    pids = _cluster_pids(head)
    for sig, grace in ((signal.SIGTERM, 3), (signal.SIGKILL, 15)):
        for pid in _alive(pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while _alive(pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        pids |= _cluster_pids(head)  # a worker started meanwhile
    assert not _alive(pids), f"Ray processes left running: {sorted(_alive(pids))}"


@pytest.fixture(scope="module")
def head(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HeadNode]:
    """A head node started as the README says, stopped by its own pids at the end."""
    ray_cli = Path(sys.executable).with_name("ray")
    if not ray_cli.exists():
        pytest.skip("the ray command is not installed next to this Python")
    if ray.is_initialized():
        ray.shutdown()
    home = tmp_path_factory.mktemp("ray-home")
    (home / ".ray").mkdir()
    (home / ".ray" / "auth_token").write_text(secrets.token_hex(32), encoding="utf-8")
    # Short: Ray's Unix sockets live under it, and their paths are limited to 107 bytes.
    temp_dir = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))
    gcs, dashboard, agent, agent_grpc, env_agent, metrics = _free_ports(6)
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in _AUTH_VARIABLES and not name.startswith("RAY_")
    }
    environment |= {"HOME": str(home), "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0"}
    command = [
        str(ray_cli),
        "start",
        "--head",
        f"--port={gcs}",
        f"--temp-dir={temp_dir}",
        "--num-cpus=2",
        "--include-dashboard=false",
        f"--dashboard-port={dashboard}",
        f"--dashboard-agent-listen-port={agent}",
        f"--dashboard-agent-grpc-port={agent_grpc}",
        f"--runtime-env-agent-port={env_agent}",
        f"--metrics-export-port={metrics}",
        "--disable-usage-stats",
    ]
    starter = subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its daemons keep this process group: how we find them
    )
    node = HeadNode(f"127.0.0.1:{gcs}", home, temp_dir, starter.pid)
    try:
        output, _ = starter.communicate(timeout=120)
        assert starter.returncode == 0, output
        assert "Token authentication is enabled" in output, output
        yield node
    finally:
        if starter.poll() is None:
            starter.kill()
            starter.communicate()
        _stop(node)
        shutil.rmtree(temp_dir, ignore_errors=True)


@pytest.fixture
def user(head: HeadNode) -> Iterator[None]:
    """This process as the user who started the head node: the same home, no Ray variables.

    Restored by hand, then Ray's token cache and config read again, so that the suite's
    later in-process Ray instances do not see this module's token.
    """
    saved = {name: os.environ.get(name) for name in _AUTH_VARIABLES}
    for name in _AUTH_VARIABLES:
        os.environ.pop(name, None)
    os.environ["HOME"] = str(head.home)
    try:
        yield
    finally:
        if ray.is_initialized():
            ray.shutdown()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        ray._raylet.AuthenticationTokenLoader.instance().reset_cache()
        ray._raylet.Config.initialize("")


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("ray-cluster-archives")
    return {
        "en_zh": build_package(directory, "en", "zh", seed=1),
        "en_de": build_package(directory, "en", "de", seed=4),
    }


def test_a_cluster_started_with_ray_start_head_is_joined_with_its_token(
    head: HeadNode,
    user: None,
    make_project: MakeProject,
    archives: dict[str, Path],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    terminal = os.fstat(2)
    local = translated(
        corpus(make_project, archives, "local"), LocalExecutor(2), tmp_path / "local.sqlite3"
    )
    executor = RayExecutor(address=head.address)
    with caplog.at_level("WARNING", logger="translatio"):
        remote = translated(
            corpus(make_project, archives, "ray"), executor, tmp_path / "ray.sqlite3", kill=True
        )
    assert remote == local
    assert executor.stats.retried >= 1
    assert executor.stats.lost == 1
    [lost] = [record.getMessage() for record in caplog.records if "lost" in record.getMessage()]
    assert re.fullmatch(r"worker lost on \d+\.\d+\.\d+\.\d+, \d+ batch(es)? retried", lost), lost
    assert not ray.is_initialized(), "the driver left the cluster at the end"
    # Ray's own lines went to the log, none to this process's stdout or stderr.
    out, err = capfd.readouterr()
    assert not _RAY_LINE.search(out + err), out + err
    log = ray_log().read_text(encoding="utf-8")
    assert f"translatio joins the Ray cluster at {head.address}" in log
    assert (os.fstat(2).st_dev, os.fstat(2).st_ino) == (terminal.st_dev, terminal.st_ino)


def test_the_command_line_joins_it_and_prints_no_ray_lines(
    head: HeadNode, user: None, make_project: MakeProject, archives: dict[str, Path]
) -> None:
    root = corpus(make_project, archives, "cli")
    Project.open(root).extract()
    started = time.monotonic()
    finished = subprocess.run(
        [*TRANSLATIO, "translate", "--executor", "ray", "--ray-address", head.address],
        cwd=root,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "locales/de/LC_MESSAGES/blog/2026/op-ed.po: " in finished.stdout
    assert not _RAY_LINE.search(finished.stdout + finished.stderr), finished.stderr
    assert finished.stderr == "", finished.stderr
    assert time.monotonic() - started < 60


def test_a_wrong_token_is_one_line_at_once(
    head: HeadNode, user: None, make_project: MakeProject, archives: dict[str, Path]
) -> None:
    os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)
    started = time.monotonic()
    with pytest.raises(ExecutorError) as raised:
        RayExecutor(address=head.address).ship({})
    assert time.monotonic() - started < 10, "no retrying for 20 s"
    assert str(raised.value) == (
        f"cannot connect to the Ray cluster at {head.address}: "
        "it refused the authentication token from RAY_AUTH_TOKEN"
    )
    assert "ray get-auth-token" in (raised.value.hint or "")
    assert os.environ.get("RAY_AUTH_MODE") is None, "the environment is left as it was"


def test_without_a_token_the_error_says_where_one_goes(
    head: HeadNode, user: None, tmp_path: Path
) -> None:
    os.environ["HOME"] = str(tmp_path)  # no ~/.ray/auth_token
    with pytest.raises(ExecutorError) as raised:
        RayExecutor(address=head.address).ship({})
    assert str(raised.value).endswith("it asks for an authentication token, and none was found")
    hint = raised.value.hint or ""
    assert "RAY_AUTH_TOKEN" in hint and "~/.ray/auth_token" in hint
