"""Machine translation speed: Argos's own path vs translatio vs raw CTranslate2.

Builds a random-weight package of Argos size (6+6 layers, d_model 512, 8 heads, ffn 2048,
8,000-piece SentencePiece vocabulary that tokenizes the article about as a real Argos
model does, int8) whose ``</s>`` logit is raised so decoding ends by itself, as a real
model's does. Then translates the article ×1, ×10 and ×50
(each copy's sentences made unique, so nothing is deduplicated or remembered) with:

(a) ``argostranslate.translate.translate`` paragraph by paragraph at its default
    settings. Its sentence splitter needs a model download (MiniSBD or stanza), which
    fails offline, so that one function is replaced by translatio's splitter; the
    translation itself is Argos's code (one ``translate_batch`` per paragraph, beam 4,
    4 hypotheses, default threads);
(b) ``Project.translate`` with the argos engine (fresh translation memory);
(c) one raw CTranslate2 ``translate_batch`` over all sentences with the settings
    translatio uses.

Each variant runs in its own process (peak memory is that process's maximum RSS).
Checks that (b) and (c) give the same output for every sentence.

(b) runs once per ``--batch-tokens`` budget: translatio cuts each model's sentences into
batches of at most that many padded tokens, so peak memory is bounded by the budget,
not by the corpus; the rows show what each budget costs in speed.

(b1) is (b) at the first budget with alternatives off (``DecodingSettings(alternatives=0)``,
CTranslate2 ``num_hypotheses=1``): what the reviewer's alternatives (n-best, the default)
cost against 1-best, the best output being the same in both (checked). On a shared
machine, ``--repeat N`` runs (b) and (b1) N times, alternately, and keeps each one's
fastest run.

(b2) is (b) with the word alignment off (``DecodingSettings(word_alignment=False)``, no
CTranslate2 ``return_attention``): what the review page's word links cost, the output
being the same (checked). ``--repeat N`` runs it alternately with (b) and (b1).

Run:  uv run python benchmarks/bench_mt.py [--copies 1 10 50] [--batch-tokens 256 1024 4096]
          [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BATCH_TOKENS = 256
"""translatio's default budget (``DecodingSettings.batch_tokens``)."""
ARTICLE = (ROOT / "source" / "article.txt").read_text("utf-8")


def document(copies: int) -> str:
    """The article ``copies`` times, every sentence of copy ``n`` tagged with ``(n)``."""
    from translatio.text.sentences import split_sentences

    paragraphs = [part for part in ARTICLE.split("\n\n") if part.strip()]
    out = []
    for copy in range(1, copies + 1):
        for paragraph in paragraphs:
            sentences = [s.strip() for s in split_sentences(paragraph.strip())]
            out.append(" ".join(re.sub(r"([.!?])$", rf" ({copy})\1", s) for s in sentences))
    return "\n\n".join(out) + "\n"


def corpus(rng: random.Random) -> str:
    """Training text for an 8,000-piece SentencePiece vocabulary that knows English words.

    Half the lines recombine the article's own words (so its sentences tokenize into
    about as many pieces as with a real Argos model: whole words and common stems), half
    are random letter strings that fill the rest of the vocabulary.
    """
    words = re.findall(r"[\w’'-]+|[.,;:!?]", ARTICLE)
    noise = [
        "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyzéèàüöäßçñ") for _ in range(rng.randint(3, 11))
        )
        for _ in range(40_000)
    ]
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 25))) for _ in range(30_000)]
    lines += [" ".join(rng.choice(noise) for _ in range(rng.randint(5, 25))) for _ in range(30_000)]
    return ARTICLE + "\n" + "\n".join(lines)


def build(directory: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from tests.argos_fixture import ARGOS_SIZE, build_package

    return build_package(
        directory, "en", "zh", shape=ARGOS_SIZE, seed=7, text=corpus(random.Random(7)), eos_bias=1.4
    )


# -- the variants, each run in a child process ----------------------------------------------


def run_argos(text: str) -> dict[str, object]:
    """(a): Argos's own translate(), its sentence splitter stubbed (it needs a download)."""
    from translatio.text.sentences import split_sentences

    class _Detector:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def sentences(self, paragraph: str) -> list[str]:
            return [s.strip() for s in split_sentences(paragraph)]

    minisbd = types.ModuleType("minisbd")
    minisbd.SBDetect = _Detector  # type: ignore[attr-defined]
    minisbd.models = types.SimpleNamespace(cache_dir="", list_models=lambda: ["en"])  # type: ignore[attr-defined]
    sys.modules["minisbd"] = minisbd
    sys.modules["stanza"] = types.ModuleType("stanza")
    from argostranslate import translate

    paragraphs = [part for part in text.split("\n\n") if part.strip()]
    started = time.perf_counter()
    outputs = [translate.translate(paragraph, "en", "zh") for paragraph in paragraphs]
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "outputs": outputs}


