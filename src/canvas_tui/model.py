"""The canvas as immutable values, its editing operations as pure functions, and undo/redo.

Every operation takes a `Canvas` (and a `Pos`) and returns an `Edit`: the new canvas plus the
position the cursor belongs on afterwards. Nothing here does I/O or knows about Textual, so
each operation is tested on its own and the UI stays a thin translation of keys into calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from canvas_tui.records import Record, replace
from canvas_tui.template import DEFAULT_TEMPLATE, Template

STATUSES: tuple[str, ...] = ("assumption", "testing", "validated", "invalidated")
STATUS_GLYPHS = {"assumption": "?", "testing": "~", "validated": "✓", "invalidated": "✗"}
TAG_PATTERN = r"[a-z0-9][a-z0-9-]*"
_TAG = re.compile(TAG_PATTERN + r"\Z")


def is_tag(text: str) -> bool:
    return bool(_TAG.match(text))


class Item(Record):
    """One item of a block: its text, and what it may carry: a status, tags and a note."""

    __slots__ = ("extra", "note", "status", "tags", "text")
    _fields = ("text", "status", "tags", "note", "extra")
    _unhashed = ("extra",)

    text: str
    status: str | None  # one of STATUSES
    tags: tuple[str, ...]
    note: str
    # Fields of the item's table this version does not know, kept as they were read.
    extra: tuple[tuple[str, Any], ...]

    def __init__(
        self,
        text: str,
        status: str | None = None,
        tags: tuple[str, ...] = (),
        note: str = "",
        extra: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "text", text)
        setattr_(self, "status", status)
        setattr_(self, "tags", tags)
        setattr_(self, "note", note)
        setattr_(self, "extra", extra)

    # Written out (not `Record`'s, which takes the fields by name): items are compared by the
    # thousand when a canvas is laid out, diffed or merged.
    def __eq__(self, other: object) -> bool:
        if type(other) is not Item:
            return NotImplemented
        return (self.text, self.status, self.tags, self.note, self.extra) == (
            other.text,
            other.status,
            other.tags,
            other.note,
            other.extra,
        )

    def __hash__(self) -> int:
        return hash((self.text, self.status, self.tags, self.note))

    @property
    def plain(self) -> bool:
        """Nothing but text: written to the file as a plain string."""
        return self.status is None and not self.tags and not self.note and not self.extra

    def with_text(self, text: str) -> Item:
        return replace(self, text=text)

    def as_data(self) -> str | dict[str, Any]:
        """The item as plain data, the way the canvas file holds it: its text, or a table
        of what it carries (for JSON)."""
        if self.plain:
            return self.text
        data: dict[str, Any] = {"text": self.text}
        if self.status is not None:
            data["status"] = self.status
        if self.tags:
            data["tags"] = list(self.tags)
        if self.note:
            data["note"] = self.note
        data.update(self.extra)
        return data


def as_item(value: str | Item) -> Item:
    return value if isinstance(value, Item) else Item(value)


Items = tuple[Item, ...]


class Pos(NamedTuple):
    """A cursor position: block index and the index of the item in that block."""

    block: int
    item: int


class Canvas(Record):
    """A canvas: its title and the items of each block of its template."""

    __slots__ = ("blocks", "template", "title")
    _fields = ("title", "blocks", "template")

    title: str
    blocks: tuple[Items, ...]
    template: str  # the id of the template whose blocks these are

    def __init__(
        self, title: str, blocks: tuple[Items, ...], template: str = DEFAULT_TEMPLATE
    ) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "blocks", blocks)
        object.__setattr__(self, "template", template)

    def __eq__(self, other: object) -> bool:  # (as Item's)
        if type(other) is not Canvas:
            return NotImplemented
        return (self.title, self.blocks, self.template) == (
            other.title,
            other.blocks,
            other.template,
        )

    def __hash__(self) -> int:
        return hash((self.title, self.blocks, self.template))

    @classmethod
    def new(cls, title: str, template: Template) -> Canvas:
        """An empty canvas of `template`."""
        return cls(title, ((),) * len(template.blocks), template.id)

    @classmethod
    def from_lists(
        cls,
        title: str,
        blocks: Sequence[Iterable[str | Item]],
        template: str = DEFAULT_TEMPLATE,
    ) -> Canvas:
        return cls(
            title, tuple(tuple(as_item(item) for item in items) for items in blocks), template
        )

    def items(self, block: int) -> Items:
        return self.blocks[block]

    def texts(self, block: int) -> tuple[str, ...]:
        return tuple(item.text for item in self.blocks[block])

    @property
    def item_count(self) -> int:
        return sum(len(items) for items in self.blocks)

    def item(self, pos: Pos) -> Item:
        return self.blocks[pos.block][pos.item]

    def has_item(self, pos: Pos) -> bool:
        return 0 <= pos.block < len(self.blocks) and 0 <= pos.item < len(self.blocks[pos.block])

    def with_block(self, block: int, items: Items) -> Canvas:
        blocks = list(self.blocks)
        blocks[block] = items
        return replace(self, blocks=tuple(blocks))

    def status_counts(self, block: int | None = None) -> dict[str, int]:
        """How many items have each status (in `block`, or in the whole canvas)."""
        blocks = self.blocks if block is None else (self.blocks[block],)
        counts = dict.fromkeys(STATUSES, 0)
        for items in blocks:
            for item in items:
                if item.status in counts:
                    counts[item.status] += 1
        return counts


class Edit(NamedTuple):
    """A canvas and where the cursor is on it: what an operation leaves, and what undo
    brings back."""

    canvas: Canvas
    cursor: Pos


def clamp(canvas: Canvas, pos: Pos) -> Pos:
    """The nearest valid cursor position in `pos.block` (index 0 on an empty block)."""
    size = len(canvas.blocks[pos.block])
    return Pos(pos.block, max(0, min(pos.item, size - 1)))


# -- item operations -----------------------------------------------------------------------


def insert_items(canvas: Canvas, block: int, index: int, new: Sequence[Item]) -> Edit:
    """Insert `new` at `index` in `block` (clamped to the block), cursor on the last of them."""
    items = canvas.blocks[block]
    index = max(0, min(index, len(items)))
    new_items = (*items[:index], *new, *items[index:])
    return Edit(canvas.with_block(block, new_items), Pos(block, index + max(0, len(new) - 1)))


def insert_item(canvas: Canvas, block: int, index: int, item: str | Item) -> Edit:
    """Insert one item at `index` in `block`, cursor on it."""
    return insert_items(canvas, block, index, (as_item(item),))


def add_item(canvas: Canvas, block: int, item: str | Item) -> Edit:
    """Append an item at the end of `block`."""
    return insert_item(canvas, block, len(canvas.blocks[block]), item)


def replace_item(canvas: Canvas, pos: Pos, item: Item) -> Edit:
    """Put `item` in place of the item at `pos`."""
    items = canvas.blocks[pos.block]
    new_items = (*items[: pos.item], item, *items[pos.item + 1 :])
    return Edit(canvas.with_block(pos.block, new_items), pos)


def edit_item(canvas: Canvas, pos: Pos, text: str) -> Edit:
    """Replace the text of the item at `pos`; its status, tags and note stay."""
    return replace_item(canvas, pos, canvas.item(pos).with_text(text))


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


def move_to_block(canvas: Canvas, pos: Pos, block: int, at: int | None = None) -> Edit:
    """Move the item at `pos` to `block` (at index `at`, else the end); the cursor follows."""
    if block == pos.block and at is None:
        return Edit(canvas, pos)
    item = canvas.item(pos)
    removed = delete_item(canvas, pos).canvas
    index = len(removed.blocks[block]) if at is None else at
    return insert_item(removed, block, index, item)


def paste_items(canvas: Canvas, pos: Pos, items: Sequence[Item]) -> Edit:
    """Paste `items` below the cursor (at the top of an empty block)."""
    below = pos.item + 1 if canvas.has_item(pos) else 0
    return insert_items(canvas, pos.block, below, items)


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


def commit_lines(canvas: Canvas, pos: Pos, lines: Sequence[str], *, new: bool) -> Edit:
    """Apply several lines typed or pasted into the item editor: the first line is the item
    at `pos` (new, or edited), each further line a new item after it. Blank lines are
    dropped; an item edited to nothing with no other line is deleted."""
    texts = [line.strip() for line in lines if line.strip()]
    if not texts:
        return commit_text(canvas, pos, "", new=new)
    first = commit_text(canvas, pos, texts[0], new=new)
    rest = [Item(text) for text in texts[1:]]
    if not rest:
        return first
    return insert_items(first.canvas, pos.block, first.cursor.item + 1, rest)


# -- status, tags and notes ----------------------------------------------------------------


def next_status(status: str | None, delta: int) -> str | None:
    """The status after (delta=+1) or before (-1) `status` in the cycle none → assumption →
    testing → validated → invalidated → none."""
    cycle: list[str | None] = [None, *STATUSES]
    index = cycle.index(status) if status in cycle else 0
    return cycle[(index + delta) % len(cycle)]


def set_status(canvas: Canvas, pos: Pos, status: str | None) -> Edit:
    return replace_item(canvas, pos, replace(canvas.item(pos), status=status))


def set_tags(canvas: Canvas, pos: Pos, tags: Iterable[str]) -> Edit:
    return replace_item(canvas, pos, replace(canvas.item(pos), tags=tuple(dict.fromkeys(tags))))


def set_note(canvas: Canvas, pos: Pos, note: str) -> Edit:
    return replace_item(canvas, pos, replace(canvas.item(pos), note=note))


def parse_tags(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Tags typed as "pricing, b2b #Growth": (the valid tags, lowercased, in order; the words
    that are not tags)."""
    tags: list[str] = []
    bad: list[str] = []
    for word in re.split(r"[,\s]+", text):
        word = word.strip().removeprefix("#").lower()
        if not word:
            continue
        (tags if is_tag(word) else bad).append(word)
    return tuple(dict.fromkeys(tags)), bad


