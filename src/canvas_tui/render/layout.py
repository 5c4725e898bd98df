"""The canvas drawn as boxes of text: the classic layout when wide, one block under another
when narrow. Used by `show`; lines are Rich `Text`, so untrusted text is never markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.text import Text

from canvas_tui.model import Canvas
from canvas_tui.render.wrap import item_lines, wrap
from canvas_tui.safetext import visible
from canvas_tui.template import BLOCKS, GRID_COLUMNS, BlockSpec

WIDE = 100  # below this many columns, five blocks side by side are unreadable
MIN_WIDTH = 20
TITLE_STYLE = "bold"
GUIDE_STYLE = "dim"
EMPTY_STYLE = "dim italic"

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
class Box:
    """A block's rectangle in character cells (borders inclusive) and its content lines."""

    spec: BlockSpec
    x0: int
    x1: int
    content: list[Text] = field(default_factory=list)
    y0: int = 0
    y1: int = 0

    @property
    def inner_width(self) -> int:
        return self.x1 - self.x0 - 1

    @property
    def text_width(self) -> int:
        """The width of the text inside the borders, less one space of padding each side."""
        return max(1, self.inner_width - 2)


def block_content(canvas: Canvas, spec: BlockSpec, width: int, guide: bool) -> list[Text]:
    """A block's lines: its title with the item count, guidance if asked, then the items."""
    items = canvas.blocks[spec.index]
    heading = f"{spec.label} ({len(items)})"
    lines = [Text(line, style=TITLE_STYLE) for line in wrap(heading, width)]
    if guide or not items:
        lines.extend(Text(line, style=GUIDE_STYLE) for line in wrap(spec.question, width))
    if guide:
        for prompt in spec.prompts:
            lines.extend(Text(line, style=GUIDE_STYLE) for line in item_lines(prompt, width))
    if not items and not guide:
        lines.append(Text("(empty)", style=EMPTY_STYLE))
    for item in items:
        lines.extend(Text(line) for line in item_lines(item, width))
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


def _stacked_boxes(canvas: Canvas, width: int, guide: bool, numbers: Sequence[int]) -> list[Box]:
    boxes, y = [], 0
    for number in numbers:
        spec = BLOCKS[number - 1]
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


def _fit(line: Text | None, width: int) -> Text:
    if line is None:
        return Text(" " * width)
    fitted = line.copy()
    fitted.truncate(width, overflow="ellipsis", pad=True)
    return fitted


def draw(boxes: Sequence[Box], width: int) -> list[Text]:
    height = max(box.y1 for box in boxes) + 1
    border_rows = {box.y0 for box in boxes} | {box.y1 for box in boxes}
    by_top = sorted(boxes, key=lambda box: (box.x0, box.y0))
    lines = []
    for y in range(height):
        inside = [box for box in by_top if box.y0 < y < box.y1]
        if y in border_rows:
            glyphs = _border_row(boxes, y, width)
        else:
            glyphs = [" "] * width
            for box in inside:
                glyphs[box.x0] = glyphs[box.x1] = "│"
        line, x = Text(), 0
        for box in inside:
            line.append("".join(glyphs[x : box.x0 + 1]))
            index = y - box.y0 - 1
            content = box.content[index] if index < len(box.content) else None
            line.append(" ")
            line.append_text(_fit(content, box.text_width))
            line.append(" " * (box.inner_width - box.text_width - 1))
            x = box.x1
        line.append("".join(glyphs[x:]).rstrip())
        lines.append(line)
    return lines


def canvas_lines(canvas: Canvas, width: int, *, guide: bool = False) -> list[Text]:
    """The whole canvas as lines of at most `width` cells, headed by its title."""
    width = max(MIN_WIDTH, width)
    if width >= WIDE:
        boxes = _wide_boxes(canvas, width, guide)
    else:
        boxes = _stacked_boxes(canvas, width, guide, range(1, len(BLOCKS) + 1))
    title = Text(visible(canvas.title) or "Untitled canvas", style="bold underline")
    title.truncate(width, overflow="ellipsis")
    return [title, *draw(boxes, width)]
