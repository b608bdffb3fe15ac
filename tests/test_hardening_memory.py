"""The memory's import and export under hostile inputs (issue 24, hardening round three).

What ``tm export`` may replace and how it writes (items 2 and 8), how imports are named
(3), HTML entities in TMX (4), control characters in what the memory files hold (5),
pipes, devices and sizes (9) and unknown encodings (13), each through the command line
as a person meets it.
"""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import polib
import pytest

from translatio import Project
from translatio.catalog.po import parse_po
from translatio.tm.compendium import memory_file_name

from .conftest import MakeProject, cli, cli_error, read_po, translatio
from .tm_helpers import FIRST_FR, READERS, SECOND, TOWN, catalog_of, reviewed_first

HEADER = (
    '<header creationtool="other" creationtoolversion="1" segtype="paragraph" '
    'o-tmf="other" adminlang="en" srclang="en" datatype="plaintext"/>'
)


def tmx(
    path: Path,
    units: list[tuple[str, str]],
    *,
    changeid: str = "",
    doctype: str = "",
    encoding: str = "UTF-8",
) -> Path:
    """A TMX file of ``(English, French)`` units, written as given (entities included)."""
    reviewer = f' changeid="{changeid}"' if changeid else ""
    body = "".join(
        f'<tu{reviewer}><tuv xml:lang="en"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="fr"><seg>{target}</seg></tuv></tu>\n'
        for source, target in units
    )
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n{doctype}'
        f'<tmx version="1.4">{HEADER}\n<body>\n{body}</body>\n</tmx>\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def french_project(make_project: MakeProject) -> Path:
    root = make_project({"second.md": SECOND}, languages=("fr",))
    Project.open(root).extract()
    return root


def memory_files(root: Path) -> list[Path]:
    return sorted((root / "locales" / "memory" / "fr").glob("*.po"))


def temporaries(folder: Path) -> list[Path]:
    return list(folder.glob(".translatio-tmp-*"))


# -- 2: what tm export may replace -------------------------------------------------------


def test_export_refuses_to_replace_a_file_it_did_not_write(make_project: MakeProject) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    catalog = catalog_of(root, "first")
    before = catalog.read_bytes()
    lines = cli_error(root, "tm", "export", "--tmx", str(catalog))
    assert lines[0] == (
        "error: the file exists and is not a TMX export of translatio; it was left as it is "
        f"({catalog})"
    )
    assert lines[1] == "  hint: choose another file name, or pass --force to replace it"
    assert len(lines) == 2
    assert catalog.read_bytes() == before

    result = cli(root, "tm", "export", "--tmx", str(catalog), "--force")
    assert result.exit_code == 0, result.output
    assert ET.parse(catalog).getroot().tag == "tmx"


def test_export_replaces_its_own_export_or_an_empty_file_through_a_rename(
    make_project: MakeProject, tmp_path: Path
) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    output = tmp_path / "out" / "memory.tmx"
    output.parent.mkdir()
    output.touch()  # an empty file holds nothing to lose
    assert cli(root, "tm", "export", "--tmx", str(output)).exit_code == 0
    first = output.stat().st_ino
    assert b'creationtool="translatio"' in output.read_bytes()[:400]
    result = cli(root, "tm", "export", "--tmx", str(output), "-l", "fr")
    assert result.stdout.splitlines() == [f"{output}: unchanged (4 units)"]
    assert output.stat().st_ino == first  # nothing rewritten

    Project.open(root).tm_import(tmx(tmp_path / "extra.tmx", [(TOWN, "Une autre phrase.")]))
    result = cli(root, "tm", "export", "--tmx", str(output))
    assert result.stdout.splitlines() == [f"{output}: written (5 units)"]
    assert output.stat().st_ino != first  # a new file renamed into place
    assert temporaries(output.parent) == []


def test_export_to_standard_output(make_project: MakeProject) -> None:
    root = reviewed_first(make_project).workspace.root
    result = cli(root, "tm", "export", "--tmx", "-")
    assert result.exit_code == 0, result.output
    tree = ET.fromstring(result.stdout_bytes)
    assert {seg.text for seg in tree.iter("seg")} == {*FIRST_FR, *FIRST_FR.values()}
    assert result.stderr.splitlines() == ["standard output: written (4 units)"]
    assert not (root / "-").exists()


