"""The editor's text field, as the editor uses it: the keys that open it (add, insert, edit,
the title, search), the keys it takes while open, and what a closed field means (an item, the
title, a search). Where the field goes and how it grows is `ui/overlay.py`'s; the rest of the
editor is `ui/editor.py`'s `EditorScreen`, which builds on this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.events import Key, Paste
from textual.geometry import Region
from textual.screen import Screen

from canvas_tui.model import Pos, pasted_lines
from canvas_tui.session import Change, Session
from canvas_tui.ui.canvasview import CanvasView
from canvas_tui.ui.overlay import FieldMode, FieldOverlay, item_place

if TYPE_CHECKING:
    from textual.widgets import TextArea


class EditorFields(Screen[None]):
    """The text field's part of the editor. `EditorScreen` sets the state below and gives
    `redraw` and `_changed`."""

    session: Session
    overlay: FieldOverlay
    read_only: bool
    _editing: tuple[Pos, bool] | None  # the item being typed: (where, new?)

    @property
    def view(self) -> CanvasView:
        return self.query_one(CanvasView)

    def redraw(self) -> None:
        raise NotImplementedError

    def _changed(self, change: Change | None) -> None:
        raise NotImplementedError

    # -- opening it ------------------------------------------------------------------------

    async def action_add(self) -> None:
        await self._open_item_field(self.session.add_position(), "", new=True)

    async def action_insert(self, below: bool) -> None:
        await self._open_item_field(self.session.insert_position(below=below), "", new=True)

    async def action_edit(self) -> None:
        text = self.session.current_text
        if text is None:
            await self.action_add()
        else:
            await self._open_item_field(self.session.cursor, text, new=False)

    async def action_edit_title(self) -> None:
        where = Region(0, 0, self.size.width, 1)  # over the title bar
        await self.overlay.open("title", self.session.canvas.title, where, "Canvas title")

    async def action_search(self) -> None:
        where = Region(0, self.size.height - 2, self.size.width, 1)  # over the status line
        placeholder = "Search: words, #tag, is:validated — enter jumps, escape clears"
        await self.overlay.open("search", self.session.query, where, placeholder)

    async def _open_item_field(self, pos: Pos, text: str, *, new: bool) -> None:
        """Open the field over the item at `pos` (or where a new item goes there)."""
        self._editing = (pos, new)
        items = self.session.canvas.items(pos.block)
        where, area, cover = item_place(self.view, pos, items, new=new)
        placeholder = "New item — enter adds, escape cancels" if new else ""
        await self.overlay.open("item", text, where, placeholder, area=area, cover=cover)

    # -- while it is open -------------------------------------------------------------------

    async def take_key(self, event: Key | Paste) -> bool:
        """Handle a key or a paste now if the text field is open (a paste on the canvas
        too: its lines become items); True if taken."""
        if self.overlay.mode is not None:
            return await self.overlay.take(event)
        if isinstance(event, Paste) and not self.read_only:
            self._changed(self.session.paste_lines(pasted_lines(event.text)))
            return True
        return False

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """The field's text changed (its only text area): follow a search as it is typed,
        grow an item's field."""
        if self.overlay.mode == "search":
            self.session.preview_search(event.text_area.text)
            self.redraw()
        else:
            self.overlay.fit()

    def commit_pending_edit(self) -> None:
        """Commit a text field that is open (quit, hang-up): nothing typed is lost."""
        if self.overlay.mode in ("item", "title"):
            self.overlay.close(commit=True)

    def action_field_submit(self) -> None:
        self.overlay.close(commit=True)

    def action_field_cancel(self) -> None:
        self.overlay.close(commit=False)

    def _field_closed(self, mode: FieldMode, value: str, commit: bool) -> None:
        """The field closed: what it held becomes an item, the title or the search."""
        editing, self._editing = self._editing, None
        if mode == "item" and editing is not None and commit:
            pos, new = editing
            self._changed(self.session.commit(pos, value, new=new))
        elif mode == "title" and commit:
            self._changed(self.session.retitle(value))
        elif mode == "search":
            if commit:
                self._searched(value)
            else:
                self.session.clear_search()
        self.set_focus(self.view, scroll_visible=False)
        self.redraw()

    def _searched(self, value: str) -> None:
        found = self.session.search(" ".join(value.split()))
        problems = self.session.query_problems
        if problems:
            self.notify(
                f"Unknown status in {', '.join(problems)} (is:assumption, is:testing,"
                " is:validated, is:invalidated, is:none)",
                severity="warning",
                markup=False,
            )
        elif value.strip() and not found:
            self.notify("No match.", severity="warning", timeout=2)
