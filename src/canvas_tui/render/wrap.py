"""Word wrapping by terminal cells (wide characters count twice), and an item laid out as
lines of styled pieces: shared by `show` and the editor.

An item reads "• ✓ Saves 3 hours a week #pricing #b2b ¶": a bullet, its status glyph, the
text, its tags (dimmed) and a mark when it has a note. Every piece is made safe for the
terminal (`safetext.visible`) before it is laid out.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

from canvas_tui.model import STATUS_GLYPHS, Item
from canvas_tui.safetext import visible

BULLET = "• "
INDENT = "  "
NOTE_MARK = "¶"
TAG_STYLE = "tag"
NOTE_STYLE = "note"

Piece = tuple[str, str]  # (text, style name; "" is plain)
Line = tuple[Piece, ...]


def status_style(status: str) -> str:
    return f"status-{status}"


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


def wrap_pieces(words: list[Piece], width: int) -> list[list[Piece]]:
    """Styled words laid out in lines of at most `width` cells, a space between words."""
    width = max(1, width)
    lines: list[list[Piece]] = [[]]
    used = 0
    for text, style in words:
        size = cell_len(text)
        if size > width:  # longer than a line: its own lines
            chunks = wrap(text, width)
            if lines[-1]:
                lines.append([])
            for chunk in chunks[:-1]:
                lines[-1].append((chunk, style))
                lines.append([])
            lines[-1].append((chunks[-1], style))
            used = cell_len(chunks[-1])
            continue
        if lines[-1] and used + 1 + size > width:
            lines.append([])
            used = 0
        if lines[-1]:
            lines[-1].append((" ", ""))
            used += 1
        lines[-1].append((text, style))
        used += size
    return lines


@lru_cache(maxsize=65536)
def item_lines(item: Item, width: int) -> tuple[Line, ...]:
    """An item as bulleted lines of `width` cells at most, control characters made visible.

    Cached: the editor asks again for every item on every repaint, and items rarely change.
    """
    inner = max(1, width - len(BULLET))
    if item.plain:  # most items: one style, the fast wrap
        body = wrap(visible(item.text), inner)
        return (((BULLET + body[0], ""),), *(((INDENT + line, ""),) for line in body[1:]))
    words: list[Piece] = []
    if item.status is not None:
        words.append((STATUS_GLYPHS.get(item.status, "?"), status_style(item.status)))
    words.extend((word, "") for word in visible(item.text).split(" ") if word)
    words.extend((f"#{tag}", TAG_STYLE) for tag in item.tags)
    if item.note:
        words.append((NOTE_MARK, NOTE_STYLE))
    laid = wrap_pieces(words, inner) if words else [[]]
    first, *rest = laid
    return (
        ((BULLET, ""), *_merged(first)),
        *(((INDENT, ""), *_merged(line)) for line in rest),
    )


def _merged(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring pieces of one style as one piece (fewer segments to draw)."""
    merged: list[Piece] = []
    for text, style in pieces:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return tuple(merged)
