"""The canvas drawn as boxes of text for `show`: the classic layout when wide, one block under
another when narrow.

Lines are lists of (text, style) pieces with a handful of styles, written out by `to_ansi`
with plain SGR codes (or none): printing thousands of items through a general renderer costs
seconds, this costs milliseconds. Untrusted text is never interpreted: it is data, and its
control characters were made visible by `item_lines`/`visible` before it gets here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len

from canvas_tui.model import Canvas
from canvas_tui.render.wrap import item_lines, wrap
from canvas_tui.safetext import visible
from canvas_tui.template import BLOCKS, GRID_COLUMNS, BlockSpec

WIDE = 100  # below this many columns, five blocks side by side are unreadable
MIN_WIDTH = 20

# The styles a line may carry, and their SGR codes.
PLAIN, TITLE, GUIDE, EMPTY, HEADING = "", "title", "guide", "empty", "heading"
SGR = {TITLE: "1", GUIDE: "2", EMPTY: "2;3", HEADING: "1;4"}

_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_GLYPHS = {
    0: " ",
    _LEFT: "─",
    _RIGHT: "─",
    _LEFT | _RIGHT: "─",
    _UP: "│",
    _DOWN: "│",
    _UP | _DOWN: "│",
    _RIGHT | _DOWN: "┌",
    _LEFT | _DOWN: "┐",
    _UP | _RIGHT: "└",
    _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├",
    _UP | _DOWN | _LEFT: "┤",
    _LEFT | _RIGHT | _DOWN: "┬",
    _LEFT | _RIGHT | _UP: "┴",
    _UP | _DOWN | _LEFT | _RIGHT: "┼",
}


@dataclass
class Line:
    """One output line: pieces of text, each with a style name."""

    pieces: list[tuple[str, str]] = field(default_factory=list)

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def add(self, text: str, style: str = PLAIN) -> None:
        if text:
            self.pieces.append((text, style))


@dataclass
class Box:
    """A block's rectangle in character cells (borders inclusive) and its content lines."""

    spec: BlockSpec
    x0: int
    x1: int
    content: list[tuple[str, str]] = field(default_factory=list)  # (text, style) per line
    y0: int = 0
    y1: int = 0

    @property
    def inner_width(self) -> int:
        return self.x1 - self.x0 - 1

    @property
    def text_width(self) -> int:
        """The width of the text inside the borders, less one space of padding each side."""
        return max(1, self.inner_width - 2)


def block_content(
    canvas: Canvas, spec: BlockSpec, width: int, guide: bool
) -> list[tuple[str, str]]:
    """A block's lines: its title with the item count, guidance if asked, then the items."""
    items = canvas.blocks[spec.index]
    lines = [(line, TITLE) for line in wrap(f"{spec.label} ({len(items)})", width)]
    if guide or not items:
        lines.extend((line, GUIDE) for line in wrap(spec.question, width))
    if guide:
        for prompt in spec.prompts:
            lines.extend((line, GUIDE) for line in item_lines(prompt, width))
    if not items and not guide:
        lines.append(("(empty)", EMPTY))
    for item in items:
        lines.extend((line, PLAIN) for line in item_lines(item, width))
    return lines


def _columns(width: int) -> list[int]:
    return [round(column * (width - 1) / GRID_COLUMNS) for column in range(GRID_COLUMNS + 1)]


def _wide_boxes(canvas: Canvas, width: int, guide: bool) -> list[Box]:
    xs = _columns(width)
    boxes = []
    for spec in BLOCKS:
        place = spec.place
        box = Box(spec, xs[place.column], xs[place.column + place.column_span])
        box.content = block_content(canvas, spec, box.text_width, guide)
        boxes.append(box)

    # Row heights: row 0 fits its one-row blocks, row 1 the rest of the two-row blocks.
    def need(row: int, span: int) -> list[int]:
        return [
            len(box.content)
            for box in boxes
            if box.spec.place.row == row and box.spec.place.row_span == span
        ]

    row0 = max(need(0, 1))
    row1 = max([*need(1, 1), *(height - row0 - 1 for height in need(0, 2))])
    row2 = max(need(2, 1))
    ys = [0, row0 + 1, row0 + row1 + 2, row0 + row1 + row2 + 3]
    for box in boxes:
        place = box.spec.place
        box.y0, box.y1 = ys[place.row], ys[place.row + place.row_span]
    return boxes


