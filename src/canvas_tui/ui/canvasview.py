"""The nine blocks of the canvas, drawn by one widget with Textual's line API.

One widget, not one per block and never one per item: the editor starts about as fast as a
bare Textual app and a block of thousands of items costs no more to draw than a short one,
since only the rows on screen are drawn. Each block keeps its own scroll position.

Item text goes out as plain `Segment`s: never parsed as markup, and control characters were
swapped for visible placeholders by `item_lines` before they get here.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.events import Click, MouseScrollDown, MouseScrollUp
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from canvas_tui.render.wrap import BULLET, item_lines, wrap
from canvas_tui.template import BLOCKS, GRID_COLUMNS, BlockSpec

NARROW = 100  # below this width five columns are unreadable: one block at a time
ROW_WEIGHTS = (2, 2, 1)  # the heights of the canvas's three rows
CURSOR_MARK = "▸ "  # replaces the bullet on the cursor item: visible without colour
EMPTY_HINT = "a adds an item · ? shows every key"
ROUND = ("╭", "╮", "╰", "╯", "─", "│")
HEAVY = ("┏", "┓", "┗", "┛", "━", "┃")


class BlockClicked(Message):
    """A click in a block, on an item (`item`) or not (None)."""

    def __init__(self, block: int, item: int | None) -> None:
        super().__init__()
        self.block = block
        self.item = item


class BlockLayout:
    """A block's items wrapped to a width, laid out lazily: only as far as the screen (or
    the cursor) needs, so opening a block of thousands of items wraps a screenful.

    Parallel lists, cheap for thousands of items: the text of each line, the item each
    line belongs to (-1: the guidance of an empty block), and each item's first line.
    """

    CHUNK = 64  # items laid out at a time

    def __init__(self, spec: BlockSpec, items: tuple[str, ...], width: int) -> None:
        self.items, self.width = items, width
        self.texts: list[str] = []
        self.owners: list[int] = []
        self.starts: list[int] = []
        if not items:
            guide = list(wrap(spec.question, width))
            for prompt in spec.prompts:
                guide.extend(item_lines(prompt, width))
            guide.append("")
            guide.extend(wrap(EMPTY_HINT, width))
            self.texts, self.owners = guide, [-1] * len(guide)

    @property
    def complete(self) -> bool:
        return len(self.starts) == len(self.items)

    def _lay_out(self, count: int) -> None:
        """Lay out the items before index `count`."""
        texts, owners, starts, width = self.texts, self.owners, self.starts, self.width
        for index in range(len(starts), min(count, len(self.items))):
            lines = item_lines(self.items[index], width)
            starts.append(len(texts))
            texts.extend(lines)
            owners.extend([index] * len(lines))

    def has_line(self, number: int) -> bool:
        while number >= len(self.texts) and not self.complete:
            self._lay_out(len(self.starts) + self.CHUNK)
        return 0 <= number < len(self.texts)

    def span(self, item: int) -> tuple[int, int]:
        """First line and line count of `item`."""
        self._lay_out(item + 2)
        start = self.starts[item]
        end = self.starts[item + 1] if item + 1 < len(self.starts) else len(self.texts)
        return start, end - start

    @property
    def total(self) -> int:
        """How many lines the block has (estimated from what is laid out, until it all is)."""
        if self.complete or not self.starts:
            return len(self.texts)
        return len(self.texts) * len(self.items) // len(self.starts)


class CanvasView(Widget, can_focus=True):
    """The canvas: the classic layout when wide, one block with a strip of all nine when
    narrow or zoomed. Holds the keyboard focus; the editor screen's bindings do the rest."""

    COMPONENT_CLASSES = {
        "canvas--border",
        "canvas--border-current",
        "canvas--title",
        "canvas--title-current",
        "canvas--cursor",
        "canvas--cursor-other",
        "canvas--guide",
        "canvas--match",
        "canvas--scrollbar",
        "canvas--scrollbar-thumb",
        "canvas--strip",
        "canvas--strip-current",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[tuple[str, ...]] = [() for _ in BLOCKS]
        self.cursors = [0] * len(BLOCKS)
        self.matches: list[frozenset[int]] = [frozenset() for _ in BLOCKS]
        self.current = 0
        self.zoomed = False
        self.tops = [0] * len(BLOCKS)  # each block's scroll position, in lines
        self._layouts: dict[int, tuple[int, int, BlockLayout]] = {}  # id(items), width
        self._regions: dict[tuple[int, int, int, bool, int], Region | None] = {}

    # -- state from the editor -------------------------------------------------------------

    def show(
        self,
        items: list[tuple[str, ...]],
        cursors: list[int],
        matches: list[frozenset[int]],
        current: int,
        *,
        zoomed: bool,
    ) -> None:
        self.items, self.cursors, self.matches = items, cursors, matches
        self.current, self.zoomed = current, zoomed
        for block in self.visible_blocks():
            self._keep_cursor_visible(block)
        self.refresh()

    @property
    def single(self) -> bool:
        """One block at a time (narrow terminal, or zoom)."""
        return self.zoomed or self.size.width < NARROW

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    # -- geometry --------------------------------------------------------------------------

    def block_region(self, block: int) -> Region | None:
        """Where block `block` is drawn (borders included), if it is on screen."""
        width, height = self.size
        key = (block, width, height, self.zoomed, self.current)
        if key not in self._regions:
            if len(self._regions) > 256:
                self._regions.clear()
            self._regions[key] = self._block_region(block, width, height)
        return self._regions[key]

    def _block_region(self, block: int, width: int, height: int) -> Region | None:
        if width <= 0 or height <= 0:
            return None
        if self.single:
            if block != self.current:
                return None
            top = 1 if self.narrow else 0  # the strip of block numbers
            return Region(0, top, width, max(0, height - top))
        xs = [round(column * width / GRID_COLUMNS) for column in range(GRID_COLUMNS + 1)]
        total = sum(ROW_WEIGHTS)
        ys = [0]
        for weight in ROW_WEIGHTS:
            ys.append(ys[-1] + weight)
        ys = [round(y * height / total) for y in ys]
        place = BLOCKS[block].place
        x0, x1 = xs[place.column], xs[place.column + place.column_span]
        y0, y1 = ys[place.row], ys[place.row + place.row_span]
        return Region(x0, y0, x1 - x0, y1 - y0)

    def visible_blocks(self) -> list[int]:
        return [self.current] if self.single else list(range(len(BLOCKS)))

    @staticmethod
    def text_width(region: Region) -> int:
        return max(1, region.width - 3)  # two borders and a scrollbar column

    @staticmethod
    def inner_height(region: Region) -> int:
        return max(0, region.height - 2)

    def layout_of(self, block: int, width: int) -> BlockLayout:
        items = self.items[block]
        cached = self._layouts.get(block)
        if cached is not None and cached[0] == id(items) and cached[1] == width:
            return cached[2]
        layout = BlockLayout(BLOCKS[block], items, width)
        self._layouts[block] = (id(items), width, layout)
        return layout

    def _keep_cursor_visible(self, block: int) -> None:
        region = self.block_region(block)
        if region is None or not self.items[block]:
            self.tops[block] = 0
            return
        layout = self.layout_of(block, self.text_width(region))
        height = self.inner_height(region)
        cursor = min(self.cursors[block], len(self.items[block]) - 1)
        start, count = layout.span(cursor)
        top = self.tops[block]
        if start < top:
            top = start
        elif start + count > top + height:
            top = start + count - height if count <= height else start
        self.tops[block] = max(0, min(top, max(0, layout.total - height)))

    def item_row(self, block: int, item: int) -> int | None:
        """The widget row where `item` of `block` starts, if it is on screen."""
        region = self.block_region(block)
        if region is None or not self.items[block]:
            return None
        layout = self.layout_of(block, self.text_width(region))
        if not 0 <= item < len(self.items[block]):
            return None
        row = layout.span(item)[0] - self.tops[block]
        return region.y + 1 + row if 0 <= row < self.inner_height(region) else None

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        for block in self.visible_blocks():
            self._keep_cursor_visible(block)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        segments: list[Segment] = []
        if self.single and self.narrow and y == 0:
            segments = self._strip_line(width, base)
        else:
            x = 0
            for block in self.visible_blocks():
                region = self.block_region(block)
                if region is None or not region.y <= y < region.bottom or region.width < 4:
                    continue
                if region.x > x:
                    segments.append(Segment(" " * (region.x - x), base))
                segments.extend(self._block_line(block, region, y - region.y, base))
                x = region.right
            if x < width:
                segments.append(Segment(" " * (width - x), base))
        return Strip(segments).crop_extend(0, width, base)

    def _style(self, name: str, base: Style) -> Style:
        return base + self.get_component_rich_style(name)

    def _block_line(self, block: int, region: Region, row: int, base: Style) -> list[Segment]:
        current = block == self.current
        glyphs = HEAVY if current else ROUND
        border = self._style("canvas--border-current" if current else "canvas--border", base)
        inner = region.width - 2
        if row == 0:
            spec = BLOCKS[block]
            count = f" ({len(self.items[block])}) "
            name = f" {spec.number} {spec.title}"
            room = inner - len(count)
            if len(name) > room:  # shorten the name, never the count
                name = name[: max(0, room - 1)] + "…"
            title = name + count
            lead = glyphs[4] if cell_len(title) < inner else ""  # "╭─ 1 Key…" when it fits
            title_style = self._style("canvas--title-current" if current else "canvas--title", base)
            rest = max(0, inner - len(lead) - cell_len(title))
            return [
                Segment(glyphs[0] + lead, border),
                Segment(title, title_style),
                Segment(glyphs[4] * rest + glyphs[1], border),
            ]
        if row == region.height - 1:
            return [Segment(glyphs[2] + glyphs[4] * inner + glyphs[3], border)]
        text_width = self.text_width(region)
        layout = self.layout_of(block, text_width)
        number = self.tops[block] + row - 1
        text, style = "", base
        if layout.has_line(number):
            text, owner = layout.texts[number], layout.owners[number]
            if owner < 0:
                style = self._style("canvas--guide", base)
            else:
                if owner in self.matches[block]:
                    style = style + self.get_component_rich_style("canvas--match")
                if owner == self.cursors[block]:
                    name = "canvas--cursor" if current else "canvas--cursor-other"
                    style = style + self.get_component_rich_style(name)
                    if current and text.startswith(BULLET):
                        text = CURSOR_MARK + text[len(BULLET) :]
        pad = max(0, text_width - cell_len(text))
        return [
            Segment(glyphs[5], border),
            Segment(text + " " * pad, style),
            self._scrollbar(layout, block, region, row - 1, base),
            Segment(glyphs[5], border),
        ]

    def _scrollbar(
        self, layout: BlockLayout, block: int, region: Region, row: int, base: Style
    ) -> Segment:
        height, total = self.inner_height(region), layout.total
        if total <= height or height <= 0:
            return Segment(" ", base)
        size = max(1, height * height // total)
        start = (height - size) * self.tops[block] // max(1, total - height)
        thumb = start <= row < start + size
        name = "canvas--scrollbar-thumb" if thumb else "canvas--scrollbar"
        return Segment("▐" if thumb else " ", self._style(name, base))

    def _strip_line(self, width: int, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        for spec in BLOCKS:
            if spec.index:
                segments.append(Segment("│", self._style("canvas--strip", base)))
            name = "canvas--strip-current" if spec.index == self.current else "canvas--strip"
            segments.append(Segment(f" {spec.number} {spec.short} ", self._style(name, base)))
        title = f"  {BLOCKS[self.current].title}"
        segments.append(Segment(title, self._style("canvas--strip", base)))
        return segments

    # -- the mouse -------------------------------------------------------------------------

    def _block_at(self, x: int, y: int) -> int | None:
        for block in self.visible_blocks():
            region = self.block_region(block)
            if region is not None and region.contains(x, y):
                return block
        return None

    def on_click(self, event: Click) -> None:
        if self.single and self.narrow and event.y == 0:
            column = 0
            for spec in BLOCKS:
                column += len(f" {spec.number} {spec.short} ") + (1 if spec.index else 0)
                if event.x < column:
                    self.post_message(BlockClicked(spec.index, None))
                    return
            return
        block = self._block_at(event.x, event.y)
        if block is None:
            return
        region = self.block_region(block)
        assert region is not None
        layout = self.layout_of(block, self.text_width(region))
        number = self.tops[block] + event.y - region.y - 1
        owner = layout.owners[number] if layout.has_line(number) else -1
        self.post_message(BlockClicked(block, owner if owner >= 0 else None))

    def _scroll(self, x: int, y: int, delta: int) -> None:
        block = self._block_at(x, y)
        if block is None:
            return
        region = self.block_region(block)
        assert region is not None
        layout = self.layout_of(block, self.text_width(region))
        limit = max(0, layout.total - self.inner_height(region))
        self.tops[block] = max(0, min(self.tops[block] + delta, limit))
        self.refresh()

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        self._scroll(event.x, event.y, 3)

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        self._scroll(event.x, event.y, -3)
