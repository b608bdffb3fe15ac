"""Alternatives read back from the sentence cache, for Argos output already in a catalog.

The review page shows, under untouched Argos output, the other translations the beam
considered. The catalog's provenance comment names the models (package keys, a pivot's
hops joined by ``+``, ``+opencc-s2twp`` when zh_TW was derived) and the decoding
signature; with those the cache gives each source sentence's alternatives back without
loading a model. A pivot's alternatives are its last hop's, for the best text of the
hop before, as the engine gives them.

Word alignments come back the same way, for one-hop output only: a pivot's last hop
aligns its words with the pivot language's, not with the source's.
"""

from __future__ import annotations

from collections.abc import Sequence

from translatio.engines.argos.derivation import DERIVED_MARK, convert_traditional
from translatio.engines.argos.sentence_cache import SentenceCache, WordAlignment

__all__ = ["remembered_alternatives", "remembered_word_alignments"]


def remembered_alternatives(
    cache: SentenceCache, *, model: str, decoding: str, sentences: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """Each sentence's alternatives as ``model`` decoded it with ``decoding`` (as the
    engine was asked it: plain text); sentences the cache holds none for are left out."""
    hops = model.split("+")
    derived = hops[-1] == DERIVED_MARK
    if derived:
        hops = hops[:-1]
    if not hops or not decoding:  # mixed models' output finds nothing: no answer is given
        return {}
    keys = [f"{hop}#{decoding}" for hop in hops]
    current = {sentence: sentence for sentence in dict.fromkeys(sentences)}
    for key in keys[:-1]:
        known = cache.lookup(key, list(current.values()))
        current = {s: known[text][0] for s, text in current.items() if text in known}
    found = cache.lookup_alternatives(keys[-1], list(dict.fromkeys(current.values())))
    result = {s: found[text] for s, text in current.items() if found.get(text)}
    if derived and result:
        result = {s: tuple(convert_traditional(t) for t in texts) for s, texts in result.items()}
    return result


def remembered_word_alignments(
    cache: SentenceCache, *, model: str, decoding: str, sentences: Sequence[str]
) -> dict[str, WordAlignment]:
    """Each sentence's word alignment as ``model`` decoded it with ``decoding``; sentences
    the cache holds none for, and a pivot's output, are left out."""
    hops = model.split("+")
    derived = hops[-1] == DERIVED_MARK
    if derived:
        hops = hops[:-1]
    if len(hops) != 1 or not decoding:
        return {}
    found = cache.lookup_word_alignments(f"{hops[0]}#{decoding}", list(dict.fromkeys(sentences)))
    if derived:
        found = {
            sentence: WordAlignment(
                alignment.source_words,
                tuple(convert_traditional(word) for word in alignment.target_words),
                alignment.links,
            )
            for sentence, alignment in found.items()
        }
    return found