def _stacked_boxes(canvas: Canvas, width: int, guide: bool) -> list[Box]:
    boxes, y = [], 0
    for spec in BLOCKS:
        box = Box(spec, 0, width - 1)
        box.content = block_content(canvas, spec, box.text_width, guide)
        box.y0, box.y1 = y, y + len(box.content) + 1
        y = box.y1
        boxes.append(box)
    return boxes


def _border_row(boxes: Sequence[Box], y: int, width: int) -> list[str]:
    masks = [0] * width
    for box in boxes:
        if not box.y0 <= y <= box.y1:
            continue
        if y in (box.y0, box.y1):
            for x in range(box.x0, box.x1 + 1):
                masks[x] |= (_LEFT if x > box.x0 else 0) | (_RIGHT if x < box.x1 else 0)
        for x in (box.x0, box.x1):
            masks[x] |= (_UP if y > box.y0 else 0) | (_DOWN if y < box.y1 else 0)
    return [_GLYPHS[mask] for mask in masks]


def _cells(text: str) -> int:
    # Item lines start with a one-cell bullet; the rest is usually ASCII: skip cell_len then.
    if text.isascii() or (text[:1] in "• " and text[1:].isascii()):
        return len(text)
    return cell_len(text)


def fit(text: str, width: int) -> str:
    """`text` padded or cut (with an ellipsis) to exactly `width` cells."""
    size = _cells(text)
    if size <= width:
        return text + " " * (width - size)
    cut, used = [], 0
    for char in text:
        char_size = cell_len(char)
        if used + char_size > width - 1:
            break
        cut.append(char)
        used += char_size
    return "".join(cut) + "…" + " " * (width - 1 - used)


def draw(boxes: Sequence[Box], width: int) -> list[Line]:
    height = max(box.y1 for box in boxes) + 1
    border_rows = {box.y0 for box in boxes} | {box.y1 for box in boxes}
    by_x = sorted(boxes, key=lambda box: (box.x0, box.y0))
    # Per box: (box, text width, padding after the text) computed once, not per row.
    sizes = {id(box): (box.text_width, box.inner_width - box.text_width - 1) for box in boxes}
    lines = []
    inside: list[Box] = []
    for y in range(height):
        if y in border_rows or y - 1 in border_rows:
            inside = [box for box in by_x if box.y0 < y < box.y1]
        if y in border_rows:
            glyphs = _border_row(boxes, y, width)
            pieces: list[tuple[str, str]] = []
            x = 0
            for box in inside:
                text_width, pad = sizes[id(box)]
                index = y - box.y0 - 1
                text, style = box.content[index] if index < len(box.content) else ("", PLAIN)
                pieces.append(("".join(glyphs[x : box.x0 + 1]) + " ", PLAIN))
                pieces.append((fit(text, text_width), style))
                pieces.append((" " * pad, PLAIN))
                x = box.x1
            pieces.append(("".join(glyphs[x:]).rstrip(), PLAIN))
            lines.append(Line(pieces))
            continue
        # A row inside boxes that tile it: "│ text │ text │", no glyph grid needed.
        pieces = []
        x = -1  # where the last right border was drawn
        for box in inside:
            text_width, pad = sizes[id(box)]
            pieces.append(("│ " if box.x0 != x else " ", PLAIN))
            if box.x0 > x + 1:
                pieces.insert(-1, (" " * (box.x0 - x - 1), PLAIN))
            index = y - box.y0 - 1
            if index < len(box.content):
                text, style = box.content[index]
                pieces.append((fit(text, text_width), style))
            else:
                pieces.append((" " * text_width, PLAIN))
            pieces.append((" " * pad + "│", PLAIN))
            x = box.x1
        lines.append(Line(pieces))
    return lines


def canvas_lines(canvas: Canvas, width: int, *, guide: bool = False) -> list[Line]:
    """The whole canvas as lines of at most `width` cells, headed by its title."""
    width = max(MIN_WIDTH, width)
    if width >= WIDE:
        boxes = _wide_boxes(canvas, width, guide)
    else:
        boxes = _stacked_boxes(canvas, width, guide)
    title = visible(canvas.title) or "Untitled canvas"
    heading = Line()
    heading.add(title if cell_len(title) <= width else fit(title, width).rstrip(), HEADING)
    return [heading, *draw(boxes, width)]


def to_ansi(lines: Sequence[Line], *, color: bool) -> str:
    """The lines as text for a terminal: with SGR styles when `color`, else plain."""
    if not color:
        return "".join(line.plain.rstrip() + "\n" for line in lines)
    out = []
    for line in lines:
        for text, style in line.pieces:
            code = SGR.get(style)
            out.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
        out.append("\n")
    return "".join(out)
