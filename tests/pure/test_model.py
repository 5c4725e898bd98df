"""The canvas model: every pure editing operation, items with status, tags and a note,
navigation, search and undo/redo; and the editing `Session` built on them."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.model import (
    STATUSES,
    Canvas,
    Edit,
    History,
    Item,
    Pos,
    Query,
    add_item,
    clamp,
    commit_lines,
    commit_text,
    delete_item,
    edit_item,
    find,
    insert_item,
    insert_items,
    move_item,
    move_to_block,
    next_match,
    next_status,
    parse_query,
    parse_tags,
    paste_items,
    replace_item,
    retitle,
    set_note,
    set_status,
    set_tags,
    step,
)
from canvas_tui.session import Session
from canvas_tui.template import BlockSpec, Place, built_in_templates, make_template

TECH = built_in_templates().default
LEAN = built_in_templates().get("lean")
assert LEAN is not None

# Block indexes (0-based) of the Tech Business Model Canvas, to keep the tables readable.
KP, KA, KR, VP, CR, CH, CS, COST, REV = range(9)

RICH = Item("rich", "testing", ("pricing", "b2b"), "12 interviews.\nSee notes.")


def iter_items(canvas: Canvas) -> list[tuple[Pos, Item]]:
    """Every item of `canvas` with its position, in canvas order."""
    return [
        (Pos(block, index), item)
        for block, items in enumerate(canvas.blocks)
        for index, item in enumerate(items)
    ]


def make(*blocks: list[str | Item], title: str = "T") -> Canvas:
    """A tech-bmc canvas whose first len(blocks) blocks hold the given items, the rest empty."""
    padded = [*blocks, *([[]] * (len(TECH.blocks) - len(blocks)))]
    return Canvas.from_lists(title, padded)


def empty(title: str = "t") -> Canvas:
    return Canvas.new(title, TECH)


def abc() -> Canvas:
    return make(["a", "b", "c"])


def texts(canvas: Canvas, block: int) -> tuple[str, ...]:
    return canvas.texts(block)


# -- the Canvas value ----------------------------------------------------------------------


def test_new_canvas_has_one_empty_block_per_template_block() -> None:
    canvas = Canvas.new("Acme", TECH)
    assert canvas.title == "Acme"
    assert canvas.template == "tech-bmc"
    assert len(canvas.blocks) == 9
    assert all(items == () for items in canvas.blocks)
    assert canvas.item_count == 0
    lean = Canvas.new("Lean idea", LEAN)
    assert lean.template == "lean"
    assert len(lean.blocks) == len(LEAN.blocks)


def test_new_canvas_of_a_small_template() -> None:
    blocks = [
        BlockSpec(n, f"b{n}", f"Block {n}", f"B{n}", "", (), Place(0, n - 1)) for n in (1, 2, 3)
    ]
    three = make_template("three", "Three", blocks, rows=1, columns=3)
    canvas = Canvas.new("Small", three)
    assert canvas.template == "three"
    assert canvas.blocks == ((), (), ())


def test_from_lists_takes_strings_and_items() -> None:
    canvas = Canvas.from_lists("t", [["plain", RICH]], template="mine")
    assert canvas.blocks == ((Item("plain"), RICH),)
    assert canvas.template == "mine"
    assert Canvas.from_lists("t", [["a"]]).template == "tech-bmc"


def test_canvas_is_immutable() -> None:
    canvas = abc()
    with pytest.raises(dataclasses.FrozenInstanceError):
        canvas.title = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RICH.text = "other"  # type: ignore[misc]


def test_canvas_accessors() -> None:
    canvas = make(["a", "b"], [], ["c"])
    assert canvas.items(0) == (Item("a"), Item("b"))
    assert canvas.texts(0) == ("a", "b")
    assert canvas.items(1) == ()
    assert canvas.item(Pos(2, 0)) == Item("c")
    assert canvas.item_count == 3
    assert canvas.has_item(Pos(0, 1))
    assert not canvas.has_item(Pos(0, 2))
    assert not canvas.has_item(Pos(1, 0))
    assert not canvas.has_item(Pos(0, -1))
    assert not canvas.has_item(Pos(9, 0))
    assert list(iter_items(canvas)) == [
        (Pos(0, 0), Item("a")),
        (Pos(0, 1), Item("b")),
        (Pos(2, 0), Item("c")),
    ]


def test_with_block_leaves_the_original_alone() -> None:
    canvas = abc()
    changed = canvas.with_block(3, (Item("x"),))
    assert canvas.items(3) == ()
    assert changed.texts(3) == ("x",)
    assert changed.blocks[0] is canvas.blocks[0]  # unchanged blocks are shared


def test_clamp() -> None:
    canvas = abc()
    assert clamp(canvas, Pos(0, 7)) == Pos(0, 2)
    assert clamp(canvas, Pos(0, -3)) == Pos(0, 0)
    assert clamp(canvas, Pos(0, 1)) == Pos(0, 1)
    assert clamp(canvas, Pos(5, 4)) == Pos(5, 0)  # empty block


# -- items: plain or carrying more ---------------------------------------------------------


def test_an_item_is_plain_only_without_status_tags_note_or_unknown_fields() -> None:
    assert Item("x").plain
    assert not Item("x", status="assumption").plain
    assert not Item("x", tags=("a",)).plain
    assert not Item("x", note="n").plain
    assert not Item("x", extra=(("colour", "red"),)).plain


def test_with_text_keeps_everything_else() -> None:
    assert RICH.with_text("new") == Item("new", RICH.status, RICH.tags, RICH.note)


def test_status_counts_per_block_and_for_the_canvas() -> None:
    canvas = make(
        [Item("a", "validated"), Item("b", "validated"), Item("c", "testing"), "d"],
        [Item("e", "invalidated")],
    )
    assert canvas.status_counts(0) == {
        "assumption": 0,
        "testing": 1,
        "validated": 2,
        "invalidated": 0,
    }
    assert canvas.status_counts() == {
        "assumption": 0,
        "testing": 1,
        "validated": 2,
        "invalidated": 1,
    }
    assert list(canvas.status_counts(5)) == list(STATUSES)
    assert set(canvas.status_counts(5).values()) == {0}


# -- add / insert / edit / delete ----------------------------------------------------------


def test_add_item_appends_and_puts_cursor_on_it() -> None:
    canvas, cursor = add_item(abc(), 0, "d")
    assert texts(canvas, 0) == ("a", "b", "c", "d")
    assert cursor == Pos(0, 3)


def test_add_item_to_empty_block() -> None:
    original = abc()
    canvas, cursor = add_item(original, 8, "money")
    assert texts(canvas, 8) == ("money",)
    assert cursor == Pos(8, 0)
    assert original.items(8) == ()  # pure: the input is unchanged
    assert canvas.items(0) == original.items(0)


def test_add_item_takes_an_item_with_its_metadata() -> None:
    canvas, cursor = add_item(abc(), 0, RICH)
    assert canvas.item(cursor) == RICH


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
    assert texts(edit.canvas, 0) == expected
    assert edit.cursor == Pos(0, cursor)
    assert edit.canvas.item(edit.cursor) == Item("x")


def test_insert_into_empty_block() -> None:
    canvas, cursor = insert_item(empty(), 4, 0, "only")
    assert texts(canvas, 4) == ("only",)
    assert cursor == Pos(4, 0)


def test_insert_items_puts_them_in_order_cursor_on_the_last() -> None:
    canvas, cursor = insert_items(abc(), 0, 1, [Item("x"), RICH, Item("y")])
    assert texts(canvas, 0) == ("a", "x", "rich", "y", "b", "c")
    assert canvas.item(Pos(0, 2)) == RICH
    assert cursor == Pos(0, 3)


def test_edit_item_replaces_text_only_there() -> None:
    canvas, cursor = edit_item(abc(), Pos(0, 1), "B!")
    assert texts(canvas, 0) == ("a", "B!", "c")
    assert cursor == Pos(0, 1)
    assert canvas.title == "T"


def test_edit_item_keeps_status_tags_and_note() -> None:
    canvas, _ = edit_item(make([RICH]), Pos(0, 0), "richer")
    assert canvas.item(Pos(0, 0)) == RICH.with_text("richer")


def test_replace_item_puts_a_whole_item_in_place() -> None:
    canvas, cursor = replace_item(abc(), Pos(0, 1), RICH)
    assert canvas.items(0) == (Item("a"), RICH, Item("c"))
    assert cursor == Pos(0, 1)


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
    assert texts(canvas, 0) == expected
    assert pos == Pos(0, cursor)


def test_delete_only_item_leaves_empty_block_cursor_at_zero() -> None:
    canvas, cursor = delete_item(make(["solo"]), Pos(0, 0))
    assert canvas.items(0) == ()
    assert cursor == Pos(0, 0)


# -- move inside a block -------------------------------------------------------------------


def test_move_item_down_and_up() -> None:
    canvas, cursor = move_item(abc(), Pos(0, 0), +1)
    assert texts(canvas, 0) == ("b", "a", "c")
    assert cursor == Pos(0, 1)
    canvas, cursor = move_item(canvas, cursor, +1)
    assert texts(canvas, 0) == ("b", "c", "a")
    assert cursor == Pos(0, 2)
    canvas, cursor = move_item(canvas, cursor, -1)
    assert texts(canvas, 0) == ("b", "a", "c")
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
    assert texts(canvas, 0) == ("b", "c", "a")
    assert cursor == Pos(0, 2)
    canvas, cursor = move_item(abc(), Pos(0, 2), -10)
    assert texts(canvas, 0) == ("c", "a", "b")
    assert cursor == Pos(0, 0)


def test_move_item_single_and_empty_block_are_no_ops() -> None:
    single = make(["x"])
    assert move_item(single, Pos(0, 0), 1) == Edit(single, Pos(0, 0))
    assert move_item(single, Pos(0, 0), -1) == Edit(single, Pos(0, 0))
    blank = empty()
    assert move_item(blank, Pos(3, 0), 1) == Edit(blank, Pos(3, 0))
    assert move_item(blank, Pos(3, 0), -1) == Edit(blank, Pos(3, 0))


def test_move_item_carries_its_metadata() -> None:
    canvas, cursor = move_item(make(["a", RICH]), Pos(0, 1), -1)
    assert canvas.item(cursor) == RICH
    assert cursor == Pos(0, 0)


# -- move to another block -----------------------------------------------------------------


def test_move_to_block_appends_and_cursor_follows() -> None:
    start = make(["a", "b", "c"], ["x"])
    canvas, cursor = move_to_block(start, Pos(0, 1), 1)
    assert texts(canvas, 0) == ("a", "c")
    assert texts(canvas, 1) == ("x", "b")
    assert cursor == Pos(1, 1)
    assert canvas.item(cursor) == Item("b")
    assert canvas.item_count == start.item_count


def test_move_to_empty_block() -> None:
    canvas, cursor = move_to_block(abc(), Pos(0, 2), 8)
    assert texts(canvas, 0) == ("a", "b")
    assert texts(canvas, 8) == ("c",)
    assert cursor == Pos(8, 0)


def test_move_to_same_block_is_a_no_op() -> None:
    start = abc()
    assert move_to_block(start, Pos(0, 1), 0) == Edit(start, Pos(0, 1))


def test_move_to_block_at_an_index() -> None:
    start = make(["a", "b"], ["x", "y"])
    canvas, cursor = move_to_block(start, Pos(0, 0), 1, at=1)
    assert texts(canvas, 0) == ("b",)
    assert texts(canvas, 1) == ("x", "a", "y")
    assert cursor == Pos(1, 1)
    # inside its own block, `at` places it there
    canvas, cursor = move_to_block(start, Pos(1, 1), 1, at=0)
    assert texts(canvas, 1) == ("y", "x")
    assert cursor == Pos(1, 0)


def test_move_to_block_carries_status_tags_and_note() -> None:
    canvas, cursor = move_to_block(make([RICH]), Pos(0, 0), 5)
    assert canvas.item(cursor) == RICH
    assert cursor == Pos(5, 0)


def test_move_to_block_via_spatial_neighbours() -> None:
    """H / L: move to the block left / right of the current one."""
    start = make([], ["task"])
    right = TECH.neighbour(KA, "right")
    assert right == VP
    assert right is not None
    canvas, cursor = move_to_block(start, Pos(KA, 0), right)
    assert texts(canvas, VP) == ("task",)
    assert cursor == Pos(VP, 0)
    left = TECH.neighbour(VP, "left")
    assert left == KA
    assert left is not None
    canvas, cursor = move_to_block(canvas, cursor, left)
    assert canvas == start
    assert cursor == Pos(KA, 0)


# -- paste ---------------------------------------------------------------------------------


def test_paste_below_cursor() -> None:
    canvas, cursor = paste_items(abc(), Pos(0, 0), [Item("p")])
    assert texts(canvas, 0) == ("a", "p", "b", "c")
    assert cursor == Pos(0, 1)


def test_paste_below_last_item() -> None:
    canvas, cursor = paste_items(abc(), Pos(0, 2), [Item("p")])
    assert texts(canvas, 0) == ("a", "b", "c", "p")
    assert cursor == Pos(0, 3)


def test_paste_into_empty_block() -> None:
    canvas, cursor = paste_items(abc(), Pos(6, 0), [Item("p")])
    assert texts(canvas, 6) == ("p",)
    assert cursor == Pos(6, 0)


def test_copy_then_paste_duplicates_the_whole_item() -> None:
    start = make(["a", RICH, "c"])
    copied = start.item(Pos(0, 1))
    canvas, cursor = paste_items(start, Pos(0, 1), [copied])
    assert texts(canvas, 0) == ("a", "rich", "rich", "c")
    assert canvas.item(cursor) == RICH
    assert cursor == Pos(0, 2)


def test_paste_of_several_items_cursor_on_the_last() -> None:
    canvas, cursor = paste_items(abc(), Pos(0, 0), [Item("p"), Item("q")])
    assert texts(canvas, 0) == ("a", "p", "q", "b", "c")
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
    assert texts(canvas, 0) == ("a", "new", "b", "c")
    assert cursor == Pos(0, 1)


def test_commit_new_item_in_empty_block() -> None:
    canvas, cursor = commit_text(empty(), Pos(2, 0), "first", new=True)
    assert texts(canvas, 2) == ("first",)
    assert cursor == Pos(2, 0)


def test_commit_new_item_below_last() -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 3), "d", new=True)
    assert texts(canvas, 0) == ("a", "b", "c", "d")
    assert cursor == Pos(0, 3)


def test_commit_existing_item_edits_and_strips() -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 2), "\tC  \n", new=False)
    assert texts(canvas, 0) == ("a", "b", "C")
    assert cursor == Pos(0, 2)


def test_commit_existing_item_keeps_its_metadata() -> None:
    canvas, _ = commit_text(make([RICH]), Pos(0, 0), " edited ", new=False)
    assert canvas.item(Pos(0, 0)) == RICH.with_text("edited")


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
    start = empty()
    canvas, cursor = commit_text(start, Pos(4, 0), "  ", new=True)
    assert canvas == start
    assert cursor == Pos(4, 0)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_commit_empty_existing_item_deletes_it(text: str) -> None:
    canvas, cursor = commit_text(abc(), Pos(0, 1), text, new=False)
    assert texts(canvas, 0) == ("a", "c")
    assert cursor == Pos(0, 1)


def test_commit_empty_existing_last_item() -> None:
    canvas, cursor = commit_text(make(["a"]), Pos(0, 0), " ", new=False)
    assert canvas.items(0) == ()
    assert cursor == Pos(0, 0)


def test_commit_keeps_inner_whitespace() -> None:
    canvas, _ = commit_text(abc(), Pos(0, 0), "  two  words\tand tab ", new=False)
    assert canvas.item(Pos(0, 0)) == Item("two  words\tand tab")


# -- commit_lines (a paste of several lines into the item editor) --------------------------


def test_commit_lines_new_makes_one_item_per_non_empty_line() -> None:
    canvas, cursor = commit_lines(abc(), Pos(0, 1), ["x", "", " y ", "   ", "z"], new=True)
    assert texts(canvas, 0) == ("a", "x", "y", "z", "b", "c")
    assert cursor == Pos(0, 3)


def test_commit_lines_edit_changes_the_first_and_adds_the_rest_after_it() -> None:
    canvas, cursor = commit_lines(make(["a", RICH, "c"]), Pos(0, 1), ["r2", "more"], new=False)
    assert texts(canvas, 0) == ("a", "r2", "more", "c")
    assert canvas.item(Pos(0, 1)) == RICH.with_text("r2")  # the edited item keeps its metadata
    assert canvas.item(Pos(0, 2)) == Item("more")
    assert cursor == Pos(0, 2)


def test_commit_lines_one_line_is_commit_text() -> None:
    for new in (True, False):
        assert commit_lines(abc(), Pos(0, 1), [" q "], new=new) == commit_text(
            abc(), Pos(0, 1), " q ", new=new
        )


def test_commit_lines_of_nothing() -> None:
    start = abc()
    assert commit_lines(start, Pos(0, 1), ["", "  "], new=True).canvas == start
    canvas, cursor = commit_lines(start, Pos(0, 1), ["", " "], new=False)
    assert texts(canvas, 0) == ("a", "c")
    assert cursor == Pos(0, 1)


# -- status, tags and notes ----------------------------------------------------------------


def test_next_status_cycles_through_none_and_every_status() -> None:
    forward = [None]
    for _ in range(5):
        forward.append(next_status(forward[-1], 1))
    assert forward == [None, "assumption", "testing", "validated", "invalidated", None]
    backward = [None]
    for _ in range(5):
        backward.append(next_status(backward[-1], -1))
    assert backward == [None, "invalidated", "validated", "testing", "assumption", None]


def test_set_status_tags_and_note_change_only_that() -> None:
    start = make(["a", "b"])
    canvas, cursor = set_status(start, Pos(0, 1), "validated")
    assert canvas.item(Pos(0, 1)) == Item("b", status="validated")
    assert canvas.item(Pos(0, 0)) == Item("a")
    assert cursor == Pos(0, 1)
    canvas, _ = set_tags(canvas, Pos(0, 1), ["pricing", "b2b", "pricing"])
    assert canvas.item(Pos(0, 1)).tags == ("pricing", "b2b")  # duplicates dropped, in order
    canvas, _ = set_note(canvas, Pos(0, 1), "line 1\nline 2")
    assert canvas.item(Pos(0, 1)) == Item("b", "validated", ("pricing", "b2b"), "line 1\nline 2")
    canvas, _ = set_status(canvas, Pos(0, 1), None)
    canvas, _ = set_tags(canvas, Pos(0, 1), [])
    canvas, _ = set_note(canvas, Pos(0, 1), "")
    assert canvas == start
    assert canvas.item(Pos(0, 1)).plain


@pytest.mark.parametrize(
    ("typed", "tags", "bad"),
    [
        ("pricing, b2b", ("pricing", "b2b"), []),
        ("#Pricing #B2B", ("pricing", "b2b"), []),
        ("a,,b  c\tb", ("a", "b", "c"), []),
        ("ok bad_tag -x", ("ok",), ["bad_tag", "-x"]),
        ("", (), []),
        ("  ,  ", (), []),
        ("co-op 2024", ("co-op", "2024"), []),
    ],
)
def test_parse_tags(typed: str, tags: tuple[str, ...], bad: list[str]) -> None:
    assert parse_tags(typed) == (tags, bad)


# -- step (up / down through items and blocks) ---------------------------------------------


def full() -> Canvas:
    """Every block holds two items named after it."""
    return Canvas.from_lists("t", [[f"{b}.0", f"{b}.1"] for b in range(9)])


def test_step_within_block() -> None:
    canvas = full()
    assert step(canvas, Pos(KP, 0), +1, TECH) == Pos(KP, 1)
    assert step(canvas, Pos(KP, 1), -1, TECH) == Pos(KP, 0)


def test_step_down_past_last_item_enters_block_below_at_first_item() -> None:
    canvas = full()
    assert step(canvas, Pos(KA, 1), +1, TECH) == Pos(KR, 0)
    assert step(canvas, Pos(KR, 1), +1, TECH) == Pos(COST, 0)
    assert step(canvas, Pos(CR, 1), +1, TECH) == Pos(CH, 0)
    assert step(canvas, Pos(CH, 1), +1, TECH) == Pos(REV, 0)
    assert step(canvas, Pos(KP, 1), +1, TECH) == Pos(COST, 0)
    assert step(canvas, Pos(VP, 1), +1, TECH) == Pos(COST, 0)
    assert step(canvas, Pos(CS, 1), +1, TECH) == Pos(REV, 0)


def test_step_up_past_first_item_enters_block_above_at_last_item() -> None:
    canvas = full()
    assert step(canvas, Pos(KR, 0), -1, TECH) == Pos(KA, 1)
    assert step(canvas, Pos(COST, 0), -1, TECH) == Pos(KR, 1)
    assert step(canvas, Pos(REV, 0), -1, TECH) == Pos(CH, 1)
    assert step(canvas, Pos(CH, 0), -1, TECH) == Pos(CR, 1)


@pytest.mark.parametrize("block", [KP, KA, VP, CR, CS])
def test_step_up_at_top_edge_stays(block: int) -> None:
    assert step(full(), Pos(block, 0), -1, TECH) == Pos(block, 0)


@pytest.mark.parametrize("block", [COST, REV])
def test_step_down_at_bottom_edge_stays(block: int) -> None:
    assert step(full(), Pos(block, 1), +1, TECH) == Pos(block, 1)


def test_step_into_empty_block_and_through_it() -> None:
    canvas = make([], ["ka"], [], [], [], [], [], ["cost1", "cost2"])
    assert step(canvas, Pos(KA, 0), +1, TECH) == Pos(KR, 0)  # KR is empty
    assert not canvas.has_item(Pos(KR, 0))
    assert step(canvas, Pos(KR, 0), +1, TECH) == Pos(COST, 0)  # leaves the empty block downwards
    assert step(canvas, Pos(COST, 0), -1, TECH) == Pos(KR, 0)  # empty block from below
    assert step(canvas, Pos(KR, 0), -1, TECH) == Pos(KA, 0)  # and up out of it


def test_step_on_empty_block_at_edge_stays() -> None:
    canvas = empty()
    assert step(canvas, Pos(KP, 0), -1, TECH) == Pos(KP, 0)
    assert step(canvas, Pos(REV, 0), +1, TECH) == Pos(REV, 0)


def test_step_down_from_block_one_to_cost_and_back_up_goes_to_resources() -> None:
    """Up/down follow the derived neighbours, so the walk is not always reversible."""
    canvas = full()
    pos = step(canvas, Pos(KP, 1), +1, TECH)
    assert pos == Pos(COST, 0)
    assert step(canvas, pos, -1, TECH) == Pos(KR, 1)


def test_step_follows_the_canvas_template() -> None:
    """On a Lean Canvas, down from Solution (2) is Key Metrics (3), not what tech-bmc says."""
    canvas = Canvas.from_lists("lean", [["x"]] * len(LEAN.blocks), template="lean")
    solution = LEAN.find_block("solution")
    metrics = LEAN.find_block("key_metrics")
    assert solution is not None
    assert metrics is not None
    assert step(canvas, Pos(solution.index, 0), +1, LEAN) == Pos(metrics.index, 0)


def test_left_right_walk_the_top_row_and_back() -> None:
    seen = [KP]
    while (nxt := TECH.neighbour(seen[-1], "right")) is not None:
        seen.append(nxt)
    assert seen == [KP, KA, VP, CR, CS]
    back = [CS]
    while (prev := TECH.neighbour(back[-1], "left")) is not None:
        back.append(prev)
    assert back == [CS, CR, VP, KA, KP]


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
    assert find(searchable(), "   ") == ()


def test_find_does_not_search_the_title() -> None:
    assert find(searchable(), "Search") == ()


def tagged() -> Canvas:
    return make(
        [
            Item("Cloud hosting", "validated", ("infra", "cost")),
            Item("Stripe", "testing", ("payments",), note="Fees under 3% in the EU"),
            "Plain cloud item",
        ],
        [Item("Partner fees", "assumption", ("cost",))],
    )


def test_find_words_match_text_and_notes() -> None:
    assert find(tagged(), "fees") == (Pos(0, 1), Pos(1, 0))  # the note, then the text
    assert find(tagged(), "EU") == (Pos(0, 1),)


def test_find_tags_statuses_and_their_combination() -> None:
    canvas = tagged()
    assert find(canvas, "#cost") == (Pos(0, 0), Pos(1, 0))
    assert find(canvas, "#COST") == (Pos(0, 0), Pos(1, 0))
    assert find(canvas, "is:validated") == (Pos(0, 0),)
    assert find(canvas, "is:none") == (Pos(0, 2),)
    assert find(canvas, "#cost is:assumption") == (Pos(1, 0),)  # terms combine with AND
    assert find(canvas, "cloud #infra") == (Pos(0, 0),)
    assert find(canvas, "cloud is:none") == (Pos(0, 2),)
    assert find(canvas, "#nothing") == ()


def test_find_quoted_phrase() -> None:
    canvas = make(["free tier plan", "tier free"])
    assert find(canvas, '"free tier"') == (Pos(0, 0),)
    assert find(canvas, "free tier") == (Pos(0, 0), Pos(0, 1))


def test_an_unknown_status_matches_nothing_and_is_reported() -> None:
    query = parse_query("cloud is:bogus")
    assert query.problems == ("is:bogus",)
    assert find(tagged(), query) == ()


def test_parse_query() -> None:
    assert parse_query('Cloud "Free Tier" #Pricing is:testing is:none') == Query(
        words=("cloud", "free tier"),
        tags=("pricing",),
        statuses=("testing", None),
    )
    assert parse_query("").empty
    assert parse_query('""').empty
    assert not parse_query("#x").empty
    assert parse_query("# is:").words == ("#", "is:")  # too short to be terms: words


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
    state = Edit(empty(), Pos(0, 0))
    assert history.undo(state) is None
    assert history.redo(state) is None


def test_record_undo_redo() -> None:
    s0 = Edit(empty(), Pos(0, 0))
    s1 = add_item(s0.canvas, 0, "a")
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
    s0 = Edit(empty(), Pos(0, 0))
    s1 = add_item(s0.canvas, 0, "a")
    history = History().record(s0)
    undone = history.undo(s1)
    assert undone is not None
    history, state = undone
    assert history.can_redo
    s2 = add_item(state.canvas, 0, "b")
    history = history.record(state)
    assert not history.can_redo
    assert history.redo(s2) is None
    undone = history.undo(s2)
    assert undone is not None
    assert undone[1] == s0


def test_history_is_immutable() -> None:
    history = History()
    recorded = history.record(Edit(empty(), Pos(0, 0)))
    assert history.past == ()
    assert recorded.past != ()


def test_undo_chain_of_150_steps() -> None:
    state = Edit(empty(), Pos(0, 0))
    states = [state]
    history = History()
    for number in range(150):
        history = history.record(state)
        state = add_item(state.canvas, number % 9, f"item {number}")
        states.append(state)
    for expected in reversed(states[:-1]):
        undone = history.undo(state)
        assert undone is not None
        history, state = undone
        assert state == expected
    assert state.canvas == empty()
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
        history = history.record(Edit(empty(str(number)), Pos(0, 0)))
    assert [state.canvas.title for state in history.past] == ["2", "3", "4"]
    assert History().limit >= 100


# -- the editing session -------------------------------------------------------------------


def session_of(*blocks: list[str | Item]) -> Session:
    return Session(make(*blocks), TECH)


def test_session_starts_on_the_first_item_of_block_one() -> None:
    session = session_of(["a", "b"])
    assert session.cursor == Pos(0, 0)
    assert session.current_item == Item("a")
    assert session.current_text == "a"
    assert session.version == 0


def test_session_commit_of_several_lines_is_one_undo_step() -> None:
    session = session_of(["a", "b"])
    session.commit(session.insert_position(below=True), "one\n\ntwo\nthree", new=True)
    assert session.canvas.texts(0) == ("a", "one", "two", "three", "b")
    assert session.cursor == Pos(0, 3)
    assert session.undo() is not None
    assert session.canvas.texts(0) == ("a", "b")
    assert session.cursor == Pos(0, 0)


def test_session_commit_of_nothing_changes_nothing() -> None:
    session = session_of(["a"])
    change = session.commit(session.add_position(), "  \n ", new=True)
    assert change.blocks == frozenset()
    assert session.version == 0
    assert not session.history.can_undo


def test_session_paste_lines_adds_one_item_per_line_below_the_cursor() -> None:
    session = session_of(["a", "b"])
    change = session.paste_lines(["  x ", "", "y"])
    assert change.blocks == frozenset({0})
    assert session.canvas.texts(0) == ("a", "x", "y", "b")
    assert session.cursor == Pos(0, 2)
    session.undo()
    assert session.canvas.texts(0) == ("a", "b")
    assert session.paste_lines(["", "  "]).blocks == frozenset()


def test_session_cycle_status_each_press_one_undo_step() -> None:
    session = session_of(["a"])
    seen = []
    for _ in range(5):
        session.cycle_status(1)
        item = session.current_item
        assert item is not None
        seen.append(item.status)
    assert seen == ["assumption", "testing", "validated", "invalidated", None]
    session.cycle_status(-1)
    assert session.current_item == Item("a", "invalidated")
    for expected in ["invalidated", None, "invalidated", "validated", "testing", "assumption"]:
        item = session.current_item
        assert item is not None
        assert item.status == expected
        assert session.undo() is not None
    assert session.current_item == Item("a")
    assert not session.history.can_undo


def test_session_tags_and_note_are_undoable_and_need_an_item() -> None:
    session = session_of(["a"])
    session.set_tags(["pricing", "b2b"])
    session.set_note("\nfirst line\nsecond line\n\n")
    assert session.current_item == Item(
        "a", tags=("pricing", "b2b"), note="first line\nsecond line"
    )
    session.undo()
    assert session.current_item == Item("a", tags=("pricing", "b2b"))
    session.undo()
    assert session.current_item == Item("a")
    session.focus(5)  # an empty block: nothing to change
    assert session.set_tags(["x"]).blocks == frozenset()
    assert session.set_note("n").blocks == frozenset()
    assert session.cycle_status(1).blocks == frozenset()


def test_session_copy_paste_and_moves_carry_metadata() -> None:
    session = session_of(["a", RICH])
    session.place(Pos(0, 1))
    assert session.copy() == RICH
    session.paste()
    assert session.canvas.items(0) == (Item("a"), RICH, RICH)
    session.move_to_neighbour("down")
    assert session.cursor == Pos(COST, 0)
    assert session.current_item == RICH
    session.delete()
    session.focus(REV)
    session.paste()  # a deleted item can be pasted back, whole
    assert session.canvas.items(REV) == (RICH,)


def test_session_filter_shows_only_matches_and_steps_over_the_rest() -> None:
    session = session_of(
        [Item("a", tags=("x",)), "b", Item("c", tags=("x",))],
        [],
        [],
        [],
        ["e", Item("f", tags=("x",))],
    )
    assert not session.toggle_filter()  # no search: nothing to filter by
    assert not session.filtering
    session.search("#x")
    assert session.matches == (Pos(0, 0), Pos(0, 2), Pos(4, 1))
    assert session.toggle_filter()
    assert session.filtering
    assert session.visible_items(0) == [0, 2]
    assert session.visible_items(4) == [1]
    assert session.visible_items(3) == []
    session.place(Pos(0, 0))
    session.step(1)
    assert session.cursor == Pos(0, 2)  # past the hidden "b"
    session.step(-1)
    assert session.cursor == Pos(0, 0)
    session.focus(4)
    assert session.cursor == Pos(4, 1)  # onto the one item shown there
    assert not session.toggle_filter()
    assert session.visible_items(4) == [0, 1]


def test_session_filter_move_jumps_over_hidden_items() -> None:
    session = session_of([Item("a", tags=("x",)), "b", Item("c", tags=("x",))])
    session.search("#x")
    session.toggle_filter()
    session.place(Pos(0, 0))
    session.move(1)
    assert session.canvas.texts(0) == ("b", "c", "a")
    assert session.cursor == Pos(0, 2)


def test_clear_search_leaves_filter_mode() -> None:
    session = session_of([Item("a", tags=("x",)), "b"])
    session.search("#x")
    session.toggle_filter()
    assert session.clear_search()
    assert not session.filtering
    assert session.matches == ()
    assert session.visible_items(0) == [0, 1]


def test_session_search_follows_edits() -> None:
    session = session_of(["apple", "berry"])
    assert session.search("berry") == 1
    assert session.cursor == Pos(0, 1)
    assert session.search_status == "1/1"
    session.cycle_status(1)
    assert session.matches == (Pos(0, 1),)
    session.search("is:assumption")
    assert session.matches == (Pos(0, 1),)
    session.cycle_status(1)  # now testing: no longer a match
    assert session.matches == ()
    assert session.search_status == "no match"


# -- properties ----------------------------------------------------------------------------

texts_st = st.text(max_size=12)
tags_st = st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,6}", fullmatch=True), max_size=3)
items_st = st.one_of(
    texts_st.map(Item),
    st.builds(
        Item,
        texts_st,
        st.sampled_from([None, *STATUSES]),
        tags_st.map(lambda tags: tuple(dict.fromkeys(tags))),
        st.text(max_size=12),
    ),
)
blocks_st = st.integers(min_value=0, max_value=8)
ops = st.one_of(
    st.tuples(st.just("add"), blocks_st, texts_st),
    st.tuples(st.just("insert"), blocks_st, st.integers(-2, 12), texts_st),
    st.tuples(st.just("edit"), texts_st),
    st.tuples(st.just("delete")),
    st.tuples(st.just("move"), st.integers(-3, 3)),
    st.tuples(st.just("move_to"), blocks_st),
    st.tuples(st.just("paste"), st.lists(items_st, min_size=1, max_size=3)),
    st.tuples(st.just("retitle"), texts_st),
    st.tuples(st.just("commit"), texts_st, st.booleans()),
    st.tuples(st.just("lines"), st.lists(texts_st, max_size=3), st.booleans()),
    st.tuples(st.just("status"), st.sampled_from([-1, 1])),
    st.tuples(st.just("tags"), tags_st),
    st.tuples(st.just("note"), st.text(max_size=12)),
    st.tuples(st.just("step"), st.sampled_from([-1, 1])),
    st.tuples(st.just("goto"), blocks_st),
)
canvases = st.builds(
    Canvas.from_lists,
    texts_st,
    st.lists(st.lists(items_st, max_size=4), min_size=9, max_size=9),
)


def apply(state: Edit, op: tuple[object, ...]) -> tuple[Edit, bool]:
    """Apply one random operation; returns the new state and whether it is an edit."""
    canvas, cursor = state
    kind = op[0]
    on_item = canvas.has_item(cursor)
    if kind == "add":
        return add_item(canvas, op[1], op[2]), True  # type: ignore[arg-type]
    if kind == "insert":
        return insert_item(canvas, op[1], op[2], op[3]), True  # type: ignore[arg-type]
    if kind == "edit" and on_item:
        return edit_item(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "delete" and on_item:
        return delete_item(canvas, cursor), True
    if kind == "move" and on_item:
        return move_item(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "move_to" and on_item:
        return move_to_block(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "paste":
        return paste_items(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "retitle":
        return Edit(retitle(canvas, op[1]), cursor), True  # type: ignore[arg-type]
    if kind == "commit" and (op[2] or on_item):
        return commit_text(canvas, cursor, op[1], new=op[2]), True  # type: ignore[arg-type]
    if kind == "lines" and (op[2] or on_item):
        return commit_lines(canvas, cursor, op[1], new=op[2]), True  # type: ignore[arg-type]
    if kind == "status" and on_item:
        status = next_status(canvas.item(cursor).status, op[1])  # type: ignore[arg-type]
        return set_status(canvas, cursor, status), True
    if kind == "tags" and on_item:
        return set_tags(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "note" and on_item:
        return set_note(canvas, cursor, op[1]), True  # type: ignore[arg-type]
    if kind == "step":
        return Edit(canvas, step(canvas, cursor, op[1], TECH)), False  # type: ignore[arg-type]
    if kind == "goto":
        return Edit(canvas, clamp(canvas, Pos(op[1], 0))), False  # type: ignore[arg-type]
    return state, False


@settings(max_examples=150, deadline=None)
@given(start=canvases, sequence=st.lists(ops, max_size=40))
def test_random_edits_then_as_many_undos_restore_the_start(
    start: Canvas, sequence: list[tuple[object, ...]]
) -> None:
    state = Edit(start, Pos(0, 0))
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


@given(canvas=canvases, block=blocks_st, index=st.integers(0, 10), item=items_st)
def test_insert_then_delete_is_identity(canvas: Canvas, block: int, index: int, item: Item) -> None:
    inserted, cursor = insert_item(canvas, block, index, item)
    assert inserted.item(cursor) == item
    assert inserted.item_count == canvas.item_count + 1
    assert delete_item(inserted, cursor).canvas == canvas


@given(canvas=canvases, data=st.data())
def test_move_keeps_the_multiset_of_items(canvas: Canvas, data: st.DataObject) -> None:
    positions = [pos for pos, _ in iter_items(canvas)]
    if not positions:
        return
    pos = data.draw(st.sampled_from(positions))
    item = canvas.item(pos)
    moved, cursor = move_item(canvas, pos, data.draw(st.integers(-5, 5)))
    assert moved.item(cursor) == item
    assert sorted(map(repr, moved.items(pos.block))) == sorted(map(repr, canvas.items(pos.block)))
    target = data.draw(blocks_st)
    moved, cursor = move_to_block(canvas, pos, target)
    assert moved.item(cursor) == item
    assert cursor.block == target
    assert sorted(repr(i) for _, i in iter_items(moved)) == sorted(
        repr(i) for _, i in iter_items(canvas)
    )


WORD = st.text(
    alphabet=st.characters(exclude_categories=["Z", "Cc", "Cs"], exclude_characters='"#'),
    min_size=1,
    max_size=3,
)


@given(canvas=canvases, word=WORD)
def test_find_of_one_plain_word_is_a_casefolded_substring_search(canvas: Canvas, word: str) -> None:
    """Any word that is not a #tag or is: term matches the items whose text or note holds it."""
    if word.casefold().startswith("is:") or len(word.split()) != 1:
        return
    expected = [
        pos
        for pos, item in iter_items(canvas)
        if word.casefold() in item.text.casefold() or word.casefold() in item.note.casefold()
    ]
    assert list(find(canvas, word)) == expected