def run_translatio(
    text: str, workdir: Path, batch_tokens: int, alternatives: int = 3, words: bool = True
) -> dict[str, object]:
    """(b): translatio's pipeline, argos engine, empty translation memory."""
    from translatio.engines.argos import ArgosEngine, DecodingSettings
    from translatio.engines.argos.sentence_cache import SentenceCache
    from translatio.project import Project

    root = workdir / "project"
    (root / "source").mkdir(parents=True)
    (root / "source" / "doc.txt").write_text(text, "utf-8")
    (root / "translatio.toml").write_text('languages = ["zh_CN"]\nengine = "argos"\n', "utf-8")
    project = Project.open(root)
    project.extract()
    engine = ArgosEngine(
        device="cpu",
        cache=SentenceCache(workdir / "sentences.sqlite3"),
        settings=DecodingSettings(
            batch_tokens=batch_tokens, alternatives=alternatives, word_alignment=words
        ),
    )
    started = time.perf_counter()
    project.translate(engine=engine)
    elapsed = time.perf_counter() - started
    memory = SentenceCache(workdir / "sentences.sqlite3")
    connection = memory._connect()
    assert connection is not None
    rows = connection.execute("SELECT source, target FROM sentences").fetchall()
    counted = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'alternatives'"
    ).fetchone()[0]
    kept = connection.execute("SELECT texts FROM alternatives").fetchall() if counted else []
    aligned = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'word_alignments'"
    ).fetchone()[0]
    if aligned:
        aligned = connection.execute("SELECT count(*) FROM word_alignments").fetchone()[0]
    return {
        "seconds": elapsed,
        "sentences": engine.stats.sentences_translated,
        "target_tokens": engine.stats.target_tokens,
        "outputs": dict(rows),
        "loads": engine.stats.model_loads,
        "calls": engine.stats.ctranslate2_calls,
        "alternatives": sum(len(json.loads(texts)) for (texts,) in kept),
        "word_alignments": aligned,
    }


def run_raw(text: str, package_dir: Path) -> dict[str, object]:
    """(c): one translate_batch over every sentence, with the options translatio uses."""
    import ctranslate2
    import sentencepiece

    from translatio.catalog.plan import plan_text
    from translatio.engines.argos import ArgosEngine
    from translatio.text.segment import segment_text

    segments = segment_text(text, name="doc", path="doc.txt").segments
    sentences = list(
        dict.fromkeys(
            s for segment in segments for piece in plan_text(segment.text) for s in piece.sentences
        )
    )
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package_dir / "sentencepiece.model")
    )
    translator = ctranslate2.Translator(
        str(package_dir / "model"),
        device="cpu",
        compute_type="int8",
        inter_threads=os.cpu_count() or 1,
        intra_threads=1,
    )
    engine = ArgosEngine(device="cpu")
    started = time.perf_counter()
    tokens = tokenizer.encode(sentences, out_type=str)
    results = translator.translate_batch(
        tokens, **engine.decoding_options(max(len(t) for t in tokens))
    )
    hypotheses = [
        r.hypotheses[0][: engine.output_bound(len(t))] for r, t in zip(results, tokens, strict=True)
    ]
    outputs = {
        s: tokenizer.decode_pieces(h).strip() for s, h in zip(sentences, hypotheses, strict=True)
    }
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "sentences": len(sentences),
        "target_tokens": sum(len(h) for h in hypotheses),
        "outputs": outputs,
    }


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(arguments: argparse.Namespace) -> None:
    text = Path(arguments.input).read_text("utf-8")
    workdir = Path(arguments.workdir)
    if arguments.variant == "a":
        result = run_argos(text)
    elif arguments.variant == "b":
        result = run_translatio(text, workdir, arguments.batch_tokens[0])
    elif arguments.variant == "o":
        result = run_translatio(text, workdir, arguments.batch_tokens[0], alternatives=0)
    elif arguments.variant == "n":
        result = run_translatio(text, workdir, arguments.batch_tokens[0], words=False)
    else:
        result = run_raw(text, Path(arguments.package))
    result["peak_mb"] = _peak_rss_mb()
    Path(arguments.output).write_text(json.dumps(result, ensure_ascii=False), "utf-8")


