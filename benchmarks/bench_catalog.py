"""Extract + merge of a generated 10,000-paragraph document into 10 languages, vs msgmerge.

Version 1 of the document is extracted and every entry of every language translated;
then 10 % of the paragraphs are edited (one word changed) and the timed step runs:

* translatio: ``Project.extract()`` (segment, template, merge into 10 catalogs, write);
* GNU gettext: ``msgmerge --previous`` of the same old catalogs with translatio's new
  template, one process per language (run sequentially, as a script would).

Run:  uv run python benchmarks/bench_catalog.py [--paragraphs N] [--languages N]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from translatio.catalog.values import serialize
from translatio.project import Project

LANGUAGES = ["zh_CN", "zh_TW", "ja", "ko", "es", "fr", "de", "ru", "ar", "pt_BR", "it", "nl"]


def _paragraphs(count: int, rng: random.Random) -> list[str]:
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        for _ in range(5000)
    ]
    return [
        " ".join(rng.choice(words) for _ in range(rng.randint(15, 90))).capitalize() + "."
        for _ in range(count)
    ]


def _setup(root: Path, paragraphs: list[str], languages: list[str], *, wrap: int) -> Project:
    (root / "source").mkdir(parents=True)
    listed = ", ".join(f'"{code}"' for code in languages)
    (root / "translatio.toml").write_text(f"languages = [{listed}]\nwrap = {wrap}\n", "utf-8")
    (root / "source" / "doc.md").write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    project = Project.open(root)
    project.extract()
    for language in project.languages():
        path = project.workspace.catalog_path("doc", language)
        catalog = project.workspace.read_catalog(path)
        assert catalog is not None
        for entry in catalog:
            if entry.msgid:
                entry.msgstr = f"[{language.code}] {entry.msgid[:40]}"
        path.write_bytes(serialize(catalog, wrap=wrap))
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=10_000)
    parser.add_argument("--languages", type=int, default=10)
    parser.add_argument("--edited", type=float, default=0.10)
    parser.add_argument(
        "--wrap", type=int, default=79, help="the wrap setting (0: unwrapped, as msgcat --no-wrap)"
    )
    arguments = parser.parse_args()
    rng = random.Random(20261128)
    languages = LANGUAGES[: arguments.languages]
    paragraphs = _paragraphs(arguments.paragraphs, rng)
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory) / "project"
        project = _setup(root, paragraphs, languages, wrap=arguments.wrap)
        edited = list(paragraphs)
        for index in rng.sample(range(len(edited)), int(len(edited) * arguments.edited)):
            words = edited[index].split(" ")
            words[len(words) // 2] = "edited"
            edited[index] = " ".join(words)
        (root / "source" / "doc.md").write_text("\n\n".join(edited) + "\n", "utf-8")
        baseline = Path(directory) / "baseline"
        shutil.copytree(root / "locales", baseline)

        started = time.perf_counter()
        updates = project.extract()
        ours = time.perf_counter() - started
        fuzzy = sum(update.merge.fuzzy for update in updates)

        template = root / "locales" / "doc.pot"
        started = time.perf_counter()
        for code in languages:
            old = baseline / code / "LC_MESSAGES" / "doc.po"
            subprocess.run(
                [
                    "msgmerge",
                    "--quiet",
                    "--previous",
                    "--no-wrap",
                    "-o",
                    str(Path(directory) / f"{code}.po"),
                    str(old),
                    str(template),
                ],
                check=True,
            )
        theirs = time.perf_counter() - started

    print(
        f"paragraphs: {len(paragraphs)}, languages: {len(languages)}, "
        f"edited: {arguments.edited:.0%}, fuzzy entries produced: {fuzzy}"
    )
    print(f"translatio extract+merge: {ours:.2f} s")
    print(f"msgmerge --previous:      {theirs:.2f} s")
    print(f"ratio translatio/msgmerge: {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
