"""A block's layout made from the previous one (reusing its lines) is the layout made afresh:
after any edit, however far the previous one was laid out."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canvas_tui.model import Item
from canvas_tui.render.blocklayout import BlockLayout
from canvas_tui.template import built_in_templates

SPEC = built_in_templates().default.blocks[0]
WIDTH = 18

texts = st.text(alphabet="ab c\u00e9\u4e00", min_size=0, max_size=40)
items = st.builds(Item, texts, st.sampled_from([None, "testing"]), st.just(()), texts)
blocks = st.lists(items, max_size=30).map(tuple)


@st.composite
def edited(draw: st.DrawFn) -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    """A block and the same block after one edit: an item replaced by an equal or another
    one, added, removed or moved."""
    before = draw(blocks)
    after = list(before)
    kind = draw(st.sampled_from(["replace", "equal", "insert", "delete", "move"]))
    if kind == "insert" or not after:
        after.insert(draw(st.integers(0, len(after))), draw(items))
    else:
        index = draw(st.integers(0, len(after) - 1))
        if kind == "replace":
            after[index] = draw(items)
        elif kind == "equal":  # another object, the same value
            item = after[index]
            after[index] = Item(item.text, item.status, item.tags, item.note)
        elif kind == "delete":
            del after[index]
        else:
            after.insert(draw(st.integers(0, len(after) - 1)), after.pop(index))
    return before, tuple(after)


def laid_out(layout: BlockLayout) -> tuple[object, ...]:
    layout.has_line(10**9)
    return layout.lines, layout.owners, layout.starts, layout.total


@given(edit=edited(), shown_before=st.integers(0, 40), cursor=st.integers(0, 40))
def test_a_layout_from_the_previous_one_is_the_fresh_layout(
    edit: tuple[tuple[Item, ...], tuple[Item, ...]], shown_before: int, cursor: int
) -> None:
    before, after = edit
    previous = BlockLayout(SPEC, before, WIDTH, None)
    previous.has_line(shown_before)  # laid out only as far as a screen needed
    reused = BlockLayout(SPEC, after, WIDTH, None, previous)
    fresh = BlockLayout(SPEC, after, WIDTH, None)
    if after:
        assert reused.span(cursor % len(after)) == fresh.span(cursor % len(after))
    assert laid_out(reused) == laid_out(fresh)
    # ...and the next layout reuses this one's lines just as well.
    again = BlockLayout(SPEC, before, WIDTH, None, reused)
    assert laid_out(again) == laid_out(BlockLayout(SPEC, before, WIDTH, None))


@pytest.mark.parametrize("seed", range(6))
def test_a_long_run_of_edits_keeps_reusing_right_and_forgets_items_gone(seed: int) -> None:
    """Each layout is made from the one before, as the editor makes them (here: an item
    added, then one deleted, a hundred and fifty times over): the lines stay right, and the
    lines kept for items that are gone do not pile up. (Seeded random edits, not Hypothesis:
    so many items per example made its input generation too slow on a busy machine.)"""
    rng = random.Random(seed)
    words = ["ab", "c", "\u00e9t\u00e9", "\u4e00\u4e00", "longer words here", ""]

    def item() -> Item:
        text = " ".join(rng.choices(words, k=rng.randint(0, 6)))
        return Item(text, rng.choice([None, "testing"]), (), rng.choice(["", "a note"]))

    block = tuple(item() for _ in range(rng.randint(0, 30)))
    layout = BlockLayout(SPEC, block, WIDTH, None)
    layout.has_line(10**9)
    for _ in range(150):
        at = rng.randint(0, len(block))
        added = (*block[:at], item(), *block[at:])
        gone = rng.randrange(len(added))
        for block in (added, (*added[:gone], *added[gone + 1 :])):
            layout = BlockLayout(SPEC, block, WIDTH, None, layout)
            assert laid_out(layout) == laid_out(BlockLayout(SPEC, block, WIDTH, None))
            assert len(layout.by_item) <= 2 * len(block) + BlockLayout.CHUNK + 1