# -- navigation ----------------------------------------------------------------------------


def step(canvas: Canvas, pos: Pos, delta: int, template: Template) -> Pos:
    """The next (+1) or previous (-1) item; past either end, into the block below/above.

    Entering a block from above lands on its first item, from below on its last.
    """
    size = len(canvas.blocks[pos.block])
    index = pos.item + delta
    if 0 <= index < size:
        return Pos(pos.block, index)
    target = template.neighbour(pos.block, "down" if delta > 0 else "up")
    if target is None:
        return clamp(canvas, pos)
    return Pos(target, 0) if delta > 0 else clamp(canvas, Pos(target, 1 << 30))


# -- search --------------------------------------------------------------------------------


class Query(Record):
    """A search: words (in the text or the note), `#tags` and `is:status` terms, all of
    which an item must match."""

    __slots__ = ("problems", "statuses", "tags", "words")
    _fields = ("words", "tags", "statuses", "problems")

    words: tuple[str, ...]
    tags: tuple[str, ...]
    statuses: tuple[str | None, ...]  # None: `is:none`
    problems: tuple[str, ...]  # terms that cannot match anything (an unknown status)

    def __init__(
        self,
        words: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        statuses: tuple[str | None, ...] = (),
        problems: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "tags", tags)
        object.__setattr__(self, "statuses", statuses)
        object.__setattr__(self, "problems", problems)

    @property
    def empty(self) -> bool:
        return not (self.words or self.tags or self.statuses or self.problems)

    def matches(self, item: Item) -> bool:
        if self.problems:
            return False
        if any(status != item.status for status in self.statuses):
            return False
        if any(tag not in item.tags for tag in self.tags):
            return False
        if not self.words:
            return True
        text = item.text.casefold()
        note = item.note.casefold()
        return all(word in text or word in note for word in self.words)


