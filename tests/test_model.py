"""The canvas model: every pure editing operation, navigation, search and undo/redo."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.model import (
    Canvas,
    Edit,
    History,
    Pos,
    State,
    add_item,
    clamp,
    commit_text,
    delete_item,
    edit_item,
    find,
    insert_item,
    iter_items,
    move_item,
    move_to_block,
    neighbour_block,
    next_match,
    paste_item,
    retitle,
    step,
)
from canvas_tui.template import BLOCK_COUNT, BLOCKS, Direction

DIRECTIONS: tuple[Direction, ...] = ("left", "right", "up", "down")

# Block indexes (0-based) by the seed's numbers, to keep the tables readable.
KP, KA, KR, VP, CR, CH, CS, COST, REV = range(9)


def make(*blocks: list[str], title: str = "T") -> Canvas:
    """A canvas whose first len(blocks) blocks hold the given items, the rest empty."""
    padded = [*blocks, *([[]] * (BLOCK_COUNT - len(blocks)))]
    return Canvas.from_lists(title, padded)


def abc() -> Canvas:
    return make(["a", "b", "c"])


# -- the Canvas value ----------------------------------------------------------------------


def test_new_canvas_has_nine_empty_blocks() -> None:
    canvas = Canvas("Acme")
    assert canvas.title == "Acme"
    assert len(canvas.blocks) == 9
    assert all(items == () for items in canvas.blocks)
    assert canvas.item_count == 0


def test_canvas_refuses_wrong_block_count() -> None:
    with pytest.raises(ValueError, match="9 blocks"):
        Canvas("x", ((),) * 8)
    with pytest.raises(ValueError):
        Canvas("x", ((),) * 10)


def test_canvas_is_immutable() -> None:
    canvas = abc()
    with pytest.raises(dataclasses.FrozenInstanceError):
        canvas.title = "other"  # type: ignore[misc]


def test_canvas_accessors() -> None:
    canvas = make(["a", "b"], [], ["c"])
    assert canvas.items(0) == ("a", "b")
    assert canvas.items(1) == ()
    assert canvas.item(Pos(2, 0)) == "c"
    assert canvas.item_count == 3
    assert canvas.has_item(Pos(0, 1))
    assert not canvas.has_item(Pos(0, 2))
    assert not canvas.has_item(Pos(1, 0))
    assert not canvas.has_item(Pos(0, -1))
    assert not canvas.has_item(Pos(9, 0))
    assert list(iter_items(canvas)) == [(Pos(0, 0), "a"), (Pos(0, 1), "b"), (Pos(2, 0), "c")]


def test_with_block_leaves_the_original_alone() -> None:
    canvas = abc()
    changed = canvas.with_block(3, ("x",))
    assert canvas.items(3) == ()
    assert changed.items(3) == ("x",)
    assert changed.blocks[0] is canvas.blocks[0]  # unchanged blocks are shared


def test_clamp() -> None:
    canvas = abc()
    assert clamp(canvas, Pos(0, 7)) == Pos(0, 2)
    assert clamp(canvas, Pos(0, -3)) == Pos(0, 0)
    assert clamp(canvas, Pos(0, 1)) == Pos(0, 1)
    assert clamp(canvas, Pos(5, 4)) == Pos(5, 0)  # empty block


# -- add / insert / edit / delete ----------------------------------------------------------


def test_add_item_appends_and_puts_cursor_on_it() -> None:
    canvas, cursor = add_item(abc(), 0, "d")
    assert canvas.items(0) == ("a", "b", "c", "d")
    assert cursor == Pos(0, 3)


def test_add_item_to_empty_block() -> None:
    original = abc()
    canvas, cursor = add_item(original, 8, "money")
    assert canvas.items(8) == ("money",)
    assert cursor == Pos(8, 0)
    assert original.items(8) == ()  # pure: the input is unchanged
    assert canvas.items(0) == original.items(0)


@pytest.mark.parametrize(
    ("index", "expected", "cursor"),
    [
        (0, ("x", "a", "b", "c"), 0),
        (1, ("a", "x", "b", "c"), 1),
        (3, ("a", "b", "c", "x"), 3),
        (99, ("a", "b", "c", "x"), 3),  # clamped to the end
        (-5, ("x", "a", "b", "c"), 0),  # clamped to the start
    ],
)
def test_insert_item(index: int, expected: tuple[str, ...], cursor: int) -> None:
    edit = insert_item(abc(), 0, index, "x")
    assert isinstance(edit, Edit)
    assert edit.canvas.items(0) == expected
    assert edit.cursor == Pos(0, cursor)
    assert edit.canvas.item(edit.cursor) == "x"


def test_insert_into_empty_block() -> None:
    canvas, cursor = insert_item(Canvas("t"), 4, 0, "only")
    assert canvas.items(4) == ("only",)
    assert cursor == Pos(4, 0)


def test_edit_item_replaces_text_only_there() -> None:
    canvas, cursor = edit_item(abc(), Pos(0, 1), "B!")
    assert canvas.items(0) == ("a", "B!", "c")
    assert cursor == Pos(0, 1)
    assert canvas.title == "T"


@pytest.mark.parametrize(
    ("index", "expected", "cursor"),
    [
        (0, ("b", "c"), 0),
        (1, ("a", "c"), 1),
        (2, ("a", "b"), 1),  # deleting the last item moves the cursor up
    ],
)
def test_delete_item(index: int, expected: tuple[str, ...], cursor: int) -> None:
    canvas, pos = delete_item(abc(), Pos(0, index))
    assert canvas.items(0) == expected
    assert pos == Pos(0, cursor)


def test_delete_only_item_leaves_empty_block_cursor_at_zero() -> None:
    canvas, cursor = delete_item(make(["solo"]), Pos(0, 0))
    assert canvas.items(0) == ()
    assert cursor == Pos(0, 0)


# -- move inside a block -------------------------------------------------------------------


def test_move_item_down_and_up() -> None:
    canvas, cursor = move_item(abc(), Pos(0, 0), +1)
    assert canvas.items(0) == ("b", "a", "c")
    assert cursor == Pos(0, 1)
    canvas, cursor = move_item(canvas, cursor, +1)
    assert canvas.items(0) == ("b", "c", "a")
    assert cursor == Pos(0, 2)
    canvas, cursor = move_item(canvas, cursor, -1)
    assert canvas.items(0) == ("b", "a", "c")
    assert cursor == Pos(0, 1)


def test_move_item_stops_at_the_ends() -> None:
    original = abc()
    canvas, cursor = move_item(original, Pos(0, 2), +1)
    assert canvas == original
    assert cursor == Pos(0, 2)
    canvas, cursor = move_item(original, Pos(0, 0), -1)
    assert canvas == original
    assert cursor == Pos(0, 0)


def test_move_item_by_more_than_one_clamps() -> None:
    canvas, cursor = move_item(abc(), Pos(0, 0), 10)
    assert canvas.items(0) == ("b", "c", "a")
    assert cursor == Pos(0, 2)
    canvas, cursor = move_item(abc(), Pos(0, 2), -10)
    assert canvas.items(0) == ("c", "a", "b")
    assert cursor == Pos(0, 0)


def test_move_item_single_and_empty_block_are_no_ops() -> None:
    single = make(["x"])
    assert move_item(single, Pos(0, 0), 1) == Edit(single, Pos(0, 0))
    assert move_item(single, Pos(0, 0), -1) == Edit(single, Pos(0, 0))
    empty = Canvas("t")
    assert move_item(empty, Pos(3, 0), 1) == Edit(empty, Pos(3, 0))
    assert move_item(empty, Pos(3, 0), -1) == Edit(empty, Pos(3, 0))


# -- move to another block -----------------------------------------------------------------


def test_move_to_block_appends_and_cursor_follows() -> None:
    start = make(["a", "b", "c"], ["x"])
    canvas, cursor = move_to_block(start, Pos(0, 1), 1)
    assert canvas.items(0) == ("a", "c")
    assert canvas.items(1) == ("x", "b")
    assert cursor == Pos(1, 1)
    assert canvas.item(cursor) == "b"
    assert canvas.item_count == start.item_count


def test_move_to_empty_block() -> None:
    canvas, cursor = move_to_block(abc(), Pos(0, 2), 8)
    assert canvas.items(0) == ("a", "b")
    assert canvas.items(8) == ("c",)
    assert cursor == Pos(8, 0)


def test_move_to_same_block_is_a_no_op() -> None:
    start = abc()
    assert move_to_block(start, Pos(0, 1), 0) == Edit(start, Pos(0, 1))


def test_move_to_block_via_spatial_neighbours() -> None:
    """H / L: move to the block left / right of the current one."""
    start = make([], ["task"])
    right = neighbour_block(KA, "right")
    assert right == VP
    canvas, cursor = move_to_block(start, Pos(KA, 0), right)
    assert canvas.items(VP) == ("task",)
    assert cursor == Pos(VP, 0)
    left = neighbour_block(VP, "left")
    assert left == KA
    canvas, cursor = move_to_block(canvas, cursor, left)
    assert canvas == start
    assert cursor == Pos(KA, 0)


# -- paste ---------------------------------------------------------------------------------


def test_paste_below_cursor() -> None:
    canvas, cursor = paste_item(abc(), Pos(0, 0), "p")
    assert canvas.items(0) == ("a", "p", "b", "c")
    assert cursor == Pos(0, 1)


def test_paste_below_last_item() -> None:
    canvas, cursor = paste_item(abc(), Pos(0, 2), "p")
    assert canvas.items(0) == ("a", "b", "c", "p")
    assert cursor == Pos(0, 3)


def test_paste_into_empty_block() -> None:
    canvas, cursor = paste_item(abc(), Pos(6, 0), "p")
    assert canvas.items(6) == ("p",)
    assert cursor == Pos(6, 0)


def test_copy_then_paste_duplicates_text() -> None:
    start = abc()
    copied = start.item(Pos(0, 1))
    canvas, cursor = paste_item(start, Pos(0, 1), copied)
    assert canvas.items(0) == ("a", "b", "b", "c")
    assert cursor == Pos(0, 2)


# -- title ---------------------------------------------------------------------------------


def test_retitle() -> None:
    start = abc()
    canvas = retitle(start, "New title")
    assert canvas.title == "New title"
    assert canvas.blocks == start.blocks
    assert start.title == "T"


# -- commit_text (the item editor) ---------------------------------------------------------


def test_commit_new_item_inserts_at_pos() -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 1), "  new  ", new=True)
    assert canvas.items(0) == ("a", "new", "b", "c")
    assert cursor == Pos(0, 1)


def test_commit_new_item_in_empty_block() -> None:
    canvas, cursor = commit_text(Canvas("t"), Pos(2, 0), "first", new=True)
    assert canvas.items(2) == ("first",)
    assert cursor == Pos(2, 0)


def test_commit_new_item_below_last() -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 3), "d", new=True)
    assert canvas.items(0) == ("a", "b", "c", "d")
    assert cursor == Pos(0, 3)


def test_commit_existing_item_edits_and_strips() -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 2), "\tC  \n", new=False)
    assert canvas.items(0) == ("a", "b", "C")
    assert cursor == Pos(0, 2)


@pytest.mark.parametrize("text", ["", "   ", "\t\n ", "\u3000"])
def test_commit_empty_new_item_adds_nothing(text: str) -> None:
    start = abc()
    canvas, cursor = commit_text(start, Pos(0, 1), text, new=True)
    assert canvas == start
    assert start.has_item(cursor) or start.items(cursor.block) == ()


def test_commit_empty_new_item_below_last_keeps_cursor_valid() -> None:
    start = abc()
    canvas, cursor = commit_text(start, Pos(0, 3), "", new=True)  # "o" on the last item
    assert canvas == start
    assert canvas.has_item(cursor)


def test_commit_empty_new_item_in_empty_block() -> None:
    start = Canvas("t")
    canvas, cursor = commit_text(start, Pos(4, 0), "  ", new=True)
    assert canvas == start
    assert cursor == Pos(4, 0)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_commit_empty_existing_item_deletes_it(text: str) -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 1), text, new=False)
    assert canvas.items(0) == ("a", "c")
    assert cursor == Pos(0, 1)


def test_commit_empty_existing_last_item() -> None:
    canvas, cursor = commit_text(make(["a"]), Pos(0, 0), " ", new=False)
    assert canvas.items(0) == ()
    assert cursor == Pos(0, 0)


def test_commit_keeps_inner_whitespace() -> None:
    canvas, _ = commit_text(abc(), Pos(0, 0), "  two  words\tand tab ", new=False)
    assert canvas.item(Pos(0, 0)) == "two  words\tand tab"


# -- spatial neighbours --------------------------------------------------------------------

# Written out by hand from the classic canvas drawing in DESIGN.md.
EXPECTED_NEIGHBOURS: dict[int, dict[str, int | None]] = {
    KP: {"left": None, "right": KA, "up": None, "down": COST},
    KA: {"left": KP, "right": VP, "up": None, "down": KR},
    KR: {"left": KP, "right": VP, "up": KA, "down": COST},
    VP: {"left": KA, "right": CR, "up": None, "down": COST},
    CR: {"left": VP, "right": CS, "up": None, "down": CH},
    CH: {"left": VP, "right": CS, "up": CR, "down": REV},
    CS: {"left": CR, "right": None, "up": None, "down": REV},
    COST: {"left": None, "right": REV, "up": KR, "down": None},
    REV: {"left": COST, "right": None, "up": CH, "down": None},
}


@pytest.mark.parametrize("block", range(9))
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_neighbour_block_table(block: int, direction: Direction) -> None:
    assert neighbour_block(block, direction) == EXPECTED_NEIGHBOURS[block][direction]


def _rows(index: int) -> range:
    place = BLOCKS[index].place
    return range(place.row, place.row + place.row_span)


def _columns(index: int) -> range:
    place = BLOCKS[index].place
    return range(place.column, place.column + place.column_span)


@pytest.mark.parametrize("block", range(9))
@pytest.mark.parametrize("direction", DIRECTIONS)
def test_neighbour_block_is_adjacent_in_the_grid(block: int, direction: Direction) -> None:
    """Each neighbour touches the block on that side; None only at the canvas edge."""
    place = BLOCKS[block].place
    target = neighbour_block(block, direction)
    if direction in ("left", "right"):
        edge = place.column - 1 if direction == "left" else place.column + place.column_span
        touching = [
            other
            for other in range(9)
            if edge in _columns(other) and set(_rows(other)) & set(_rows(block))
        ]
    else:
        edge = place.row - 1 if direction == "up" else place.row + place.row_span
        touching = [
            other
            for other in range(9)
            if edge in _rows(other) and set(_columns(other)) & set(_columns(block))
        ]
    if target is None:
        assert touching == []
    else:
        assert target in touching


def test_left_right_walk_the_top_row_and_back() -> None:
    seen = [KP]
    while (nxt := neighbour_block(seen[-1], "right")) is not None:
        seen.append(nxt)
    assert seen == [KP, KA, VP, CR, CS]
    back = [CS]
    while (prev := neighbour_block(back[-1], "left")) is not None:
        back.append(prev)
    assert back == [CS, CR, VP, KA, KP]


# -- step (up / down through items and blocks) ---------------------------------------------


def full() -> Canvas:
    """Every block holds two items named after it."""
    return Canvas.from_lists("t", [[f"{b}.0", f"{b}.1"] for b in range(9)])


def test_step_within_block() -> None:
    canvas = full()
    assert step(canvas, Pos(KP, 0), +1) == Pos(KP, 1)
    assert step(canvas, Pos(KP, 1), -1) == Pos(KP, 0)


def test_step_down_past_last_item_enters_block_below_at_first_item() -> None:
    canvas = full()
    assert step(canvas, Pos(KA, 1), +1) == Pos(KR, 0)
    assert step(canvas, Pos(KR, 1), +1) == Pos(COST, 0)
    assert step(canvas, Pos(CR, 1), +1) == Pos(CH, 0)
    assert step(canvas, Pos(CH, 1), +1) == Pos(REV, 0)
    assert step(canvas, Pos(KP, 1), +1) == Pos(COST, 0)
    assert step(canvas, Pos(VP, 1), +1) == Pos(COST, 0)
    assert step(canvas, Pos(CS, 1), +1) == Pos(REV, 0)


def test_step_up_past_first_item_enters_block_above_at_last_item() -> None:
    canvas = full()
    assert step(canvas, Pos(KR, 0), -1) == Pos(KA, 1)
    assert step(canvas, Pos(COST, 0), -1) == Pos(KR, 1)
    assert step(canvas, Pos(REV, 0), -1) == Pos(CH, 1)
    assert step(canvas, Pos(CH, 0), -1) == Pos(CR, 1)


@pytest.mark.parametrize("block", [KP, KA, VP, CR, CS])
def test_step_up_at_top_edge_stays(block: int) -> None:
    assert step(full(), Pos(block, 0), -1) == Pos(block, 0)


@pytest.mark.parametrize("block", [COST, REV])
def test_step_down_at_bottom_edge_stays(block: int) -> None:
    assert step(full(), Pos(block, 1), +1) == Pos(block, 1)


def test_step_into_empty_block_and_through_it() -> None:
    canvas = make([], ["ka"], [], [], [], [], [], ["cost1", "cost2"])
    assert step(canvas, Pos(KA, 0), +1) == Pos(KR, 0)  # KR is empty
    assert not canvas.has_item(Pos(KR, 0))
    assert step(canvas, Pos(KR, 0), +1) == Pos(COST, 0)  # leaves the empty block downwards
    assert step(canvas, Pos(COST, 0), -1) == Pos(KR, 0)  # empty block from below
    assert step(canvas, Pos(KR, 0), -1) == Pos(KA, 0)  # and up out of it


def test_step_on_empty_block_at_edge_stays() -> None:
    canvas = Canvas("t")
    assert step(canvas, Pos(KP, 0), -1) == Pos(KP, 0)
    assert step(canvas, Pos(REV, 0), +1) == Pos(REV, 0)


def test_step_down_from_block_one_to_cost_and_back_up_goes_to_resources() -> None:
    """Up/down follow the drawn neighbours, so the walk is not always reversible."""
    canvas = full()
    pos = step(canvas, Pos(KP, 1), +1)
    assert pos == Pos(COST, 0)
    assert step(canvas, pos, -1) == Pos(KR, 1)


# -- search --------------------------------------------------------------------------------


def searchable() -> Canvas:
    return make(
        ["Cloud hosting", "Stripe"],
        ["cloud ops"],
        [],
        ["Fast CLOUDY setup"],
        title="Search",
    )


def test_find_is_case_insensitive_and_in_canvas_order() -> None:
    assert find(searchable(), "cloud") == (Pos(0, 0), Pos(1, 0), Pos(3, 0))
    assert find(searchable(), "CLOUD") == (Pos(0, 0), Pos(1, 0), Pos(3, 0))
    assert find(searchable(), "sTrIpE") == (Pos(0, 1),)


def test_find_casefold_and_unicode() -> None:
    canvas = make(["Straße", "ÉCOLE", "東京 office"])
    assert find(canvas, "STRASSE") == (Pos(0, 0),)
    assert find(canvas, "école") == (Pos(0, 1),)
    assert find(canvas, "東京") == (Pos(0, 2),)


def test_find_no_match_and_empty_query() -> None:
    assert find(searchable(), "zebra") == ()
    assert find(searchable(), "") == ()


def test_find_does_not_search_the_title() -> None:
    assert find(searchable(), "Search") == ()


MATCHES = (Pos(0, 0), Pos(1, 0), Pos(3, 0))


def test_next_match_forward() -> None:
    assert next_match(MATCHES, Pos(0, 0), +1) == 1
    assert next_match(MATCHES, Pos(0, 1), +1) == 1
    assert next_match(MATCHES, Pos(1, 0), +1) == 2


def test_next_match_forward_wraps() -> None:
    assert next_match(MATCHES, Pos(3, 0), +1) == 0
    assert next_match(MATCHES, Pos(8, 5), +1) == 0


def test_next_match_backward() -> None:
    assert next_match(MATCHES, Pos(3, 0), -1) == 1
    assert next_match(MATCHES, Pos(2, 0), -1) == 1
    assert next_match(MATCHES, Pos(1, 0), -1) == 0


def test_next_match_backward_wraps() -> None:
    assert next_match(MATCHES, Pos(0, 0), -1) == 2
    assert next_match(MATCHES, Pos(0, 0), -1) == len(MATCHES) - 1


def test_next_match_single_and_none() -> None:
    assert next_match((Pos(2, 2),), Pos(2, 2), +1) == 0
    assert next_match((Pos(2, 2),), Pos(2, 2), -1) == 0
    assert next_match((), Pos(0, 0), +1) is None
    assert next_match((), Pos(0, 0), -1) is None


def test_n_cycles_through_every_match() -> None:
    pos = Pos(0, 0)
    visited = []
    for _ in range(len(MATCHES) + 1):
        index = next_match(MATCHES, pos, +1)
        assert index is not None
        pos = MATCHES[index]
        visited.append(pos)
    assert visited == [Pos(1, 0), Pos(3, 0), Pos(0, 0), Pos(1, 0)]


# -- history -------------------------------------------------------------------------------


def test_history_starts_empty() -> None:
    history = History()
    assert not history.can_undo
    assert not history.can_redo
    state = State(Canvas("t"), Pos(0, 0))
    assert history.undo(state) is None
    assert history.redo(state) is None


def test_record_undo_redo() -> None:
    s0 = State(Canvas("t"), Pos(0, 0))
    s1 = State(*add_item(s0.canvas, 0, "a"))
    history = History().record(s0)
    assert history.can_undo
    assert not history.can_redo

    undone = history.undo(s1)
    assert undone is not None
    history, state = undone
    assert state == s0
    assert not history.can_undo
    assert history.can_redo

    redone = history.redo(state)
    assert redone is not None
    history, state = redone
    assert state == s1
    assert history.can_undo
    assert not history.can_redo


def test_new_record_clears_redo() -> None:
    s0 = State(Canvas("t"), Pos(0, 0))
    s1 = State(*add_item(s0.canvas, 0, "a"))
    history = History().record(s0)
    undone = history.undo(s1)
    assert undone is not None
    history, state = undone
    assert history.can_redo
    s2 = State(*add_item(state.canvas, 0, "b"))
    history = history.record(state)
    assert not history.can_redo
    assert history.redo(s2) is None
    undone = history.undo(s2)
    assert undone is not None
    assert undone[1] == s0


def test_history_is_immutable() -> None:
    history = History()
    recorded = history.record(State(Canvas("t"), Pos(0, 0)))
    assert history.past == ()
    assert recorded.past != ()


def test_undo_chain_of_150_steps() -> None:
    state = State(Canvas("t"), Pos(0, 0))
    states = [state]
    history = History()
    for number in range(150):
        history = history.record(state)
        state = State(*add_item(state.canvas, number % 9, f"item {number}"))
        states.append(state)
    for expected in reversed(states[:-1]):
        undone = history.undo(state)
        assert undone is not None
        history, state = undone
        assert state == expected
    assert state.canvas == Canvas("t")
    assert history.undo(state) is None
    for expected in states[1:]:
        redone = history.redo(state)
        assert redone is not None
        history, state = redone
        assert state == expected
    assert history.redo(state) is None


def test_history_limit_drops_oldest() -> None:
    history = History(limit=3)
    for number in range(5):
        history = history.record(State(Canvas(str(number)), Pos(0, 0)))
    assert [state.canvas.title for state in history.past] == ["2", "3", "4"]
    assert History().limit >= 100


# -- properties ----------------------------------------------------------------------------

texts = st.text(max_size=12)
blocks_st = st.integers(min_value=0, max_value=8)
ops = st.one_of(
    st.tuples(st.just("add"), blocks_st, texts),
    st.tuples(st.just("insert"), blocks_st, st.integers(-2, 12), texts),
    st.tuples(st.just("edit"), texts),
    st.tuples(st.just("delete")),
    st.tuples(st.just("move"), st.integers(-3, 3)),
    st.tuples(st.just("move_to"), blocks_st),
    st.tuples(st.just("paste"), texts),
    st.tuples(st.just("retitle"), texts),
    st.tuples(st.just("commit"), texts, st.booleans()),
    st.tuples(st.just("step"), st.sampled_from([-1, 1])),
    st.tuples(st.just("goto"), blocks_st),
)
canvases = st.builds(
    Canvas.from_lists,
    texts,
    st.lists(st.lists(texts, max_size=4), min_size=9, max_size=9),
)


def apply(state: State, op: tuple[object, ...]) -> tuple[State, bool]:
    """Apply one random operation; returns the new state and whether it is an edit."""
    canvas, cursor = state
    kind = op[0]
    on_item = canvas.has_item(cursor)
    if kind == "add":
        return State(*add_item(canvas, op[1], op[2])), True  # type: ignore[arg-type]
    if kind == "insert":
        return State(*insert_item(canvas, op[1], op[2], op[3])), True  # type: ignore[arg-type]
    if kind == "edit" and on_item:
        return State(*edit_item(canvas, cursor, op[1])), True  # type: ignore[arg-type]
    if kind == "delete" and on_item:
        return State(*delete_item(canvas, cursor)), True
    if kind == "move" and on_item:
        return State(*move_item(canvas, cursor, op[1])), True  # type: ignore[arg-type]
    if kind == "move_to" and on_item:
        return State(*move_to_block(canvas, cursor, op[1])), True  # type: ignore[arg-type]
    if kind == "paste":
        return State(*paste_item(canvas, cursor, op[1])), True  # type: ignore[arg-type]
    if kind == "retitle":
        return State(retitle(canvas, op[1]), cursor), True  # type: ignore[arg-type]
    if kind == "commit" and (op[2] or on_item):
        return State(*commit_text(canvas, cursor, op[1], new=op[2])), True  # type: ignore[arg-type]
    if kind == "step":
        return State(canvas, step(canvas, cursor, op[1])), False  # type: ignore[arg-type]
    if kind == "goto":
        return State(canvas, clamp(canvas, Pos(op[1], 0))), False  # type: ignore[arg-type]
    return state, False


@settings(max_examples=150, deadline=None)
@given(start=canvases, sequence=st.lists(ops, max_size=40))
def test_random_edits_then_as_many_undos_restore_the_start(
    start: Canvas, sequence: list[tuple[object, ...]]
) -> None:
    state = State(start, Pos(0, 0))
    initial = state  # the state the first edit starts from (moves do not count)
    history = History()
    edits = 0
    for op in sequence:
        new_state, is_edit = apply(state, op)
        if is_edit:
            if edits == 0:
                initial = state
            history = history.record(state)
            edits += 1
        state = new_state
        # invariants of every operation
        assert len(state.canvas.blocks) == 9
        assert 0 <= state.cursor.block < 9
        assert state.canvas.has_item(state.cursor) or state.cursor.item == 0
    final = state
    for _ in range(edits):
        undone = history.undo(state)
        assert undone is not None
        history, state = undone
    if edits:
        assert state == initial
    assert state.canvas == start
    assert history.undo(state) is None
    for _ in range(edits):
        redone = history.redo(state)
        assert redone is not None
        history, state = redone
    assert state.canvas == final.canvas
    assert history.redo(state) is None


@given(canvas=canvases, block=blocks_st, index=st.integers(0, 10), text=texts)
def test_insert_then_delete_is_identity(canvas: Canvas, block: int, index: int, text: str) -> None:
    inserted, cursor = insert_item(canvas, block, index, text)
    assert inserted.item(cursor) == text
    assert inserted.item_count == canvas.item_count + 1
    assert delete_item(inserted, cursor).canvas == canvas


@given(canvas=canvases, data=st.data())
def test_move_keeps_the_multiset_of_items(canvas: Canvas, data: st.DataObject) -> None:
    positions = [pos for pos, _ in iter_items(canvas)]
    if not positions:
        return
    pos = data.draw(st.sampled_from(positions))
    text = canvas.item(pos)
    moved, cursor = move_item(canvas, pos, data.draw(st.integers(-5, 5)))
    assert moved.item(cursor) == text
    assert sorted(moved.items(pos.block)) == sorted(canvas.items(pos.block))
    target = data.draw(blocks_st)
    moved, cursor = move_to_block(canvas, pos, target)
    assert moved.item(cursor) == text
    assert cursor.block == target
    assert sorted(t for _, t in iter_items(moved)) == sorted(t for _, t in iter_items(canvas))


@given(canvas=canvases, query=st.text(min_size=1, max_size=3))
def test_find_matches_exactly_the_items_containing_the_query(canvas: Canvas, query: str) -> None:
    found = find(canvas, query)
    assert list(found) == sorted(found)
    expected = [pos for pos, text in iter_items(canvas) if query.casefold() in text.casefold()]
    assert list(found) == expected