# -- 8: devices, full disks, streaming ---------------------------------------------------


def isolated_cli(
    root: Path, *args: str, stdout: int | IO[bytes] = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    """``translatio ARGS --project ROOT`` in a child process with 2 GiB of address space
    and two minutes: a regression that reads a device to its end, or waits on a pipe,
    fails the test instead of taking the machine or the suite with it."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from translatio.engines import register_engine\n"
        "from translatio.engines.scripted import ScriptedEngine\n"
        "register_engine('machine', lambda options: ScriptedEngine(name='machine'))\n"
        "from translatio.cli import main\n"
        "sys.argv = ['translatio', *sys.argv[1:]]\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--project", str(root)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=120,
        check=False,
    )


def test_export_to_a_device_a_pipe_or_a_directory_is_refused_in_one_line(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = reviewed_first(make_project).workspace.root
    pipe = tmp_path / "pipe.tmx"
    os.mkfifo(pipe)
    cases = [
        ("/dev/full", [], "error: not a regular file: tm export writes a file, or standard output"),
        (str(pipe), ["--force"], "error: not a regular file: tm export writes a file"),
        (str(tmp_path), ["--force"], "error: a directory stands where the TMX file should go"),
    ]
    for target, force, message in cases:
        done = isolated_cli(root, "tm", "export", "--tmx", target, *force)
        lines = done.stderr.splitlines()
        assert done.returncode == 1, done.stderr
        assert lines[0].startswith(message) and lines[0].endswith(f"({target})"), lines
        assert len(lines) == 2 and lines[1].startswith("  hint: ")
    assert pipe.is_fifo()


def test_a_full_disk_under_standard_output_is_one_line(make_project: MakeProject) -> None:
    root = reviewed_first(make_project).workspace.root
    with open("/dev/full", "wb") as full:
        done = isolated_cli(root, "tm", "export", "--tmx", "-", stdout=full)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "error: cannot write standard output: No space left on device (ENOSPC)"
    assert len(lines) == 2 and lines[1].startswith("  hint: free some disk space")


def test_a_full_disk_leaves_the_old_export_whole(
    make_project: MakeProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = reviewed_first(make_project)
    root = project.workspace.root
    output = tmp_path / "memory.tmx"
    project.tm_export(output)
    before = output.read_bytes()
    Project.open(root).tm_import(tmx(tmp_path / "extra.tmx", [(TOWN, "Une autre phrase.")]))
    project.tm_stats()

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    lines = cli_error(root, "tm", "export", "--tmx", str(output))
    assert lines[0] == f"error: cannot write {output}: No space left on device (ENOSPC)"
    assert len(lines) == 2
    assert output.read_bytes() == before
    assert temporaries(tmp_path) == []


class _CountingStream(io.BytesIO):
    """A binary stream that remembers how it was written to."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data: bytes, /) -> int:  # type: ignore[override]
        self.sizes.append(len(data))
        return super().write(data)


def test_an_export_is_written_as_it_is_made(make_project: MakeProject, tmp_path: Path) -> None:
    project = reviewed_first(make_project)
    many = [(f"Paragraph number {n} of a site.", f"Paragraphe numéro {n}.") for n in range(300)]
    project.tm_import(tmx(tmp_path / "old.tmx", many))
    stream = _CountingStream()
    report = project.tm_export(stream)
    assert (report.path, report.units, report.written) == ("-", 304, True)
    assert len(stream.sizes) >= report.units  # a piece per unit, never the whole document
    assert max(stream.sizes) < 2000
    assert ET.fromstring(stream.getvalue()).tag == "tmx"
    file = tmp_path / "memory.tmx"
    project.tm_export(file)
    assert file.read_bytes() == stream.getvalue()


# -- 3: names of imported memories -------------------------------------------------------


def test_two_files_of_one_name_are_two_memories(make_project: MakeProject, tmp_path: Path) -> None:
    root = french_project(make_project)
    first = tmx(tmp_path / "a" / "site.tmx", [(READERS, "Venue du site A.")])
    second = tmx(tmp_path / "b" / "site.tmx", [(TOWN, "Venue du site B.")])
    for file in (first, second):
        result = cli(root, "tm", "import", str(file))
        assert result.exit_code == 0, result.output
    stored = memory_files(root)
    assert [path.name for path in stored] == sorted(
        memory_file_name("site.tmx", str(file)) for file in (first, second)
    )
    headers = {read_po(path).metadata["X-Translatio-Imported-From"] for path in stored}
    assert headers == {str(first), str(second)}
    assert Project.open(root).tm_stats()[0].imported == 2

    tmx(first, [(READERS, "Venue du site A, revue.")])  # the same file again, changed
    assert cli(root, "tm", "import", str(first)).exit_code == 0
    assert memory_files(root) == stored
    texts = {entry.msgstr for path in stored for entry in read_po(path) if entry.msgid}
    assert texts == {"Venue du site A, revue.", "Venue du site B."}


def test_a_file_inside_the_project_is_named_by_its_relative_path(
    make_project: MakeProject,
) -> None:
    root = french_project(make_project)
    file = tmx(root / "imports" / "site.tmx", [(READERS, "De l'intérieur.")])
    report = Project.open(root).tm_import(file)
    name = memory_file_name("site.tmx", "imports/site.tmx")
    assert report.stored == (("fr", f"locales/memory/fr/{name}", 1),)
    assert read_po(memory_files(root)[0]).metadata["X-Translatio-Imported-From"] == (
        "imports/site.tmx"
    )


def test_memory_files_named_before_the_hash_still_feed_the_memory(
    make_project: MakeProject,
) -> None:
    root = french_project(make_project)
    legacy = root / "locales" / "memory" / "fr" / "site.tmx.po"
    legacy.parent.mkdir(parents=True)
    legacy.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'# origin: site.tmx:4\n# reviewer: Bob\nmsgid "{READERS}"\nmsgstr "Ancienne."\n',
        "utf-8",
    )
    project = Project.open(root)
    assert project.tm_stats()[0].imported == 1
    project.translate(engine="machine")
    entry = read_po(catalog_of(root, "second")).find(READERS)
    assert entry is not None and entry.msgstr == "Ancienne."


