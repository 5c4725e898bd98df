"""What changed between two versions of a canvas, in canvas terms: per block, the items added,
removed, edited, moved inside the block or to another block, and the changes of their status,
tags and note; and the title.

Which item of the new version is which of the old one is inferred (`identity.match_items`);
the merge uses the same pairing.

Pure: model values in, values out; `CanvasDiff.as_json` gives the JSON-able form.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Any, Literal

from canvas_tui.identity import Matching, match_items
from canvas_tui.model import Canvas, Item, Pos
from canvas_tui.records import Record
from canvas_tui.template import Template

ChangeKind = Literal["added", "removed", "changed"]
FIELDS = ("text", "status", "tags", "note", "other")  # "other": fields this version keeps as-is


class ItemChange(Record):
    """What happened to one item: added (no `old`), removed (no `new`) or changed (both:
    edited, moved, or both)."""

    __slots__ = ("moved_in_block", "new", "new_pos", "old", "old_pos")
    _fields = ("old", "new", "old_pos", "new_pos", "moved_in_block")

    old: Item | None
    new: Item | None
    old_pos: Pos | None
    new_pos: Pos | None
    moved_in_block: bool  # out of order inside its block (not merely shifted)

    def __init__(
        self,
        old: Item | None,
        new: Item | None,
        old_pos: Pos | None,
        new_pos: Pos | None,
        moved_in_block: bool = False,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "old", old)
        setattr_(self, "new", new)
        setattr_(self, "old_pos", old_pos)
        setattr_(self, "new_pos", new_pos)
        setattr_(self, "moved_in_block", moved_in_block)

    @property
    def kind(self) -> ChangeKind:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    @property
    def block(self) -> int:
        """The block the change is listed under: where the item was (for an added item, where
        it is now)."""
        pos = self.old_pos if self.old_pos is not None else self.new_pos
        assert pos is not None
        return pos.block

    @property
    def moved_to_block(self) -> bool:
        """Moved to another block."""
        return (
            self.old_pos is not None
            and self.new_pos is not None
            and self.old_pos.block != self.new_pos.block
        )

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields that differ (see `FIELDS`); empty for an added or removed item."""
        old, new = self.old, self.new
        if old is None or new is None:
            return ()
        changed = (
            old.text != new.text,
            old.status != new.status,
            old.tags != new.tags,
            old.note != new.note,
            old.extra != new.extra,
        )
        return tuple(name for name, differs in zip(FIELDS, changed, strict=True) if differs)

    @property
    def tags_added(self) -> tuple[str, ...]:
        old_tags = self.old.tags if self.old is not None else ()
        new_tags = self.new.tags if self.new is not None else ()
        return tuple(tag for tag in new_tags if tag not in old_tags)

    @property
    def tags_removed(self) -> tuple[str, ...]:
        old_tags = self.old.tags if self.old is not None else ()
        new_tags = self.new.tags if self.new is not None else ()
        return tuple(tag for tag in old_tags if tag not in new_tags)


