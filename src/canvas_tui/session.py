"""The state of one editing session, without any UI: the canvas, where the cursor is in each
block, the undo history, the clipboard, the search and the filter.

The editor screen turns keys into calls on `Session` and redraws from its state, so every
behaviour of the editor's key table can be tested here without a terminal. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from canvas_tui import model
from canvas_tui.model import Canvas, Edit, History, Item, Pos, Query
from canvas_tui.template import Direction, Template


@dataclass(frozen=True, slots=True)
class Effect:
    """What one action changed: the blocks, and whether the title did (the editor saves and
    retitles only when something did)."""

    blocks: frozenset[int]
    title: bool = False


NO_EFFECT = Effect(frozenset())


class Session:
    def __init__(self, canvas: Canvas, template: Template, *, history_limit: int = 500) -> None:
        self.canvas = canvas
        self.template = template
        self.block = 0
        self._cursors = [0] * len(canvas.blocks)
        self.history = History(limit=history_limit)
        self.clipboard: tuple[Item, ...] | None = None
        self.version = 0  # bumped by every change; the autosaver saves the newest
        self.query = ""
        self._parsed = Query()
        self.matches: tuple[Pos, ...] = ()
        self.match_index: int | None = None
        self.filtering = False  # F: only the matches are shown

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
    def current_item(self) -> Item | None:
        return self.canvas.item(self.cursor) if self.has_item else None

    @property
    def current_text(self) -> str | None:
        item = self.current_item
        return None if item is None else item.text

    def place(self, pos: Pos) -> None:
        """Put the cursor at `pos` (clamped), focusing its block."""
        pos = model.clamp(self.canvas, pos)
        self.block = pos.block
        self._cursors[pos.block] = pos.item

    def focus(self, block: int) -> None:
        self.place(Pos(block, self._cursors[block]))
        self._onto_visible()

    def focus_next(self, delta: int) -> None:
        """Tab / shift+tab: the next or previous block in the order 1..N, wrapping."""
        self.focus((self.block + delta) % len(self.canvas.blocks))

    def focus_neighbour(self, direction: Direction) -> bool:
        target = self.template.neighbour(self.block, direction)
        if target is None:
            return False
        self.focus(target)
        return True

    def step(self, delta: int) -> None:
        """Up / down: the previous or next item, crossing into the block above or below.
        While filtering, only the items shown count."""
        if not self.filtering:
            self.place(model.step(self.canvas, self.cursor, delta, self.template))
            return
        shown = self.visible_items(self.block)
        cursor = self.cursor.item
        later = [i for i in shown if (i > cursor if delta > 0 else i < cursor)]
        if later:
            self.place(Pos(self.block, later[0] if delta > 0 else later[-1]))
            return
        target = self.template.neighbour(self.block, "down" if delta > 0 else "up")
        if target is not None:
            there = self.visible_items(target)
            self.place(Pos(target, (there[0] if delta > 0 else there[-1]) if there else 0))

    def first(self) -> None:
        shown = self.visible_items(self.block)
        self.place(Pos(self.block, shown[0] if shown else 0))

    def last(self) -> None:
        shown = self.visible_items(self.block)
        self.place(Pos(self.block, shown[-1] if shown else 0))

    def visible_items(self, block: int) -> list[int]:
        """The indexes of the items shown in `block` (all, unless filtering)."""
        if not self.filtering:
            return list(range(len(self.canvas.blocks[block])))
        return [pos.item for pos in self.matches if pos.block == block]

    def _onto_visible(self) -> None:
        """While filtering, keep the cursor on a shown item of its block, if there is one."""
        if not self.filtering:
            return
        shown = self.visible_items(self.block)
        if shown and self.cursor.item not in shown:
            after = [i for i in shown if i > self.cursor.item]
            self._cursors[self.block] = after[0] if after else shown[-1]

    # -- changes ---------------------------------------------------------------------------

    def _apply(self, edit: Edit, *, title: bool = False) -> Effect:
        if edit.canvas == self.canvas:
            self.place(edit.cursor)
            return NO_EFFECT
        before = self.canvas
        self.history = self.history.record(Edit(before, self.cursor))
        self.canvas = edit.canvas
        self.place(edit.cursor)
        self.version += 1
        self._refresh_search()
        return Effect(_changed_blocks(before, edit.canvas), title)

    def add_position(self) -> Pos:
        """Where `a` puts a new item: the end of the block."""
        return Pos(self.block, len(self.canvas.blocks[self.block]))

    def insert_position(self, *, below: bool) -> Pos:
        """Where `o` (below) and `O` (above) put a new item."""
        if not self.has_item:
            return Pos(self.block, 0)
        cursor = self.cursor
        return Pos(self.block, cursor.item + 1 if below else cursor.item)

    def commit(self, pos: Pos, text: str, *, new: bool) -> Effect:
        """The text field was confirmed: insert (new) or replace the item at `pos`.
        Several lines (a paste) become one item each, after the first."""
        lines = text.splitlines() or [""]
        if not new and not self.canvas.has_item(pos):
            return NO_EFFECT
        if new and not any(line.strip() for line in lines):
            return NO_EFFECT  # nothing typed: nothing added, the cursor stays
        return self._apply(model.commit_lines(self.canvas, pos, lines, new=new))

    def paste_lines(self, lines: Sequence[str]) -> Effect:
        """Text pasted with no field open: one new item per non-empty line, below the cursor."""
        items = [Item(line.strip()) for line in lines if line.strip()]
        if not items:
            return NO_EFFECT
        return self._apply(model.paste_items(self.canvas, self.cursor, items))

    def delete(self) -> Effect:
        item = self.current_item
        if item is None:
            return NO_EFFECT
        self.clipboard = (item,)  # like vim: a deleted item can be pasted back
        return self._apply(model.delete_item(self.canvas, self.cursor))

    def move(self, delta: int) -> Effect:
        if not self.has_item:
            return NO_EFFECT
        if self.filtering:  # past the hidden items, to the next shown place
            shown = self.visible_items(self.block)
            cursor = self.cursor.item
            others = [i for i in shown if (i > cursor if delta > 0 else i < cursor)]
            if not others:
                return NO_EFFECT
            delta = (others[0] if delta > 0 else others[-1]) - cursor
        return self._apply(model.move_item(self.canvas, self.cursor, delta))

    def move_to(self, block: int) -> Effect:
        if not self.has_item or block == self.block:
            return NO_EFFECT
        return self._apply(model.move_to_block(self.canvas, self.cursor, block))

    def move_to_neighbour(self, direction: Direction) -> Effect:
        target = self.template.neighbour(self.block, direction)
        return NO_EFFECT if target is None else self.move_to(target)

    def copy(self) -> Item | None:
        item = self.current_item
        if item is not None:
            self.clipboard = (item,)
        return item

    def paste(self) -> Effect:
        if not self.clipboard:
            return NO_EFFECT
        return self._apply(model.paste_items(self.canvas, self.cursor, self.clipboard))

    def retitle(self, title: str) -> Effect:
        title = " ".join(title.split())
        if not title or title == self.canvas.title:
            return NO_EFFECT
        return self._apply(Edit(model.retitle(self.canvas, title), self.cursor), title=True)

    def cycle_status(self, delta: int) -> Effect:
        item = self.current_item
        if item is None:
            return NO_EFFECT
        status = model.next_status(item.status, delta)
        return self._apply(model.set_status(self.canvas, self.cursor, status))

    def set_tags(self, tags: Sequence[str]) -> Effect:
        if not self.has_item:
            return NO_EFFECT
        return self._apply(model.set_tags(self.canvas, self.cursor, tags))

    def set_note(self, note: str) -> Effect:
        if not self.has_item:
            return NO_EFFECT
        return self._apply(model.set_note(self.canvas, self.cursor, note.strip("\n")))

    def undo(self) -> Effect | None:
        result = self.history.undo(Edit(self.canvas, self.cursor))
        return None if result is None else self._restore(*result)

    def redo(self) -> Effect | None:
        result = self.history.redo(Edit(self.canvas, self.cursor))
        return None if result is None else self._restore(*result)

    def _restore(self, history: History, state: Edit) -> Effect:
        before = self.canvas
        self.history = history
        self.canvas = state.canvas
        self.place(state.cursor)
        self.version += 1
        self._refresh_search()
        return Effect(_changed_blocks(before, state.canvas), before.title != state.canvas.title)

    def replace_canvas(self, canvas: Canvas) -> Effect:
        """Take a canvas from elsewhere (reloaded from disk, or a version restored from the
        history) as one undoable step."""
        return self._apply(Edit(canvas, self.cursor), title=canvas.title != self.canvas.title)

    # -- search and filter -----------------------------------------------------------------

    def search(self, query: str) -> int:
        """Find `query` everywhere; the cursor jumps to the first match from the cursor on."""
        self.preview_search(query)
        if self.matches:
            at_or_after = next((i for i, pos in enumerate(self.matches) if pos >= self.cursor), 0)
            self._go_to_match(at_or_after)
        return len(self.matches)

    def preview_search(self, query: str) -> None:
        """Highlight the matches of `query` as it is typed, without moving the cursor."""
        self.query = query
        self._parsed = model.parse_query(query)
        self.matches = model.find(self.canvas, self._parsed)
        self.match_index = None
        self._onto_visible()

    def search_next(self, delta: int) -> bool:
        if not self.matches:
            return False
        index = model.next_match(self.matches, self.cursor, delta)
        if index is None:
            return False
        self._go_to_match(index)
        return True

    def clear_search(self) -> bool:
        had = bool(self.query) or self.filtering
        self.query, self._parsed, self.matches, self.match_index = "", Query(), (), None
        self.filtering = False
        return had

    def toggle_filter(self) -> bool:
        """F: show only the matches of the search (or everything again); the new state."""
        self.filtering = not self.filtering and bool(self.query)
        self._onto_visible()
        return self.filtering

    @property
    def query_problems(self) -> tuple[str, ...]:
        return self._parsed.problems

    def _go_to_match(self, index: int) -> None:
        self.match_index = index
        self.place(self.matches[index])

    def _refresh_search(self) -> None:
        if self.query:
            self.matches = model.find(self.canvas, self._parsed)
            self.match_index = None
            self._onto_visible()

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
