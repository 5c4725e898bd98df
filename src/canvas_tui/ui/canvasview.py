"""The blocks of the canvas, drawn by one widget with Textual's line API.

One widget, not one per block and never one per item: the editor starts about as fast as a
bare Textual app and a block of thousands of items costs no more to draw than a short one,
since only the rows on screen are drawn. Each block keeps its own scroll position. Where the
blocks go comes from the canvas's template (`render/grid.py` does the arithmetic).

Item text goes out as plain `Segment`s: never parsed as markup, and control characters were
swapped for visible placeholders by `item_lines` before they get here.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.events import Click, MouseScrollDown, MouseScrollUp
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from canvas_tui.model import Item
from canvas_tui.render.blocklayout import EMPTY_HINT, BlockLayout
from canvas_tui.render.blockrows import (
    PIECES,
    block_box,
    block_row,
    body_key,
    is_single,
    strip_runs,
)
from canvas_tui.render.blockrows import (
    text_width as box_text_width,
)
from canvas_tui.render.grid import WIDE
from canvas_tui.render.layout import block_counts_of
from canvas_tui.safetext import visible
from canvas_tui.template import Template

RowKeys = dict[int, tuple[object, ...]]  # row -> its `body_key`


class BlockClicked(Message):
    """A click in a block, on an item (`item`) or not (None)."""

    def __init__(self, block: int, item: int | None) -> None:
        super().__init__()
        self.block = block
        self.item = item


class CanvasView(Widget, can_focus=True):
    """The canvas: the template's layout when wide, one block with a strip of them all when
    narrow or zoomed. Keeps the focus; the editor screen's bindings do the rest."""

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
        *(f"canvas--{piece}" for piece in PIECES),
    }

    def __init__(self, template: Template, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.template = template
        self.empty_hint = EMPTY_HINT  # what an empty block says under its guidance
        count = len(template.blocks)
        self.items: list[tuple[Item, ...]] = [() for _ in range(count)]
        self.cursors = [0] * count
        self.matches: list[frozenset[int]] = [frozenset() for _ in range(count)]
        self.shown: list[list[int] | None] = [None] * count  # None: every item
        self.current = 0
        self.zoomed = False
        self.tops = [0] * count  # each block's scroll position, in lines
        self._layouts: dict[int, tuple[int, int, int, BlockLayout]] = {}
        self._regions: dict[tuple[int, int, int, bool, int], Region | None] = {}
        self._counts: dict[int, tuple[int, str]] = {}  # block -> (id of its items, counts)
        # The drawn rows of each block, with what they were drawn from (`_drawn_from`) and
        # the body rows' keys (`body_key`): a key changes one block, and the rows Textual
        # asks for again cross every block.
        self._rows: dict[int, tuple[tuple[object, ...], dict[int, list[Segment]], RowKeys]] = {}
        self._base: Style | None = None  # `rich_style`, which walks every ancestor
        self._roles: dict[Style, dict[str, Style]] = {}  # base -> role -> style

    # -- state from the editor -------------------------------------------------------------

    def show(
        self,
        items: list[tuple[Item, ...]],
        cursors: list[int],
        matches: list[frozenset[int]],
        current: int,
        *,
        zoomed: bool,
        shown: list[list[int] | None] | None = None,
    ) -> None:
        before = (self.items, self.cursors, self.matches, self.shown, list(self.tops))
        whole = current != self.current or zoomed != self.zoomed
        self.items, self.cursors, self.matches = items, cursors, matches
        self.current, self.zoomed = current, zoomed
        self.shown = shown if shown is not None else [None] * len(items)
        for block in self.visible_blocks():
            self._keep_cursor_visible(block)
        if whole:  # another block has the focus: borders and titles change everywhere
            self.refresh()
            return
        # Redraw only the rows that changed: a key moves one cursor or item in one block, and
        # a terminal over SSH gets those rows, not the block or the whole screen.
        for block in self.visible_blocks():
            if (
                before[0][block] is not items[block]
                or before[1][block] != cursors[block]
                or before[2][block] != matches[block]
                or before[3][block] != self.shown[block]
                or before[4][block] != self.tops[block]
            ):
                region = self.block_region(block)
                if region is not None:
                    self._refresh_changed_rows(block, region)

    def _refresh_changed_rows(self, block: int, region: Region) -> None:
        """Refresh the block's rows that differ from what is on screen (the rows drawn last;
        all of them if there are none). A body row whose key (`body_key`) is what it was is
        not drawn again: a key changes a few rows of a block full of items."""
        base = self._base
        drawn = self._rows.get(block)
        if base is None or drawn is None:  # nothing drawn yet, or the styles changed
            self.refresh(region)
            return
        now = self._drawn_from(block, region, base)
        before, drawn_rows, drawn_keys = drawn
        same_frame = before[:3] == now[:3]  # region, base style, current
        layout = self.layout_of(block, self.text_width(region))
        rows: dict[int, list[Segment]] = {}
        keys: RowKeys = {}
        self._rows[block] = (now, rows, keys)
        changed: list[int] = []
        for row in range(region.height):
            old = drawn_rows.get(row)
            if 0 < row < region.height - 1:
                key = keys[row] = self._body_key(block, region, row, layout)
                if same_frame and old is not None and drawn_keys.get(row) == key:
                    rows[row] = old
                    continue
            line = rows[row] = self._block_line(block, region, row, base)
            if old != line:
                changed.append(row)
        if not changed:
            return
        first, last = changed[0], changed[-1]
        if len(changed) == last - first + 1:  # one run of rows: one region
            self.refresh(Region(region.x, region.y + first, region.width, len(changed)))
        else:
            for row in changed:
                self.refresh(Region(region.x, region.y + row, region.width, 1))

    @property
    def single(self) -> bool:
        """One block at a time (narrow terminal, or zoom)."""
        return is_single(self.size.width, self.zoomed)

    @property
    def narrow(self) -> bool:
        return self.size.width < WIDE

    # -- geometry --------------------------------------------------------------------------

    def block_region(self, block: int, size: Size | None = None) -> Region | None:
        """Where block `block` is drawn (borders included), if it is on screen (`size`: the
        widget's, when the caller has it already)."""
        width, height = size or self.size
        key = (block, width, height, self.zoomed, self.current)
        if key not in self._regions:
            if len(self._regions) > 256:
                self._regions.clear()
            self._regions[key] = self._block_region(block, width, height)
        return self._regions[key]

    def _block_region(self, block: int, width: int, height: int) -> Region | None:
        box = block_box(
            self.template, block, width, height, current=self.current, zoomed=self.zoomed
        )
        return None if box is None else Region(*box)

    def visible_blocks(self) -> list[int]:
        return [self.current] if self.single else list(range(len(self.template.blocks)))

    @staticmethod
    def text_width(region: Region) -> int:
        return max(1, region.width - 3)  # two borders and a scrollbar column

    @staticmethod
    def inner_height(region: Region) -> int:
        return max(0, region.height - 2)

    def layout_of(self, block: int, width: int) -> BlockLayout:
        items, shown = self.items[block], self.shown[block]
        cached = self._layouts.get(block)
        if (
            cached is not None
            and cached[0] == id(items)
            and cached[1] == width
            and cached[2] == id(shown)
        ):
            return cached[3]
        previous = cached[3] if cached is not None else None
        spec = self.template.blocks[block]
        layout = BlockLayout(spec, items, width, shown, previous, hint=self.empty_hint)
        self._layouts[block] = (id(items), width, id(shown), layout)
        return layout

    def _keep_cursor_visible(self, block: int, *, fill: bool = False) -> None:
        """Scroll the block so its cursor item is in sight. With `fill` (a new size) the
        block is also filled to its end; otherwise the rows left blank by items removed at
        the end stay blank, so the items in sight do not jump."""
        region = self.block_region(block)
        if region is None or not self.items[block]:
            self.tops[block] = 0
            return
        layout = self.layout_of(block, self.text_width(region))
        height = self.inner_height(region)
        cursor = min(self.cursors[block], len(self.items[block]) - 1)
        span = layout.span(cursor)
        top = self.tops[block]
        if span is not None:
            start, count = span
            if start < top:
                top = start
            elif start + count > top + height:
                top = start + count - height if count <= height else start
        if fill or span is None:
            top = min(top, max(0, layout.total - height))
        self.tops[block] = max(0, top)

    def item_rows(self, block: int, item: int) -> tuple[int, int] | None:
        """The widget row where `item` of `block` starts and how many rows of the block are
        left from there, if it is on screen."""
        region = self.block_region(block)
        if region is None or not self.items[block]:
            return None
        layout = self.layout_of(block, self.text_width(region))
        if not 0 <= item < len(self.items[block]):
            return None
        span = layout.span(item)
        if span is None:
            return None
        row = span[0] - self.tops[block]
        height = self.inner_height(region)
        if not 0 <= row < height:
            return None
        return region.y + 1 + row, height - row

    # -- drawing ---------------------------------------------------------------------------

    def on_resize(self) -> None:
        for block in self.visible_blocks():
            self._keep_cursor_visible(block, fill=True)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self._rows.clear()
        self._roles.clear()

    def render_line(self, y: int) -> Strip:
        size = self.size
        width = size.width
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        segments: list[Segment] = []
        if self.single and self.narrow and y == 0:
            segments = self._strip_line(base)
        else:
            x = 0
            for block in self.visible_blocks():
                region = self.block_region(block, size)
                if region is None or not region.y <= y < region.bottom or region.width < 4:
                    continue
                if region.x > x:
                    segments.append(Segment(" " * (region.x - x), base))
                segments.extend(self._cached_block_line(block, region, y - region.y, base))
                x = region.right
            if x < width:
                segments.append(Segment(" " * (width - x), base))
        return Strip(segments).crop_extend(0, width, base)

    def _drawn_from(self, block: int, region: Region, base: Style) -> tuple[object, ...]:
        """Everything a block's rows are drawn from (styles aside: `notify_style_update`)."""
        return (
            region,
            base,
            block == self.current,
            self.cursors[block],
            self.tops[block],
            self.items[block],
            self.matches[block],
            self.shown[block],
        )

    def _cached_block_line(
        self, block: int, region: Region, row: int, base: Style
    ) -> list[Segment]:
        now = self._drawn_from(block, region, base)
        cached = self._rows.get(block)
        # Items and shown compare by identity: they are replaced, never changed in place, and
        # comparing two big ones item by item would cost as much as drawing the rows.
        if cached is None or not all(
            a is b or (isinstance(a, (int, Region, Style, frozenset)) and a == b)
            for a, b in zip(cached[0], now, strict=True)
        ):
            cached = (now, {}, {})
            self._rows[block] = cached
        rows = cached[1]
        line = rows.get(row)
        if line is None:
            line = rows[row] = self._block_line(block, region, row, base)
            if 0 < row < region.height - 1:  # a body row: its key, for the next key's redraw
                layout = self.layout_of(block, self.text_width(region))
                cached[2][row] = self._body_key(block, region, row, layout)
        return line

    def _body_key(
        self, block: int, region: Region, row: int, layout: BlockLayout
    ) -> tuple[object, ...]:
        return body_key(
            layout,
            region,
            row,
            top=self.tops[block],
            cursor=self.cursors[block],
            matches=self.matches[block],
        )

    def _count(self, block: int) -> str:
        """The block's counts, as its top border shows them: " (5 · ✓2 ~1) "."""
        items, shown = self.items[block], self.shown[block]
        if shown is not None:
            return f" ({len(shown)} of {len(items)}) "
        cached = self._counts.get(block)
        if cached is None or cached[0] != id(items):
            cached = (id(items), block_counts_of(items))
            self._counts[block] = cached
        return f" ({cached[1]}) "

    def _role_style(self, role: str, base: Style) -> Style:
        """The style of a run's role (see `render/blockrows.py`) on the base style."""
        styles = self._roles.get(base)
        if styles is None:
            styles = self._roles[base] = {}
        style = styles.get(role)
        if style is None:
            style = base
            for name in role.split("+") if role else ():
                if name in PIECES:
                    style = style + self._piece_style(f"canvas--{name}")
                else:
                    style = style + self.get_component_rich_style(f"canvas--{name}")
            styles[role] = style
        return style

    def _block_line(self, block: int, region: Region, row: int, base: Style) -> list[Segment]:
        box = (region.x, region.y, region.width, region.height)
        runs = block_row(
            self.template,
            block,
            box,
            row,
            items=self.items[block],
            layout=lambda: self.layout_of(block, box_text_width(box)),
            count=lambda: self._count(block),
            top=self.tops[block],
            cursor=self.cursors[block],
            matches=self.matches[block],
            current=block == self.current,
        )
        return [Segment(text, self._role_style(role, base)) for text, role in runs]

    def _piece_style(self, name: str) -> Style:
        """A piece's colour and weight, without a background: it keeps the line's own (the
        cursor's, a match's)."""
        full = self.get_component_rich_style(name)
        return Style(color=full.color, bold=full.bold, italic=full.italic, dim=full.dim)

    def _strip_line(self, base: Style) -> list[Segment]:
        return [
            Segment(text, self._role_style(role, base))
            for text, role in strip_runs(self.template, self.current, self.size.width)
        ]

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
            for spec in self.template.blocks:
                column += cell_len(f" {spec.number} {visible(spec.short)} ") + (
                    1 if spec.index else 0
                )
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
