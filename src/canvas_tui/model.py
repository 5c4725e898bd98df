"""The canvas as immutable values, its editing operations as pure functions, and undo/redo.

Every operation takes a `Canvas` (and a `Pos`) and returns a new `Canvas` plus the position
the cursor belongs on afterwards. Nothing here does I/O or knows about Textual, so each
operation is tested on its own and the UI stays a thin translation of keys into calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from canvas_tui.template import BLOCK_COUNT, BLOCKS, Direction

Items = tuple[str, ...]


class Pos(NamedTuple):
    """A cursor position: block index (0..8) and the index of the item in that block."""

    block: int
    item: int


@dataclass(frozen=True, slots=True)
class Canvas:
    title: str
    blocks: tuple[Items, ...] = field(default=((),) * BLOCK_COUNT)

    def __post_init__(self) -> None:
        if len(self.blocks) != BLOCK_COUNT:
            raise ValueError(f"a canvas has {BLOCK_COUNT} blocks, not {len(self.blocks)}")

    @classmethod
    def from_lists(cls, title: str, blocks: Sequence[Iterable[str]]) -> Canvas:
        return cls(title, tuple(tuple(items) for items in blocks))

    def items(self, block: int) -> Items:
        return self.blocks[block]

    @property
    def item_count(self) -> int:
        return sum(len(items) for items in self.blocks)

    def item(self, pos: Pos) -> str:
        return self.blocks[pos.block][pos.item]

    def has_item(self, pos: Pos) -> bool:
        return 0 <= pos.block < BLOCK_COUNT and 0 <= pos.item < len(self.blocks[pos.block])

    def with_block(self, block: int, items: Items) -> Canvas:
        blocks = list(self.blocks)
        blocks[block] = items
        return replace(self, blocks=tuple(blocks))


class Edit(NamedTuple):
    """The result of an operation: the new canvas and where the cursor goes."""

    canvas: Canvas
    cursor: Pos


def clamp(canvas: Canvas, pos: Pos) -> Pos:
    """The nearest valid cursor position in `pos.block` (index 0 on an empty block)."""
    size = len(canvas.blocks[pos.block])
    return Pos(pos.block, max(0, min(pos.item, size - 1)))


# -- item operations -----------------------------------------------------------------------


def insert_item(canvas: Canvas, block: int, index: int, text: str) -> Edit:
    """Insert `text` at `index` in `block` (clamped to the block), cursor on it."""
    items = canvas.blocks[block]
    index = max(0, min(index, len(items)))
    new_items = (*items[:index], text, *items[index:])
    return Edit(canvas.with_block(block, new_items), Pos(block, index))


def add_item(canvas: Canvas, block: int, text: str) -> Edit:
    """Append `text` at the end of `block`."""
    return insert_item(canvas, block, len(canvas.blocks[block]), text)


def edit_item(canvas: Canvas, pos: Pos, text: str) -> Edit:
    """Replace the text of the item at `pos`."""
    items = canvas.blocks[pos.block]
    new_items = (*items[: pos.item], text, *items[pos.item + 1 :])
    return Edit(canvas.with_block(pos.block, new_items), pos)


def delete_item(canvas: Canvas, pos: Pos) -> Edit:
    """Remove the item at `pos`; the cursor stays at the same index, or the new last item."""
    items = canvas.blocks[pos.block]
    new_items = items[: pos.item] + items[pos.item + 1 :]
    new_canvas = canvas.with_block(pos.block, new_items)
    return Edit(new_canvas, clamp(new_canvas, pos))


def move_item(canvas: Canvas, pos: Pos, delta: int) -> Edit:
    """Move the item at `pos` by `delta` places inside its block (stops at either end)."""
    items = list(canvas.blocks[pos.block])
    target = max(0, min(pos.item + delta, len(items) - 1))
    if target == pos.item:
        return Edit(canvas, pos)
    items.insert(target, items.pop(pos.item))
    return Edit(canvas.with_block(pos.block, tuple(items)), Pos(pos.block, target))


def move_to_block(canvas: Canvas, pos: Pos, block: int) -> Edit:
    """Move the item at `pos` to the end of `block`; the cursor follows it."""
    if block == pos.block:
        return Edit(canvas, pos)
    text = canvas.item(pos)
    removed = delete_item(canvas, pos).canvas
    return add_item(removed, block, text)


def paste_item(canvas: Canvas, pos: Pos, text: str) -> Edit:
    """Paste `text` below the cursor (at the top of an empty block)."""
    below = pos.item + 1 if canvas.has_item(pos) else 0
    return insert_item(canvas, pos.block, below, text)


def retitle(canvas: Canvas, title: str) -> Canvas:
    return replace(canvas, title=title)


def commit_text(canvas: Canvas, pos: Pos, text: str, *, new: bool) -> Edit:
    """Apply the text typed into the item editor.

    `new` is true when the editor was opened to insert an item at `pos`. Surrounding white
    space is dropped; an empty text deletes an existing item and adds nothing for a new one.
    """
    text = text.strip()
    if new:
        return (
            insert_item(canvas, pos.block, pos.item, text)
            if text
            else Edit(canvas, clamp(canvas, pos))
        )
    if not text:
        return delete_item(canvas, pos)
    return edit_item(canvas, pos, text)


# -- navigation ----------------------------------------------------------------------------


def neighbour_block(block: int, direction: Direction) -> int | None:
    """The index of the block next to `block` on the classic canvas, if any."""
    number = BLOCKS[block].neighbour(direction)
    return None if number is None else number - 1


def step(canvas: Canvas, pos: Pos, delta: int) -> Pos:
    """The next (+1) or previous (-1) item; past either end, into the block below/above.

    Entering a block from above lands on its first item, from below on its last.
    """
    size = len(canvas.blocks[pos.block])
    index = pos.item + delta
    if 0 <= index < size:
        return Pos(pos.block, index)
    target = neighbour_block(pos.block, "down" if delta > 0 else "up")
    if target is None:
        return clamp(canvas, pos)
    return Pos(target, 0) if delta > 0 else clamp(canvas, Pos(target, 1 << 30))


# -- search --------------------------------------------------------------------------------


def find(canvas: Canvas, query: str) -> tuple[Pos, ...]:
    """Every item containing `query` (case-insensitive), in canvas order."""
    needle = query.casefold()
    if not needle:
        return ()
    return tuple(
        Pos(block, index)
        for block, items in enumerate(canvas.blocks)
        for index, text in enumerate(items)
        if needle in text.casefold()
    )


def next_match(matches: Sequence[Pos], pos: Pos, delta: int) -> int | None:
    """Index into `matches` of the first match after (delta=+1) or before (-1) `pos`, wrapping."""
    if not matches:
        return None
    if delta > 0:
        return next((i for i, match in enumerate(matches) if match > pos), 0)
    return next((i for i in reversed(range(len(matches))) if matches[i] < pos), len(matches) - 1)


# -- undo / redo ---------------------------------------------------------------------------


class State(NamedTuple):
    canvas: Canvas
    cursor: Pos


@dataclass(frozen=True, slots=True)
class History:
    """Undo and redo stacks of whole states; cheap, since canvases share unchanged blocks."""

    past: tuple[State, ...] = ()
    future: tuple[State, ...] = ()
    limit: int = 500

    def record(self, before: State) -> History:
        """Remember `before` as the state one user action left; clears redo."""
        return History((*self.past, before)[-self.limit :], (), self.limit)

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    def undo(self, current: State) -> tuple[History, State] | None:
        if not self.past:
            return None
        return History(self.past[:-1], (current, *self.future), self.limit), self.past[-1]

    def redo(self, current: State) -> tuple[History, State] | None:
        if not self.future:
            return None
        return History((*self.past, current), self.future[1:], self.limit), self.future[0]


def iter_items(canvas: Canvas) -> Iterator[tuple[Pos, str]]:
    for block, items in enumerate(canvas.blocks):
        for index, text in enumerate(items):
            yield Pos(block, index), text
