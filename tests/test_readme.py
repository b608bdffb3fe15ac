"""The README's terminal transcripts, run: every ```console block, command by command.

Each block runs in a fresh folder set up as the prose around it describes (``SETUPS``,
chosen by the block's first command). Its commands run as written, in that folder,
through the installed ``translatio`` console script in a subprocess whose stdout and
stderr share one pipe, unbuffered, so the output interleaves as a terminal shows it (a
plain one: no colours, 80 columns). ``HOME`` is a temporary folder and the variables
that move translatio's caches and Argos's packages are unset, so the defaults the README
names (``~/.cache/translatio``, ``~/.local/share/argos-translate``) are the paths used.

The output must equal the README's text except for what ``normalise`` and ``elide``
change, and nothing else:

- the temporary home folder is written ``~``, as a shell prompt shows it;
- the translation memory's file name, a hash of the project's temporary path, is
  written ``<project hash>``;
- an expected line that ends in ``...`` stands for any line that starts with the text
  before it (the README elides what depends on the machine, such as a package's size).

Every command must exit with status 0. A failure names the block's line in README.md
and shows a unified diff of the transcript, expected against actual.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .argos_fixture import build_package
from .conftest import ARTICLE, MakeProject, cli, read_po

README = Path(__file__).parents[1] / "README.md"

_PROMPT = "$ "
_ELLIPSIS = "..."
_PROJECT_HASH = re.compile(r"(?<=~/\.cache/translatio/tm/)[0-9a-f]{16}(?=\.sqlite3\b)")
_MOVED_FOLDERS = (
    "ARGOS_PACKAGES_DIR",
    "TRANSLATIO_CACHE_DIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
)
"""Variables that move a folder away from the default under ``HOME``: unset for the run."""
_COLOUR_FORCING = ("FORCE_COLOR", "CLICOLOR_FORCE", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@dataclass(frozen=True, slots=True)
class Command:
    """One ``$ translatio …`` line of a console block and the output under it."""

    line: int
    """The command's line in README.md (1-based)."""
    text: str
    """The command as written after the prompt, a trailing ``# comment`` included."""
    expected: tuple[str, ...]
    """The output lines the README shows for it."""


@dataclass(frozen=True, slots=True)
class ConsoleBlock:
    """A fenced ```console block of README.md."""

    line: int
    """The line of its opening fence (1-based)."""
    commands: tuple[Command, ...]
    """Its commands, in order."""


@dataclass(frozen=True, slots=True)
class Folder:
    """Where a block's commands run and what they need besides the defaults."""

    path: Path
    """The working directory of every command."""
    environment: dict[str, str]
    """Variables set for the commands on top of the suite's environment."""


def console_blocks(text: str) -> list[ConsoleBlock]:
    """Every ```console block of a Markdown text, with its commands and their output."""
    blocks: list[ConsoleBlock] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        if lines[number].strip() != "```console":
            number += 1
            continue
        opening = number + 1
        commands: list[Command] = []
        number += 1
        while number < len(lines) and lines[number].strip() != "```":
            line = lines[number]
            if line.startswith(_PROMPT):
                commands.append(Command(number + 1, line[len(_PROMPT) :], ()))
            elif commands:
                last = commands[-1]
                commands[-1] = Command(last.line, last.text, (*last.expected, line))
            else:
                raise ValueError(f"README.md:{number + 1}: output before the first command")
            number += 1
        blocks.append(ConsoleBlock(opening, tuple(commands)))
        number += 1
    return blocks


BLOCKS = console_blocks(README.read_text("utf-8"))


# -- the folders the blocks describe ----------------------------------------------------------


def apertium_project(make_project: MakeProject, tmp_path: Path) -> Folder:
    """The README's "project with `es` among its languages, translated by Apertium"."""
    if shutil.which("apertium") is None:
        pytest.fail("apertium not found: apt-get install apertium apertium-eng-spa (.ci/run does)")
    root = make_project(
        {"article.txt": ARTICLE.read_text("utf-8")}, languages=("es",), engine="argos"
    )
    return Folder(root, {})


STEPS = 470
"""Reviewed paragraphs of the catalog: the memory's ``paragraphs``."""
ALIGNED = 456
"""Of those, paragraphs whose two sentences are translated one by one: 2 x 456 = 912
``sentences``; the others' translations join the two sentences into one."""
OLD_PAGES = 1820
"""Units of the old site's TMX with sources of their own."""
SHARED = 20
"""Units of the TMX whose source is also a paragraph of the catalog: 1840 ``imported``,
2310 units exported, 470 + 1820 = 2290 distinct ``sources``."""


def memory_project(make_project: MakeProject, tmp_path: Path) -> Folder:
    """A French catalog reviewed by a translator and the TMX export of an old site.

    The README's figures: 470 reviewed paragraphs (912 sentences reusable one by one)
    and a TMX of 1840 units, 20 of them for sources the catalog has too.
    """
    guide = "".join(f"{_step(number)}\n\n" for number in range(1, STEPS + 1))
    root = make_project({"guide.txt": guide}, languages=("fr",), engine="argos")
    result = cli(root, "extract")
    assert result.exit_code == 0, result.output
    path = root / "locales" / "fr" / "LC_MESSAGES" / "guide.po"
    catalog = read_po(path)
    for number, entry in enumerate((entry for entry in catalog if entry.msgid), start=1):
        assert entry.msgid == _step(number)
        entry.msgstr = _french(number, aligned=number <= ALIGNED)
    path.write_bytes(catalog.__unicode__().encode("utf-8"))
    units = [(_step(number), _french(number, aligned=False)) for number in range(1, SHARED + 1)]
    units += [
        (
            f"Old page {number} describes a retired feature. It is kept for reference.",
            f"L’ancienne page {number} décrit une fonction retirée ; elle reste pour référence.",
        )
        for number in range(1, OLD_PAGES + 1)
    ]
    (root / "old-site.tmx").write_text(_tmx(units), encoding="utf-8")
    return Folder(root, {})


