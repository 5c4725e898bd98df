"""Word wrapping by terminal cells (wide characters count twice), shared by `show` and the UI."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

from canvas_tui.safetext import visible

BULLET = "• "
INDENT = "  "


def _chop(word: str, width: int) -> list[str]:
    """Split a word wider than `width` cells into pieces that fit."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in word:
        size = cell_len(char)
        if used + size > width and current:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    if current:
        pieces.append("".join(current))
    return pieces


def _wrap_ascii(text: str, width: int) -> list[str]:
    """`wrap` for ASCII text, where a character is a cell: the common case, made fast."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        if not current:
            candidate = word
        elif len(current) + 1 + len(word) <= width:
            current = f"{current} {word}"
            continue
        else:
            lines.append(current)
            candidate = word
        if len(candidate) > width:  # a word longer than a line: cut it in pieces
            cut = len(candidate) - len(candidate) % width or len(candidate) - width
            lines.extend(candidate[start : start + width] for start in range(0, cut, width))
            candidate = candidate[cut:]
        current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def wrap(text: str, width: int) -> list[str]:
    """`text` broken at spaces into lines of at most `width` cells (at least one line)."""
    width = max(1, width)
    if text.isascii():
        return [text] if len(text) <= width else _wrap_ascii(text, width)
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if cell_len(word) <= width:
            current = word
        else:
            *full, current = _chop(word, width)
            lines.extend(full)
    if current or not lines:
        lines.append(current)
    return lines


@lru_cache(maxsize=65536)
def item_lines(text: str, width: int) -> tuple[str, ...]:
    """An item as bulleted lines of `width` cells at most, control characters made visible.

    Cached: the editor asks again for every item on every repaint, and items rarely change.
    """
    body = wrap(visible(text), max(1, width - len(BULLET)))
    return (BULLET + body[0], *(INDENT + line for line in body[1:]))