# -- 4: HTML entities in TMX ---------------------------------------------------------------


@pytest.mark.parametrize("doctype", ["", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'])
def test_html_named_entities_are_read_as_their_characters(
    make_project: MakeProject, tmp_path: Path, doctype: str
) -> None:
    root = french_project(make_project)
    file = tmx(
        tmp_path / "entities.tmx",
        [(READERS, "Horaires&nbsp;: 5&nbsp;&euro; &amp; &lt;b&gt; &#233;t&eacute;")],
        changeid="Jos&eacute; &Eacute;mile",
        doctype=doctype,
    )
    result = cli(root, "tm", "import", str(file))
    assert result.exit_code == 0, result.output
    [entry] = [entry for entry in read_po(memory_files(root)[0]) if entry.msgid]
    assert entry.msgstr == "Horaires\u00a0: 5\u00a0€ & <b> été"
    assert "reviewer: José Émile" in entry.tcomment


def test_a_unit_with_an_unknown_entity_is_refused_with_a_count_and_line(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = french_project(make_project)
    units = [(READERS, "Bon."), (TOWN, "Mauvais &bogus; ici."), ("The title", "&nosuch;")]
    file = tmx(tmp_path / "broken.tmx", units)
    result = cli(root, "tm", "import", str(file))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "2 units refused: unreadable (an entity neither XML nor HTML defines), the first at line 5"
    )
    [entry] = [entry for entry in read_po(memory_files(root)[0]) if entry.msgid]
    assert entry.msgstr == "Bon."
    data = json.loads(cli(root, "tm", "import", str(file), "--json").stdout)
    assert (data["unreadable"], data["first_unreadable"]) == (2, 5)

    only = tmx(tmp_path / "only.tmx", [(TOWN, "Mauvais &bogus; ici.")])
    lines = cli_error(root, "tm", "import", str(only))
    assert "(1 refused as unreadable, the first at line 4)" in lines[0]


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx [<!ENTITY nbsp "x">]>\n',
        '<!DOCTYPE tmx [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n',
        '<!DOCTYPE tmx SYSTEM "x" [<!ENTITY % dtd SYSTEM "file:///etc/hostname"> %dtd;]>\n',
    ],
)
def test_entity_declarations_stay_refused(
    make_project: MakeProject, tmp_path: Path, doctype: str
) -> None:
    root = french_project(make_project)
    file = tmx(tmp_path / "declares.tmx", [(READERS, "Texte&nbsp;!")], doctype=doctype)
    lines = cli_error(root, "tm", "import", str(file))
    assert lines[0].startswith("error: the TMX file declares XML entities")
    assert memory_files(root) == []


