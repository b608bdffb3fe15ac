"""The Argos engine, cut into package routing, decoding and Traditional Chinese derivation.

``engine`` composes the three: ``routing`` finds the installed packages that serve a
pair (through English if need be), ``decoding`` runs their models through CTranslate2
behind the sentence cache, and ``derivation`` turns zh_CN output into zh_TW with
OpenCC. Heavy libraries (ctranslate2, sentencepiece, opencc) are imported on first use.
"""

from __future__ import annotations

from translatio.engines.argos.decoding import DecodingSettings, EngineStats
from translatio.engines.argos.engine import ArgosEngine

__all__ = ["ArgosEngine", "DecodingSettings", "EngineStats"]
