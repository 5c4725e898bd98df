"""The canvas editor: nine blocks on the classic canvas, driven from the keyboard.

The screen is a thin layer: each action calls `Session` (pure state and operations), then
redraws the blocks from the session and hands the canvas to the autosaver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.events import Key, Paste
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input

from canvas_tui.model import Canvas, Pos
from canvas_tui.safetext import visible
from canvas_tui.session import Change, Session
from canvas_tui.store import Loaded
from canvas_tui.store.autosave import SaveReport
from canvas_tui.store.lock import CanvasLock
from canvas_tui.template import BLOCKS, Direction
from canvas_tui.ui.blockview import BlockClicked, BlockPanel, ItemInput
from canvas_tui.ui.dialogs import HelpScreen, MoveScreen
from canvas_tui.ui.keys import EDITING_ACTIONS, EDITOR_KEYS, bindings
from canvas_tui.ui.saving import FileSync
from canvas_tui.ui.widgets import BlockStrip, LineInput, StatusBar

if TYPE_CHECKING:
    from textual.events import Resize

NARROW = 100  # below this width, one block at a time (DESIGN: The canvas)
GRID_ORDER = sorted(BLOCKS, key=lambda spec: (spec.place.row, spec.place.column))


# Editing keys of Textual's Input, run on the open field in order (see field_input).
FIELD_ACTIONS: dict[str, str] = {
    key.strip(): binding.action
    for binding in Input.BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
}
PASS_THROUGH_KEYS = frozenset({"ctrl+q"})  # quitting still works (it commits the field)
EDITOR_ACTIONS: dict[str, str] = {
    name.strip(): key.action for key in EDITOR_KEYS for name in key.keys.split(",")
}


def _type_into(field: Input, text: str) -> None:
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(text)
    else:
        field.replace(text, *selection)


class KeySink(Widget, can_focus=True):
    """An empty widget that holds the keyboard focus while no text field is open.

    Keys bubble from it to the screen's bindings. Focus lives here, not on the grid of
    blocks, because a focus change restyles the focused widget and all it contains.
    """

    DEFAULT_CSS = "KeySink { width: 0; height: 0; }"


class EditorScreen(Screen[None]):
    BINDINGS = bindings(EDITOR_KEYS)
    AUTO_FOCUS = None  # redraw() focuses the current block

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
        self.panels = {spec.index: BlockPanel(spec) for spec in BLOCKS}
        self.sync = FileSync(self, loaded, read_only=self.read_only)
        self._editing: tuple[Pos, bool] | None = None  # (where, new item?)
        self._field: LineInput | None = None  # the open text field, if any
        self._zoomed = False

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield LineInput(id="title-input", compact=True, placeholder="Canvas title")
        yield BlockStrip()
        yield KeySink(id="keys")
        with Container(id="canvas"):
            for spec in GRID_ORDER:
                yield self.panels[spec.index]
        yield LineInput(id="search-input", compact=True, placeholder="Search all blocks")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.sync.start()
        self._update_title()
        if self.read_only:
            reason = "" if self.loaded.writable else " (written by a newer canvas-tui)"
            self.status.set_save(f"read-only{reason}: the file is never written", "bold")
        elif not self.loaded.exists:
            self.status.set_save("new canvas: saved at the first change", "dim")
        else:
            self.status.set_save("all changes saved", "dim")
        self._update_layout(self.app.size.width)
        self.redraw()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def _update_title(self) -> None:
        self.title = visible(self.session.canvas.title) or self.canvas_name
        mode = " · read-only" if self.read_only else ""
        self.sub_title = f"{self.canvas_name}{mode}"

    # -- layout ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._update_layout(event.size.width)

    def _update_layout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.query_one("#canvas").set_class(self._zoomed, "-zoomed")

    def redraw(self) -> None:
        """Bring every block, the strip and the focus in line with the session."""
        session = self.session
        matches = self._matches()
        for index, panel in self.panels.items():
            items = session.canvas.blocks[index]
            panel.set_count(len(items))
            current = index == session.block
            panel.set_class(current, "-current")
            panel.view.show(
                items,
                session.cursor_in(index),
                matches.get(index, frozenset()),
                active=current,
            )
        self.query_one(BlockStrip).update_strip(
            session.block, [len(items) for items in session.canvas.blocks]
        )
        self.status.set_mode(self._mode_text())
        if self._field is None:
            self._focus_canvas()

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

    def _open_field(self, field: LineInput, value: str) -> None:
        field.value = value
        field.cursor_position = len(value)
        field.display = True
        field.focus()
        self._field = field

    async def key_now(self, event: Key | Paste) -> bool:
        """Handle a key (or paste) as it arrives, before Textual routes it; True if taken.

        Textual hands keys to the focused widget as they arrive but runs bindings only
        after each key has travelled back up, and moves focus after the keys already
        queued. In a burst ("a", text, enter, "a", more text: a fast typist, a paste, a
        laggy SSH link) letters would then run as commands or land in the wrong field.
        Handling the editor's keys here, one after the other, keeps them in order.
        """
        if self._field is not None:
            return await self.field_input(event)
        if isinstance(event, Paste):
            return False
        for name in event.aliases:
            action = EDITOR_ACTIONS.get(name)
            if action is not None:
                if self._action_enabled(action):
                    await self.run_action(action)
                return True
        return False

    def _action_enabled(self, action: str) -> bool:
        name = action.split("(", 1)[0].removeprefix("app.")
        return bool(self.check_action(name, ()))

    async def field_input(self, event: Key | Paste) -> bool:
        """Handle a key or paste for the open text field; True if taken (see key_now)."""
        field = self._field
        if field is None or not field.display:
            self._field = None
            return False
        if isinstance(event, Paste):
            lines = event.text.splitlines()
            if lines:
                _type_into(field, lines[0])
            return True
        if event.key == "enter":
            self._close_field(field, commit=True)
        elif event.key == "escape":
            self._close_field(field, commit=False)
        elif event.is_printable and event.character is not None:
            _type_into(field, event.character)
        elif event.key in FIELD_ACTIONS:
            await field.run_action(FIELD_ACTIONS[event.key])
        else:
            return event.key in PASS_THROUGH_KEYS  # other keys do nothing while typing
        return True

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
        self.query_one(KeySink).focus(scroll_visible=False)

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
        self._open_field(self.query_one("#title-input", LineInput), self.session.canvas.title)

    # -- the item editor -------------------------------------------------------------------

    def _open_item_editor(self, pos: Pos, text: str, *, new: bool) -> None:
        self._editing = (pos, new)
        panel = self.panels[pos.block]
        panel.editor.placeholder = "New item — enter adds, escape cancels" if new else ""
        self._open_field(panel.editor, text)

    def commit_pending_edit(self) -> None:
        """Commit a text field that is open (quit, hang-up): nothing typed is lost."""
        if self._editing is not None:
            pos, _new = self._editing
            self._finish_item_edit(self.panels[pos.block].editor, commit=True)
        title = self.query_one("#title-input", LineInput)
        if title.display:
            self._finish_title_edit(title, commit=True)

    def _finish_item_edit(self, field: ItemInput, *, commit: bool) -> None:
        self._field = None
        editing, self._editing = self._editing, None
        field.display = False
        if editing is not None and commit:
            pos, new = editing
            self._changed(self.session.commit(pos, field.value, new=new))
        else:
            self.redraw()
        self._focus_canvas()

    def _finish_title_edit(self, field: LineInput, *, commit: bool) -> None:
        self._field = None
        field.display = False
        if commit:
            self._changed(self.session.retitle(field.value))
        self.redraw()
        self._focus_canvas()

    def _close_field(self, field: LineInput, *, commit: bool) -> None:
        if isinstance(field, ItemInput):
            self._finish_item_edit(field, commit=commit)
        elif field.id == "title-input":
            self._finish_title_edit(field, commit=commit)
        elif field.id == "search-input":
            if not commit:
                self.session.clear_search()
            self._finish_search(field, jump=commit)

    @on(LineInput.Submitted)
    def _submitted(self, event: LineInput.Submitted) -> None:
        event.stop()
        self._close_field(event.input, commit=True)  # type: ignore[arg-type]

    @on(LineInput.Cancelled)
    def _cancelled(self, event: LineInput.Cancelled) -> None:
        event.stop()
        self._close_field(event.input, commit=False)

    @on(LineInput.Blurred)
    def _blurred(self, event: LineInput.Blurred) -> None:
        # Clicking elsewhere commits what was typed rather than throwing it away.
        field = event.input
        if not field.display or self.app.screen is not self:
            return
        if isinstance(field, ItemInput) and self._editing is not None:
            self._finish_item_edit(field, commit=True)
        elif field.id == "title-input":
            self._finish_title_edit(field, commit=True)  # type: ignore[arg-type]

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        self._open_field(self.query_one("#search-input", LineInput), self.session.query)

    @on(LineInput.Changed, "#search-input")
    def _search_typed(self, event: LineInput.Changed) -> None:
        self.session.preview_search(event.value)
        self.redraw()

    def _finish_search(self, field: LineInput, *, jump: bool) -> None:
        self._field = None
        field.display = False
        if jump:
            found = self.session.search(field.value)
            if field.value and not found:
                self.notify("No match.", severity="warning", timeout=2)
        self.redraw()
        self._focus_canvas()

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
        self._update_layout(self.app.size.width)
        self.redraw()

    def action_help(self) -> None:
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
