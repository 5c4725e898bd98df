"""The editor's text field, as the editor uses it: the keys that open it (add, insert, edit,
the title, search), the keys it takes while open, and what a closed field means (an item, the
title, a search). Where the field goes and how it grows is `ui/overlay.py`'s; the rest of the
editor is `ui/editor.py`'s `EditorScreen`, which builds on this.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.events import Key, Paste
from textual.geometry import Region
from textual.screen import Screen

from canvas_tui.model import Pos, pasted_lines
from canvas_tui.session import Change, Session
from canvas_tui.ui.canvasview import CanvasView
from canvas_tui.ui.overlay import FieldMode, FieldOverlay, Place, item_place

if TYPE_CHECKING:
    from textual.widgets import TextArea


class EditorFields(Screen[None]):
    """The text field's part of the editor. `EditorScreen` sets the state below and gives
    `redraw` and `_changed`."""

    session: Session
    overlay: FieldOverlay
    read_only: bool
    _editing: tuple[Pos, bool] | None  # the item being typed: (where, new?)
    _laid_out = False  # the canvas has had a size: keys may open the field
    _release_keys: Callable[[], Awaitable[None]] | None = None
    _field_size: tuple[object, ...] = ()  # the sizes the open field was placed for

    @property
    def view(self) -> CanvasView:
        return self.query_one(CanvasView)

    # -- layout: keys wait for the first, the field follows each ----------------------------

    def on_mount(self) -> None:
        self.screen_layout_refresh_signal.subscribe(self, self._layout_refreshed)
        # The app's very first layout publishes no signal: look after it too.
        self.call_after_refresh(self._layout_refreshed)

    def hold_keys(self, release: Callable[[], Awaitable[None]]) -> bool:
        """Keys wait (in the key interception) until the canvas has a size: the field they may
        open is placed in it."""
        if self._laid_out:
            return False
        self._release_keys = release
        return True

    def _layout_refreshed(self, _screen: object = None) -> None:
        views = self.query(CanvasView)
        if not views or not views.first().size.area:  # not laid out, or being taken down
            return
        view = views.first()
        if not self._laid_out:
            self._laid_out = True
            release, self._release_keys = self._release_keys, None
            if release is not None:
                self.app.call_later(release)
        sizes = (self.size, view.size, view.region)
        if self.overlay.mode is not None and sizes != self._field_size:
            self._field_size = sizes
            view.on_resize()  # the view's own Resize may come after this: it is the same
            self.overlay.follow()

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
        def place() -> Place:
            return Region(0, 0, self.size.width, 1), None, 0  # over the title bar

        await self._open("title", self.session.canvas.title, place, "Canvas title")

    async def action_search(self) -> None:
        def place() -> Place:
            return Region(0, self.size.height - 2, self.size.width, 1), None, 0  # status line

        placeholder = "Search: words, #tag, is:validated — enter jumps, escape clears"
        await self._open("search", self.session.query, place, placeholder)

    async def _open_item_field(self, pos: Pos, text: str, *, new: bool) -> None:
        """Open the field over the item at `pos` (or where a new item goes there)."""
        self._editing = (pos, new)

        def place() -> Place:
            return item_place(self.view, pos, self.session.canvas.items(pos.block), new=new)

        placeholder = "New item — enter adds, escape cancels" if new else ""
        await self._open("item", text, place, placeholder)

    async def _open(
        self, mode: FieldMode, text: str, place: Callable[[], Place], placeholder: str
    ) -> None:
        self._field_size = (self.size, self.view.size, self.view.region)
        await self.overlay.open(mode, text, place, placeholder)

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
