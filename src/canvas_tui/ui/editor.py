"""The canvas editor: the blocks of a canvas's template, driven from the keyboard.

The screen is a thin layer: each action calls `Session` (pure state and operations), then
redraws the blocks from the session and tells `FileSync` the new state, which saves it.
Keys arrive through the key interception (`ui/keyorder.py`): the bindings below are priority
bindings made from the action table (`canvas_tui.actions`), and while the text field is open
`take_key` hands each key to it (the text field is `ui/textfield/`, used through `TextField`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.events import Key, Paste
from textual.screen import Screen
from textual.widget import MountError

from canvas_tui.actions import EDITOR_ACTIONS, Action, Keymap
from canvas_tui.canvasfile import unknown_blocks
from canvas_tui.model import Canvas, Pos, pasted_lines
from canvas_tui.render.blocklayout import READ_ONLY_HINT
from canvas_tui.render.editorframe import bar_keys, save_state, titles
from canvas_tui.safetext import visible
from canvas_tui.session import Effect, Session
from canvas_tui.store.autosave import DEFAULT_TIMINGS, SaveReport, Timings
from canvas_tui.store.files import Loaded
from canvas_tui.store.lock import CanvasLock
from canvas_tui.template import Direction, Templates, templates_for_canvas
from canvas_tui.ui.bindings import priority_bindings
from canvas_tui.ui.canvasview import BlockClicked, CanvasView
from canvas_tui.ui.editorasks import ask_block, ask_note, ask_tags, ask_version, show_help
from canvas_tui.ui.filesync import FileSync
from canvas_tui.ui.readonly import RefusedKeys
from canvas_tui.ui.textfield import TextField
from canvas_tui.ui.widgets import KeyBar, StatusBar, TitleBar

if TYPE_CHECKING:
    from textual.widgets import TextArea  # loaded with the field, after the first screen

EDITING_ACTIONS = frozenset(action.name for action in EDITOR_ACTIONS if action.edits)


class EditorScreen(Screen[None]):
    BINDINGS = priority_bindings(EDITOR_ACTIONS)
    AUTO_FOCUS = None  # redraw() focuses the canvas

    def __init__(
        self,
        loaded: Loaded,
        *,
        name: str,
        keymap: Keymap,
        templates: Templates,
        read_only: bool = False,
        lock: CanvasLock | None = None,
        leave: Callable[[], object] | None = None,
        snapshots: Path | None = None,
        timings: Timings = DEFAULT_TIMINGS,
    ) -> None:
        """`leave` goes back to the canvas browser (escape); it is called at once, so keys
        typed after escape reach the browser."""
        super().__init__()
        self.leave = leave
        self.snapshots = snapshots  # the folder of this canvas's snapshots
        # The templates that travel with the canvas (templates/ beside canvases/) win.
        self.templates = templates_for_canvas(templates, loaded.path)
        self.loaded = loaded
        self.template = loaded.template
        self.canvas_name = name
        self.keymap = keymap
        self.read_only = read_only or not loaded.writable
        self.session = Session(loaded.canvas, loaded.template)
        self._status = StatusBar()  # FileSync shows what saving does on it
        self.sync = FileSync(
            loaded,
            self.templates,
            read_only=self.read_only,
            show_status=self.status.set_save,
            lock=lock,
            snapshots=snapshots,
            timings=timings,
        )
        self.field = TextField(self, self.session, changed=self._changed, redraw=self.redraw)
        self._zoomed = False
        self.closed = False
        self.refused = RefusedKeys(keymap.actions, "Read-only: this canvas cannot be changed here.")
        self._update_title()  # before mounting: the header is drawn once, with it

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield CanvasView(self.template, id="canvas")
        yield self.status
        yield KeyBar(id="keys")
        yield self.sync

    def on_mount(self) -> None:
        self.query_one(TitleBar).set_title(self.title or "", self.sub_title or "")
        self.call_after_refresh(self._after_first_screen)
        if self.read_only:
            self.view.empty_hint = READ_ONLY_HINT  # "a adds an item" would not be true
        reason = self.loaded.read_only_reason if self.read_only else ""
        self.status.set_save(
            *save_state(read_only=self.read_only, reason=reason, exists=self.loaded.exists)
        )
        self.redraw()
        self.field.screen_mounted()

    def _tell_unknown_blocks(self) -> None:
        """Items under block keys the template does not have (a renamed block, another
        template's file) are kept in the file by every save; say so, since no block shows
        them. A file in canvas-tui's own form has none."""
        if self.loaded.canonical or not self.loaded.text:
            return
        unknown = unknown_blocks(self.loaded.text, self.template.keys)
        if unknown:
            listed = ", ".join(f"{visible(key)} ({count})" for key, count in unknown.items())
            self.notify(
                f"Kept in the file but not shown (no such block in"
                f" {visible(self.template.title)}): {listed}",
                severity="warning",
                timeout=10,
            )

    async def _after_first_screen(self) -> None:
        self.sync.start()
        self._tell_unknown_blocks()  # after the first frame, which the pre-paint foretold
        with contextlib.suppress(MountError):  # the app was quit before the first screen
            await self.field.ensure()

    @property
    def view(self) -> CanvasView:
        return self.query_one(CanvasView)

    @property
    def status(self) -> StatusBar:
        return self._status

    def _update_title(self) -> None:
        title, sub_title = titles(
            self.session.canvas.title, self.canvas_name, self.template, self.read_only
        )
        if (title, sub_title) != (self.title, self.sub_title):
            self.title, self.sub_title = title, sub_title
            if self.is_mounted:
                self.query_one(TitleBar).set_title(title, sub_title)

    # -- drawing ---------------------------------------------------------------------------

    def redraw(self) -> None:
        """Bring the canvas, the status line and the key bar in line with the session."""
        session = self.session
        count = len(self.template.blocks)
        matches: list[set[int]] = [set() for _ in range(count)]
        for pos in session.matches:
            matches[pos.block].add(pos.item)
        shown: list[list[int] | None] = [
            session.visible_items(block) if session.filtering else None for block in range(count)
        ]
        self.view.show(
            list(session.canvas.blocks),
            [session.cursor_in(block) for block in range(count)],
            [frozenset(block_matches) for block_matches in matches],
            session.block,
            zoomed=self._zoomed,
            shown=shown,
        )
        self.status.set_mode(self._mode_text())
        self.query_one(KeyBar).show_keys(self._bar_keys())
        if self.field.mode is None and self.focused is not self.view:
            self.set_focus(self.view, scroll_visible=False)

    def _bar_keys(self) -> list[tuple[str, str, str, bool]]:
        """The keys that apply now: (key, label, action, enabled)."""
        mode = self.field.mode
        if mode is not None:
            verb = {"item": "Save", "title": "Save title", "search": "Search"}[mode]
            return [("⏎", verb, "field_submit", True), ("esc", "Cancel", "field_cancel", True)]
        return bar_keys(self.keymap, self.read_only)

    def enabled(self, action: Action) -> bool:
        return not (self.read_only and action.edits)

    def _mode_text(self) -> str:
        session = self.session
        parts = []
        if session.query:
            shown = f"  {session.search_status}"
            filtered = "  filter on (F shows all)" if session.filtering else ""
            parts.append(f"/{visible(session.query)}{shown}{filtered}")
        if self._zoomed:
            parts.append("zoom (z returns)")
        return "   ".join(parts)

    # -- actions: moving around ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in EDITING_ACTIONS:
            return None  # shown greyed out in the key bar
        return True

    def on_key(self, event: Key) -> None:
        # A key whose binding check_action turned off comes here: say why, once.
        if self.read_only and self.refused.refuse(event, self):
            event.stop()

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
        if block < len(self.template.blocks):
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
        if self.field.mode is not None:
            self.field.close(commit=self.field.mode != "search")
        if message.item is None:
            self.session.focus(message.block)
        else:
            self.session.place(Pos(message.block, message.item))
        self.redraw()

    # -- the text field ----------------------------------------------------------------------

    async def action_add(self) -> None:
        await self.field.open_item(self.session.add_position(), "", new=True)

    async def action_insert(self, below: bool) -> None:
        await self.field.open_item(self.session.insert_position(below=below), "", new=True)

    async def action_edit(self) -> None:
        text = self.session.current_text
        if text is None:
            await self.action_add()
        else:
            await self.field.open_item(self.session.cursor, text, new=False)

    async def action_edit_title(self) -> None:
        await self.field.open_title()

    async def action_search(self) -> None:
        await self.field.open_search()

    def action_field_submit(self) -> None:
        self.field.close(commit=True)

    def action_field_cancel(self) -> None:
        self.field.close(commit=False)

    def hold_keys(self, release: Callable[[], Awaitable[None]]) -> bool:
        return self.field.hold_keys(release)

    async def take_key(self, event: Key | Paste) -> bool:
        """A key or a paste goes to the text field if it is open; a paste on the canvas
        adds its lines as items."""
        if await self.field.take(event):
            return True
        if isinstance(event, Paste) and not self.read_only:
            self._changed(self.session.paste_lines(pasted_lines(event.text)))
            return True
        return False

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.field.text_changed(event.text_area.text)  # the field is the only text area

    # -- actions: changing -----------------------------------------------------------------

    def _changed(self, effect: Effect | None) -> None:
        if effect is None:
            return
        if effect.title:
            self._update_title()
        if effect.blocks or effect.title:
            self.sync.changed(self.session.version, self.session.canvas)
        self.redraw()

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

        session = self.session
        ask_block(self, self.template, session.block, lambda to: self._changed(session.move_to(to)))

    def action_copy(self) -> None:
        if self.session.copy() is not None:
            self.notify("Copied the item: p pastes it below the cursor.", timeout=2)

    def action_paste(self) -> None:
        if not self.session.clipboard:
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

    def action_status(self, delta: int) -> None:
        if not self.session.has_item:
            self.notify("No item here: a adds one.", timeout=2)
            return
        self._changed(self.session.cycle_status(delta))

    def action_tags(self) -> None:
        item = self.session.current_item
        if item is None:
            self.notify("No item here: a adds one.", timeout=2)
            return

        ask_tags(self, item, lambda tags: self._changed(self.session.set_tags(tags)))

    def action_note(self) -> None:
        item = self.session.current_item
        if item is None:
            self.notify("No item here: a adds one.", timeout=2)
            return
        pos = self.session.cursor

        def noted(note: str) -> None:
            if self.session.canvas.has_item(pos):
                self.session.place(pos)
                self._changed(self.session.set_note(note))

        ask_note(self, item, noted)

    # -- search, filter, views -------------------------------------------------------------

    def action_search_next(self, delta: int) -> None:
        if not self.session.query:
            self.notify("No search yet: / searches every block.", timeout=2)
            return
        if not self.session.search_next(delta):
            self.notify("No match.", severity="warning", timeout=2)
        self.redraw()

    def action_filter(self) -> None:
        if not self.session.query:
            self.notify("Search first (/): F then shows only the matching items.", timeout=3)
            return
        self.session.toggle_filter()
        self.redraw()

    def action_zoom(self) -> None:
        self._zoomed = not self._zoomed
        self.redraw()

    def action_help(self) -> None:
        spec = self.template.blocks[self.session.block]
        show_help(self, self.keymap, self.template, spec, read_only=self.read_only)

    def action_history(self) -> None:
        def restored(version: Canvas) -> None:
            self._changed(self.session.replace_canvas(version))
            self.notify("Restored that version (u undoes).", timeout=4)

        ask_version(
            self,
            self.loaded,
            self.session.canvas,
            self.templates,
            self.snapshots,
            read_only=self.read_only,
            then=restored,
        )

    def action_back(self) -> None:
        if self.session.clear_search():
            self.redraw()
        elif self._zoomed:
            self.action_zoom()
        elif self.leave is not None:
            self.leave()

    # -- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        self.sync.save_now()

    @on(FileSync.Reload)
    def _reload(self, message: FileSync.Reload) -> None:
        theirs = message.loaded
        if theirs.template.keys != self.template.keys:
            # Another template now (someone changed the file's `template`): its blocks are
            # not this editor's. Stop writing, so neither side is lost, and say what to do.
            self.sync.close(release_lock=False)  # still this editor's: it shows the canvas
            self.read_only = True
            self.status.set_save("⚠ the file on disk is now another kind of canvas", "reverse")
            self.notify(
                f"{theirs.path.name} is now a {theirs.template.title} canvas. Nothing was"
                " overwritten; this editor no longer saves. Open the canvas again to see it.",
                title="Changed on disk",
                severity="warning",
                timeout=15,
                markup=False,
            )
            self.redraw()
            return
        self.session.replace_canvas(theirs.canvas)  # undoable: u brings back mine
        self.sync.took(theirs, self.session.version)
        self._update_title()
        self.redraw()
        self.notify(message.note, timeout=4, markup=False)

    def finish(self) -> SaveReport | None:
        """Commit open fields and write what is pending, now (quit, hang-up, terminate);
        a session that changed the canvas leaves a snapshot of it."""
        self.field.commit_pending()
        return self.sync.finish()

    def release_lock(self) -> None:
        self.sync.release_lock()

    def close(self) -> None:
        """Stop saving and watching and free the canvas: this editor is done with it."""
        self.closed = True
        self.sync.close()

    def on_unmount(self) -> None:
        self.close()
