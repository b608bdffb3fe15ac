"""The strict PO reader: damaged files are refused with file and line; real files are read.

Bad inputs live in ``fixtures/po/bad`` with the expected message and line in
``bad.json``; ``fixtures/po/good`` holds what gettext and people produce.
"""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import polib
import pytest

from translatio.catalog.po import parse_po
from translatio.catalog.values import serialize
from translatio.errors import CatalogError

from .conftest import FIXTURES, gettext_tool

PO = FIXTURES / "po"
BAD = json.loads((PO / "bad.json").read_text("utf-8"))


def test_every_bad_fixture_is_listed() -> None:
    assert sorted(BAD) == sorted(path.name for path in (PO / "bad").glob("*.po"))


@pytest.mark.parametrize("name", sorted(BAD))
def test_damaged_files_are_refused_with_their_line(name: str) -> None:
    message, line = BAD[name]
    with pytest.raises(CatalogError) as raised:
        parse_po((PO / "bad" / name).read_bytes(), path=name)
    assert message in raised.value.message
    assert raised.value.line == line
    assert str(raised.value.path) == name


def test_bom_and_crlf() -> None:
    catalog = parse_po((PO / "good" / "bom-crlf.po").read_bytes(), path="x.po")
    assert [(e.msgid, e.msgstr) for e in catalog] == [("Hello", "Bonjour")]
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_fuzzy_without_space() -> None:
    [entry] = parse_po((PO / "good" / "fuzzy-no-space.po").read_bytes(), path="x.po")
    assert entry.fuzzy and entry.msgstr == "Bonjour"


def test_latin1_is_transcoded() -> None:
    [entry] = parse_po((PO / "good" / "latin1.po").read_bytes(), path="x.po")
    assert entry.msgstr == "Café"


def test_msgcat_conflicts_stay_fuzzy_and_are_never_published() -> None:
    from translatio.publish.edition import Policy, usable_translations

    catalog = parse_po((PO / "good" / "msgcat-conflict.po").read_bytes(), path="x.po")
    [entry] = catalog
    assert entry.fuzzy and "#-#-#-#-#" in entry.msgstr
    assert usable_translations(catalog, Policy.DRAFT) == {}


def test_wrapped_strings_previous_msgids_plurals_and_obsolete() -> None:
    catalog = parse_po((PO / "good" / "wrapped-previous-obsolete.po").read_bytes(), path="x.po")
    entries = {entry.msgid: entry for entry in catalog}
    new = entries["New long text"]
    assert (new.msgstr, new.previous_msgid, new.fuzzy) == ("Nouveau texte", "Old long text", True)
    assert new.tcomment == "translator note" and new.comment == "type: paragraph"
    assert new.occurrences == [("source/a.md", "3"), ("source/a.md", "9")]
    assert entries["file"].msgstr_plural == {0: "fichier", 1: "fichiers"}
    gone = entries["Gone away"]
    assert gone.obsolete and gone.msgstr == "Parti" and gone.previous_msgid == "Gone"


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "markdown" / "rich.po", *sorted((PO / "good").glob("*.po"))],
    ids=lambda path: path.name,
)
def test_agrees_with_polib_and_reads_back_identical(path: Path) -> None:
    ours = parse_po(path.read_bytes(), path=path.name)
    # polib cannot read a BOM, "#,fuzzy" or Latin-1 here, and drops "#~|" lines.
    if path.name in {"rich.po", "msgcat-conflict.po"}:
        theirs = polib.pofile(str(path), wrapwidth=0)
        assert serialize(ours) == serialize(theirs)
    again = parse_po(serialize(ours), path=path.name)
    assert serialize(again) == serialize(ours)


def test_rewrapped_by_msgcat_reads_the_same(tmp_path: Path) -> None:
    source = FIXTURES / "markdown" / "rich.po"
    wrapped = tmp_path / "wrapped.po"
    subprocess.run(
        [gettext_tool("msgcat"), "--width=30", "-o", str(wrapped), str(source)], check=True
    )
    assert wrapped.read_text("utf-8").count("\n") > source.read_text("utf-8").count("\n")
    ours = parse_po(wrapped.read_bytes(), path="wrapped.po")
    original = parse_po(source.read_bytes(), path="rich.po")
    assert [(e.msgid, e.msgstr, e.flags) for e in ours] == [
        (e.msgid, e.msgstr, e.flags) for e in original
    ]


def test_fuzzed_catalogs_are_refused_or_read_whole() -> None:
    """Random truncations and byte flips: a CatalogError, or every entry still there.

    A truncation inside a line (almost all of them) is refused. A truncation exactly at a
    line end leaves a shorter but well-formed file that no syntax check can tell from a
    real one; those are counted, not asserted. A byte flip is refused or leaves every
    entry in place (a flipped letter inside a text is an edit, not a loss).
    """
    original = (FIXTURES / "markdown" / "rich.po").read_bytes()
    reference = parse_po(original, path="rich.po")
    rng = random.Random(20261128)
    outcomes = {"refused": 0, "read whole": 0, "cut at a line end": 0}
    for _ in range(400):
        data = bytearray(original)
        truncated = rng.random() < 0.5
        if truncated:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 3)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            catalog = parse_po(bytes(data), path="fuzz.po")
        except CatalogError:
            outcomes["refused"] += 1
            continue
        if truncated:
            assert data.endswith(b"\n"), "a cut inside a line must be refused"
            outcomes["cut at a line end"] += 1
        else:
            assert len(catalog) == len(reference), "a byte flip never swallows an entry"
            outcomes["read whole"] += 1
    assert outcomes["refused"] > 200, outcomes


@pytest.mark.parametrize(
    ("escaped", "charset", "text"),
    [
        ("\\302\\240", "UTF-8", "\u00a0"),  # octal escapes are bytes of the charset, as in C
        ("\\xc2\\xa0", "UTF-8", "\u00a0"),
        ("x\\302\\233y", "UTF-8", "x\u009by"),  # a C1 control written as its UTF-8 bytes
        ("\\033[1m", "UTF-8", "\x1b[1m"),
        ("\\\\302", "UTF-8", "\\302"),  # an escaped backslash, then digits: text
        ("\\240", "ISO-8859-1", "\u00a0"),
    ],
)
def test_numeric_escapes_are_bytes_as_gnu_gettext_reads_them(
    escaped: str, charset: str, text: str, tmp_path: Path
) -> None:
    data = (
        f'msgid ""\nmsgstr "Content-Type: text/plain; charset={charset}\\n"\n\n'
        f'msgid "a"\nmsgstr "{escaped}"\n'
    ).encode("latin-1")
    [entry] = [e for e in parse_po(data, path="t.po") if e.msgid]
    assert entry.msgstr == text
    # GNU gettext agrees: msgconv reads the same file to the same text
    path = tmp_path / "t.po"
    path.write_bytes(data)
    converted = subprocess.run(
        [gettext_tool("msgconv"), "--to-code=UTF-8", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    [oracle] = [e for e in parse_po(converted, path="c.po") if e.msgid]
    assert oracle.msgstr == text


def test_escaped_bytes_that_are_not_the_charset_are_refused_with_their_line() -> None:
    header = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    data = header + b'msgid "a"\nmsgstr "\\377"\n'
    with pytest.raises(CatalogError) as raised:
        parse_po(data, path="t.po")
    assert "not valid utf-8" in str(raised.value) and raised.value.line == 5
