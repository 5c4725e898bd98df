"""The editor's text field as the editor uses it: the field opened over an item (to add or
edit one), the title or the search; the keys it takes while open; keys that wait for the
canvas's first layout (the field is placed in it); and what a closed field means: enter
commits (the text becomes an item, the title, a search), escape cancels.

`EditorScreen` owns one `TextField` and uses only what is public here; where the widget goes
is `place.py`'s, how it is shown, grown and fed is `overlay.py`'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.events import Key, Paste
from textual.screen import Screen

from canvas_tui.model import Pos
from canvas_tui.session import Effect, Session
from canvas_tui.ui.canvasview import CanvasView
from canvas_tui.ui.textfield.overlay import FieldMode, FieldOverlay
from canvas_tui.ui.textfield.place import Place, item_place, search_place, title_place

SEARCH_PLACEHOLDER = "Search: words, #tag, is:validated — enter jumps, escape clears"
NEW_ITEM_PLACEHOLDER = "New item — enter adds, escape cancels"


class TextField:
    """The editor's one text field, on `screen`, editing `session`'s canvas."""

    def __init__(
        self,
        screen: Screen[Any],
        session: Session,
        *,
        changed: Callable[[Effect | None], object],
        redraw: Callable[[], object],
    ) -> None:
        """`changed` is given what a committed field changed; `redraw` brings the screen in
        line (an open field changes the key bar: it is called once the field is open)."""
        self.screen = screen
        self.session = session
        self.changed = changed
        self.redraw = redraw
        self.overlay = FieldOverlay(screen, self._closed, opened=redraw)
        self._editing: tuple[Pos, bool] | None = None  # the item being typed: (where, new?)
        self._laid_out = False  # the canvas has had a size: keys may open the field
        self._release_keys: Callable[[], Awaitable[None]] | None = None
        self._field_size: tuple[object, ...] = ()  # the sizes the open field was placed for

    @property
    def mode(self) -> FieldMode | None:
        """What the open field edits (None: it is closed)."""
        return self.overlay.mode

    def _view(self) -> CanvasView:
        return self.screen.query_one(CanvasView)

    # -- the screen's life: mounted, laid out ------------------------------------------------

    def screen_mounted(self) -> None:
        """The screen is mounted: the field may be mounted on it, and follows its layout."""
        self.overlay.screen_mounted()
        screen = self.screen
        screen.screen_layout_refresh_signal.subscribe(screen, self._layout_refreshed)
        # The app's very first layout publishes no signal: look after it too.
        screen.call_after_refresh(self._layout_refreshed)

    async def ensure(self) -> None:
        """Mount the field now (it is mounted once, on first use otherwise)."""
        await self.overlay.ensure()

    def hold_keys(self, release: Callable[[], Awaitable[None]]) -> bool:
        """Keys wait (in the key interception) until the canvas has a size: the field they
        may open is placed in it."""
        if self._laid_out:
            return False
        self._release_keys = release
        return True

    def _layout_refreshed(self, _screen: object = None) -> None:
        views = self.screen.query(CanvasView)
        if not views or not views.first().size.area:  # not laid out, or being taken down
            return
        view = views.first()
        if not self._laid_out:
            self._laid_out = True
            release, self._release_keys = self._release_keys, None
            if release is not None:
                self.screen.app.call_later(release)
        sizes = (self.screen.size, view.size, view.region)
        if self.mode is not None and sizes != self._field_size:
            self._field_size = sizes
            view.on_resize()  # the view's own Resize may come after this: it is the same
            self.overlay.follow()

    # -- opening it ------------------------------------------------------------------------

    async def open_item(self, pos: Pos, text: str, *, new: bool) -> None:
        """Open the field over the item at `pos` (or where a new item goes there)."""
        self._editing = (pos, new)

        def place() -> Place:
            items = self.session.canvas.items(pos.block)
            return item_place(self._view(), pos, items, new=new)

        await self._open("item", text, place, NEW_ITEM_PLACEHOLDER if new else "")

    async def open_title(self) -> None:
        def place() -> Place:
            return title_place(self.screen.size)

        await self._open("title", self.session.canvas.title, place, "Canvas title")

    async def open_search(self) -> None:
        def place() -> Place:
            return search_place(self.screen.size)

        await self._open("search", self.session.query, place, SEARCH_PLACEHOLDER)

    async def _open(
        self, mode: FieldMode, text: str, place: Callable[[], Place], placeholder: str
    ) -> None:
        view = self._view()
        self._field_size = (self.screen.size, view.size, view.region)
        await self.overlay.open(mode, text, place, placeholder)

    # -- while it is open -------------------------------------------------------------------

    async def take(self, event: Key | Paste) -> bool:
        """A key or a paste for the open field, now; True if taken (False: it is closed)."""
        if self.mode is None:
            return False
        return await self.overlay.take(event)

    def text_changed(self, text: str) -> None:
        """The field's text changed: follow a search as it is typed, grow an item's field."""
        if self.mode == "search":
            self.session.preview_search(text)
            self.redraw()
        else:
            self.overlay.fit()

    # -- closing it ------------------------------------------------------------------------

    def close(self, *, commit: bool) -> None:
        """Close the open field: commit what it holds (enter) or cancel it (escape)."""
        self.overlay.close(commit=commit)

    def commit_pending(self) -> None:
        """Commit an item or title being typed (quit, hang-up): nothing typed is lost."""
        if self.mode in ("item", "title"):
            self.close(commit=True)

    def _closed(self, mode: FieldMode, value: str, commit: bool) -> None:
        """The field closed: what it held becomes an item, the title or the search."""
        editing, self._editing = self._editing, None
        session = self.session
        if mode == "item" and editing is not None and commit:
            pos, new = editing
            self.changed(session.commit(pos, value, new=new))
        elif mode == "title" and commit:
            self.changed(session.retitle(value))
        elif mode == "search":
            if commit:
                self._searched(value)
            else:
                session.clear_search()
        self.screen.set_focus(self._view(), scroll_visible=False)
        self.redraw()

    def _searched(self, value: str) -> None:
        found = self.session.search(" ".join(value.split()))
        problems = self.session.query_problems
        if problems:
            self.screen.notify(
                f"Unknown status in {', '.join(problems)} (is:assumption, is:testing,"
                " is:validated, is:invalidated, is:none)",
                severity="warning",
                markup=False,
            )
        elif value.strip() and not found:
            self.screen.notify("No match.", severity="warning", timeout=2)