def _step(number: int) -> str:
    return f"Step {number} of the guide explains one task. Readers should follow step {number}."


def _french(number: int, *, aligned: bool) -> str:
    if aligned:
        return f"L’étape {number} du guide explique une tâche. Suivez bien l’étape {number}."
    return f"L’étape {number} du guide explique une tâche qu’il faut suivre avec soin."


def _tmx(units: list[tuple[str, str]]) -> str:
    """A TMX 1.4 file as a CMS exports it: English sources, French from France."""
    from xml.sax.saxutils import escape

    body = "".join(
        "    <tu>\n"
        f'      <tuv xml:lang="en-US"><seg>{escape(source)}</seg></tuv>\n'
        f'      <tuv xml:lang="fr-FR"><seg>{escape(target)}</seg></tuv>\n'
        "    </tu>\n"
        for source, target in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '  <header creationtool="old-site" creationtoolversion="1" segtype="paragraph"'
        ' o-tmf="cms" adminlang="en-US" srclang="en-US" datatype="plaintext"/>\n'
        f"  <body>\n{body}  </body>\n</tmx>\n"
    )


def argos_packages(make_project: MakeProject, tmp_path: Path) -> Folder:
    """A folder holding ``translate-en_zh-1_9.argosmodel``, and an index that offers it.

    Not the real thing: the Argos index is on the internet, which the suite never uses.
    ``TRANSLATIO_ARGOS_INDEX`` points ``models install en zh`` at a local index (a file:
    address) offering the same package, so that command still runs its whole download,
    validation and install path; the package is a tiny genuine one built at test time
    (``argos_fixture``), so ``models list`` shows its real version and path.
    """
    folder = tmp_path / "downloads"
    folder.mkdir()
    archive = build_package(folder, "en", "zh", version="1.9")
    offered = tmp_path / "index" / archive.name
    offered.parent.mkdir()
    shutil.copyfile(archive, offered)
    index = offered.parent / "index.json"
    entry = {
        "type": "translate",
        "from_code": "en",
        "to_code": "zh",
        "package_version": "1.9",
        "links": [offered.as_uri()],
    }
    index.write_text(json.dumps([entry]), encoding="utf-8")
    return Folder(folder, {"TRANSLATIO_ARGOS_INDEX": index.as_uri()})


SETUPS: dict[str, Callable[[MakeProject, Path], Folder]] = {
    "translatio extract -l es": apertium_project,
    "translatio tm import old-site.tmx -l fr": memory_project,
    "translatio models install en zh": argos_packages,
}
"""Each block's folder, by the block's first command (without its comment)."""


# -- running and comparing --------------------------------------------------------------------


def console_script() -> str:
    """The installed ``translatio`` entry point of the Python that runs the suite."""
    found = shutil.which("translatio", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"no translatio console script beside {sys.executable}: run `uv run pytest`")
    return found


def arguments(command: Command) -> list[str]:
    """The command's words as a shell splits them (a ``# comment`` dropped)."""
    words = shlex.split(command.text, comments=True)
    assert words[:1] == ["translatio"], f"README.md:{command.line}: not a translatio command"
    return words


def normalise(output: str, home: Path) -> list[str]:
    """The output's lines with the temporary home as ``~`` and the project hash named."""
    text = output.replace(f"{home}/", "~/")
    return _PROJECT_HASH.sub("<project hash>", text).splitlines()


def elide(expected: tuple[str, ...], actual: list[str]) -> list[str]:
    """``actual`` with each line the README elides (``text...``) replaced by its elision."""
    shown = list(actual)
    for index, line in enumerate(expected[: len(shown)]):
        head = line.removesuffix(_ELLIPSIS)
        if line.endswith(_ELLIPSIS) and head and shown[index].startswith(head):
            shown[index] = line
    return shown


def test_the_readme_has_console_blocks() -> None:
    assert len(BLOCKS) >= 3 and all(block.commands for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[str(block.line) for block in BLOCKS])
def test_console_block(block: ConsoleBlock, make_project: MakeProject, tmp_path: Path) -> None:
    if not block.commands:
        pytest.fail(f"README.md:{block.line}: a console block without a command", pytrace=False)
    first = " ".join(arguments(block.commands[0]))
    if first not in SETUPS:
        pytest.fail(
            f"README.md:{block.line}: no folder is set up for a console block starting with "
            f"`{first}`: add one to SETUPS in {Path(__file__).name}",
            pytrace=False,
        )
    folder = SETUPS[first](make_project, tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in _MOVED_FOLDERS and name not in _COLOUR_FORCING
    }
    environment |= {
        "HOME": str(home),
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "80",
        **folder.environment,
    }
    script = console_script()
    expected: list[str] = []
    actual: list[str] = []
    failed: list[str] = []
    for command in block.commands:
        words = arguments(command)
        completed = subprocess.run(
            [script, *words[1:]],
            cwd=folder.path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=300,
        )
        expected += [_PROMPT + command.text, *command.expected]
        actual += [_PROMPT + command.text]
        actual += elide(command.expected, normalise(completed.stdout, home))
        if completed.returncode != 0:
            failed.append(f"README.md:{command.line}: exit status {completed.returncode}")
    if expected != actual or failed:
        diff = difflib.unified_diff(
            expected,
            actual,
            fromfile=f"README.md:{block.line} (expected)",
            tofile="actual",
            lineterm="",
        )
        pytest.fail("\n".join([*failed, *diff]), pytrace=False)
