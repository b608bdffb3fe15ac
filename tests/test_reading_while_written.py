"""A catalog read while another program writes it in place is read again, not refused.

polib (and Babel, and many editors) save by truncating the file and writing it: for a
moment the file is empty or cut short. The reproduction of issue 20: a real polib
process saving every 5 ms while translatio reads; without reading again, about one
``extract`` in ten stopped with "the catalog is empty" and advised deleting it. No
message advises deleting a catalog any more.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest

import translatio
from translatio.catalog.po import parse_po
from translatio.errors import CatalogError
from translatio.project import Project
from translatio.workspace import storage
from translatio.workspace.workspace import Workspace

from .conftest import MakeProject, read_po

ENTRIES = 1500
"""Large enough that a save takes several writes: readers catch it half written."""


@contextmanager
def saving_in_place(path: Path, *, every: float = 0.005) -> Iterator[None]:
    """Another process that loads ``path`` with polib and saves it every ``every`` s,
    changing one translation each time (``POFile.save`` truncates, then writes)."""
    code = textwrap.dedent(
        f"""
        import itertools, time, polib
        catalog = polib.pofile({str(path)!r}, wrapwidth=0)
        print("ready", flush=True)
        for n in itertools.count():
            catalog[0].msgstr = f"Version {{n}}"
            catalog.save({str(path)!r})
            time.sleep({every})
        """
    )
    writer = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        yield
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()


def _big_catalog(path: Path) -> None:
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for n in range(ENTRIES):
        catalog.append(
            polib.POEntry(
                msgid=f"Paragraph {n} has a few words.",
                msgstr=f"Le paragraphe {n}.",
                occurrences=[("source/doc.md", str(2 * n + 1))],
            )
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))


def test_reads_during_in_place_saves_see_whole_catalogs(make_project: MakeProject) -> None:
    root = make_project({"doc.md": "Text.\n"}, languages=("fr",))
    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    _big_catalog(path)
    workspace = Workspace.open(root)
    with saving_in_place(path):
        # the writer really leaves the file half written: reading once is not enough
        half_written = 0
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline and not half_written:
            try:
                half_written += len(parse_po(path.read_bytes(), path="doc.po")) != ENTRIES
            except CatalogError:
                half_written += 1
        assert half_written > 0
        sizes = []
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            catalog, snapshot = workspace.read_snapshot(path)
            assert catalog is not None and snapshot.data is not None
            sizes.append(len(catalog))
            assert parse_po(snapshot.data, path="doc.po") == catalog  # the bytes parsed
    assert sizes and set(sizes) == {ENTRIES}


def test_extract_while_an_editor_keeps_saving(make_project: MakeProject) -> None:
    """Thirty extracts against a polib process saving every 5 ms: no read is refused.

    A run may still stop with "kept changing" (its compare-and-swap lost to every
    save), which leaves the person's file as saved; nothing else stops it.
    """
    paragraphs = [f"Paragraph {n} of the article, with some words." for n in range(20)]
    root = make_project({"doc.md": "\n\n".join(paragraphs) + "\n"}, languages=("fr", "es"))
    project = Project.open(root)
    project.extract()
    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    errors = []
    with saving_in_place(path):
        for run in range(30):
            with (root / "source" / "doc.md").open("a", encoding="utf-8") as source:
                source.write(f"\nParagraph added by run {run}.\n")
            try:
                project.extract()
            except CatalogError as error:
                errors.append(error)
    assert [str(e) for e in errors if "kept changing" not in e.message] == []
    assert len(errors) < 15
    catalog = read_po(path)
    assert catalog[0].msgstr.startswith("Version ")  # the person's saves are all there


def test_a_file_broken_for_good_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "a\nmsgstr "b"\n')
    started = time.monotonic()
    with pytest.raises(CatalogError, match="unclosed string"):
        storage.read_settled(path.read_bytes, lambda data: parse_po(data or b"", path="fr.po"))
    assert time.monotonic() - started < 0.2


def test_an_empty_catalog_is_refused_after_waiting_without_advising_deletion(
    make_project: MakeProject,
) -> None:
    root = make_project({"doc.md": "Text.\n"}, languages=("fr",))
    Project.open(root).extract()
    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    path.write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(CatalogError, match="the catalog is empty") as raised:
        Project.open(root).status()
    waited = time.monotonic() - started
    assert storage.SETTLE_SECONDS / 2 <= waited < storage.SETTLE_SECONDS + 1.5
    assert raised.value.hint is not None
    assert "delete" not in raised.value.hint and "restore" in raised.value.hint


def test_a_catalog_written_late_is_read(make_project: MakeProject) -> None:
    """An editor that truncated the file and writes it a quarter of a second later."""
    root = make_project({"doc.md": "Text.\n"}, languages=("fr",))
    Project.open(root).extract()
    path = root / "locales" / "fr" / "LC_MESSAGES" / "doc.po"
    whole = path.read_bytes()
    code = (
        "import sys, time; p = sys.argv[1]; data = open(p, 'rb').read(); "
        "open(p, 'wb').write(data[: len(data) // 2]); print('cut', flush=True); "
        "time.sleep(0.25); open(p, 'wb').write(data)"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    with writer.stdout:
        assert writer.stdout.readline().strip() == "cut"
        [status] = Project.open(root).status()
    assert writer.wait() == 0
    assert path.read_bytes() == whole
    assert status.total_entries == 1


def test_no_hint_advises_deleting_a_catalog() -> None:
    """No ``hint=`` of the layers that handle catalogs (catalog, workspace, tm, steps,
    cli) says to delete or remove a file, or to start afresh."""
    package = Path(translatio.__file__).parent
    advice = []
    for folder in ("catalog", "workspace", "tm", "steps", "cli"):
        for module in (package / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text("utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "hint":
                    text = " ".join(
                        part.value
                        for part in ast.walk(node.value)
                        if isinstance(part, ast.Constant) and isinstance(part.value, str)
                    )
                    if re.search(r"\b(delete|afresh)\b", text, re.IGNORECASE):
                        advice.append(f"{module.relative_to(package)}: {text}")
    assert advice == []
