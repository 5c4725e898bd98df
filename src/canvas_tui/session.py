"""The state of one editing session, without any UI: the canvas, where the cursor is in each
block, the undo history, the clipboard and the search.

The editor screen turns keys into calls on `Session` and redraws from its state, so every
behaviour of the editor's key table can be tested here without a terminal. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from canvas_tui import model
from canvas_tui.model import Canvas, Edit, History, Pos, State
from canvas_tui.template import BLOCK_COUNT, Direction


@dataclass(frozen=True, slots=True)
class Change:
    """What one action changed, so the UI redraws only that."""

    blocks: frozenset[int]
    title: bool = False


NO_CHANGE = Change(frozenset())
ALL_BLOCKS = frozenset(range(BLOCK_COUNT))


class Session:
    def __init__(self, canvas: Canvas, *, history_limit: int = 500) -> None:
        self.canvas = canvas
        self.block = 0
        self._cursors = [0] * BLOCK_COUNT
        self.history = History(limit=history_limit)
        self.clipboard: str | None = None
        self.version = 0  # bumped by every change; the autosaver saves the newest
        self.query = ""
        self.matches: tuple[Pos, ...] = ()
        self.match_index: int | None = None

    # -- where the cursor is ---------------------------------------------------------------

    @property
    def cursor(self) -> Pos:
        return Pos(self.block, self._cursors[self.block])

    def cursor_in(self, block: int) -> int:
        return self._cursors[block]

    @property
    def has_item(self) -> bool:
        return self.canvas.has_item(self.cursor)

    @property
    def current_text(self) -> str | None:
        return self.canvas.item(self.cursor) if self.has_item else None

    def place(self, pos: Pos) -> None:
        """Put the cursor at `pos` (clamped), focusing its block."""
        pos = model.clamp(self.canvas, pos)
        self.block = pos.block
        self._cursors[pos.block] = pos.item

    def focus(self, block: int) -> None:
        self.place(Pos(block, self._cursors[block]))

    def focus_next(self, delta: int) -> None:
        """Tab / shift+tab: the next or previous block in the order 1..9, wrapping."""
        self.focus((self.block + delta) % BLOCK_COUNT)

    def focus_neighbour(self, direction: Direction) -> bool:
        target = model.neighbour_block(self.block, direction)
        if target is None:
            return False
        self.focus(target)
        return True

    def step(self, delta: int) -> None:
        """Up / down: the previous or next item, crossing into the block above or below."""
        self.place(model.step(self.canvas, self.cursor, delta))

    def first(self) -> None:
        self.place(Pos(self.block, 0))

    def last(self) -> None:
        self.place(Pos(self.block, len(self.canvas.blocks[self.block]) - 1))

    # -- changes ---------------------------------------------------------------------------

    def _apply(self, edit: Edit, *, title: bool = False) -> Change:
        if edit.canvas == self.canvas:
            self.place(edit.cursor)
            return NO_CHANGE
        before = self.canvas
        self.history = self.history.record(State(before, self.cursor))
        self.canvas = edit.canvas
        self.place(edit.cursor)
        self.version += 1
        self._refresh_search()
        return Change(_changed_blocks(before, edit.canvas), title)

    def add_position(self) -> Pos:
        """Where `a` puts a new item: the end of the block."""
        return Pos(self.block, len(self.canvas.blocks[self.block]))

    def insert_position(self, *, below: bool) -> Pos:
        """Where `o` (below) and `O` (above) put a new item."""
        if not self.has_item:
            return Pos(self.block, 0)
        cursor = self.cursor
        return Pos(self.block, cursor.item + 1 if below else cursor.item)

    def commit(self, pos: Pos, text: str, *, new: bool) -> Change:
        """The text field was confirmed: insert (new) or replace the item at `pos`."""
        if not new and not self.canvas.has_item(pos):
            return NO_CHANGE
        if new and not text.strip():
            return NO_CHANGE  # nothing typed: nothing added, the cursor stays
        return self._apply(model.commit_text(self.canvas, pos, text, new=new))

    def delete(self) -> Change:
        if not self.has_item:
            return NO_CHANGE
        self.clipboard = self.current_text  # like vim: a deleted item can be pasted back
        return self._apply(model.delete_item(self.canvas, self.cursor))

    def move(self, delta: int) -> Change:
        if not self.has_item:
            return NO_CHANGE
        return self._apply(model.move_item(self.canvas, self.cursor, delta))

    def move_to(self, block: int) -> Change:
        if not self.has_item or block == self.block:
            return NO_CHANGE
        return self._apply(model.move_to_block(self.canvas, self.cursor, block))

    def move_to_neighbour(self, direction: Direction) -> Change:
        target = model.neighbour_block(self.block, direction)
        return NO_CHANGE if target is None else self.move_to(target)

    def copy(self) -> str | None:
        self.clipboard = self.current_text
        return self.clipboard

    def paste(self) -> Change:
        if self.clipboard is None:
            return NO_CHANGE
        return self._apply(model.paste_item(self.canvas, self.cursor, self.clipboard))

    def retitle(self, title: str) -> Change:
        title = title.strip()
        if not title or title == self.canvas.title:
            return NO_CHANGE
        return self._apply(Edit(model.retitle(self.canvas, title), self.cursor), title=True)

    def undo(self) -> Change | None:
        result = self.history.undo(State(self.canvas, self.cursor))
        return None if result is None else self._restore(*result)

    def redo(self) -> Change | None:
        result = self.history.redo(State(self.canvas, self.cursor))
        return None if result is None else self._restore(*result)

    def _restore(self, history: History, state: State) -> Change:
        before = self.canvas
        self.history = history
        self.canvas = state.canvas
        self.place(state.cursor)
        self.version += 1
        self._refresh_search()
        return Change(_changed_blocks(before, state.canvas), before.title != state.canvas.title)

    def replace_canvas(self, canvas: Canvas) -> Change:
        """Take a canvas reloaded from disk; undo history is kept, so reload is undoable."""
        return self._apply(Edit(canvas, self.cursor), title=canvas.title != self.canvas.title)

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str) -> int:
        """Find `query` everywhere; the cursor jumps to the first match from the cursor on."""
        self.query = query
        self.matches = model.find(self.canvas, query)
        self.match_index = None
        if self.matches:
            at_or_after = next((i for i, pos in enumerate(self.matches) if pos >= self.cursor), 0)
            self._go_to_match(at_or_after)
        return len(self.matches)

    def preview_search(self, query: str) -> None:
        """Highlight the matches of `query` as it is typed, without moving the cursor."""
        self.query = query
        self.matches = model.find(self.canvas, query)
        self.match_index = None

    def search_next(self, delta: int) -> bool:
        if not self.matches:
            return False
        index = model.next_match(self.matches, self.cursor, delta)
        if index is None:
            return False
        self._go_to_match(index)
        return True

    def clear_search(self) -> bool:
        had = bool(self.query)
        self.query, self.matches, self.match_index = "", (), None
        return had

    def _go_to_match(self, index: int) -> None:
        self.match_index = index
        self.place(self.matches[index])

    def _refresh_search(self) -> None:
        if self.query:
            self.matches = model.find(self.canvas, self.query)
            self.match_index = None

    @property
    def search_status(self) -> str:
        if not self.query:
            return ""
        if not self.matches:
            return "no match"
        current = "-" if self.match_index is None else str(self.match_index + 1)
        return f"{current}/{len(self.matches)}"


def _changed_blocks(before: Canvas, after: Canvas) -> frozenset[int]:
    return frozenset(
        block
        for block, (old, new) in enumerate(zip(before.blocks, after.blocks, strict=True))
        if old is not new and old != new
    )
