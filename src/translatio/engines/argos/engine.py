"""The Argos engine: installed Argos Translate packages run through CTranslate2 directly.

``argostranslate.translate`` is never imported (it pulls in stanza, spaCy and torch).
The engine composes the package ``Routes`` (direct, through English), the ``Decoder``
(CTranslate2 and the sentence cache) and OpenCC derivation of Traditional Chinese;
``prepare`` downloads the packages a run lacks from the Argos index.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from translatio.engines.argos.decoding import Decoder, DecodingSettings, EngineStats, model_key
from translatio.engines.argos.derivation import SIMPLIFIED, derive_traditional
from translatio.engines.argos.executors import Executor, create_executor
from translatio.engines.argos.packages.installed import ModelPackage
from translatio.engines.argos.routing import Routes
from translatio.engines.argos.sentence_cache import SentenceCache
from translatio.engines.base import Capabilities, EngineOptions
from translatio.errors import ModelError
from translatio.languages import Language
from translatio.progress import Progress
from translatio.reports import Translation

__all__ = ["ArgosEngine"]


class ArgosEngine:
    """Machine translation with installed Argos Translate packages."""

    name = "argos"
    capabilities = Capabilities(batch=True)

    def __init__(
        self,
        *,
        packages: Path | None = None,
        device: str = "auto",
        cache: SentenceCache | None = None,
        settings: DecodingSettings | None = None,
        threads: int | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.routes = Routes(packages)
        """The installed packages, by language pair."""
        self.decoder = Decoder(
            device=device,
            cache=cache,
            settings=settings or DecodingSettings(),
            threads=threads or os.cpu_count() or 1,
            executor=executor,
        )
        """The models, loaded once, and the sentence cache."""
        self._owns_executor = executor is None

    @property
    def stats(self) -> EngineStats:
        """Counters the tests and benchmarks read."""
        return self.decoder.stats

    @classmethod
    def for_run(cls, options: EngineOptions) -> ArgosEngine:
        """The engine a run asks for: its executor made from ``options``, and closed with it."""
        executor = create_executor(
            options.executor,
            threads=options.threads,
            address=options.ray_address,
            device=options.device,
        )
        engine = cls(
            device=options.device, cache=SentenceCache(), threads=options.threads, executor=executor
        )
        engine._owns_executor = True
        return engine

    def close(self) -> None:
        """Release the executor this engine made (one handed to it is its giver's to close)."""
        if self._owns_executor:
            self.decoder.executor.close()

    # -- routing ---------------------------------------------------------------------------

    def route(self, source: Language, target: Language) -> list[ModelPackage]:
        """The packages that take ``source`` to ``target``: one direct, or two via English."""
        return self.routes.route(source, target)

    def derives_traditional(self, source: Language, target: Language) -> bool:
        """True when zh_TW must come from zh_CN through OpenCC (no Traditional package)."""
        return self.routes.derives_traditional(source, target)

    def missing_pairs(self, source: Language, targets: Sequence[Language]) -> list[tuple[str, str]]:
        """Argos pairs to install so that every target can be reached (direct packages)."""
        return self.routes.missing_pairs(source, targets)

    def model_name(self, source: Language, target: Language) -> str:
        """Provenance of a pair: package names and weight checksums, pivot joined by ``+``."""
        return "+".join(model_key(package) for package in self.route(source, target))

    def prepare(self, source: Language, targets: Sequence[Language], progress: Progress) -> None:
        """Download missing packages from the index; offline, name each and how to get it."""
        missing = self.missing_pairs(source, list(dict.fromkeys(targets)))
        if variants := [to_code for _, to_code in missing if "-" in to_code]:
            raise ModelError(  # Language.argos_codes: a script or variety no index offers
                f"Argos has no package for {', '.join(variants)}",
                hint="its packages write one script and variety per language; give such a "
                'language another engine: engines = { "sr@latin" = "apertium" }',
            )
        if not missing:
            return
        from translatio.engines.argos.packages.index import download_and_install

        try:
            for from_code, to_code in missing:
                received = 0

                def report(done: int, total: int, pair: str = f"{from_code}→{to_code}") -> None:
                    nonlocal received
                    if received == 0:
                        progress.start(f"downloading {pair}", total)
                    progress.advance(done - received)
                    received = done

                download_and_install(from_code, to_code, self.routes.packages_dir, progress=report)
        except ModelError as error:
            commands = "; ".join(
                f"translatio models install translate-{a}_{b}.argosmodel" for a, b in missing
            )
            pairs = ", ".join(f"{a}→{b}" for a, b in missing)
            damaged = "".join(
                f"; {p.summary}" for p in self.routes.broken if p.pair_from_name in missing
            )
            raise ModelError(
                f"missing Argos packages: {pairs} ({error.message}{damaged})",
                hint=f"download them where there is network, then: {commands}",
            ) from None
        self.routes.forget()

    # -- translation -----------------------------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        *,
        source: Language,
        target: Language,
        on_progress: Callable[[int], None] | None = None,
    ) -> list[Translation]:
        """Translate sentences (plain text, no markup) from ``source`` to ``target``."""
        return self.translate_many(source, {target: texts}, on_progress)[target]

    def translate_many(
        self,
        source: Language,
        requests: Mapping[Language, Sequence[str]],
        on_progress: Callable[[int], None] | None = None,
    ) -> dict[Language, list[Translation]]:
        """Every target's sentences in one plan: each model decodes its distinct sentences once.

        Targets that share a model (zh_CN and zh_TW, derived from zh_CN output with
        OpenCC ``s2twp`` when there is no Traditional package) share its work; pivots
        through English run hop by hop. ``on_progress`` counts sentences × targets.
        """
        decoded_as = {
            target: SIMPLIFIED if self.derives_traditional(source, target) else target
            for target in requests
        }
        routes = {target: self.route(source, decoded_as[target]) for target in requests}
        current = {target: list(texts) for target, texts in requests.items()}
        scores = {target: [0.0] * len(texts) for target, texts in requests.items()}
        others: dict[Language, list[tuple[str, ...]]] = {
            target: [()] * len(texts) for target, texts in requests.items()
        }
        reported = 0

        def report(count: int) -> None:
            nonlocal reported
            reported += count
            if on_progress is not None:
                on_progress(count)

        for hop in range(max((len(route) for route in routes.values()), default=0)):
            users: dict[Path, list[Language]] = {}
            for target, route in routes.items():
                if hop < len(route):
                    users.setdefault(route[hop].path, []).append(target)
            requested = []
            for targets in users.values():
                package = routes[targets[0]][hop]
                texts = list(dict.fromkeys(t for target in targets for t in current[target]))
                finishing = sum(1 for target in targets if hop == len(routes[target]) - 1)
                progress = (lambda n, w=finishing: report(n * w)) if finishing else None
                requested.append((package, texts, progress))
            outputs = self.decoder.translate_many(requested)
            for (package, texts, _), output in zip(requested, outputs, strict=True):
                answers = dict(zip(texts, output, strict=True))
                for target in users[package.path]:
                    pairs = [answers[text] for text in current[target]]
                    current[target] = [text for text, _, _ in pairs]
                    # a pivot's alternatives are the last hop's, for the best text before it
                    others[target] = [alternatives for _, _, alternatives in pairs]
                    scores[target] = [
                        total + score
                        for total, (_, score, _) in zip(scores[target], pairs, strict=True)
                    ]
        expected = sum(len(texts) for texts in requests.values())
        if reported < expected:
            report(expected - reported)
        results = {}
        for target, route in routes.items():
            model = self.model_name(source, decoded_as[target])
            decoding = self.decoder.settings.signature
            translations = [
                Translation(text, score / len(route), model, decoding=decoding, alternatives=alts)
                for text, score, alts in zip(
                    current[target], scores[target], others[target], strict=True
                )
            ]
            if decoded_as[target] is not target:
                translations = derive_traditional(translations)
            results[target] = translations
        return results

    def decoding_options(self, longest_input: int) -> dict[str, Any]:
        """The ``translate_batch`` options translatio uses (the benchmark reuses them)."""
        return self.decoder.decoding_options(longest_input)

    def output_bound(self, input_tokens: int) -> int:
        """At most this many output tokens for an input of ``input_tokens``."""
        return self.decoder.output_bound(input_tokens)
