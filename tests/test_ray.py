"""The Ray executor against a real local Ray cluster, with tiny genuine Argos packages.

Batches are cut by the driver, so ``--executor ray`` must give the same catalog bytes as
``--executor local``: for a corpus with subfolders and two languages, with an actor
killed in the middle of the run, and with the model reaching the actors only through
Ray's object store.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Workers use this interpreter; Ray's `uv run` integration would instead rebuild the
# environment for each worker. Read by Ray at import, so set before it.
os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
import ray

from translatio import ExecutorError, ModelError, Project
from translatio.engines.argos import ArgosEngine, DecodingSettings
from translatio.engines.argos.decoding import model_key
from translatio.engines.argos.executors import ModelWork
from translatio.engines.argos.executors.batching import cut_batches
from translatio.engines.argos.executors.cluster import RayExecutor
from translatio.engines.argos.executors.local import LocalExecutor
from translatio.engines.argos.executors.ray_output import RayOutput
from translatio.engines.argos.executors.worker import ModelSpec
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.packages.installed import installed_packages
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.progress import NullProgress

from .argos_fixture import build_package
from .conftest import MakeProject, cli, cli_error

CORPUS = {
    "index.md": "# Welcome\n\nThe regime lied about the virus.\n\nFew can escape criticism.\n",
    "blog/2026/op-ed.md": (
        "# An op-ed\n\nThe regime lied about the virus. It silenced the doctors.\n\n"
        "Whistleblowers were punished for telling the truth about the outbreak.\n"
    ),
    "news/brief.txt": "Few can escape criticism.\n\nThe outbreak spread in the city.\n",
}
SMALL_BATCHES = DecodingSettings(batch_tokens=48)
"""Many batches even for a small corpus, so that an actor can be killed mid-run."""


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("ray-archives")
    return {
        "en_zh": build_package(directory, "en", "zh", seed=1),
        "en_de": build_package(directory, "en", "de", seed=4),
    }


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One local Ray instance (two CPUs) for the module's tests."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def corpus(make_project: MakeProject, archives: dict[str, Path], name: str) -> Path:
    root = make_project({}, languages=("zh_CN", "de"), engine="argos", extra='device = "cpu"\n')
    root = root.rename(root.with_name(name))
    (root / "source" / "article.txt").unlink()
    for relative, text in CORPUS.items():
        path = root / "source" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not installed_packages():
        install_from_file(archives["en_zh"])
        install_from_file(archives["en_de"])
    return root


def catalogs(root: Path) -> dict[str, bytes]:
    locales = root / "locales"
    return {
        path.relative_to(locales).as_posix(): path.read_bytes() for path in locales.rglob("*.po")
    }


def translated(
    root: Path, executor: LocalExecutor | RayExecutor, cache: Path, *, kill: bool = False
) -> dict[str, bytes]:
    """The corpus translated with ``executor`` (a fresh memory, so that nothing is reused)."""
    engine = ArgosEngine(
        device="cpu", cache=SentenceCache(cache), settings=SMALL_BATCHES, executor=executor
    )

    class KillOneActor(NullProgress):
        killed = False

        def advance(self, count: int = 1) -> None:
            if kill and not self.killed and isinstance(executor, RayExecutor) and executor.actors:
                actor = next(iter(executor.actors.values()))
                os.kill(ray.get(actor.pid.remote()), signal.SIGKILL)
                self.killed = True

    project = Project.open(root)
    project.extract()
    progress = KillOneActor()
    updates = project.translate(engine=engine, progress=progress)
    executor.close()
    assert all(update.report.filled for update in updates)
    assert progress.killed is kill
    return catalogs(root)


def test_ray_and_local_give_identical_catalogs(
    cluster: None, make_project: MakeProject, archives: dict[str, Path], tmp_path: Path
) -> None:
    local = translated(
        corpus(make_project, archives, "local"), LocalExecutor(2), tmp_path / "local.sqlite3"
    )
    executor = RayExecutor()
    remote = translated(corpus(make_project, archives, "ray"), executor, tmp_path / "ray.sqlite3")
    assert sorted(remote) == [
        f"{language}/LC_MESSAGES/{document}.po"
        for language in ("de", "zh_CN")
        for document in ("blog/2026/op-ed", "index", "news/brief")
    ]
    assert remote == local
    assert executor.stats.batches > 2
    assert {key.split("@")[0] for key in executor.stats.workers} == {
        "translate-en_de-1_0",
        "translate-en_zh-1_0",
    }
    assert executor.stats.shipped_bytes > 10_000


def test_a_killed_actor_is_restarted_and_the_output_is_identical(
    cluster: None, make_project: MakeProject, archives: dict[str, Path], tmp_path: Path
) -> None:
    local = translated(
        corpus(make_project, archives, "local"), LocalExecutor(1), tmp_path / "local.sqlite3"
    )
    executor = RayExecutor()
    remote = translated(
        corpus(make_project, archives, "ray"), executor, tmp_path / "ray.sqlite3", kill=True
    )
    assert executor.stats.retried >= 1
    assert executor.stats.lost == 1
    assert remote == local


def test_ray_lines_go_to_the_log_and_translatio_lines_to_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    output = RayOutput(tmp_path / "logs" / "ray.log")
    output.start("a test")
    try:
        os.write(2, b"[2026-01-01 00:00:00,000 W 1 1] gcs_client.cc:210: from Ray's core\n")
        ray._private.worker.print_to_stdstream(  # how the driver prints what the raylet says
            {"lines": ["A worker died or was killed"], "pid": "raylet", "is_err": False}, False
        )
        print("translatio's own line", file=sys.stderr)
    finally:
        output.stop()
    os.write(2, b"after\n")
    out, err = capfd.readouterr()
    assert "Ray" not in out + err and "worker died" not in out + err
    assert err == "translatio's own line\nafter\n"
    log = (tmp_path / "logs" / "ray.log").read_text(encoding="utf-8")
    assert "=== " in log and "a test" in log
    assert "gcs_client.cc:210: from Ray's core" in log
    assert "(raylet) A worker died or was killed" in log


def _work(archives: dict[str, Path], directory: Path) -> tuple[dict[str, ModelWork], ArgosEngine]:
    """The en→zh model's directory copied to ``directory``, and one batch for it."""
    install_from_file(archives["en_zh"])
    [package] = installed_packages()
    shutil.copytree(package.model_dir, directory)
    engine = ArgosEngine(device="cpu", cache=None)
    tokens = tuple(engine.decoder.tokenizer(package).encode("The regime lied.", out_type=str))
    spec = ModelSpec(model_key(package), None, "cpu", "int8", 4, 0.2, 2.0, 8)
    batches = cut_batches(spec.key, [tokens], 64)
    return {spec.key: ModelWork(spec, directory, batches)}, engine


