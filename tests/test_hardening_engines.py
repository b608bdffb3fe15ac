"""Engines and caches that fail in one line (issue 24): a broken Argos package refused at
install, a Ray worker's remote traceback told as one line with the full text in a log
file, and a cache directory that refuses access costing only time, with one warning.

The suite runs as root, where permission bits do not stop access: a cache directory that
refuses access is simulated by making ``stat`` and ``mkdir`` of every path in it raise
``PermissionError`` (EACCES), as the kernel does for a directory without search (x)
permission on it or a parent.
"""

from __future__ import annotations

import errno
import logging
import os
import pathlib
import zipfile
from pathlib import Path

import pytest

from translatio import ExecutorError, ModelError, Project
from translatio.engines.argos import ArgosEngine
from translatio.engines.argos.executors.failures import worker_failure
from translatio.engines.argos.packages.archive import install_from_file
from translatio.engines.argos.packages.installed import installed_packages
from translatio.engines.argos.sentence_cache import SentenceCache

from .argos_fixture import build_package
from .conftest import MakeProject, translatio, user_error


@pytest.fixture(scope="module")
def en_de(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_package(tmp_path_factory.mktemp("engines-archives"), "en", "de", seed=4)


def _with_member(archive: Path, destination: Path, suffix: str, data: bytes) -> Path:
    """A copy of ``archive`` whose member ending in ``suffix`` holds ``data`` instead."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(destination, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, data if info.filename.endswith(suffix) else source.read(info))
    return destination


def packages() -> Path:
    return Path(os.environ["ARGOS_PACKAGES_DIR"])


# -- item 15: a package whose tokenizer or model does not load ------------------------------


@pytest.mark.parametrize(
    ("member", "data", "named"),
    [
        ("sentencepiece.model", b"not a SentencePiece model\n" * 8, "tokenizer"),
        ("model/model.bin", b"\x00" * 64, "CTranslate2 model"),
    ],
    ids=["tokenizer", "model"],
)
def test_a_package_that_does_not_load_is_refused_at_install(
    en_de: Path, tmp_path: Path, member: str, data: bytes, named: str
) -> None:
    broken = _with_member(en_de, tmp_path / "broken.argosmodel", member, data)
    with pytest.raises(ModelError) as raised:
        install_from_file(broken)
    message = str(raised.value)
    assert "\n" not in message and message.endswith(f"({broken})")
    assert f"not a valid Argos package: its {named}" in message and "does not load" in message
    assert ".staging-" not in message  # names the archive, not where it was unpacked
    assert installed_packages() == []
    assert [path.name for path in packages().iterdir()] == []  # no staging left behind


def test_models_install_refuses_a_broken_tokenizer_in_one_line(en_de: Path, tmp_path: Path) -> None:
    broken = _with_member(en_de, tmp_path / "broken.argosmodel", "sentencepiece.model", b"x")
    lines = user_error(translatio("models", "install", str(broken)))
    assert lines[0].startswith("error: not a valid Argos package: its tokenizer")
    assert lines[0].endswith(f"({broken})")
    assert all(line.startswith("  hint: ") for line in lines[1:])


def test_a_tokenizer_damaged_after_install_is_one_error_naming_it(en_de: Path) -> None:
    package = install_from_file(en_de)
    package.tokenizer.write_bytes(b"damaged later\n")
    engine = ArgosEngine(device="cpu", cache=SentenceCache(), threads=1)
    with pytest.raises(ModelError) as raised:
        engine.decoder.tokenizer(package)
    assert "\n" not in str(raised.value)
    assert "the tokenizer of the en→de package does not load" in str(raised.value)
    assert raised.value.path == package.tokenizer
    assert "translatio models install en de" in (raised.value.hint or "")


# -- item 16: a Ray worker's failure ---------------------------------------------------------

_REMOTE_TRACEBACK = """\
\x1b[36mray::_DecodeActor.decode()\x1b[39m (pid=4242, ip=10.1.2.3, actor_id=ab12, repr=<x>)
  File "/tmp/ray/session/working_dir/src/translatio/engines/argos/executors/cluster.py", \
line 51, in __init__
    self._worker = ModelWorker(spec, (files, checksum), threads=1)
  File "/tmp/ray/session/working_dir/src/translatio/engines/argos/executors/worker.py", \
line 84, in __init__
    raise ModelError(
translatio.errors.ModelError: the model files of en-de arrived damaged (checksum mismatch)"""


def test_a_remote_model_error_is_one_line_naming_the_node_and_logged_whole(
    tmp_path: Path,
) -> None:
    ray_exceptions = pytest.importorskip("ray.exceptions")
    cause = ModelError(
        "the model files of en-de arrived damaged (checksum mismatch)",
        hint="run the command again; if it persists, reinstall the package",
    )
    error = ray_exceptions.RayTaskError(
        "decode", _REMOTE_TRACEBACK, cause, pid=4242, ip="10.1.2.3", actor_id="ab12"
    )
    assert "\n" in str(error)  # what the driver gets from Ray
    log = tmp_path / "logs" / "ray-workers.log"
    told = worker_failure(error, log=log)
    assert isinstance(told, ModelError)  # the class a caller handles stays
    assert str(told) == (
        "a Ray worker on node 10.1.2.3 failed: "
        "the model files of en-de arrived damaged (checksum mismatch)"
    )
    assert told.hint == (
        f"run the command again; if it persists, reinstall the package; "
        f"the worker's full report is in {log}"
    )
    kept = log.read_text("utf-8")
    assert "Ray worker on node 10.1.2.3" in kept
    assert 'worker.py", line 84, in __init__' in kept and "\x1b[" not in kept


def test_a_worker_that_cannot_start_is_one_line_naming_the_node_and_the_error(
    tmp_path: Path,
) -> None:
    ray_exceptions = pytest.importorskip("ray.exceptions")
    error = ray_exceptions.RayActorError(
        actor_id="cd34",
        error_msg=(
            "The actor died because of an error raised in its creation task, "
            "ray::_DecodeActor.__init__() (pid=77, ip=10.9.8.7, actor_id=cd34)\n"
            '  File "/opt/app/cluster.py", line 9, in <module>\n'
            "    import ctranslate2\n"
            "ModuleNotFoundError: No module named 'ctranslate2'"
        ),
        actor_init_failed=True,
    )
    log = tmp_path / "ray-workers.log"
    told = worker_failure(error, log=log)
    assert isinstance(told, ExecutorError)
    assert str(told) == (
        "a Ray worker on node 10.9.8.7 failed: ModuleNotFoundError: No module named 'ctranslate2'"
    )
    assert f"the worker's full report is in {log}" in (told.hint or "")
    assert "import ctranslate2" in log.read_text("utf-8")


def test_a_log_that_cannot_be_written_is_said_in_the_hint(tmp_path: Path) -> None:
    ray_exceptions = pytest.importorskip("ray.exceptions")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory\n", "utf-8")
    error = ray_exceptions.RayTaskError(
        "decode", "Traceback …\nRuntimeError: boom", RuntimeError("boom"), ip="10.0.0.1"
    )
    told = worker_failure(error, log=blocked / "ray-workers.log")
    assert str(told) == "a Ray worker on node 10.0.0.1 failed: RuntimeError: boom"
    assert "could not be written" in (told.hint or "")


# -- item 17: a cache directory that refuses access -------------------------------------------


def _refuse_access(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """Every ``stat`` and ``mkdir`` of a path inside ``directory`` fails with EACCES."""
    real_stat, real_mkdir = pathlib.Path.stat, pathlib.Path.mkdir

    def inside(path: pathlib.Path) -> bool:
        return str(path).startswith(str(directory) + os.sep)

    def stat(self: pathlib.Path, **options: bool) -> os.stat_result:
        if inside(self):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, **options)

    def mkdir(self: pathlib.Path, mode: int = 0o777, **options: bool) -> None:
        if inside(self) or str(self) == str(directory):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, mode, **options)

    monkeypatch.setattr(pathlib.Path, "stat", stat)
    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_an_inaccessible_cache_directory_costs_time_and_one_warning(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project(languages=("fr",), engine="pseudo")
    cache = Path(os.environ["TRANSLATIO_CACHE_DIR"])
    _refuse_access(monkeypatch, cache)
    with caplog.at_level(logging.WARNING, logger="translatio"):
        project = Project.open(root)
        project.extract()
        [update] = project.translate()
    assert update.report.filled > 0  # the run went on, its memory index built in memory
    [warning] = _warnings(caplog)
    assert warning.startswith(f"cannot use the cache directory {cache}: Permission denied")
    assert "going on without its caches for this run" in warning


def test_with_argos_both_caches_fail_and_the_run_says_so_once(
    en_de: Path,
    make_project: MakeProject,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_from_file(en_de)
    root = make_project(languages=("de",), engine="argos", extra='device = "cpu"\n')
    cache = Path(os.environ["TRANSLATIO_CACHE_DIR"])
    _refuse_access(monkeypatch, cache)
    with caplog.at_level(logging.WARNING, logger="translatio"):
        _, [translated], _ = Project.open(root).run()
    assert translated.report.filled > 0
    [warning] = _warnings(caplog)  # the memory index and the sentence cache: one line
    assert warning.startswith(f"cannot use the cache directory {cache}: Permission denied")


def test_the_sentence_cache_alone_goes_on_without_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache_directory = tmp_path / "refusing"
    monkeypatch.setenv("TRANSLATIO_CACHE_DIR", str(cache_directory))
    _refuse_access(monkeypatch, cache_directory)
    cache = SentenceCache()
    with caplog.at_level(logging.WARNING, logger="translatio"):
        assert cache.lookup("model", ["a sentence"]) == {}
        cache.store("model", [("a sentence", "ein Satz", -0.1)])
        assert cache.lookup("model", ["a sentence"]) == {}
    [warning] = _warnings(caplog)
    assert warning.startswith(f"cannot use the cache directory {cache_directory}")
