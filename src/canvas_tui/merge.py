"""Three-way merge of canvases: what git needs to merge two people's edits of one canvas.

Every item gets an identity (`identity.match_items` pairs each side's items with the base's), and
then three things are merged separately, so that changes to different items never conflict:
- each item's fields: text, status, note and the fields this version does not know are taken
  from the side that changed them; tags merge as sets; a note changed on both sides merges line
  by line (merge3). A field changed differently on both sides is a conflict: both versions of
  the item are kept next to each other, each tagged `conflict`;
- each item's block: a move to another block on one side is kept (ours wins if both moved it);
- the order inside each block (`mergeorder`): merge3 on the sequences of identities, which
  keeps a reorder on one side together with inserts and deletes on the other; where both
  sides inserted at the same place (two items appended to one block), ours come first; where
  both reordered the same items differently, ours's order is kept (`MergeResult.reordered`).

Identity (`identity.match_items` with `in_place`): an item rewritten in place (same block, its
neighbours unchanged on that side) is the same item however different its text; similarity
pairs only what position cannot. So the same item rewritten differently on both sides is a
conflict, and an item rewritten on one side and moved on the other ends moved and rewritten.
An item deleted on one side is deleted unless the other side changed it: then it is kept,
tagged `conflict`. The title merges like a field; when both changed it, ours is kept and
theirs is reported (`MergeResult.theirs_title`) for the writer to keep in a comment.

Pure: model values in, values out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple, TypeVar

from merge3 import Merge3

from canvas_tui.identity import match_items
from canvas_tui.mergeorder import merged_order
from canvas_tui.model import Canvas, Item
from canvas_tui.records import Record, replace

CONFLICT_TAG = "conflict"

T = TypeVar("T")


class MergeError(ValueError):
    """Versions that cannot be merged item by item (their templates have different blocks)."""


class ItemConflict(NamedTuple):
    """An item both sides changed differently (or one deleted and the other changed)."""

    block: int  # where the kept versions are, in the merged canvas
    ours: Item | None  # None: deleted on our side
    theirs: Item | None  # None: deleted on their side


class MergeResult(Record):
    """A three-way merge: the merged canvas and what conflicted."""

    __slots__ = ("canvas", "conflicts", "reordered", "theirs_title", "trace")
    # `trace` is how the merge was made, for the file's text (`mergetext`): not part of the
    # result's value (left out of ==, hash and repr).
    _fields = ("canvas", "conflicts", "theirs_title", "reordered")

    canvas: Canvas
    conflicts: tuple[ItemConflict, ...]
    theirs_title: str | None  # their title, when both changed it (ours is kept)
    reordered: tuple[int, ...]  # blocks both sides reordered differently: ours's order
    trace: Trace | None

    def __init__(
        self,
        canvas: Canvas,
        conflicts: tuple[ItemConflict, ...] = (),
        theirs_title: str | None = None,
        reordered: tuple[int, ...] = (),
        trace: Trace | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "canvas", canvas)
        setattr_(self, "conflicts", conflicts)
        setattr_(self, "theirs_title", theirs_title)
        setattr_(self, "reordered", reordered)
        setattr_(self, "trace", trace)

    @property
    def conflicted(self) -> bool:
        return bool(self.conflicts) or self.theirs_title is not None


class Trace(NamedTuple):
    """Where each merged item came from, for a merge of the files' text (`mergetext`).

    `ids[v][block][index]` is the identity of an item of version v (0 base, 1 ours, 2 theirs);
    `sources[block][index]` is the identity of the merged item and which copy it is: 0 the
    item, 1 ours's and 2 theirs's version of an item both changed differently (a conflict)."""

    ids: tuple[list[list[str]], list[list[str]], list[list[str]]]
    sources: tuple[tuple[tuple[str, int], ...], ...]


def merge(base: Canvas, ours: Canvas, theirs: Canvas) -> MergeResult:
    """Merge the changes from `base` to `ours` and from `base` to `theirs`."""
    if not len(base.blocks) == len(ours.blocks) == len(theirs.blocks):
        raise MergeError(
            "the versions have different numbers of blocks (different templates):"
            " they cannot be merged item by item"
        )
    title = _merge_value(base.title, ours.title, theirs.title)
    theirs_title = theirs.title if isinstance(title, _Conflict) else None
    template = _prefer_ours(base.template, ours.template, theirs.template)
    blocks, conflicts, reordered, trace = _merge_blocks(base, ours, theirs)
    merged = Canvas(ours.title if isinstance(title, _Conflict) else title, blocks, template)
    return MergeResult(merged, conflicts, theirs_title, reordered, trace)


# -- identities ----------------------------------------------------------------------------


class _Version(NamedTuple):
    """A canvas with an identity (a short string) for each of its items."""

    canvas: Canvas
    ids: list[list[str]]  # per block, per item
    where: dict[str, tuple[int, Item]]  # identity -> (its block, the item)

    @classmethod
    def of(cls, canvas: Canvas, ids: list[list[str]]) -> _Version:
        where = {
            ident: (block, item)
            for block, (row, items) in enumerate(zip(ids, canvas.blocks, strict=True))
            for ident, item in zip(row, items, strict=True)
        }
        return cls(canvas, ids, where)


def _base_version(base: Canvas) -> _Version:
    return _Version.of(
        base, [[f"{b}.{i}" for i in range(len(items))] for b, items in enumerate(base.blocks)]
    )


def _side_version(base: _Version, side: Canvas, prefix: str) -> _Version:
    """`side` with the base's identities for the items it kept; new items get new ones."""
    matching = match_items(base.canvas, side, in_place=True)
    ids = [
        [
            base.ids[pos.block][pos.item] if pos is not None else f"{prefix}{block}.{index}"
            for index, pos in enumerate(row)
        ]
        for block, row in enumerate(matching)
    ]
    return _Version.of(side, ids)