# -- 5: control characters in what the memory files hold ----------------------------------


def test_control_characters_in_reviewers_and_origins_read_back(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = french_project(make_project)
    file = tmx(
        tmp_path / "old\rsite.tmx",
        [(READERS, "Relu.")],
        changeid="Ada&#13;Lovelace&#x2028;&#x85;(QA)",
    )
    assert cli(root, "tm", "import", str(file)).exit_code == 0
    compendium = polib.POFile(wrapwidth=0)
    compendium.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "fr",
        "Last-Translator": "Bob\rMartin\x1b[31m\x0b",
    }
    compendium.append(polib.POEntry(msgid=TOWN, msgstr="Aussi relu."))
    po = tmp_path / "compendium.po"
    po.write_bytes(compendium.__unicode__().encode("utf-8"))
    assert cli(root, "tm", "import", str(po)).exit_code == 0

    for path in memory_files(root):
        parse_po(path.read_bytes(), path=str(path))  # the strict reader: no error
    comments = {
        entry.msgid: entry.tcomment
        for path in memory_files(root)
        for entry in read_po(path)
        if entry.msgid
    }
    assert comments[READERS] == "origin: old\\rsite.tmx:4\nreviewer: Ada Lovelace (QA)"
    assert comments[TOWN].endswith("reviewer: Bob Martin\\x1b[31m")
    result = cli(root, "tm", "stats", "--json")
    assert result.stderr == ""  # no memory file left out with a warning
    assert json.loads(result.stdout)[0]["imported"] == 2
    Project.open(root).translate(engine="machine")
    entry = read_po(catalog_of(root, "second")).find(READERS)
    assert entry is not None and "old\\rsite.tmx:4 (imported, reviewed by Ada Lovelace" in (
        entry.tcomment
    )


def test_the_history_holds_reviewers_and_origins_on_one_line(make_project: MakeProject) -> None:
    from .tm_helpers import translate_by_hand

    project = reviewed_first(make_project)
    root = project.workspace.root
    translate_by_hand(catalog_of(root, "first"), FIRST_FR, translator="Ada\x07\u2028Lovelace")
    result = cli(root, "tm", "export", "--tmx", "-")
    assert result.exit_code == 0, result.output
    history = root / "locales" / "fr" / "history.po"
    catalog = parse_po(history.read_bytes(), path=str(history))
    reviewers = {
        line for entry in catalog for line in entry.tcomment.splitlines() if "reviewer" in line
    }
    assert reviewers == {"reviewer: Ada\\x07 Lovelace"}


# -- 9: pipes, devices and sizes -----------------------------------------------------------