_TERMS = r'"([^"]*)"?|(\S+)'  # compiled when first searched (re's cache): not at every start


def parse_query(query: str) -> Query:
    """`cloud "free tier" #pricing is:testing` → words, tags and statuses, combined with AND."""
    words: list[str] = []
    tags: list[str] = []
    statuses: list[str | None] = []
    problems: list[str] = []
    for match in re.finditer(_TERMS, query):
        phrase, term = match.group(1), match.group(2)
        if phrase is not None:
            if phrase.strip():
                words.append(phrase.casefold())
            continue
        lowered = term.casefold()
        if lowered.startswith("#") and len(lowered) > 1:
            tags.append(lowered[1:])
        elif lowered.startswith("is:") and len(lowered) > 3:
            status = lowered[3:]
            if status == "none":
                statuses.append(None)
            elif status in STATUSES:
                statuses.append(status)
            else:
                problems.append(term)
        else:
            words.append(lowered)
    return Query(tuple(words), tuple(tags), tuple(statuses), tuple(problems))


def find(canvas: Canvas, query: str | Query) -> tuple[Pos, ...]:
    """Every item matching `query`, in canvas order."""
    parsed = parse_query(query) if isinstance(query, str) else query
    if parsed.empty:
        return ()
    return tuple(
        Pos(block, index)
        for block, items in enumerate(canvas.blocks)
        for index, item in enumerate(items)
        if parsed.matches(item)
    )


