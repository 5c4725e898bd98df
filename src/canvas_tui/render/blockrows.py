"""The rows of the editor's canvas as text runs with style roles: the one home of what the
canvas widget draws, shared by `ui/canvasview.py` (which turns roles into Textual styles) and
the pre-paint at start-up (which turns them into SGR codes), so the two cannot drift.

A role names the styles a run is drawn with, added up from the widget's base style in
order, joined with "+": "" is the base alone, "border-current", "guide", "match+cursor",
"cursor+status-testing" (a piece's colour on the cursor's line). Each name but the piece
names (`PIECES`) is a component class of the canvas widget without its "canvas--" prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from rich.cells import cell_len

from canvas_tui.model import STATUSES, Item
from canvas_tui.render.blocklayout import BlockLayout
from canvas_tui.render.grid import WIDE, column_edges, place_box, row_edges
from canvas_tui.render.wrap import BULLET, NOTE_STYLE, TAG_STYLE
from canvas_tui.safetext import visible
from canvas_tui.template import Template

CURSOR_MARK = "▸ "  # replaces the bullet on the cursor item: visible without colour
ROUND = ("╭", "╮", "╰", "╯", "─", "│")
HEAVY = ("┏", "┓", "┗", "┛", "━", "┃")
# The pieces of an item (`wrap.item_lines`' styles) drawn in a colour of their own.
PIECES = frozenset({TAG_STYLE, NOTE_STYLE, *(f"status-{status}" for status in STATUSES)})

Run = tuple[str, str]  # (text, role)
Box = tuple[int, int, int, int]  # (x, y, width, height)
B = TypeVar("B", bound=Box)
P = TypeVar("P")


def is_single(width: int, zoomed: bool) -> bool:
    """One block at a time: a narrow screen, or zoom."""
    return zoomed or width < WIDE


def block_box(
    template: Template, block: int, width: int, height: int, *, current: int, zoomed: bool
) -> Box | None:
    """Where `block` is drawn on a canvas of this size (borders included), if it is."""
    if width <= 0 or height <= 0:
        return None
    if is_single(width, zoomed):
        if block != current:
            return None
        top = 1 if width < WIDE else 0  # the strip of block numbers
        return (0, top, width, max(0, height - top))
    xs = column_edges(template, width)
    ys = row_edges(template, height)
    return place_box(template.blocks[block].place, xs, ys)


def text_width(box: Box) -> int:
    return max(1, box[2] - 3)  # two borders and a scrollbar column


def inner_height(box: Box) -> int:
    return max(0, box[3] - 2)


def title_runs(name: str, count: str, item_count: int, inner: int, current: bool) -> list[Run]:
    """The top border: "╭─ 1 Key Partners (5) ───╮" (`name` " 1 Key Partners", `count`
    " (5) "), shortened to `inner` cells between the corners."""
    glyphs = HEAVY if current else ROUND
    border = "border-current" if current else "border"
    if cell_len(count) > inner - 8:  # no room for the status counts: the item count
        count = f" ({item_count}) "
    room = inner - cell_len(count)
    if cell_len(name) > room:  # shorten the name, not the count
        name = name[: max(0, room - 1)] + "…"
    if cell_len(name + count) > inner:  # a block narrower than its count
        name, count = "", count[: max(0, inner - 1)] + "…" if inner > 0 else ""
    title = name + count
    lead = glyphs[4] if cell_len(title) < inner else ""  # "╭─ 1 Key…" when it fits
    rest = max(0, inner - len(lead) - cell_len(title))
    return [
        (glyphs[0] + lead, border),
        (title, "title-current" if current else "title"),
        (glyphs[4] * rest + glyphs[1], border),
    ]


def body_runs(
    layout: BlockLayout,
    box: Box,
    row: int,
    *,
    top: int,
    cursor: int,
    matches: frozenset[int],
    current: bool,
) -> list[Run]:
    """Row `row` (1 to height - 2) of a block: its borders, a line of its items (or of
    its guidance) and the scrollbar."""
    glyphs = HEAVY if current else ROUND
    border = "border-current" if current else "border"
    width = text_width(box)
    number = top + row - 1
    runs: list[Run] = [(glyphs[5], border)]
    used = 0
    pad = ""
    if layout.has_line(number):
        line, owner = layout.lines[number], layout.owners[number]
        role = ""
        if owner < 0:
            role = "guide"
        else:
            if owner in matches:
                role = "match"
            if owner == cursor:
                name = "cursor" if current else "cursor-other"
                role = f"{role}+{name}" if role else name
        for index, (text, piece) in enumerate(line):
            if index == 0 and current and owner == cursor and owner >= 0:
                text = text.replace(BULLET, CURSOR_MARK, 1)
            if piece in PIECES:
                runs.append((text, f"{role}+{piece}" if role else piece))
            else:
                runs.append((text, role))
            used += cell_len(text)
        pad = role
    if used < width:
        runs.append((" " * (width - used), pad))
    runs.append(scrollbar_run(layout, box, row - 1, top))
    runs.append((glyphs[5], border))
    return runs


def body_key(
    layout: BlockLayout, box: Box, row: int, *, top: int, cursor: int, matches: frozenset[int]
) -> tuple[object, ...]:
    """What `body_runs` draws on row `row` from, but the box and whether the block is
    current (the same on every row): equal keys, equal rows. Cheaper than drawing the row,
    so a key redraws only the rows whose key it changed."""
    number = top + row - 1
    scrollbar = scrollbar_run(layout, box, row - 1, top)
    if not layout.has_line(number):
        return (None, scrollbar)
    owner = layout.owners[number]
    return (layout.lines[number], owner < 0, owner in matches, owner == cursor, scrollbar)


def bottom_runs(box: Box, current: bool) -> list[Run]:
    glyphs = HEAVY if current else ROUND
    return [
        (
            glyphs[2] + glyphs[4] * (box[2] - 2) + glyphs[3],
            "border-current" if current else "border",
        )
    ]


def scrollbar_run(layout: BlockLayout, box: Box, row: int, top: int) -> Run:
    height, total = inner_height(box), layout.total
    if total <= height or height <= 0:
        return (" ", "")
    size = max(1, height * height // total)
    start = min(height - size, (height - size) * top // max(1, total - height))
    if start <= row < start + size:
        return ("▐", "scrollbar-thumb")
    return (" ", "scrollbar")


def strip_runs(template: Template, current: int, width: int) -> list[Run]:
    """The strip of block numbers above the one block shown on a narrow screen, ending in
    "…" where `width` cuts it short."""
    runs: list[Run] = []
    for spec in template.blocks:
        if spec.index:
            runs.append(("│", "strip"))
        role = "strip-current" if spec.index == current else "strip"
        runs.append((f" {spec.number} {visible(spec.short)} ", role))
    runs.append((f"  {visible(template.blocks[current].title)}", "strip"))
    if sum(cell_len(text) for text, _ in runs) <= width or width <= 0:
        return runs
    cut: list[Run] = []
    room = width - 1
    for text, role in runs:
        while text and cell_len(text) > room:
            text = text[:-1]
        if text:
            cut.append((text, role))
        room -= cell_len(text)
        if room <= 0:
            break
    return [*cut, ("…", cut[-1][1] if cut else "strip")]


def block_name(template: Template, block: int) -> str:
    spec = template.blocks[block]
    return f" {spec.number} {visible(spec.title)}"


def canvas_row(
    y: int,
    width: int,
    boxes: Sequence[tuple[int, B]],
    line: Callable[[int, B, int], Sequence[P]],
    blank: Callable[[int], P],
) -> list[P]:
    """Row `y` of the canvas across the blocks in `boxes` ((block, box) pairs), each drawn by
    `line(block, box, row in the block)`, the gaps and the rest of the width `blank(cells)`.
    Pieces are runs for the pre-paint, Textual segments for the canvas widget."""
    pieces: list[P] = []
    x = 0
    for block, box in boxes:
        bx, by, bwidth, bheight = box
        if not by <= y < by + bheight or bwidth < 4:
            continue
        if bx > x:
            pieces.append(blank(bx - x))
        pieces.extend(line(block, box, y - by))
        x = bx + bwidth
    if x < width:
        pieces.append(blank(width - x))
    return pieces


def block_row(
    template: Template,
    block: int,
    box: Box,
    row: int,
    *,
    items: tuple[Item, ...],
    layout: Callable[[], BlockLayout],
    count: Callable[[], str],
    top: int,
    cursor: int,
    matches: frozenset[int],
    current: bool,
) -> list[Run]:
    """Row `row` of block `block` drawn in `box`: its top border with its title and counts
    (`count`: " (5 · ✓2) "), a line of its body, or its bottom border."""
    if row == 0:
        return title_runs(block_name(template, block), count(), len(items), box[2] - 2, current)
    if row == box[3] - 1:
        return bottom_runs(box, current)
    return body_runs(layout(), box, row, top=top, cursor=cursor, matches=matches, current=current)
