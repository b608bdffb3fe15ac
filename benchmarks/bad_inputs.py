"""What the PO reader does with bad input: a table of kinds of damage and outcomes.

Every file in ``tests/fixtures/po/bad`` is read once; then valid catalogs (the golden
``rich.po`` and a catalog of the article) are damaged at random in several ways, many
times each. For each kind the table counts files refused with a CatalogError, files read
with every entry intact, files read with an entry changed (a flipped byte inside a
text), files read with entries missing (a cut exactly at a line end: indistinguishable
from a shorter valid file), and crashes (anything but a CatalogError: must be 0).

Run:  uv run python benchmarks/bad_inputs.py [--tries 500]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from translatio.catalog.po import parse_po
from translatio.errors import CatalogError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def _cut_mid_line(data: bytes, rng: random.Random) -> bytes:
    while True:
        cut = rng.randrange(1, len(data))
        if data[cut - 1 : cut] != b"\n":
            return data[:cut]


def _cut_at_line_end(data: bytes, rng: random.Random) -> bytes:
    ends = [i + 1 for i, byte in enumerate(data) if byte == 10]
    return data[: rng.choice(ends[:-1])]


def _flip_byte(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def _flip_bit(data: bytes, rng: random.Random) -> bytes:
    damaged = bytearray(data)
    damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    return bytes(damaged)


def _drop_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    del lines[rng.randrange(len(lines) - 1)]
    return b"\n".join(lines)


def _duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(len(lines) - 1)
    lines.insert(index, lines[index])
    return b"\n".join(lines)


def _conflict(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    index = rng.randrange(len(lines) - 1)
    return b"\n".join([*lines[:index], b"<<<<<<< HEAD", *lines[index:]])


DAMAGE: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncated inside a line": _cut_mid_line,
    "truncated at a line end": _cut_at_line_end,
    "one byte replaced": _flip_byte,
    "one bit flipped": _flip_bit,
    "one line deleted": _drop_line,
    "one line duplicated": _duplicate_line,
    "git conflict marker inserted": _conflict,
}


def _outcome(data: bytes, reference: dict[tuple[str | None, str], str]) -> str:
    try:
        catalog = parse_po(data, path="damaged.po")
    except CatalogError:
        return "refused"
    except Exception as error:  # the point is to count these
        return f"crash: {type(error).__name__}"
    entries = {(e.msgctxt, e.msgid): e.msgstr for e in catalog if e.msgid}
    if len(entries) < len(reference):
        return "read, entries missing"
    if any(reference.get(key) != value for key, value in entries.items()):
        return "read, a text changed"
    return "read intact"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=500)
    arguments = parser.parse_args()
    rng = random.Random(20261128)
    print("| input | tried | refused | read intact | a text changed | entries missing | crash |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    fixtures = sorted((FIXTURES / "po" / "bad").glob("*.po"))
    outcomes = Counter(_outcome(path.read_bytes(), {}) for path in fixtures)
    _row("hand-made bad files (tests/fixtures/po/bad)", len(fixtures), outcomes)
    sources = [FIXTURES / "markdown" / "rich.po", *sorted((FIXTURES / "po" / "good").glob("*.po"))]
    originals = [path.read_bytes() for path in sources]
    for kind, damage in DAMAGE.items():
        outcomes = Counter()
        for _ in range(arguments.tries):
            original = rng.choice(originals)
            reference = {
                (e.msgctxt, e.msgid): e.msgstr for e in parse_po(original, path="x") if e.msgid
            }
            outcomes[_outcome(damage(original, rng), reference)] += 1
        _row(kind, arguments.tries, outcomes)


def _row(kind: str, tried: int, outcomes: Counter[str]) -> None:
    crashes = sum(count for name, count in outcomes.items() if name.startswith("crash"))
    print(
        f"| {kind} | {tried} | {outcomes['refused']} | {outcomes['read intact']} | "
        f"{outcomes['read, a text changed']} | {outcomes['read, entries missing']} | {crashes} |"
    )


if __name__ == "__main__":
    main()
