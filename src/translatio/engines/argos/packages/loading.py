"""Whether a package's tokenizer and CTranslate2 model load: checked before it is installed.

An archive can be a sound zip with a sane ``metadata.json`` and still hold a tokenizer
or a model that does not load (cut off, or not what its name says). Installing one
would only move the failure to the first translation, as a library's traceback. So
``install_from_file`` loads both from the staging directory, once, on the CPU, and
refuses the archive with one line when either fails. A BPE package is not loaded: the
engine refuses it by name when asked to translate with it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["brief_error", "load_problem"]


def load_problem(package: Path) -> str | None:
    """Why the package directory ``package`` cannot be used, in one phrase, or ``None``."""
    tokenizer = package / "sentencepiece.model"
    if tokenizer.is_file():
        import sentencepiece

        try:
            sentencepiece.SentencePieceProcessor(model_file=str(tokenizer))
        except Exception as error:  # whatever the library says is the reason given
            problem = brief_error(error, package)
            return f"its tokenizer sentencepiece.model does not load ({problem})"
    import ctranslate2

    try:
        ctranslate2.Translator(str(package / "model"), device="cpu", compute_type="default")
    except Exception as error:  # RuntimeError, ValueError, IndexError…: by file
        return f"its CTranslate2 model does not load ({brief_error(error, package)})"
    return None


def brief_error(error: Exception, package: Path) -> str:
    """The library's message, on one line, naming files inside the package only."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return lines[0].replace(f"{package}/", "").replace(str(package), package.name)
