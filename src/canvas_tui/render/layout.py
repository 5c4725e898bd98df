"""The canvas drawn as boxes of text for `show`: the template's layout when wide, one block
under another when narrow.

Lines are lists of (text, style) pieces with a handful of styles, written out by `to_ansi`
with plain SGR codes (or none): printing thousands of items through a general renderer costs
seconds, this costs milliseconds. Untrusted text is never interpreted: it is data, and its
control characters were made visible by `item_lines`/`visible` before it gets here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from operator import attrgetter

from rich.cells import cell_len

from canvas_tui.model import STATUS_GLYPHS, STATUSES, Canvas, Item
from canvas_tui.render.grid import WIDE, column_edges, fit_rows
from canvas_tui.render.wrap import NOTE_STYLE, TAG_STYLE, Piece, item_lines, status_style, wrap
from canvas_tui.safetext import visible
from canvas_tui.template import BlockSpec, Template

MIN_WIDTH = 20

# The styles a line may carry, and their SGR codes.
PLAIN, TITLE, GUIDE, EMPTY, HEADING = "", "title", "guide", "empty", "heading"
SGR = {
    TITLE: "1",
    GUIDE: "2",
    EMPTY: "2;3",
    HEADING: "1;4",
    TAG_STYLE: "2",
    NOTE_STYLE: "2",
    status_style("assumption"): "33",
    status_style("testing"): "36",
    status_style("validated"): "32",
    status_style("invalidated"): "31",
}

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

Content = Sequence[Piece]  # one line of a box: its pieces (an item's are `item_lines`'s own)


class Line:
    """One output line: pieces of text, each with a style name."""

    __slots__ = ("pieces",)

    def __init__(self, pieces: list[Piece] | None = None) -> None:
        self.pieces = [] if pieces is None else pieces

    @property
    def plain(self) -> str:
        pieces = self.pieces
        return pieces[0][0] if len(pieces) == 1 else "".join([text for text, _ in pieces])

    def add(self, text: str, style: str = PLAIN) -> None:
        if text:
            self.pieces.append((text, style))


class Box:
    """A block's rectangle in character cells (borders inclusive) and its content lines."""

    __slots__ = ("content", "spec", "x0", "x1", "y0", "y1")

    def __init__(
        self,
        spec: BlockSpec,
        x0: int,
        x1: int,
        content: list[Content] | None = None,
        y0: int = 0,
        y1: int = 0,
    ) -> None:
        self.spec = spec
        self.x0 = x0
        self.x1 = x1
        self.content: list[Content] = [] if content is None else content
        self.y0 = y0
        self.y1 = y1

    @property
    def inner_width(self) -> int:
        return self.x1 - self.x0 - 1

    @property
    def text_width(self) -> int:
        """The width of the text inside the borders, less one space of padding each side."""
        return max(1, self.inner_width - 2)


def block_counts_of(items: Sequence[Item]) -> str:
    """ "5 · ✓2 ~1": how many items there are, and how many of each status."""
    counts = Counter(map(attrgetter("status"), items))  # counted at C speed
    statuses = " ".join(
        f"{STATUS_GLYPHS[status]}{counts[status]}" for status in STATUSES if counts[status]
    )
    return f"{len(items)} · {statuses}" if statuses else str(len(items))


def block_counts(canvas: Canvas, block: int) -> str:
    return block_counts_of(canvas.blocks[block])


def block_heading(canvas: Canvas, spec: BlockSpec) -> str:
    """ "4 Value Proposition (5 · ✓2 ~1)": the title, the item count and the status counts."""
    return f"{spec.label} ({block_counts(canvas, spec.index)})"


def block_content(canvas: Canvas, spec: BlockSpec, width: int, guide: bool) -> list[Content]:
    """A block's lines: its heading, guidance if asked (or if empty), then the items."""
    items = canvas.blocks[spec.index]
    # Titles and guidance come from template files (a missing template's block titles are
    # the canvas file's keys): data, like items.
    heading = visible(block_heading(canvas, spec))
    lines: list[Content] = [[(line, TITLE)] for line in wrap(heading, width)]
    if (guide or not items) and spec.question:
        lines.extend([(line, GUIDE)] for line in wrap(visible(spec.question), width))
    if guide:
        for prompt in spec.prompts:
            for line in item_lines(Item(prompt), width):
                lines.append([(text, GUIDE) for text, _ in line])
    if not items and not guide:
        lines.append([("(empty)", EMPTY)])
    for item in items:
        lines.extend(item_lines(item, width))
    return lines


def _wide_boxes(canvas: Canvas, template: Template, width: int, guide: bool) -> list[Box]:
    xs = column_edges(template, width - 1)
    boxes = []
    for spec in template.blocks:
        box = Box(spec, xs[spec.place.column], xs[spec.place.right])
        box.content = block_content(canvas, spec, box.text_width, guide)
        boxes.append(box)
    heights = fit_rows(template, [len(box.content) for box in boxes])
    ys = [0]
    for height in heights:
        ys.append(ys[-1] + height + 1)
    for box in boxes:
        box.y0, box.y1 = ys[box.spec.place.row], ys[box.spec.place.bottom]
    return boxes


def _stacked_boxes(canvas: Canvas, template: Template, width: int, guide: bool) -> list[Box]:
    boxes, y = [], 0
    for spec in template.blocks:
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


def fit_pieces(pieces: Content, width: int) -> Content:
    """A line of pieces padded or cut to exactly `width` cells."""
    if len(pieces) == 1:
        text, style = pieces[0]
        return [(fit(text, width), style)]
    out: list[Piece] = []
    used = 0
    for text, style in pieces:
        size = _cells(text)
        if used + size > width:
            out.append((fit(text, width - used), style))
            return out
        out.append((text, style))
        used += size
    if used < width:
        out.append((" " * (width - used), PLAIN))
    return out


