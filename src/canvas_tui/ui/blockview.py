"""One block of the canvas: a titled panel whose items are drawn with the line API.

`BlockView` keeps a flat list of wrapped lines for its items and draws only the rows on
screen, so a block of thousands of items costs no more to show or edit than a short one.
Item text goes out as plain `Segment`s: it is never parsed as markup, and control
characters were already swapped for visible placeholders by `item_lines`.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from canvas_tui.render.wrap import BULLET, item_lines, wrap
from canvas_tui.template import BlockSpec
from canvas_tui.ui.widgets import LineInput

CURSOR_MARK = "▸ "  # replaces the bullet on the cursor item: visible without colour
EMPTY_HINT = "a adds an item · ? shows every key"


class BlockView(ScrollView, can_focus=False, inherit_bindings=False):
    """The items of one block, wrapped to the block's width.

    Never focused itself: the editor keeps focus on the canvas and marks the current block,
    so moving between blocks does not make Textual rebuild the footer's bindings.
    """

    COMPONENT_CLASSES = {
        "blockview--cursor",
        "blockview--cursor-blurred",
        "blockview--guide",
        "blockview--match",
    }

    def __init__(self, spec: BlockSpec) -> None:
        super().__init__(id=f"items-{spec.number}")
        self.spec = spec
        self.items: tuple[str, ...] = ()
        self.cursor = 0
        self.matches: frozenset[int] = frozenset()
        self.active = False  # the current block: its cursor item stands out
        # The wrapped lines of all items, as two parallel lists (cheaper than a list of
        # objects for thousands of items): the text of each line and the item it belongs
        # to (-1 for the guidance shown in an empty block).
        self._texts: list[str] = []
        self._owners: list[int] = []
        self._starts: list[int] = []  # first line of each item
        self._layout_key: tuple[int, int] | None = None  # (id of items, width)

    # -- state from the editor -------------------------------------------------------------

    def show(
        self, items: tuple[str, ...], cursor: int, matches: frozenset[int], *, active: bool
    ) -> None:
        """Draw these items with the cursor on item `cursor` and these search matches."""
        changed = (
            items is not self.items
            or matches != self.matches
            or cursor != self.cursor
            or active != self.active
        )
        self.items, self.cursor, self.matches, self.active = items, cursor, matches, active
        self._relayout()
        if changed:
            self.refresh()
        self.scroll_to_cursor()

    def _text_width(self) -> int:
        return max(4, self.scrollable_content_region.width)

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # not laid out yet (or hidden): wait for a size
        width = max(4, width)
        key = (id(self.items), width)
        if key == self._layout_key:
            return
        self._layout_key = key
        texts: list[str] = []
        owners: list[int] = []
        starts: list[int] = []
        if self.items:
            for index, text in enumerate(self.items):
                lines = item_lines(text, width)
                starts.append(len(texts))
                texts.extend(lines)
                owners.extend([index] * len(lines))
        else:
            guide = list(wrap(self.spec.question, width))
            for prompt in self.spec.prompts:
                guide.extend(item_lines(prompt, width))
            guide.append("")
            guide.extend(wrap(EMPTY_HINT, width))
            texts, owners = guide, [-1] * len(guide)
        self._texts, self._owners, self._starts = texts, owners, starts
        self.virtual_size = Size(width, len(texts))

    def on_resize(self) -> None:
        self._relayout()
        self.scroll_to_cursor()
        self.refresh()

    def item_span(self, index: int) -> tuple[int, int]:
        """The first line and the line count of item `index`."""
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._texts)
        return start, end - start

    def scroll_to_cursor(self) -> None:
        if not self.items or not 0 <= self.cursor < len(self._starts):
            return
        start, count = self.item_span(self.cursor)
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if start < top:
            self.scroll_to(y=start, animate=False, immediate=True)
        elif start + count > top + height:
            self.scroll_to(y=start + count - height, animate=False, immediate=True)

    # -- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        number = scroll_y + y
        base = self.rich_style
        if number >= len(self._texts):
            return Strip([Segment(" " * width, base)], width)
        text, owner, style = self._texts[number], self._owners[number], base
        if owner < 0:
            style = base + self.get_component_rich_style("blockview--guide")
        else:
            if owner in self.matches:
                style = style + self.get_component_rich_style("blockview--match")
            if owner == self.cursor:
                active = self.active
                component = "blockview--cursor" if active else "blockview--cursor-blurred"
                style = style + self.get_component_rich_style(component)
                if active and text.startswith(BULLET):
                    text = CURSOR_MARK + text[len(BULLET) :]
        strip = Strip([Segment(text, style)])
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    # -- the mouse -------------------------------------------------------------------------

    def on_click(self, event: Click) -> None:
        number = round(self.scroll_y) + event.y
        owner = self._owners[number] if 0 <= number < len(self._owners) else -1
        self.post_message(BlockClicked(self.spec.index, owner if owner >= 0 else None))


class BlockClicked(Message):
    """A click in a block, on an item (`item`) or on no item (None)."""

    def __init__(self, block: int, item: int | None) -> None:
        super().__init__()
        self.block = block
        self.item = item


class ItemInput(LineInput):
    """The text field for editing an item or adding one, docked at the bottom of its block."""

    def __init__(self, block: int) -> None:
        super().__init__(id=f"input-{block + 1}", compact=True, select_on_focus=False)
        self.block = block


class BlockPanel(Vertical):
    """A block's frame: the title with its item count, the items, and the item editor."""

    def __init__(self, spec: BlockSpec) -> None:
        super().__init__(id=f"block-{spec.number}", classes="block")
        self.spec = spec
        self.view = BlockView(spec)
        self.editor = ItemInput(spec.index)
        self._count = -1
        self.styles.column_span = spec.place.column_span
        self.styles.row_span = spec.place.row_span

    def compose(self) -> ComposeResult:
        yield self.view
        yield self.editor

    def on_mount(self) -> None:
        self.set_count(0)

    def set_count(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self.border_title = Content(f"{self.spec.number} {self.spec.title} ({count})")
