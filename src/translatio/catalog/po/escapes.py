"""A PO string's escapes, read as GNU gettext reads them (C's escapes).

``\\n``, ``\\t``, ``\\"`` and the other letter escapes are their characters. Octal
(``\\302``) and hex (``\\xc2``) escapes are *bytes* of the file's charset, as in C: a
run of them is decoded together, so ``\\302\\240`` is U+00A0 in a UTF-8 file (not
``Â`` and U+00A0's last byte), and bytes that are not the charset are refused.
"""

from __future__ import annotations

import re

__all__ = ["EscapeError", "unescape"]

# Text whose escapes are all valid: where it stops short, an invalid escape begins.
_VALID = re.compile(r'(?:[^\\]++|\\["\\abfnrtv0-7]|\\x[0-9a-fA-F])*+')
_ESCAPE = re.compile(r'\\(["\\abfnrtv]|[0-7]{1,3}|x[0-9a-fA-F]{1,2})', re.DOTALL)
_NUMERIC = re.compile(r"[0-7]{1,3}|x[0-9a-fA-F]{1,2}")
_LETTERS = {
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


class EscapeError(ValueError):
    """An escape that is not C's, or escaped bytes that are not the file's charset."""


def unescape(body: str, charset: str = "utf-8") -> str:
    """The text of a PO string's ``body`` (between its quotes)."""
    if "\\" not in body:
        return body
    valid = _VALID.match(body)
    if valid is not None and valid.end() < len(body):
        raise EscapeError(f"invalid escape {body[valid.end() : valid.end() + 2]!r}")
    parts: list[str] = []
    octets = bytearray()
    position = 0
    for match in _ESCAPE.finditer(body):
        code = match.group(1)
        numeric = _NUMERIC.fullmatch(code) is not None
        if match.start() > position or not numeric:
            _flush(octets, parts, charset)
        parts.append(body[position : match.start()])
        if numeric:
            octets.append(int(code[1:], 16) if code.startswith("x") else int(code, 8) & 0xFF)
        else:
            parts.append(_LETTERS[code])
        position = match.end()
    _flush(octets, parts, charset)
    parts.append(body[position:])
    return "".join(parts)


def _flush(octets: bytearray, parts: list[str], charset: str) -> None:
    if not octets:
        return
    try:
        parts.append(octets.decode(charset))
    except UnicodeDecodeError:
        raise EscapeError(f"escaped bytes {bytes(octets)!r} are not valid {charset}") from None
    octets.clear()
