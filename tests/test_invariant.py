"""The cardinal rule, property-tested: no human translation is ever lost or changed.

Hypothesis drives random sequences of source edits (insert, delete, edit, move,
duplicate, split, join), translator work (translate, edit, approve machine output, save
through a re-wrapping writer), merges, pseudo machine translation and builds. After every
step, every translation a person wrote is still in the catalog (active, fuzzy or
obsolete) with exactly the text the person gave it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translatio.catalog.po import parse_po
from translatio.project import Project
from translatio.text.sentences import split_sentences

from .conftest import ARTICLE

START = [
    s.strip() for p in ARTICLE.read_text("utf-8").split("\n\n") for s in split_sentences(p.strip())
][:10]
SOURCE_OPS = ["insert", "delete", "edit", "move", "duplicate", "split", "join"]
TRANSLATOR_OPS = ["translate", "retranslate", "approve", "rewrap"]
PIPELINE_OPS = ["merge", "machine", "build"]
STEPS = st.lists(
    st.tuples(st.sampled_from(SOURCE_OPS + TRANSLATOR_OPS + PIPELINE_OPS), st.integers(0, 999)),
    min_size=1,
    max_size=14,
)


class _World:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.paragraphs = list(START)
        self.counter = 0
        (root / "source").mkdir()
        (root / "translatio.toml").write_text('languages = ["fr"]\nengine = "pseudo"\n', "utf-8")
        self.write_source()
        self.project = Project.open(root)
        self.project.extract()
        self.po = root / "locales" / "fr" / "LC_MESSAGES" / "article.po"
        self.human: set[str] = set()

    def write_source(self) -> None:
        text = "\n\n".join(self.paragraphs) + "\n"
        (self.root / "source" / "article.txt").write_text(text, "utf-8")

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem} {self.counter}"

    def catalog(self) -> polib.POFile:
        return parse_po(self.po.read_bytes(), path=str(self.po))

    def source(self, op: str, n: int) -> None:
        p = self.paragraphs
        i = n % len(p)
        if op == "insert":
            p.insert(i, self.fresh("A brand new paragraph number") + ".")
        elif op == "delete" and len(p) > 1:
            p.pop(i)
        elif op == "edit":
            p[i] = p[i].rstrip(".") + f", {self.fresh('edited')}."
        elif op == "move":
            p.insert(n % (len(p) + 1), p.pop(i))
        elif op == "duplicate":
            p.insert(i, p[i])
        elif op == "split" and len(p[i].split()) > 3:
            words = p[i].split()
            half = len(words) // 2
            p[i : i + 1] = [" ".join(words[:half]) + ".", " ".join(words[half:])]
        elif op == "join" and len(p) > 1 and i + 1 < len(p):
            p[i : i + 2] = [p[i] + " " + p[i + 1]]
        self.write_source()

    def translator(self, op: str, n: int) -> None:
        catalog = self.catalog()
        active = [e for e in catalog if e.msgid and not e.obsolete]
        if op == "rewrap":  # an editor that re-wraps long lines on save
            catalog.wrapwidth = 40
            self.po.write_bytes(catalog.__unicode__().encode("utf-8"))
            return
        if op == "translate" and active:
            entry = active[n % len(active)]
            if entry.msgstr in self.human:
                self.human.discard(entry.msgstr)  # the person replaces their own text
            entry.msgstr = self.fresh("Traduction humaine")
            self.human.add(entry.msgstr)
        elif op == "retranslate":
            mine = [e for e in active if e.msgstr in self.human]
            if not mine:
                return
            entry = mine[n % len(mine)]
            self.human.discard(entry.msgstr)
            entry.msgstr = self.fresh("Traduction revue")
            self.human.add(entry.msgstr)
        elif op == "approve":
            fuzzy = [e for e in active if e.fuzzy and e.msgstr]
            if not fuzzy:
                return
            entry = fuzzy[n % len(fuzzy)]
            self.human.add(entry.msgstr)  # accepted: from now on it is the person's text
        else:
            return
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        catalog.wrapwidth = 0
        self.po.write_bytes(catalog.__unicode__().encode("utf-8"))

    def pipeline(self, op: str) -> None:
        if op == "merge":
            self.project.extract(force=True)
        elif op == "machine":
            self.project.extract(force=True)
            self.project.translate(engine="pseudo")
        else:
            self.project.build(policy="draft", keep=0)

    def check(self, step: int) -> None:
        texts = {e.msgstr for e in self.catalog() if e.msgstr}
        missing = self.human - texts
        assert not missing, f"step {step}: lost human translations {sorted(missing)}"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(steps=STEPS)
def test_no_human_translation_is_ever_lost(steps: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        world = _World(Path(scratch))
        for step, (op, n) in enumerate(steps):
            if op in SOURCE_OPS:
                world.source(op, n)
            elif op in TRANSLATOR_OPS:
                world.translator(op, n)
            else:
                world.pipeline(op)
            world.check(step)
        world.pipeline("merge")
        world.check(len(steps))