def test_a_device_or_a_directory_is_refused_in_one_line(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = french_project(make_project)
    cases = [
        ("/dev/zero", "error: a device or socket, not a file to import (/dev/zero)"),
        (str(tmp_path), f"error: a directory, not a file to import ({tmp_path})"),
    ]
    for file, message in cases:
        done = isolated_cli(root, "tm", "import", file)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.splitlines()
        assert lines[0] == message
        assert len(lines) == 2 and lines[1].startswith("  hint: ")


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "incoming"
    os.mkfifo(path)
    yield path


def _feed(path: Path, data: bytes) -> threading.Thread:
    """A writer that opens the pipe once a reader has, and writes ``data`` (or until closed)."""

    def write() -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as error:  # ENXIO: no reader yet
                if error.errno != errno.ENXIO or time.monotonic() > deadline:
                    return
                time.sleep(0.05)
        os.set_blocking(descriptor, True)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_pipe_is_read_before_the_project_is_locked(
    make_project: MakeProject, tmp_path: Path, fifo: Path
) -> None:
    root = french_project(make_project)
    source = tmx(tmp_path / "piped.tmx", [(READERS, "Par un tuyau.")])
    outcome: list[object] = []

    def run_import() -> None:
        try:
            outcome.append(Project.open(root).tm_import(fifo))
        except Exception as error:
            outcome.append(error)

    importer = threading.Thread(target=run_import, daemon=True)
    importer.start()
    time.sleep(0.5)  # the import waits for the pipe's writer
    assert not outcome
    from translatio.workspace.workspace import Workspace

    with Workspace.open(root).lock(wait=0):  # BusyError if the import held the project
        pass
    _feed(fifo, source.read_bytes()).join(30)
    importer.join(30)
    [report] = outcome
    name = memory_file_name("pipe.tmx", "")
    assert [path.name.split("-")[0] for path in memory_files(root)] == [name.split("-")[0]]
    assert report.stored[0][2] == 1  # type: ignore[attr-defined]
    header = read_po(memory_files(root)[0]).metadata["X-Translatio-Imported-From"]
    assert header == f"{fifo} (a pipe)"


def test_a_pipe_is_bounded_by_the_size_limit(
    make_project: MakeProject, tmp_path: Path, fifo: Path
) -> None:
    root = french_project(make_project)
    writer = _feed(fifo, b"<tmx>" + b" " * (2 * 1024 * 1024))
    lines = cli_error(root, "tm", "import", str(fifo), "--max-size", "1")
    assert lines[0] == f"error: more than 1 MiB, the most tm import reads ({fifo})"
    assert lines[1] == "  hint: if the file is right, raise the limit: tm import --max-size MIB"
    writer.join(30)
    assert not (root / "locales" / "memory").exists()


def test_a_file_over_the_size_limit_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    root = french_project(make_project)
    units = [(f"Paragraph {n}.", f"Paragraphe {n}.") for n in range(12000)]
    big = tmx(tmp_path / "big.tmx", units)
    assert 1024 * 1024 < big.stat().st_size < 3 * 1024 * 1024
    lines = cli_error(root, "tm", "import", str(big), "--max-size", "1")
    assert lines[0] == f"error: more than 1 MiB, the most tm import reads ({big})"
    result = cli(root, "tm", "import", str(big), "--max-size", "3")
    assert result.exit_code == 0, result.output


def test_the_size_limit_is_documented() -> None:
    from translatio.cli.tm import _DEFAULT_MIB
    from translatio.steps.tm import MAX_IMPORT_SIZE

    assert _DEFAULT_MIB * 1024 * 1024 == MAX_IMPORT_SIZE
    help_text = " ".join(translatio("tm", "import", "--help").stdout.split())
    assert "--max-size" in help_text and f"[default: {_DEFAULT_MIB};" in help_text


# -- 13: encodings -------------------------------------------------------------------------


def test_an_unknown_encoding_is_one_line_naming_it(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = french_project(make_project)
    file = tmp_path / "odd.tmx"
    file.write_bytes(b'<?xml version="1.0" encoding="x-unknown"?>\n<tmx version="1.4"/>\n')
    lines = cli_error(root, "tm", "import", str(file))
    assert lines[0] == (
        f"error: the TMX file declares the encoding 'x-unknown', which translatio cannot read "
        f"({file}:1)"
    )
    assert len(lines) == 2


def test_an_encoding_expat_lacks_is_read_through_python(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = french_project(make_project)
    file = tmx(tmp_path / "japanese.tmx", [(READERS, "図書館の開館時間")], encoding="Shift_JIS")
    result = cli(root, "tm", "import", str(file))
    assert result.exit_code == 0, result.output
    [entry] = [entry for entry in read_po(memory_files(root)[0]) if entry.msgid]
    assert entry.msgstr == "図書館の開館時間"
    file.write_bytes(file.read_bytes().replace("図".encode("shift_jis"), b"\x81\xff"))
    lines = cli_error(root, "tm", "import", str(file))
    assert lines[0].startswith("error: the TMX file is not valid Shift_JIS (byte offset ")
