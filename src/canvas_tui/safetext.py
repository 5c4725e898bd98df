"""Make untrusted text safe to put on a terminal.

Canvas files travel by git and mail, so their text may carry escape sequences (OSC title or
clipboard writes, CSI clears), other C0/C1 controls or bidi overrides. `visible` swaps each of
them for a visible placeholder; the stored text itself is never changed.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the invisible formatting characters that can reorder or
# hide text (bidi marks, embeddings, overrides and isolates, the zero-width space, the BOM).
# The zero-width (non-)joiners U+200C/U+200D stay: emoji sequences and many scripts need them.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f\x80-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)

REPLACEMENT = "\ufffd"  # "�"


def _placeholder(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␟ (ESC is ␛, LF is ␊)
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def visible(text: str) -> str:
    """`text` with every control or invisible formatting character replaced by a placeholder."""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(_placeholder, text)


def has_unsafe(text: str) -> bool:
    return UNSAFE.search(text) is not None


def escape_unsafe(text: str) -> str:
    """`text` with every unsafe character written as a `\\uXXXX` escape.

    For JSON output, where such an escape reads back as the same character: the data stays
    exact and the terminal never sees the character itself. Line breaks are kept (they lay
    out the document; inside strings the JSON encoder has escaped them already).
    """
    return UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return char if char == "\n" else f"\\u{ord(char):04x}"
