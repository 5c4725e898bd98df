"""The field widget on screen: mounted once, shown where a `Place` says, grown as its text
wraps (up to its block's height, then it scrolls), fed keys, hidden again.

Its keys come from the key interception through `take`, so they land in the order typed. It
is mounted after the editor's first screen (it is not needed to draw it): opening it awaits
it. Where it goes is worked out again at every new layout (`follow`): it stays over what it
edits when the terminal is resized.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from textual.events import Key, Paste
from textual.geometry import Region
from textual.screen import Screen

from canvas_tui.model import pasted_lines
from canvas_tui.render.wrap import wrap
from canvas_tui.safetext import visible
from canvas_tui.ui.fields import feed
from canvas_tui.ui.textfield.place import Place

if TYPE_CHECKING:
    from canvas_tui.ui.textfield.itemfield import ItemField

FieldMode = Literal["item", "title", "search"]
Closed = Callable[["FieldMode", str, bool], object]  # (what it edited, its text, commit?)


class FieldOverlay:
    """Opens, feeds, grows and closes the editor's text field; `closed` hears the result."""

    def __init__(
        self, screen: Screen[Any], closed: Closed, opened: Callable[[], object] = lambda: None
    ) -> None:
        """`closed` is told what a closed field held; `opened` is called once it is open."""
        self.screen = screen
        self.closed = closed
        self.opened = opened
        self.field: ItemField | None = None
        self.mode: FieldMode | None = None  # what the open field edits (None: closed)
        self._place: Callable[[], Place] | None = None  # where the open field goes now
        self._area: Region | None = None  # where an item's field may grow
        self._cover = 0  # lines of the item it edits
        self._ready = asyncio.Event()
        self._screen_mounted = asyncio.Event()  # keys may come before the screen is mounted

    def screen_mounted(self) -> None:
        self._screen_mounted.set()

    async def ensure(self) -> ItemField:
        """The field, mounted once; waits for it if it is being mounted."""
        if self.field is None:
            from canvas_tui.ui.textfield.itemfield import ItemField

            await self._screen_mounted.wait()
            self.field = ItemField(id="field")
            self.field.display = False
            await self.screen.mount(self.field)
            self._ready.set()
        await self._ready.wait()
        return self.field

    async def open(
        self, mode: FieldMode, value: str, place: Callable[[], Place], placeholder: str
    ) -> None:
        """Show the field holding `value`, cursor at the end, where `place` says (asked again
        at every new layout); an item's field may grow in its area."""
        field = await self.ensure()
        field.placeholder = placeholder
        field.load_text(value)
        field.move_cursor(field.document.end)
        field.display = True
        self.mode, self._place = mode, place
        self.follow()
        self.screen.set_focus(field)
        self.opened()

    def follow(self) -> None:
        """Put the open field where it goes now (the screen may have another size)."""
        field, place = self.field, self._place
        if field is None or place is None or self.mode is None:
            return
        where, self._area, self._cover = place()
        _set(field, offset=(where.x, where.y), width=max(1, where.width))
        if self._area is None:
            _set(field, height=where.height)
        self.fit()

    async def take(self, event: Key | Paste) -> bool:
        """A key or a paste for the open field, now; True if it was taken."""
        assert self.field is not None
        return await feed(
            self.field,
            event,
            submit=lambda: self.close(commit=True),
            cancel=lambda: self.close(commit=False),
            paste=self._paste_into_item if self.mode == "item" else None,
        )

    def _paste_into_item(self, text: str) -> None:
        """A paste while typing an item. One line is typed as it is; several become one
        item each when the field is saved (bullets and blank lines dropped), the first
        continuing the text at the cursor."""
        assert self.field is not None
        field = self.field
        raw = [line for line in text.replace("\t", " ").splitlines() if line.strip()]
        if len(raw) <= 1:
            typed = raw[0] if raw else ""
        else:
            lead = raw[0][: len(raw[0]) - len(raw[0].lstrip())] if field.text else ""
            typed = lead + "\n".join(pasted_lines(text))
        field.replace(typed, *field.selection)
        self.fit()

    def fit(self) -> None:
        """Grow an item's field to show all of its text (up to its area, then it scrolls),
        and cover the whole of the item it edits."""
        field, area = self.field, self._area
        if field is None or area is None or self.mode != "item":
            return
        need = sum(len(wrap(visible(line), area.width)) for line in field.text.split("\n"))
        if field.size.width == area.width:  # laid out: its own wrapping is the truth
            need = max(need, field.wrapped_height)
        height = min(max(1, need, self._cover), area.height)
        top = int(field.styles.offset.y.value)
        top = max(area.y, min(top, area.bottom - height))
        _set(field, offset=(area.x, top), height=height)

    def close(self, *, commit: bool) -> None:
        """Hide the field and hand what it held to `closed`."""
        field, mode = self.field, self.mode
        self.mode, self._area, self._place = None, None, None
        if field is None or mode is None:
            return
        field.display = False
        self.closed(mode, field.text, commit)


def _set(
    field: ItemField,
    *,
    offset: tuple[int, int] | None = None,
    width: int | None = None,
    height: int | None = None,
) -> None:
    """Change the field's place and size where they differ: each change costs a layout."""
    styles = field.styles
    if offset is not None and (styles.offset.x.value, styles.offset.y.value) != offset:
        styles.offset = offset
    if width is not None and (styles.width is None or styles.width.value != width):
        styles.width = width
    if height is not None and (styles.height is None or styles.height.value != height):
        styles.height = height
