"""The three-way merge of one block's order: the sequences of item identities in the base and
on each side merged so that a reorder on one side survives inserts and deletes on the other.

`merge3` finds the stretches each side changed. Where only one side changed a stretch, its
version is taken. Where both did, git would report a conflict; here the stretch is merged
element by element instead: each side's edits of the base stretch are its deletions and its
insertions at each gap between base items (a move is a deletion plus an insertion), an item
stays unless a side deleted it, and at one gap ours's insertions come before theirs's. That
keeps "they moved D to the top, we appended E" as D A B C E. An item both sides moved takes
ours's place. When the merged order loses a pair of items either side put in a new order
(both reordered the same items differently), the block takes ours's order and the clash is
reported (the items theirs added are then placed by the caller).

Pure: sequences in, sequences out.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from merge3 import Merge3

OURS, BASE, THEIRS = 0, 1, 2  # which side an item's place came from; the lower wins

# Comparisons allowed to check that a merged order keeps each side's reorders, pair by pair.
PAIRWISE = 200_000

Placed = list[tuple[str, int]]  # identities in merged order, each with the side of its place


def merged_order(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]
) -> tuple[list[str], bool]:
    """The identities of a block in merged order (each once), and whether both sides
    reordered the same items differently (then ours's order was kept)."""
    if ours == theirs or theirs == base:
        return list(ours), False
    if ours == base:
        return list(theirs), False
    placed: Placed = []
    for region in Merge3(base, ours, theirs).merge_regions():
        if len(region) == 7:  # both sides changed this stretch
            _, base_start, base_end, our_start, our_end, their_start, their_end = region
            placed += _merge_stretch(
                base[base_start:base_end],
                ours[our_start:our_end],
                theirs[their_start:their_end],
            )
        elif region[0] == "unchanged":
            placed += [(ident, BASE) for ident in base[region[1] : region[2]]]
        elif region[0] in ("a", "same"):
            placed += [(ident, OURS) for ident in ours[region[1] : region[2]]]
        else:
            placed += [(ident, THEIRS) for ident in theirs[region[1] : region[2]]]
    order = _once(placed)
    if _keeps_reorders(order, base, ours) and _keeps_reorders(order, base, theirs):
        return order, False
    return list(ours), True


def _once(placed: Placed) -> list[str]:
    """Each identity once, at the place from the lowest side (ours's place of an item both
    sides moved)."""
    best: dict[str, tuple[int, int]] = {}  # identity -> (side, index in `placed`)
    for index, (ident, side) in enumerate(placed):
        if ident not in best or side < best[ident][0]:
            best[ident] = (side, index)
    return [ident for index, (ident, _) in enumerate(placed) if best[ident][1] == index]


def moved_items(base: Sequence[str], side: Sequence[str]) -> set[str]:
    """The items of both `base` and `side` that `side` put out of their base order: those
    outside the longest run that kept it (as difflib finds it)."""
    common = set(base).intersection(side)
    old = [ident for ident in base if ident in common]
    new = [ident for ident in side if ident in common]
    if old == new:
        return set()
    kept: set[str] = set()
    for start, _, size in SequenceMatcher(None, old, new, autojunk=False).get_matching_blocks():
        kept.update(old[start : start + size])
    return common - kept


def _edits(base: Sequence[str], side: Sequence[str]) -> tuple[set[int], list[list[str]]]:
    """A side's edits of a base stretch: the base indexes it deleted, and what it inserted at
    each gap (gap i is before base item i; the last gap is after the stretch)."""
    deleted: set[int] = set()
    inserted: list[list[str]] = [[] for _ in range(len(base) + 1)]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, side, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        deleted.update(range(i1, i2))
        inserted[i1].extend(side[j1:j2])
    return deleted, inserted


def _merge_stretch(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> Placed:
    """Both sides' edits of one stretch applied together (see the module's docstring)."""
    our_deleted, our_inserted = _edits(base, ours)
    their_deleted, their_inserted = _edits(base, theirs)
    merged: Placed = []
    for gap in range(len(base) + 1):
        merged += [(ident, OURS) for ident in our_inserted[gap]]
        merged += [(ident, THEIRS) for ident in their_inserted[gap]]
        if gap < len(base) and gap not in our_deleted and gap not in their_deleted:
            merged.append((base[gap], BASE))
    return merged


def _keeps_reorders(order: Sequence[str], base: Sequence[str], side: Sequence[str]) -> bool:
    """Whether `order` keeps every pair of items whose order `side` changed from the base's
    (pairs of a moved item and any other; checked in full up to PAIRWISE comparisons, else
    only the moved items' order among themselves)."""
    moved = moved_items(base, side)
    if not moved:
        return True
    place = {ident: index for index, ident in enumerate(order)}
    base_place = {ident: index for index, ident in enumerate(base)}
    kept = [ident for ident in side if ident in place and ident in base_place]
    if len(moved) * len(kept) > PAIRWISE:
        ours_moved = [ident for ident in kept if ident in moved]
        return sorted(ours_moved, key=place.__getitem__) == ours_moved
    side_place = {ident: index for index, ident in enumerate(kept)}
    for ident in moved:
        if ident not in place:
            continue
        for other in kept:
            flipped = (base_place[ident] < base_place[other]) != (
                side_place[ident] < side_place[other]
            )
            if flipped and (place[ident] < place[other]) != (side_place[ident] < side_place[other]):
                return False
    return True
