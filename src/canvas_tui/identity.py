"""Which item is which across two versions of a canvas: items have no identity in the file,
so it is inferred. An item with the same text is the same item (in its block and in order
first, then anywhere, which finds moves); an item whose text was edited is paired with the
removed item it most resembles (`difflib.SequenceMatcher`'s ratio), or, at the same spot,
whose text it holds whole (words added). The diff and the merge use this pairing.

Pure: canvases in, positions out.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from heapq import heapify, heappop, heappush

from canvas_tui.model import Canvas, Pos

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


def _kept_whole(old: str, new: str) -> bool:
    """Whether the shorter text is in the longer one whole, between word boundaries (case
    aside): words were added to an item, or taken away."""
    short, long = sorted((old.strip().casefold(), new.strip().casefold()), key=len)
    return bool(short) and re.search(rf"(?<!\w){re.escape(short)}(?!\w)", long) is not None