def spawn(
    variant: str,
    text_path: Path,
    workdir: Path,
    package: Path,
    env: dict[str, str],
    batch_tokens: int,
) -> dict:
    output = workdir / f"{variant}.json"
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            variant,
            "--input",
            str(text_path),
            "--workdir",
            str(workdir),
            "--package",
            str(package),
            "--output",
            str(output),
            "--batch-tokens",
            str(batch_tokens),
        ],
        check=True,
        env=env,
    )
    return json.loads(output.read_text("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--child", dest="variant")
    parser.add_argument("--input")
    parser.add_argument("--workdir")
    parser.add_argument("--package")
    parser.add_argument("--output")
    parser.add_argument("--skip-argos", action="store_true", help="leave out variant (a)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of (b) and (b1), alternately; the fastest kept"
    )
    parser.add_argument(
        "--batch-tokens",
        type=int,
        nargs="+",
        default=[DEFAULT_BATCH_TOKENS],
        help="token budgets per batch for variant (b); each is a row (the speed/memory trade)",
    )
    arguments = parser.parse_args()
    if arguments.variant:
        child(arguments)
        return
    from translatio.engines.argos.packages.archive import install_from_file

    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        started = time.perf_counter()
        archive = build(base / "archive")
        packages = base / "packages"
        package = install_from_file(archive, packages)
        print(
            f"built {archive.name} ({archive.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.0f} s; cores: {os.cpu_count()}"
        )
        env = {
            **os.environ,
            "ARGOS_PACKAGES_DIR": str(packages),
            "XDG_DATA_HOME": str(base / "xdg-data"),
            "XDG_CACHE_HOME": str(base / "xdg-cache"),
            "XDG_CONFIG_HOME": str(base / "xdg-config"),
        }
        rows = []
        for copies in arguments.copies:
            text_path = base / f"article-x{copies}.txt"
            text_path.write_text(document(copies), "utf-8")
            results = {}
            variants = ["c"] if arguments.skip_argos else ["a", "c"]
            variants[-1:-1] = [f"b{budget}" for budget in arguments.batch_tokens] + ["o", "n"]
            for variant in variants:
                workdir = base / f"x{copies}-{variant}"
                workdir.mkdir()
                budget = int(variant[1:]) if variant.startswith("b") else 0
                budget = arguments.batch_tokens[0] if variant in ("o", "n") else budget
                results[variant] = spawn(variant[0], text_path, workdir, package.path, env, budget)
            first = f"b{arguments.batch_tokens[0]}"
            for again in range(1, arguments.repeat):
                for variant in (first, "o", "n"):
                    workdir = base / f"x{copies}-{variant}-{again}"
                    workdir.mkdir()
                    result = spawn(
                        variant[0], text_path, workdir, package.path, env, arguments.batch_tokens[0]
                    )
                    if result["seconds"] < results[variant]["seconds"]:
                        results[variant] = result
            b, c = results[f"b{arguments.batch_tokens[0]}"], results["c"]
            same = sum(b["outputs"].get(s) == t for s, t in c["outputs"].items())
            rows.append((copies, results, same, len(c["outputs"])))
        print()
        print("| copies | variant | seconds | sentences/s | target tokens/s | peak MB |")
        print("|---:|---|---:|---:|---:|---:|")
        names = {
            "a": "(a) argostranslate",
            "c": "(c) raw CTranslate2",
            "o": f"(b1) translatio 1-best, batches of {arguments.batch_tokens[0]} tokens",
            "n": f"(b2) translatio without word alignment, batches of {arguments.batch_tokens[0]}",
        }
        names |= {f"b{n}": f"(b) translatio, batches of {n} tokens" for n in arguments.batch_tokens}
        for copies, results, _, _ in rows:
            sentences = results["c"]["sentences"]
            for variant, result in results.items():
                first_b = f"b{arguments.batch_tokens[0]}"
                tokens = (
                    results[first_b]["target_tokens"] if variant == "a" else result["target_tokens"]
                )
                token_rate = "—" if variant == "a" else f"{tokens / result['seconds']:.0f}"
                rate = sentences / result["seconds"]
                print(
                    f"| ×{copies} | {names[variant]} | {result['seconds']:.2f} | {rate:.1f} | "
                    f"{token_rate} | {result['peak_mb']:.0f} |"
                )
        print()
        for copies, results, same, total in rows:
            b, c = results[f"b{arguments.batch_tokens[0]}"], results["c"]
            parts = [f"×{copies}: (b)/(c) time {b['seconds'] / c['seconds']:.2f}"]
            if "a" in results:
                parts.append(f"(a)/(b) speed-up {results['a']['seconds'] / b['seconds']:.1f}×")
            parts.append(f"same output (b)=(c) for {same}/{total} sentences")
            parts.append(f"model loads {b['loads']}, CTranslate2 calls {b['calls']}")
            one = results["o"]
            same_best = sum(one["outputs"].get(s) == t for s, t in b["outputs"].items())
            parts.append(
                f"n-best/1-best time {b['seconds'] / one['seconds']:.2f} "
                f"({b['alternatives']} alternatives kept for {len(b['outputs'])} sentences; "
                f"same output {same_best}/{len(b['outputs'])})"
            )
            plain = results["n"]
            same_words = sum(plain["outputs"].get(s) == t for s, t in b["outputs"].items())
            parts.append(
                f"attention/no-attention time {b['seconds'] / plain['seconds']:.2f} "
                f"({b['word_alignments']} word alignments kept; "
                f"same output {same_words}/{len(b['outputs'])})"
            )
            print("; ".join(parts))


if __name__ == "__main__":
    main()
