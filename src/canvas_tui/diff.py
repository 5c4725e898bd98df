"""What changed between two versions of a canvas, in canvas terms: per block, the items added,
removed, edited, moved inside the block or to another block, and the changes of their status,
tags and note; and the title.

Items have no identity in the file, so it is inferred (`match_items`): an item with the same
text is the same item (in its block and in order first, then anywhere, which finds moves), and
an item whose text was edited is paired with the removed item it most resembles
(`difflib.SequenceMatcher`'s ratio), or, at the same spot, whose text it holds whole (words
added). The merge uses the same pairing.

Pure: model values in, values out; `CanvasDiff.as_json` gives the JSON-able form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from heapq import heapify, heappop, heappush
from itertools import pairwise
from typing import Any, Literal

from canvas_tui.model import Canvas, Item, Pos
from canvas_tui.records import Record
from canvas_tui.template import Template

# difflib's own cutoff for "close matches" (`get_close_matches`): an item elsewhere with an
# edited text is the same item when at least this similar...
SIMILAR = 0.6
# ...and one that replaced it at the same spot of its block needs a little less ("Stripe" →
# "Stripe payments" is an edit), or to hold its text whole, at word boundaries ("Stripe" →
# "Stripe: payments, billing and payouts for the marketplace" is an edit too).
SIMILAR_IN_PLACE = 0.5
# Comparing texts is the costly part of matching, so it is bounded. Items that replaced each
# other at one spot of a block (difflib's "replace" runs) are compared pairwise when a run has
# at most IN_PLACE_PAIRS pairs, else one to one in order (a rewritten block); left-over items
# anywhere (moved *and* edited) only when there are at most ANYWHERE_PAIRS pairs; and at most
# MAX_COMPARISONS pairs are compared in full. Past these bounds an edited item shows as removed
# and added (nothing is lost), and very different 9,000-item canvases still diff in a moment.
IN_PLACE_PAIRS = 100
ANYWHERE_PAIRS = 2_500
MAX_COMPARISONS = 2_000

# For each block of the new canvas, for each of its items: the position of the same item in
# the old canvas, or None for a new item.
Matching = tuple[tuple[Pos | None, ...], ...]

ChangeKind = Literal["added", "removed", "changed"]
FIELDS = ("text", "status", "tags", "note", "other")  # "other": fields this version keeps as-is


def match_items(old: Canvas, new: Canvas, *, in_place: bool = False) -> Matching:
    """Pair each item of `new` with the same item in `old`, if it has one; each old item is
    paired at most once. Blocks are compared by index.

    `in_place` (the merge's identity): an item rewritten in place, that is items that
    replaced as many items at one spot of a block whose neighbours are unchanged, is the same
    item however different its text; similarity then pairs only what position cannot."""
    matched: list[list[Pos | None]] = [[None] * len(items) for items in new.blocks]
    taken: list[list[bool]] = [[False] * len(items) for items in old.blocks]
    replaced: list[tuple[int, range, range]] = []  # (block, old indexes, new indexes)
    for block in range(min(len(old.blocks), len(new.blocks))):
        old_texts, new_texts = old.texts(block), new.texts(block)
        if old_texts == new_texts:
            matched[block] = [Pos(block, index) for index in range(len(new_texts))]
            taken[block] = [True] * len(old_texts)
            continue
        matcher = SequenceMatcher(None, old_texts, new_texts, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for offset in range(i2 - i1):
                    matched[block][j1 + offset] = Pos(block, i1 + offset)
                    taken[block][i1 + offset] = True
            elif tag == "replace":
                replaced.append((block, range(i1, i2), range(j1, j2)))
    _match_equal_texts(old, new, matched, taken)
    # The anywhere bound counts the items left by exact matches (in-place pairing or not),
    # so the merge costs what the diff does.
    left = sum(flags.count(False) for flags in taken) * sum(row.count(None) for row in matched)
    if in_place:
        _match_in_place(matched, taken, replaced)
    _match_similar_texts(old, new, matched, taken, replaced, left <= ANYWHERE_PAIRS)
    return tuple(tuple(row) for row in matched)


def _match_equal_texts(
    old: Canvas, new: Canvas, matched: list[list[Pos | None]], taken: list[list[bool]]
) -> None:
    """Pair left-over items with the same text anywhere: items moved in or between blocks."""
    waiting: dict[str, list[Pos]] = {}
    for block, flags in enumerate(taken):
        items = old.blocks[block]
        for index, used in enumerate(flags):
            if not used:
                waiting.setdefault(items[index].text, []).append(Pos(block, index))
    if not waiting:
        return
    for block, row in enumerate(matched):
        items = new.blocks[block]
        for index, found in enumerate(row):
            if found is not None:
                continue
            candidates = waiting.get(items[index].text)
            if not candidates:
                continue
            choice = next((pos for pos in candidates if pos.block == block), candidates[0])
            candidates.remove(choice)
            row[index] = choice
            taken[choice.block][choice.item] = True


def _match_in_place(
    matched: list[list[Pos | None]],
    taken: list[list[bool]],
    replaced: list[tuple[int, range, range]],
) -> None:
    """Pair, one to one in order, the left-over items of a run that replaced as many items
    (once the items moved in or out of it are set aside): rewritten in place."""
    for block, old_range, new_range in replaced:
        olds = [i for i in old_range if not taken[block][i]]
        news = [j for j in new_range if matched[block][j] is None]
        if olds and len(olds) == len(news):
            for i, j in zip(olds, news, strict=True):
                matched[block][j] = Pos(block, i)
                taken[block][i] = True


def _match_similar_texts(
    old: Canvas,
    new: Canvas,
    matched: list[list[Pos | None]],
    taken: list[list[bool]],
    replaced: list[tuple[int, range, range]],
    anywhere: bool,
) -> None:
    """Pair left-over items whose texts are similar: edited items (`anywhere`: also those in
    different places). The most similar pairs first; on a tie, the pair in one block, then
    the nearer one."""
    left_old = [
        Pos(b, i) for b, flags in enumerate(taken) for i, used in enumerate(flags) if not used
    ]
    left_new = [
        Pos(b, i) for b, row in enumerate(matched) for i, pos in enumerate(row) if pos is None
    ]
    if not left_old or not left_new:
        return
    # (new, old) -> the similarity it needs; in the order they are compared (in place first)
    cutoffs: dict[tuple[Pos, Pos], float] = {}
    # (new, old) in place where one text is the other with words added or taken away: at
    # least this similar, however many words ("glyph" → "glyph, the new logo typeface").
    floors: dict[tuple[Pos, Pos], float] = {}
    for block, old_range, new_range in replaced:
        olds = [Pos(block, i) for i in old_range if not taken[block][i]]
        news = [Pos(block, j) for j in new_range if matched[block][j] is None]
        if len(olds) * len(news) <= IN_PLACE_PAIRS:
            pairs = [(new_pos, old_pos) for new_pos in news for old_pos in olds]
        else:
            pairs = list(zip(news, olds, strict=False))
        cutoffs.update(dict.fromkeys(pairs, SIMILAR_IN_PLACE))
        for new_pos, old_pos in pairs:
            if _kept_whole(old.item(old_pos).text, new.item(new_pos).text):
                floors[new_pos, old_pos] = SIMILAR_IN_PLACE
    if anywhere:
        for new_pos in left_new:
            for old_pos in left_old:
                cutoffs.setdefault((new_pos, old_pos), SIMILAR)
    # The pairs difflib's quick bounds do not rule out, the first MAX_COMPARISONS of them:
    # (the bound, new, old).
    candidates: list[tuple[float, Pos, Pos]] = []
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    current: Pos | None = None
    for (new_pos, old_pos), cutoff in cutoffs.items():
        if new_pos != current:
            matcher.set_seq2(new.item(new_pos).text)  # difflib caches what it learns of seq2
            current = new_pos
        matcher.set_seq1(old.item(old_pos).text)
        floor = floors.get((new_pos, old_pos), 0.0)
        if max(matcher.real_quick_ratio(), floor) < cutoff:
            continue
        bound = max(matcher.quick_ratio(), floor)
        if bound < cutoff:
            continue
        candidates.append((bound, new_pos, old_pos))
        if len(candidates) == MAX_COMPARISONS:
            break
    # Take the most similar pairs first, a pair only while both its items are left. That is
    # sorting every pair by its ratio, but a ratio (the costly part) is computed only when the
    # pair's bound comes first: nothing left can beat it then, as a bound is at least the
    # ratio (and on equal values a bound comes before a ratio). An item once paired needs
    # nothing more of its other pairs. Entries: (-value, is it the ratio, then the ties: in
    # one block first, then the nearer, then in order).
    heap = [
        (-bound, False, was.block != now.block, abs(was.item - now.item), now, was)
        for bound, now, was in candidates
    ]
    heapify(heap)
    while heap:
        entry = heappop(heap)
        is_ratio, new_pos, old_pos = entry[1], entry[4], entry[5]
        if matched[new_pos.block][new_pos.item] is not None or taken[old_pos.block][old_pos.item]:
            continue
        if is_ratio:
            matched[new_pos.block][new_pos.item] = old_pos
            taken[old_pos.block][old_pos.item] = True
            continue
        matcher.set_seqs(old.item(old_pos).text, new.item(new_pos).text)
        ratio = max(matcher.ratio(), floors.get((new_pos, old_pos), 0.0))
        if ratio >= cutoffs[new_pos, old_pos]:
            heappush(heap, (-ratio, True, *entry[2:]))


# -- the diff ------------------------------------------------------------------------------


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


def _kept_whole(old: str, new: str) -> bool:
    """Whether the shorter text is in the longer one whole, between word boundaries (case
    aside): words were added to an item, or taken away."""
    short, long = sorted((old.strip().casefold(), new.strip().casefold()), key=len)
    return bool(short) and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None


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