def _unify_new_items(ours: _Version, theirs: _Version) -> _Version:
    """Items both sides added to the same block with the same text are one item (in order):
    the same addition made twice is kept once."""
    renames: dict[str, str] = {}
    for block, their_ids in enumerate(theirs.ids):
        ours_new: dict[str, list[str]] = {}
        our_items = ours.canvas.blocks[block]
        for index, ident in enumerate(ours.ids[block]):
            if ident.startswith("o"):
                ours_new.setdefault(our_items[index].text, []).append(ident)
        if not ours_new:
            continue
        their_items = theirs.canvas.blocks[block]
        for index, ident in enumerate(their_ids):
            if ident.startswith("t"):
                waiting = ours_new.get(their_items[index].text)
                if waiting:
                    renames[ident] = waiting.pop(0)
    if not renames:
        return theirs
    ids = [[renames.get(ident, ident) for ident in row] for row in theirs.ids]
    return _Version.of(theirs.canvas, ids)


# -- fields --------------------------------------------------------------------------------


class _Conflict:
    def __repr__(self) -> str:
        return "<conflict>"


_CONFLICT: Final = _Conflict()
_ABSENT: Final = object()


def _merge_value(base: T, ours: T, theirs: T) -> T | _Conflict:
    """The side that changed it wins; both changed it alike: that; differently: a conflict."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return _CONFLICT


def _prefer_ours(base: T, ours: T, theirs: T) -> T:
    """Like `_merge_value`, but ours wins a conflict (the block of an item both moved)."""
    merged = _merge_value(base, ours, theirs)
    return ours if isinstance(merged, _Conflict) else merged


def _merge_tags(
    base: tuple[str, ...], ours: tuple[str, ...], theirs: tuple[str, ...]
) -> tuple[str, ...]:
    """Tags are a set: each side's additions and removals all apply (never a conflict)."""
    merged = _merge_value(base, ours, theirs)
    if not isinstance(merged, _Conflict):
        return merged
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    return tuple(dict.fromkeys(tag for tag in (*ours, *theirs) if tag not in removed))


def _merge_note(base: str, ours: str, theirs: str) -> str | _Conflict:
    """A note changed on both sides merges line by line, like a text file."""
    merged = _merge_value(base, ours, theirs)
    if not isinstance(merged, _Conflict):
        return merged
    lines = Merge3(base.split("\n"), ours.split("\n"), theirs.split("\n"))
    result: list[str] = []
    for region in lines.merge_groups():
        if region[0] == "conflict":
            return _CONFLICT
        result.extend(region[1])
    return "\n".join(result)


def _merge_extra(
    base: tuple[tuple[str, Any], ...],
    ours: tuple[tuple[str, Any], ...],
    theirs: tuple[tuple[str, Any], ...],
) -> tuple[tuple[str, Any], ...] | _Conflict:
    """Fields this version does not know merge one by one."""
    merged = _merge_value(base, ours, theirs)
    if not isinstance(merged, _Conflict):
        return merged
    base_fields, our_fields, their_fields = dict(base), dict(ours), dict(theirs)
    result: list[tuple[str, Any]] = []
    for name in dict.fromkeys([*our_fields, *their_fields, *base_fields]):
        value = _merge_value(
            base_fields.get(name, _ABSENT),
            our_fields.get(name, _ABSENT),
            their_fields.get(name, _ABSENT),
        )
        if isinstance(value, _Conflict):
            return _CONFLICT
        if value is not _ABSENT:
            result.append((name, value))
    return tuple(result)