def next_match(matches: Sequence[Pos], pos: Pos, delta: int) -> int | None:
    """Index into `matches` of the first match after (delta=+1) or before (-1) `pos`, wrapping."""
    if not matches:
        return None
    if delta > 0:
        return next((i for i, match in enumerate(matches) if match > pos), 0)
    return next((i for i in reversed(range(len(matches))) if matches[i] < pos), len(matches) - 1)


# -- undo / redo ---------------------------------------------------------------------------


class History(Record):
    """Undo and redo stacks of whole states; cheap, since canvases share unchanged blocks."""

    __slots__ = ("future", "limit", "past")
    _fields = ("past", "future", "limit")

    past: tuple[Edit, ...]
    future: tuple[Edit, ...]
    limit: int

    def __init__(
        self, past: tuple[Edit, ...] = (), future: tuple[Edit, ...] = (), limit: int = 500
    ) -> None:
        object.__setattr__(self, "past", past)
        object.__setattr__(self, "future", future)
        object.__setattr__(self, "limit", limit)

    def record(self, before: Edit) -> History:
        """Remember `before` as the state one user action left; clears redo."""
        return History((*self.past, before)[-self.limit :], (), self.limit)

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    def undo(self, current: Edit) -> tuple[History, Edit] | None:
        if not self.past:
            return None
        return History(self.past[:-1], (current, *self.future), self.limit), self.past[-1]

    def redo(self, current: Edit) -> tuple[History, Edit] | None:
        if not self.future:
            return None
        return History((*self.past, current), self.future[1:], self.limit), self.future[0]


# -- pasted text ---------------------------------------------------------------------------

_BULLET = r"^(?:[-*•+]\s+|\d+[.)]\s+)?(?:\[[ xX]?\]\s+)?"  # compiled when first pasted


def pasted_lines(text: str, *, keep_bullets: bool = False) -> list[str]:
    """The non-empty lines of a paste, in order: tabs as spaces, and (unless `keep_bullets`)
    a leading list bullet dropped ("- ", "* ", "• ", "1. ", "[ ] ")."""
    bullet = re.compile(_BULLET)
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.replace("\t", " ").strip()
        if not keep_bullets:
            line = bullet.sub("", line, count=1).strip()
        if line:
            lines.append(line)
    return lines