class CanvasDiff(Record):
    """Every difference between two canvases. `changes` are ordered by block (see
    `ItemChange.block`), then roughly as the items stand in the block."""

    __slots__ = ("changes", "new_template", "new_title", "old_template", "old_title")
    _fields = ("old_title", "new_title", "old_template", "new_template", "changes")

    old_title: str
    new_title: str
    old_template: str
    new_template: str
    changes: tuple[ItemChange, ...]

    def __init__(
        self,
        old_title: str,
        new_title: str,
        old_template: str,
        new_template: str,
        changes: tuple[ItemChange, ...],
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "old_title", old_title)
        setattr_(self, "new_title", new_title)
        setattr_(self, "old_template", old_template)
        setattr_(self, "new_template", new_template)
        setattr_(self, "changes", changes)

    @property
    def same(self) -> bool:
        """The two canvases are equal (whatever the files' comments and formatting)."""
        return (
            not self.changes
            and self.old_title == self.new_title
            and self.old_template == self.new_template
        )

    @property
    def title_changed(self) -> bool:
        return self.old_title != self.new_title

    def by_block(self) -> Iterator[tuple[int, tuple[ItemChange, ...]]]:
        """(block index, its changes) for each block with a change, in block order."""
        start = 0
        while start < len(self.changes):
            block = self.changes[start].block
            end = start
            while end < len(self.changes) and self.changes[end].block == block:
                end += 1
            yield block, self.changes[start:end]
            start = end

    def counts(self) -> dict[str, int]:
        """How many items were added, removed, edited (any field) and moved."""
        counts = {"added": 0, "removed": 0, "edited": 0, "moved": 0}
        for change in self.changes:
            if change.kind != "changed":
                counts[change.kind] += 1
                continue
            if change.fields:
                counts["edited"] += 1
            if change.moved_in_block or change.moved_to_block:
                counts["moved"] += 1
        return counts

    def as_json(self, template: Template) -> dict[str, Any]:
        """A JSON-able form; blocks are named by `template` (the new canvas's).

        Positions are 1-based, as on the command line: `{"block": key, "index": n}`.
        """

        def key(block: int) -> str:
            return template.blocks[block].key if block < len(template.blocks) else str(block + 1)

        def where(pos: Pos | None) -> dict[str, Any] | None:
            return None if pos is None else {"block": key(pos.block), "index": pos.item + 1}

        blocks = []
        for block, changes in self.by_block():
            entries = []
            for change in changes:
                entry: dict[str, Any] = {"change": change.kind}
                if change.old is not None:
                    entry["old"] = change.old.as_data()
                if change.new is not None:
                    entry["new"] = change.new.as_data()
                entry["from"] = where(change.old_pos)
                entry["to"] = where(change.new_pos)
                if change.kind == "changed":
                    moved = "block" if change.moved_to_block else None
                    entry["moved"] = "within" if change.moved_in_block else moved
                    entry["fields"] = list(change.fields)
                entries.append(entry)
            spec = template.blocks[block] if block < len(template.blocks) else None
            blocks.append(
                {
                    "number": block + 1,
                    "key": key(block),
                    "title": spec.title if spec is not None else key(block),
                    "changes": entries,
                }
            )
        data: dict[str, Any] = {"same": self.same}
        if self.title_changed:
            data["title"] = {"old": self.old_title, "new": self.new_title}
        if self.old_template != self.new_template:
            data["template"] = {"old": self.old_template, "new": self.new_template}
        data["counts"] = self.counts()
        data["blocks"] = blocks
        return data


def diff(old: Canvas, new: Canvas, matching: Matching | None = None) -> CanvasDiff:
    """Everything that changed from `old` to `new` (`matching`: from `match_items`, if known)."""
    if matching is None:
        matching = match_items(old, new)
    found: set[Pos] = set()
    changes: list[tuple[tuple[int, int, int, int], ItemChange]] = []
    for block, row in enumerate(matching):
        moved = _moved_in_block(block, row)
        # An added item is listed before the next item that stayed in place, after the items
        # removed in between (as in a text diff: "-" lines first).
        next_kept = [0] * len(row)
        upcoming = len(old.blocks[block]) if block < len(old.blocks) else 0
        for index in reversed(range(len(row))):
            pos = row[index]
            if pos is not None and pos.block == block and index not in moved:
                upcoming = pos.item
            next_kept[index] = upcoming
        for index, old_pos in enumerate(row):
            new_pos = Pos(block, index)
            item = new.blocks[block][index]
            if old_pos is None:
                key = (block, next_kept[index], -1, index)
                changes.append((key, ItemChange(None, item, None, new_pos)))
                continue
            found.add(old_pos)
            before = old.blocks[old_pos.block][old_pos.item]
            if old_pos.block == block and before == item and index not in moved:
                continue  # unchanged: most items, so no ItemChange is made for them
            change = ItemChange(before, item, old_pos, new_pos, index in moved)
            changes.append(((old_pos.block, old_pos.item, 0, 0), change))
    for block, items in enumerate(old.blocks):
        for index, item in enumerate(items):
            pos = Pos(block, index)
            if pos not in found:
                changes.append(((block, index, 0, 0), ItemChange(item, None, pos, None)))
    changes.sort(key=lambda entry: entry[0])
    return CanvasDiff(
        old.title,
        new.title,
        old.template,
        new.template,
        tuple(change for _, change in changes),
    )


def _moved_in_block(block: int, row: tuple[Pos | None, ...]) -> set[int]:
    """The new indexes of the items that stayed in `block` but are out of order: not part of
    the longest run of items that kept their order (found by difflib)."""
    stayed = [
        (pos.item, index) for index, pos in enumerate(row) if pos is not None and pos.block == block
    ]
    old_order = [old for old, _ in stayed]
    if all(a < b for a, b in pairwise(old_order)):
        return set()
    in_order = sorted(old_order)
    matcher = SequenceMatcher(None, in_order, old_order, autojunk=False)
    kept: set[int] = set()
    for _, start, size in matcher.get_matching_blocks():
        kept.update(range(start, start + size))
    return {stayed[i][1] for i in range(len(stayed)) if i not in kept}
