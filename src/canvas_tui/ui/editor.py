"""The canvas editor: nine blocks on the classic canvas, driven from the keyboard.

The screen is a thin layer: each action calls `Session` (pure state and operations), then
redraws the blocks from the session and hands the canvas to the autosaver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.events import Key, Paste
from textual.geometry import Region
from textual.screen import Screen

from canvas_tui.model import Canvas, Pos
from canvas_tui.safetext import visible
from canvas_tui.session import Change, Session
from canvas_tui.store import Loaded
from canvas_tui.store.autosave import SaveReport
from canvas_tui.store.lock import CanvasLock
from canvas_tui.template import BLOCKS, Direction
from canvas_tui.ui.canvasview import BlockClicked, CanvasView
from canvas_tui.ui.keyorder import action_for, binding_actions, field_key
from canvas_tui.ui.keys import EDITING_ACTIONS, EDITOR_KEYS, bindings
from canvas_tui.ui.saving import FileSync
from canvas_tui.ui.widgets import KeyBar, LineInput, StatusBar, TitleBar

if TYPE_CHECKING:
    from typing import Literal

    FieldMode = Literal["item", "title", "search"]


FOOTER_NAMES = {"enter": "⏎", "slash": "/", "question_mark": "?"}
EDITOR_ACTIONS = binding_actions(bindings(EDITOR_KEYS))


class EditorScreen(Screen[None]):
    BINDINGS = bindings(EDITOR_KEYS)
    AUTO_FOCUS = None  # redraw() focuses the canvas

    def __init__(
        self,
        loaded: Loaded,
        *,
        name: str,
        read_only: bool = False,
        lock: CanvasLock | None = None,
    ) -> None:
        super().__init__(id="editor")
        self.canvas_lock = lock
        self.loaded = loaded
        self.canvas_name = name
        self.read_only = read_only or not loaded.writable
        self.session = Session(loaded.canvas)
        self.sync = FileSync(self, loaded, read_only=self.read_only)
        self._editing: tuple[Pos, bool] | None = None  # (where, new item?)
        self._field: LineInput | None = None  # the text field, while it is open
        self._mode: FieldMode | None = None  # what the open field edits
        self._zoomed = False
        self._update_title()  # before mounting: the header is drawn once, with it

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield CanvasView(id="canvas")
        # One text field, for items, the title and search alike, laid over the screen
        # where it is needed (see _open_field).
        yield LineInput(id="field", compact=True, select_on_focus=False)
        yield StatusBar()
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_title(self.title or "", self.sub_title or "")
        self.call_after_refresh(self.sync.start)  # after the first screen is drawn
        if self.read_only:
            reason = "" if self.loaded.writable else " (written by a newer canvas-tui)"
            self.status.set_save(f"read-only{reason}: the file is never written", "bold")
        elif not self.loaded.exists:
            self.status.set_save("new canvas: saved at the first change", "dim")
        else:
            self.status.set_save("all changes saved", "dim")
        self.redraw()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def _update_title(self) -> None:
        title = visible(self.session.canvas.title) or self.canvas_name
        sub_title = f"{self.canvas_name}{' · read-only' if self.read_only else ''}"
        if (title, sub_title) != (self.title, self.sub_title):
            self.title, self.sub_title = title, sub_title
            if self.is_mounted:
                self.query_one(TitleBar).set_title(title, sub_title)

    # -- drawing ---------------------------------------------------------------------------

    @property
    def view(self) -> CanvasView:
        return self.query_one(CanvasView)

    def redraw(self) -> None:
        """Bring the canvas, the status line and the focus in line with the session."""
        session = self.session
        matches = self._matches()
        self.view.show(
            list(session.canvas.blocks),
            [session.cursor_in(block) for block in range(len(BLOCKS))],
            [matches.get(block, frozenset()) for block in range(len(BLOCKS))],
            session.block,
            zoomed=self._zoomed,
        )
        self.status.set_mode(self._mode_text())
        self.query_one(KeyBar).show_keys(self._footer_keys())
        if self._field is None and not self.view.has_focus:
            self._focus_canvas()

    def _footer_keys(self) -> list[tuple[str, str, str, bool]]:
        """The keys that apply now: (key, label, action, enabled)."""
        if self._field is not None:
            verb = {"item": "Save", "title": "Save title", "search": "Search"}[self._mode or "item"]
            return [("⏎", verb, "", True), ("esc", "Cancel", "", True)]
        return [
            (FOOTER_NAMES.get(first, first), key.short or key.description, key.action,
             self._action_enabled(key.action))
            for key in EDITOR_KEYS
            if key.footer
            for first in [key.keys.split(",")[0]]
        ]  # fmt: skip

    def _matches(self) -> dict[int, frozenset[int]]:
        by_block: dict[int, set[int]] = {}
        for pos in self.session.matches:
            by_block.setdefault(pos.block, set()).add(pos.item)
        return {block: frozenset(items) for block, items in by_block.items()}

    def _mode_text(self) -> str:
        parts = []
        if self.session.query:
            parts.append(f"/{visible(self.session.query)}  {self.session.search_status}")
        if self._zoomed:
            parts.append("zoom (z returns)")
        return "   ".join(parts)

    def _open_field(self, mode: FieldMode, value: str, where: Region, placeholder: str) -> None:
        field = self.query_one("#field", LineInput)
        field.styles.offset = (where.x, where.y)
        field.styles.width = where.width
        field.placeholder = placeholder
        field.value = value
        field.cursor_position = len(value)
        field.display = True
        field.focus()
        self._field, self._mode = field, mode
        self.query_one(KeyBar).show_keys(self._footer_keys())

    async def key_now(self, event: Key | Paste) -> bool:
        """Handle a key (or paste) as it arrives, in order; True if taken (see keyorder)."""
        field = self._field
        if field is not None:
            if not field.display:
                self._field = None
                return False
            return await field_key(
                field,
                event,
                submit=lambda: self._close_field(field, commit=True),
                cancel=lambda: self._close_field(field, commit=False),
            )
        if isinstance(event, Paste):
            return False
        action = action_for(event, EDITOR_ACTIONS)
        if action is None:
            return False
        if self._action_enabled(action):
            await self.run_action(action)
        return True

    def _action_enabled(self, action: str) -> bool:
        name = action.split("(", 1)[0].removeprefix("app.")
        return bool(self.check_action(name, ()))

    # -- actions: moving around ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in EDITING_ACTIONS:
            return None  # shown greyed out in the footer
        return True

    def action_neighbour(self, direction: Direction) -> None:
        self.session.focus_neighbour(direction)
        self.redraw()

    def action_step(self, delta: int) -> None:
        self.session.step(delta)
        self.redraw()

    def action_next_block(self, delta: int) -> None:
        self.session.focus_next(delta)
        self.redraw()

    def action_jump(self, block: int) -> None:
        self.session.focus(block)
        self.redraw()

    def action_first(self) -> None:
        self.session.first()
        self.redraw()

    def action_last(self) -> None:
        self.session.last()
        self.redraw()

    @on(BlockClicked)
    def _block_clicked(self, message: BlockClicked) -> None:
        if message.item is None:
            self.session.focus(message.block)
        else:
            self.session.place(Pos(message.block, message.item))
        self.redraw()

    def _focus_canvas(self) -> None:
        # Always ask: an earlier focus() of a field may still be queued, and must not win.
        self.view.focus(scroll_visible=False)

    # -- actions: changing -----------------------------------------------------------------

    def _changed(self, change: Change | None) -> None:
        if change is None:
            return
        if change.title:
            self._update_title()
        if change.blocks or change.title:
            self.sync.changed()
        self.redraw()

    def action_add(self) -> None:
        self._open_item_editor(self.session.add_position(), "", new=True)

    def action_insert(self, below: bool) -> None:
        self._open_item_editor(self.session.insert_position(below=below), "", new=True)

    def action_edit(self) -> None:
        text = self.session.current_text
        if text is None:
            self.action_add()
        else:
            self._open_item_editor(self.session.cursor, text, new=False)

    def action_delete(self) -> None:
        self._changed(self.session.delete())

    def action_move(self, delta: int) -> None:
        self._changed(self.session.move(delta))

    def action_move_beside(self, direction: Direction) -> None:
        self._changed(self.session.move_to_neighbour(direction))

    def action_move_mode(self) -> None:
        if not self.session.has_item:
            self.notify("Nothing to move: this block is empty.", severity="warning")
            return

        def moved(block: int | None) -> None:
            if block is not None:
                self._changed(self.session.move_to(block))

        from canvas_tui.ui.dialogs import MoveScreen

        self.app.push_screen(MoveScreen(self.session.block), moved)

    def action_copy(self) -> None:
        if self.session.copy() is not None:
            self.notify("Copied the item: p pastes it below the cursor.", timeout=2)

    def action_paste(self) -> None:
        if self.session.clipboard is None:
            self.notify("Nothing to paste: y copies an item.", severity="warning", timeout=2)
            return
        self._changed(self.session.paste())

    def action_undo(self) -> None:
        change = self.session.undo()
        if change is None:
            self.notify("Nothing to undo.", timeout=2)
        self._changed(change)

    def action_redo(self) -> None:
        change = self.session.redo()
        if change is None:
            self.notify("Nothing to redo.", timeout=2)
        self._changed(change)

    def action_edit_title(self) -> None:
        where = Region(0, 0, self.size.width, 1)  # over the header
        self._open_field("title", self.session.canvas.title, where, "Canvas title")

    # -- the item editor -------------------------------------------------------------------

    def _open_item_editor(self, pos: Pos, text: str, *, new: bool) -> None:
        self._editing = (pos, new)
        view = self.view
        region = view.block_region(pos.block) or Region(0, 0, view.size.width, 3)
        row = None if new else view.item_row(pos.block, pos.item)
        if row is None:  # a new item is typed on the block's last line
            row = region.bottom - 2
        where = Region(view.region.x + region.x + 1, view.region.y + row, region.width - 2, 1)
        placeholder = "New item — enter adds, escape cancels" if new else ""
        self._open_field("item", text, where, placeholder)

    def commit_pending_edit(self) -> None:
        """Commit a text field that is open (quit, hang-up): nothing typed is lost."""
        if self._field is not None and self._mode in ("item", "title"):
            self._close_field(self._field, commit=True)

    def _close_field(self, field: LineInput, *, commit: bool) -> None:
        mode, editing = self._mode, self._editing
        self._field, self._mode, self._editing = None, None, None
        field.display = False
        if mode == "item" and editing is not None and commit:
            pos, new = editing
            self._changed(self.session.commit(pos, field.value, new=new))
        elif mode == "title" and commit:
            self._changed(self.session.retitle(field.value))
        elif mode == "search":
            if commit:
                found = self.session.search(field.value)
                if field.value and not found:
                    self.notify("No match.", severity="warning", timeout=2)
            else:
                self.session.clear_search()
        self.redraw()
        self._focus_canvas()

    @on(LineInput.Blurred)
    def _blurred(self, event: LineInput.Blurred) -> None:
        # Clicking elsewhere commits what was typed rather than throwing it away.
        if self._field is not None and self.app.screen is self and self._mode != "search":
            self._close_field(self._field, commit=True)

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        where = Region(0, self.size.height - 2, self.size.width, 1)  # over the status line
        self._open_field("search", self.session.query, where, "Search all blocks")

    @on(LineInput.Changed, "#field")
    def _field_changed(self, event: LineInput.Changed) -> None:
        if self._mode == "search":
            self.session.preview_search(event.value)
            self.redraw()

    def action_search_next(self, delta: int) -> None:
        if not self.session.query:
            self.notify("No search yet: / searches every block.", timeout=2)
            return
        if not self.session.search_next(delta):
            self.notify("No match.", severity="warning", timeout=2)
        self.redraw()

    # -- views -----------------------------------------------------------------------------

    def action_zoom(self) -> None:
        self._zoomed = not self._zoomed
        self.redraw()

    def action_help(self) -> None:
        from canvas_tui.ui.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(BLOCKS[self.session.block], read_only=self.read_only))

    def action_back(self) -> None:
        if self.session.clear_search():
            self.redraw()
        elif self._zoomed:
            self.action_zoom()
        else:
            self.app.action_browse()  # type: ignore[attr-defined]

    # -- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        self.sync.save_now()

    def apply_external(self, canvas: Canvas) -> None:
        """Show a canvas that came from disk (a reload); it is not saved back."""
        self.session.replace_canvas(canvas)
        self._update_title()
        self.redraw()

    def finish(self) -> SaveReport | None:
        """Commit open fields and write what is pending, now (quit, hang-up, terminate)."""
        self.commit_pending_edit()
        return self.sync.finish()

    def on_unmount(self) -> None:
        self.sync.close()
        if self.canvas_lock is not None:
            self.canvas_lock.release()