def _blank(width: int) -> Content:
    return [(" " * width, PLAIN)]


def _border_line(boxes: Sequence[Box], y: int, width: int) -> Line:
    """A row with a horizontal border in it; boxes that span it show their content."""
    glyphs = _border_row(boxes, y, width)
    line, x = Line(), 0
    for box in sorted(boxes, key=lambda box: box.x0):
        if not box.y0 < y < box.y1:
            continue
        index = y - box.y0 - 1
        content = box.content[index] if index < len(box.content) else []
        line.add("".join(glyphs[x : box.x0 + 1]) + " ")
        for text, style in fit_pieces(content, box.text_width):
            line.add(text, style)
        line.add(" " * (box.inner_width - box.text_width - 1))
        x = box.x1
    line.add("".join(glyphs[x:]).rstrip())
    return line


def _band(boxes: Sequence[Box], first: int, last: int) -> list[Line]:
    """Rows `first`..`last` (inclusive), inside boxes that tile them: "│ text │ text │".

    Built column by column, each cell as one plain string, and a row of plain cells becomes
    one string (most rows: an item's text); only a row with a styled piece is built piece by
    piece. A canvas of thousands of items is laid out in milliseconds.
    """
    height = last - first + 1
    # Per box: its borders, its cells as plain text by row ("": a cell with styles), and the
    # fitted pieces of its cells of several pieces (or of one styled piece) by row.
    columns: list[tuple[str, str, Box, list[str], dict[int, Content]]] = []
    styled: set[int] = set()  # the rows (counted from `first`) with a styled cell
    x = -1  # where the previous box's right border is
    for box in sorted(boxes, key=lambda box: box.x0):
        left = "│ " if box.x0 != x else " "
        if box.x0 > x + 1:
            left = " " * (box.x0 - x - 1) + left
        right = " " * (box.inner_width - box.text_width - 1) + "│"
        width = box.text_width
        cells: list[str] = []
        fitted: dict[int, Content] = {}
        for row, pieces in enumerate(box.content[first - box.y0 - 1 : last - box.y0]):
            if len(pieces) == 1 and pieces[0][1] == PLAIN:  # most lines: `fit_pieces`, inline
                text = pieces[0][0]
                size = _cells(text)
                if size <= width:
                    cells.append(f"{left}{text}{' ' * (width - size)}{right}")
                else:
                    cells.append(f"{left}{fit(text, width)}{right}")
                continue
            cell = fitted[row] = fit_pieces(pieces, width)
            if all(style == PLAIN for _, style in cell):
                cells.append(left + "".join(text for text, _ in cell) + right)
            else:
                cells.append("")
                styled.add(row)
        cells.extend([left + " " * width + right] * (height - len(cells)))
        columns.append((left, right, box, cells, fitted))
        x = box.x1
    rows = zip(*(cells for _, _, _, cells, _ in columns), strict=True)
    if not styled:
        return [Line([(text, PLAIN)]) for text in map("".join, rows)]
    lines = []
    for row, texts in enumerate(rows):
        if row not in styled:
            lines.append(Line([("".join(texts), PLAIN)]))
            continue
        line = Line()
        for left, right, box, _, fitted in columns:
            shown = fitted.get(row)
            if shown is None:
                index, width = first + row - box.y0 - 1, box.text_width
                if index < len(box.content):
                    shown = fit_pieces(box.content[index], width)
                else:
                    shown = _blank(width)
            line.add(left)
            for text, style in shown:
                line.add(text, style)
            line.add(right)
        lines.append(line)
    return lines


def draw(boxes: Sequence[Box], width: int) -> list[Line]:
    border_rows = sorted({box.y0 for box in boxes} | {box.y1 for box in boxes})
    lines = []
    for top, bottom in pairwise(border_rows):
        lines.append(_border_line(boxes, top, width))
        if bottom - top > 1:
            inside = [box for box in boxes if box.y0 <= top and bottom <= box.y1]
            lines.extend(_band(inside, top + 1, bottom - 1))
    lines.append(_border_line(boxes, border_rows[-1], width))
    return lines


def canvas_lines(
    canvas: Canvas, template: Template, width: int, *, guide: bool = False
) -> list[Line]:
    """The whole canvas as lines of at most `width` cells, headed by its title."""
    width = max(MIN_WIDTH, width)
    if width >= WIDE and template.installed:
        boxes = _wide_boxes(canvas, template, width, guide)
    else:
        boxes = _stacked_boxes(canvas, template, width, guide)
    title = visible(canvas.title) or "Untitled canvas"
    heading = Line()
    heading.add(title if cell_len(title) <= width else fit(title, width).rstrip(), HEADING)
    lines = [heading, *draw(boxes, width)]
    if guide or not template.installed:  # wrapped, not cut: an attribution is read in full
        for text in wrap(visible(_template_note(template)), width):
            note = Line()
            note.add(text, GUIDE)
            lines.append(note)
    return lines


def _template_note(template: Template) -> str:
    if not template.installed:
        return f"Template {template.id!r} is not installed: blocks are shown by their keys."
    return f"{template.title}. {template.attribution}".strip()


def to_ansi(lines: Sequence[Line], *, color: bool) -> str:
    """The lines as text for a terminal: with SGR styles when `color`, else plain."""
    if not color:
        return "".join([line.plain.rstrip() + "\n" for line in lines])
    out = []
    for line in lines:
        for text, style in line.pieces:
            code = SGR.get(style)
            out.append(f"\x1b[{code}m{text}\x1b[0m" if code else text)
        out.append("\n")
    return "".join(out)
