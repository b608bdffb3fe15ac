"""Back-translation through the same engine: why ``review --back-translate`` refuses it.

Data: the Debian Reference in English and Spanish, paragraphs aligned one to one exactly
as ``bench_quality.py`` aligns them, scored as plain text (``bench_quality.plain``: code
content and link text kept, markers gone) with sacrebleu ``corpus_chrf`` (defaults:
character order 6, β 2), one reference. Apertium (``ApertiumEngine``, one batch per
direction) translates:

- forward: English → Spanish, scored against the human Spanish (how good the output
  really is);
- round trip: that output back, Spanish → English, scored against the English source
  (what a reviewer who reads only English would see if the same engine translated back);
- human back: the human Spanish, Spanish → English, scored against the English source
  (a back-translation of a good translation, by the same engine).

If the round trip scores far above the forward output, and as high as or higher than a
back-translation of the human text, a same-engine back-translation hides the forward
errors (an engine undoes its own mistakes: the same dictionary, the same rules both
ways): that is what the refusal says.

    uv run python benchmarks/bench_back_translation.py [--chapters ch01 ch02 …] [--json]

Needs the Debian packages ``debian-reference-en``, ``debian-reference-es``,
``apertium-eng-spa`` (``bench_quality.py --install`` installs them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_quality import DEFAULT_CHAPTERS, align, missing_requirements, plain

from translatio.engines.apertium import ApertiumEngine
from translatio.languages import Language
from translatio.progress import NullProgress

ENGLISH, SPANISH = Language("en"), Language("es")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="+", default=list(DEFAULT_CHAPTERS))
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args(argv)
    missing = missing_requirements("es")
    if missing:
        print("missing: " + ", ".join(missing) + " (apt-get install -y …)", file=sys.stderr)
        return 2
    import sacrebleu

    started = time.perf_counter()
    pairs = align(arguments.chapters, "es").pairs
    english = [plain(pair.source) for pair in pairs]
    spanish = [plain(pair.reference) for pair in pairs]
    engine = ApertiumEngine()
    try:
        engine.prepare(ENGLISH, [SPANISH], NullProgress())
        engine.prepare(SPANISH, [ENGLISH], NullProgress())
        forward = [t.text for t in engine.translate(english, source=ENGLISH, target=SPANISH)]
        round_trip = [t.text for t in engine.translate(forward, source=SPANISH, target=ENGLISH)]
        human_back = [t.text for t in engine.translate(spanish, source=SPANISH, target=ENGLISH)]
    finally:
        engine.close()

    def chrf(outputs: list[str], references: list[str]) -> float:
        return round(sacrebleu.corpus_chrf(outputs, [references]).score, 1)

    report = {
        "command": "uv run python benchmarks/bench_back_translation.py"
        + (" " + " ".join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ""),
        "paragraphs": len(pairs),
        "chrF forward en→es against the human Spanish": chrf(forward, spanish),
        "chrF round trip en→es→en against the English source": chrf(round_trip, english),
        "chrF human Spanish →en against the English source": chrf(human_back, english),
        "paragraphs the round trip gives back verbatim": sum(
            1 for back, source in zip(round_trip, english, strict=True) if back == source
        ),
        "seconds": round(time.perf_counter() - started, 1),
    }
    if arguments.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for key, value in report.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