def _merge_item(base: Item, ours: Item, theirs: Item) -> Item | None:
    """The item with both sides' changes, or None when they conflict."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    text = _merge_value(base.text, ours.text, theirs.text)
    status = _merge_value(base.status, ours.status, theirs.status)
    note = _merge_note(base.note, ours.note, theirs.note)
    extra = _merge_extra(base.extra, ours.extra, theirs.extra)
    if (
        isinstance(text, _Conflict)
        or isinstance(status, _Conflict)
        or isinstance(note, _Conflict)
        or isinstance(extra, _Conflict)
    ):
        return None
    return Item(text, status, _merge_tags(base.tags, ours.tags, theirs.tags), note, extra)


def tagged_conflict(item: Item) -> Item:
    """`item` with the `conflict` tag (once)."""
    return item if CONFLICT_TAG in item.tags else replace(item, tags=(*item.tags, CONFLICT_TAG))


# -- items and blocks ----------------------------------------------------------------------


class _Outcome(NamedTuple):
    """Where an item ends up and as what: one item, or two (ours, theirs) in a conflict."""

    block: int
    items: tuple[Item, ...]
    conflict: ItemConflict | None = None


Entry = tuple[int, Item] | None  # an item's block and value in one version (None: absent)


def _decide(base: Entry, ours: Entry, theirs: Entry) -> _Outcome | None:
    """What becomes of an item (None: it is deleted)."""
    original = None if base is None else base[1]
    if ours is not None and theirs is not None:
        (our_block, our_item), (their_block, their_item) = ours, theirs
        block = _prefer_ours(None if base is None else base[0], our_block, their_block)
        assert block is not None
        # An item both sides added (same text, same block) merges against a plain one.
        merged = _merge_item(original or Item(our_item.text), our_item, their_item)
        if merged is not None:
            return _Outcome(block, (merged,))
        conflict = ItemConflict(block, our_item, their_item)
        return _Outcome(block, (tagged_conflict(our_item), tagged_conflict(their_item)), conflict)
    kept = ours if ours is not None else theirs
    if kept is None:
        return None  # deleted on both sides
    block, item = kept
    if original is None:
        return _Outcome(block, (item,))  # added on one side
    if item == original:
        return None  # deleted on one side, left as it was (moves aside) on the other
    # Deleted on one side, changed on the other: nothing is lost, the person decides.
    conflict = ItemConflict(block, ours and ours[1], theirs and theirs[1])
    return _Outcome(block, (tagged_conflict(item),), conflict)


def _block_order(
    block: int, members: set[str], base: _Version, ours: _Version, theirs: _Version
) -> tuple[list[str], bool]:
    """The merged order of the items that end up in `block` (`members`), and whether ours's
    order won over a different reorder of theirs."""
    order, clash = merged_order(base.ids[block], ours.ids[block], theirs.ids[block])
    placed = [ident for ident in order if ident in members]
    if len(placed) < len(members):
        _place_missing(placed, members, (ours.ids[block], theirs.ids[block]))
    return placed, clash


def _place_missing(placed: list[str], members: set[str], sides: Sequence[list[str]]) -> None:
    """Put the members the order merge left out (moved in from another block, or changed on
    one side and deleted on the other) after the item they follow on the side that has them."""
    have = set(placed)
    for side in sides:
        for index, ident in enumerate(side):
            if ident not in members or ident in have:
                continue
            after = next((side[i] for i in range(index - 1, -1, -1) if side[i] in have), None)
            placed.insert(0 if after is None else placed.index(after) + 1, ident)
            have.add(ident)


def _merge_blocks(
    base: Canvas, ours: Canvas, theirs: Canvas
) -> tuple[tuple[tuple[Item, ...], ...], tuple[ItemConflict, ...], tuple[int, ...], Trace]:
    base_version = _base_version(base)
    our_version = _side_version(base_version, ours, "o")
    their_version = _unify_new_items(our_version, _side_version(base_version, theirs, "t"))
    outcomes: dict[str, _Outcome] = {}
    members: list[set[str]] = [set() for _ in base.blocks]
    ours_where, theirs_where = our_version.where, their_version.where
    for ident in {**base_version.where, **ours_where, **theirs_where}:
        entry = base_version.where.get(ident)
        our_entry, their_entry = ours_where.get(ident), theirs_where.get(ident)
        if entry is not None and entry == our_entry == their_entry:
            outcome: _Outcome | None = _Outcome(entry[0], (entry[1],))  # the common case
        else:
            outcome = _decide(entry, our_entry, their_entry)
        if outcome is not None:
            outcomes[ident] = outcome
            members[outcome.block].add(ident)
    blocks = []
    conflicts = []
    reordered = []
    sources = []
    for block in range(len(base.blocks)):
        items: list[Item] = []
        origin: list[tuple[str, int]] = []
        order, clash = _block_order(block, members[block], base_version, our_version, their_version)
        if clash:
            reordered.append(block)
        for ident in order:
            outcome = outcomes[ident]
            items.extend(outcome.items)
            if len(outcome.items) == 2:
                origin += [(ident, 1), (ident, 2)]
            else:
                origin.append((ident, 0))
            if outcome.conflict is not None:
                conflicts.append(outcome.conflict)
        blocks.append(tuple(items))
        sources.append(tuple(origin))
    trace = Trace((base_version.ids, our_version.ids, their_version.ids), tuple(sources))
    return tuple(blocks), tuple(conflicts), tuple(reordered), trace