def test_the_model_reaches_actors_through_the_object_store(
    cluster: None, archives: dict[str, Path], tmp_path: Path
) -> None:
    work, _ = _work(archives, tmp_path / "model")
    executor = RayExecutor()
    shipped = executor.ship(work)
    shutil.rmtree(tmp_path / "model")  # nothing on disk any more: actors load from memory
    outputs: list[object] = []
    executor.decode(work, lambda batch, decoded: outputs.append(decoded), shipped)
    executor.close()
    [[(tokens, score, _, _)]] = outputs
    assert tokens and score < 0

    # The same batch in-process, from the directory: the same tokens and score.
    work, _ = _work(archives, tmp_path / "again")
    local: list[object] = []
    LocalExecutor(1).decode(work, lambda batch, decoded: local.append(decoded))
    assert local == outputs


def test_damaged_model_bytes_are_refused_by_the_actor(
    cluster: None, archives: dict[str, Path], tmp_path: Path
) -> None:
    work, _ = _work(archives, tmp_path / "model")
    executor = RayExecutor()
    [(reference, checksum)] = executor.ship(work).values()
    [key] = work
    with pytest.raises(ModelError, match="checksum mismatch"):
        executor.decode(work, lambda batch, decoded: None, {key: (reference, "0" * len(checksum))})
    executor.close()


def test_an_unreachable_cluster_is_one_line_with_a_hint(
    make_project: MakeProject, archives: dict[str, Path]
) -> None:
    if ray.is_initialized():
        ray.shutdown()
    with pytest.raises(ExecutorError) as raised:
        RayExecutor(address="127.0.0.1:1").ship({})
    assert "cannot connect to the Ray cluster at 127.0.0.1:1" in str(raised.value)
    assert "ray start --head" in (raised.value.hint or "")
    root = corpus(make_project, archives, "unreachable")
    Project.open(root).extract()
    lines = cli_error(root, "translate", "--executor", "ray", "--ray-address", "127.0.0.1:1")
    assert lines[0].startswith("error: cannot connect to the Ray cluster at 127.0.0.1:1")
    assert any("ray start --head" in line for line in lines[1:])


def test_without_ray_installed_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ExecutorError) as raised:
        RayExecutor().ship({})
    assert "pip install 'translatio[ray]'" in (raised.value.hint or "")


def test_cli_executor_ray_starts_and_stops_a_local_instance(
    make_project: MakeProject, archives: dict[str, Path]
) -> None:
    if ray.is_initialized():
        ray.shutdown()
    root = corpus(make_project, archives, "cli")
    result = cli(root, "run", "--executor", "ray", "--draft", "--json")
    assert result.exit_code == 0, result.output
    assert (root / "locales/de/LC_MESSAGES/blog/2026/op-ed.po").is_file()
    assert not ray.is_initialized(), "the local Ray instance is stopped at the end"
