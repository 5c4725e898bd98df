"""The editor, driven key by key through Textual's Pilot, checked on screen and on disk.

Every key of the editor's action table (canvas_tui/actions.py) is pressed here. A change
is checked twice: in the TOML file that the autosaver (or the flush at quit) writes, and on
the screen a person reads ("N Title (count)" on the block's border, "▸ text" on the cursor
item, a heavy border on the focused block).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.pilot import Pilot

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas, Pos
from canvas_tui.session import Session
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.autosave import DEFAULT_TIMINGS
from canvas_tui.template import Direction, default_template
from canvas_tui.ui.dialogs import HelpScreen, MoveScreen
from canvas_tui.ui.editor import EditorScreen
from helpers import (
    editor,
    file_state,
    post_keys,
    screen_text,
    screen_until,
    wait_for,
    wait_for_disk,
    write_canvas,
)

SIZE = (160, 50)
NARROW_SIZE = (80, 24)

Blocks = dict[int, Sequence[str]]  # block number (1..9) -> items


# -- helpers -------------------------------------------------------------------------------


def make_canvas(blocks: Blocks | None = None, title: str = "Test Canvas") -> Canvas:
    blocks = blocks or {}
    return Canvas.from_lists(title, [list(blocks.get(n, ())) for n in range(1, 10)])


def open_app(
    store: CanvasStore,
    blocks: Blocks | None = None,
    *,
    title: str = "Test Canvas",
    name: str = "test",
    read_only: bool = False,
) -> tuple[CanvasApp, Path]:
    path = write_canvas(store, name, make_canvas(blocks, title))
    return CanvasApp(store=store, canvas=name, read_only=read_only), path


def session(app: CanvasApp) -> Session:
    return editor(app).session


BLOCKS = default_template().blocks


def items(canvas: Canvas, number: int) -> list[str]:
    """The texts of block `number`'s items."""
    return list(canvas.texts(number - 1))


def title_of(number: int, count: int) -> str:
    """A block's title as its border shows it: "N Title (count)"."""
    return f"{number} {BLOCKS[number - 1].title} ({count})"


def has_focused_border(text: str, number: int) -> bool:
    """Whether the screen shows block `number` with the focused block's heavy top border
    ("┏━ N Title", or "┏ N Title" when the title fills the border)."""
    title = f"{number} {BLOCKS[number - 1].title}"
    return f"┏━ {title}" in text or f"┏ {title}" in text


async def disk_equals(pilot: Pilot[None], path: Path, expected: Canvas) -> None:
    """Wait for the autosave (~0.25 s after a change) to write `expected`."""
    canvas = await wait_for_disk(pilot, path, lambda canvas: canvas == expected, repr(expected))
    assert canvas == expected


async def disk_block(pilot: Pilot[None], path: Path, number: int, expected: Sequence[str]) -> None:
    """Wait for the autosave to write block `number` as `expected`."""
    what = f"block {number} to be {list(expected)}"
    canvas = await wait_for_disk(pilot, path, lambda c: items(c, number) == list(expected), what)
    assert items(canvas, number) == list(expected)


def find_on_screen(app: CanvasApp, text: str) -> tuple[int, int]:
    """The screen cell (x, y) where `text` starts."""
    for y, line in enumerate(screen_text(app).splitlines()):
        x = line.find(text)
        if x >= 0:
            return x, y
    raise AssertionError(f"{text!r} is not on screen")


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Keys as a terminal delivers a paste or fast typing (no waiting between them), then let
    the app settle. Used for typing text, where no step in between is checked."""
    post_keys(pilot.app, keys)
    await pilot.pause()


def assert_cursor(app: CanvasApp, pos: Pos, text: str | None = None) -> None:
    """The session's cursor is at `pos`, and the screen shows it there."""
    assert session(app).cursor == pos
    shown = screen_text(app)
    assert has_focused_border(shown, pos.block + 1)
    if text is not None:
        assert f"▸ {text}" in shown


# -- opening -------------------------------------------------------------------------------


async def test_opens_on_block_one_first_item(store: CanvasStore) -> None:
    app, _ = open_app(store, {1: ["p1", "p2"], 2: ["a1"], 4: ["v1", "v2", "v3"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_cursor(app, Pos(0, 0), "p1")
        text = screen_text(app)
        for number, count in [(1, 2), (2, 1), (3, 0), (4, 3), (8, 0), (9, 0)]:
            assert title_of(number, count) in text
        assert "Test Canvas" in text


async def test_every_block_title_shows_its_count(store: CanvasStore) -> None:
    """Every block title shows its item count, on the wide canvas too."""
    app, _ = open_app(store, {n: ["x"] * n for n in range(1, 10)})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        missing = [title_of(n, n) for n in range(1, 10) if title_of(n, n) not in text]
        assert missing == []


# -- moving around -------------------------------------------------------------------------


async def test_h_l_and_arrows_focus_spatial_neighbours(store: CanvasStore) -> None:
    app, _ = open_app(store, {n: [f"item {n}"] for n in range(1, 10)})
    # Every left/right relation of the template, with both spellings of each key.
    walk = [
        "h", "l", "right", "l", "right", "l", "h", "left", "h", "left",
        "3", "l", "6", "right", "6", "h", "3", "left", "8", "l", "right", "h", "left",
    ]  # fmt: skip
    direction: dict[str, Direction] = {"h": "left", "left": "left", "l": "right", "right": "right"}
    async with app.run_test(size=SIZE) as pilot:
        number = 1
        for key in walk:
            if key.isdigit():
                number = int(key)
            else:
                neighbour = default_template().neighbour(number - 1, direction[key])
                number = number if neighbour is None else neighbour + 1
            await pilot.press(key)
            assert session(app).block == number - 1, key
            shown = screen_text(app)
            assert has_focused_border(shown, number), key
            assert f"▸ item {number}" in shown


async def test_up_down_step_items_and_cross_into_blocks(store: CanvasStore) -> None:
    app, _ = open_app(
        store, {1: ["p1", "p2"], 2: ["a1", "a2"], 3: ["r1"], 5: ["cr1"], 8: ["c1"], 9: ["s1"]}
    )
    walk = [
        ("j", Pos(0, 1), "p2"),  # next item
        ("down", Pos(7, 0), "c1"),  # past the last item of 1: into 8 below it
        ("j", Pos(7, 0), "c1"),  # nothing below 8: stays
        ("k", Pos(2, 0), "r1"),  # above 8 is 3: its last item
        ("up", Pos(1, 1), "a2"),  # above 3 is 2: its last item
        ("k", Pos(1, 0), "a1"),
        ("up", Pos(1, 0), "a1"),  # nothing above 2: stays
        ("down", Pos(1, 1), "a2"),
        ("j", Pos(2, 0), "r1"),  # below 2 is 3
        ("5", Pos(4, 0), "cr1"),
        ("j", Pos(5, 0), None),  # 6 Channels: empty
        ("down", Pos(8, 0), "s1"),  # through the empty block, into 9
        ("k", Pos(5, 0), None),
        ("up", Pos(4, 0), "cr1"),
    ]
    async with app.run_test(size=SIZE) as pilot:
        for key, pos, text in walk:
            await pilot.press(key)
            assert session(app).cursor == pos, key
            assert_cursor(app, pos, text)


async def test_tab_shift_tab_and_digits(store: CanvasStore) -> None:
    app, _ = open_app(store, {n: [f"item {n}"] for n in range(1, 10)})
    async with app.run_test(size=SIZE) as pilot:
        order = []
        for _ in range(9):
            await pilot.press("tab")
            order.append(session(app).block + 1)
            assert has_focused_border(screen_text(app), order[-1])
        assert order == [2, 3, 4, 5, 6, 7, 8, 9, 1]
        await pilot.press("shift+tab")
        assert_cursor(app, Pos(8, 0), "item 9")
        await pilot.press("shift+tab")
        assert_cursor(app, Pos(7, 0), "item 8")
        for number in [5, 9, 1, 3, 7, 2, 8, 4, 6]:
            await pilot.press(str(number))
            assert_cursor(app, Pos(number - 1, 0), f"item {number}")


async def test_g_G_home_end_and_cursor_kept_per_block(store: CanvasStore) -> None:
    app, _ = open_app(store, {1: ["p1", "p2"], 2: ["a1", "a2", "a3", "a4"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "G")
        assert_cursor(app, Pos(1, 3), "a4")
        await pilot.press("g")
        assert_cursor(app, Pos(1, 0), "a1")
        await pilot.press("end")
        assert_cursor(app, Pos(1, 3), "a4")
        await pilot.press("home")
        assert_cursor(app, Pos(1, 0), "a1")
        await pilot.press("1", "end", "2")  # each block keeps its own cursor
        assert_cursor(app, Pos(1, 0), "a1")
        await pilot.press("1")
        assert_cursor(app, Pos(0, 1), "p2")


# -- adding and editing --------------------------------------------------------------------


async def test_a_adds_at_the_end_and_escape_cancels(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"]})
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "a", "g", "o", "n", "e", "escape")
        assert items(session(app).canvas, 1) == ["p1", "p2"]
        assert_cursor(app, Pos(0, 0), "p1")
        assert session(app).version == 0
        await pilot.press("a", "n", "e", "w", "enter")
        assert items(session(app).canvas, 1) == ["p1", "p2", "new"]
        assert_cursor(app, Pos(0, 2), "new")
        assert title_of(1, 3) in screen_text(app)
        await disk_block(pilot, path, 1, ["p1", "p2", "new"])


async def test_o_and_O_insert_below_and_above_the_cursor(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2", "p3"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "o", "b", "enter")
        assert items(session(app).canvas, 1) == ["p1", "p2", "b", "p3"]
        assert_cursor(app, Pos(0, 2), "b")
        await pilot.press("O", "c", "enter")
        assert items(session(app).canvas, 1) == ["p1", "p2", "c", "b", "p3"]
        assert_cursor(app, Pos(0, 2), "c")
        assert title_of(1, 5) in screen_text(app)
        await disk_block(pilot, path, 1, ["p1", "p2", "c", "b", "p3"])


async def test_enter_and_e_edit_escape_cancels(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "x", "enter")
        assert items(session(app).canvas, 1) == ["p1x", "p2"]
        assert_cursor(app, Pos(0, 0), "p1x")
        await pilot.press("j", "e", "y", "enter")
        assert items(session(app).canvas, 1) == ["p1x", "p2y"]
        assert_cursor(app, Pos(0, 1), "p2y")
        await pilot.press("e", "z", "escape")
        assert items(session(app).canvas, 1) == ["p1x", "p2y"]
        shown = screen_text(app)
        assert "p2yz" not in shown
        assert title_of(1, 2) in shown
        await disk_block(pilot, path, 1, ["p1x", "p2y"])


async def test_empty_text_deletes_an_item_and_adds_nothing(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "xy", "p3"]})
    async with app.run_test(size=SIZE) as pilot:
        # a new item left empty (or blank) is not added
        await burst(pilot, "a", "enter", "o", " ", "enter", "O", " ", " ", "enter")
        assert session(app).version == 0
        assert title_of(1, 3) in screen_text(app)
        await pilot.press("g", "j", "e", "backspace", "backspace", "enter")
        assert items(session(app).canvas, 1) == ["p1", "p3"]
        assert_cursor(app, Pos(0, 1), "p3")
        shown = screen_text(app)
        assert title_of(1, 2) in shown
        assert "xy" not in shown
        await disk_block(pilot, path, 1, ["p1", "p3"])


async def test_letters_in_the_field_are_text_not_commands(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"], 2: ["a1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"quit dd", "enter")
        assert app.is_running
        assert items(session(app).canvas, 1) == ["p1", "quit dd"]
        assert_cursor(app, Pos(0, 1), "quit dd")
        await pilot.press("e")
        await burst(pilot, *" hjklGJKLmyptz?/2")
        await pilot.press("enter")
        assert app.is_running
        assert isinstance(app.screen, EditorScreen)
        canvas = session(app).canvas
        assert items(canvas, 1) == ["p1", "quit dd hjklGJKLmyptz?/2"]
        assert items(canvas, 2) == ["a1"]
        assert canvas.title == "Test Canvas"
        assert_cursor(app, Pos(0, 1), "quit dd hjklGJKLmyptz?/2")
        await disk_block(pilot, path, 1, ["p1", "quit dd hjklGJKLmyptz?/2"])


async def test_enter_and_e_on_an_empty_block_add(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "r", "enter")
        assert_cursor(app, Pos(2, 0), "r")
        await pilot.press("5", "e", "c", "enter")
        assert_cursor(app, Pos(4, 0), "c")
        canvas = session(app).canvas
        assert items(canvas, 3) == ["r"]
        assert items(canvas, 5) == ["c"]
        assert title_of(3, 1) in screen_text(app)
        await disk_equals(pilot, path, make_canvas({1: ["p1"], 3: ["r"], 5: ["c"]}))


# -- deleting, moving, copying -------------------------------------------------------------


async def test_d_and_delete_remove_the_item(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2", "p3", "p4"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d")
        assert items(session(app).canvas, 1) == ["p1", "p3", "p4"]
        assert_cursor(app, Pos(0, 1), "p3")
        await pilot.press("G", "delete")
        assert items(session(app).canvas, 1) == ["p1", "p3"]
        assert_cursor(app, Pos(0, 1), "p3")
        shown = screen_text(app)
        assert title_of(1, 2) in shown
        assert "p2" not in shown
        await pilot.press("2", "d", "delete")  # an empty block: nothing to delete
        assert items(session(app).canvas, 1) == ["p1", "p3"]
        assert session(app).version == 2
        await disk_block(pilot, path, 1, ["p1", "p3"])


async def test_J_K_and_shift_arrows_move_the_item(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2", "p3"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        assert items(session(app).canvas, 1) == ["p2", "p1", "p3"]
        assert_cursor(app, Pos(0, 1), "p1")
        await pilot.press("shift+down", "shift+down")  # stops at the end
        assert items(session(app).canvas, 1) == ["p2", "p3", "p1"]
        assert_cursor(app, Pos(0, 2), "p1")
        await pilot.press("K", "shift+up", "K")  # stops at the top
        assert items(session(app).canvas, 1) == ["p1", "p2", "p3"]
        assert_cursor(app, Pos(0, 0), "p1")
        await pilot.press("j", "shift+up")
        assert items(session(app).canvas, 1) == ["p2", "p1", "p3"]
        assert_cursor(app, Pos(0, 0), "p2")
        await disk_block(pilot, path, 1, ["p2", "p1", "p3"])


async def test_H_L_and_shift_arrows_move_to_neighbour_block(store: CanvasStore) -> None:
    app, path = open_app(store, {2: ["a1", "a2"], 4: ["v1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "L")  # right of 2 is 4
        assert items(session(app).canvas, 2) == ["a2"]
        assert items(session(app).canvas, 4) == ["v1", "a1"]
        assert_cursor(app, Pos(3, 1), "a1")  # the cursor follows the item
        shown = screen_text(app)
        assert title_of(2, 1) in shown
        assert title_of(4, 2) in shown
        await pilot.press("shift+right")  # right of 4 is 5
        assert_cursor(app, Pos(4, 0), "a1")
        await pilot.press("H")  # back to 4, at its end
        assert_cursor(app, Pos(3, 1), "a1")
        await pilot.press("shift+left", "shift+left")  # 4 -> 2 -> 1
        assert_cursor(app, Pos(0, 0), "a1")
        await pilot.press("H", "shift+left")  # nothing left of 1
        assert_cursor(app, Pos(0, 0), "a1")
        expected = make_canvas({1: ["a1"], 2: ["a2"], 4: ["v1"]})
        assert session(app).canvas == expected
        await disk_equals(pilot, path, expected)


async def test_m_then_escape_then_m_then_digit(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"], 9: ["r1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        assert isinstance(app.screen, MoveScreen)
        assert "Move the item to block" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)
        assert "Move the item to block" not in screen_text(app)
        assert session(app).version == 0
        assert_cursor(app, Pos(0, 0), "p1")
        await pilot.press("m", "9")
        assert isinstance(app.screen, EditorScreen)
        assert items(session(app).canvas, 1) == ["p2"]
        assert items(session(app).canvas, 9) == ["r1", "p1"]
        assert_cursor(app, Pos(8, 1), "p1")
        assert title_of(9, 2) in screen_text(app)
        await disk_equals(pilot, path, make_canvas({1: ["p2"], 9: ["r1", "p1"]}))


async def test_y_then_p_pastes_below_the_cursor(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"], 2: ["a1", "a2"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "y", "2", "p")
        assert items(session(app).canvas, 2) == ["a1", "p2", "a2"]
        assert_cursor(app, Pos(1, 1), "p2")
        assert title_of(2, 3) in screen_text(app)
        await pilot.press("3", "p")  # an empty block: at its top
        assert_cursor(app, Pos(2, 0), "p2")
        expected = make_canvas({1: ["p1", "p2"], 2: ["a1", "p2", "a2"], 3: ["p2"]})
        assert session(app).canvas == expected
        await disk_equals(pilot, path, expected)


# -- undo and redo -------------------------------------------------------------------------


async def test_undo_redo_every_kind_of_change_one_step_each(store: CanvasStore) -> None:
    start: Blocks = {1: ["p1", "p2"], 2: ["a1"]}
    # (what, keys, blocks after, title after): each is one user action
    actions: list[tuple[str, list[str], Blocks, str]] = [
        ("add", ["a", "n", "enter"], {1: ["p1", "p2", "n"], 2: ["a1"]}, "T"),
        ("insert above", ["O", "o", "enter"], {1: ["p1", "p2", "o", "n"], 2: ["a1"]}, "T"),
        ("insert below", ["o", "b", "enter"], {1: ["p1", "p2", "o", "b", "n"], 2: ["a1"]}, "T"),
        ("edit", ["e", "x", "enter"], {1: ["p1", "p2", "o", "bx", "n"], 2: ["a1"]}, "T"),
        ("delete", ["d"], {1: ["p1", "p2", "o", "n"], 2: ["a1"]}, "T"),
        ("move down", ["g", "J"], {1: ["p2", "p1", "o", "n"], 2: ["a1"]}, "T"),
        ("move right", ["L"], {1: ["p2", "o", "n"], 2: ["a1", "p1"]}, "T"),
        ("move left", ["H"], {1: ["p2", "o", "n", "p1"], 2: ["a1"]}, "T"),
        ("move to 9", ["m", "9"], {1: ["p2", "o", "n"], 2: ["a1"], 9: ["p1"]}, "T"),
        ("paste", ["y", "2", "p"], {1: ["p2", "o", "n"], 2: ["a1", "p1"], 9: ["p1"]}, "T"),
        (
            "edit to empty",
            ["1", "G", "e", "backspace", "enter"],
            {1: ["p2", "o"], 2: ["a1", "p1"], 9: ["p1"]},
            "T",
        ),
        ("title", ["t", "ctrl+u", "N", "enter"], {1: ["p2", "o"], 2: ["a1", "p1"], 9: ["p1"]}, "N"),
    ]
    app, path = open_app(store, start, title="T")
    states = [make_canvas(start, "T")]
    async with app.run_test(size=SIZE) as pilot:
        for what, keys, blocks, title in actions:
            await burst(pilot, *keys)
            states.append(make_canvas(blocks, title))
            assert session(app).canvas == states[-1], what
        assert "N — test" in screen_text(app)
        await disk_equals(pilot, path, states[-1])

        for step in range(len(actions), 0, -1):
            await pilot.press("u")  # one action, one step back
            canvas = states[step - 1]
            assert session(app).canvas == canvas, f"undo {actions[step - 1][0]}"
            assert title_of(1, len(items(canvas, 1))) in screen_text(app)
        assert "T — test" in screen_text(app)
        await disk_equals(pilot, path, states[0])
        await pilot.press("u")  # nothing left to undo
        assert session(app).canvas == states[0]

        for step in range(1, len(actions) + 1):
            await pilot.press("U" if step % 2 else "ctrl+r")
            canvas = states[step]
            assert session(app).canvas == canvas, f"redo {actions[step - 1][0]}"
            assert title_of(2, len(items(canvas, 2))) in screen_text(app)
        assert "N — test" in screen_text(app)
        await disk_equals(pilot, path, states[-1])


async def test_undo_restores_the_cursor(store: CanvasStore) -> None:
    app, _ = open_app(store, {1: ["p1", "p2", "p3"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "d", "tab", "u")
        assert_cursor(app, Pos(0, 1), "p2")


# -- search --------------------------------------------------------------------------------


async def test_search_enter_n_N_escape(store: CanvasStore) -> None:
    app, _ = open_app(
        store, {1: ["apple", "Banana"], 4: ["banana split"], 7: ["x", "BANANA bread"]}
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await burst(pilot, *"banana")
        await pilot.press("enter")
        assert_cursor(app, Pos(0, 1), "Banana")  # the first match from the cursor on
        assert "/banana" in screen_text(app)
        walk = [
            ("n", Pos(3, 0), "banana split"),
            ("n", Pos(6, 1), "BANANA bread"),
            ("n", Pos(0, 1), "Banana"),  # wraps
            ("N", Pos(6, 1), "BANANA bread"),  # wraps back
            ("N", Pos(3, 0), "banana split"),
        ]
        for key, pos, text in walk:
            await pilot.press(key)
            assert_cursor(app, pos, text)
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)
        assert session(app).query == ""
        assert session(app).matches == ()
        assert "/banana" not in screen_text(app)
        assert_cursor(app, Pos(3, 0), "banana split")
        await pilot.press("5", "slash", *"BAN", "enter")  # from the cursor on: block 7
        assert_cursor(app, Pos(6, 1), "BANANA bread")


# -- views ---------------------------------------------------------------------------------


async def test_z_zooms_the_focused_block_and_back(store: CanvasStore) -> None:
    app, _ = open_app(store, {1: ["p1"], 2: ["a1"], 4: ["v1", "v2"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "z")
        shown = screen_text(app)
        assert title_of(4, 2) in shown
        assert "▸ v1" in shown
        for number, count in [(1, 1), (2, 1), (9, 0)]:
            assert title_of(number, count) not in shown
        assert "a1" not in shown
        await pilot.press("z")
        shown = screen_text(app)
        for number, count in [(1, 1), (2, 1), (4, 2), (9, 0)]:
            assert title_of(number, count) in shown
        assert_cursor(app, Pos(3, 0), "v1")


async def test_t_edits_the_title_escape_cancels(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]}, title="Old")
    async with app.run_test(size=SIZE) as pilot:
        assert "Old — test" in screen_text(app)
        await pilot.press("t", "ctrl+u", "X", "escape")
        assert session(app).canvas.title == "Old"
        assert session(app).version == 0
        await pilot.press("t", "ctrl+u")
        await burst(pilot, *"Acme q")
        await pilot.press("enter")
        assert session(app).canvas.title == "Acme q"
        assert "Acme q — test" in screen_text(app)
        await disk_equals(pilot, path, make_canvas({1: ["p1"]}, "Acme q"))


async def test_help_shows_every_key_and_the_focused_blocks_guidance(store: CanvasStore) -> None:
    app, _ = open_app(store, {4: ["v1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert BLOCKS[0].question in shown
        assert BLOCKS[0].prompts[-1] in shown
        for keys in ["← / h", "tab", "shift+tab", "1 … 9", "ctrl+s", "ctrl+p", "? / f1"]:
            assert keys in shown
        for action_id in ["focus_left", "add", "move_to_block", "status", "note", "quit"]:
            assert action_id in shown
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)
        assert BLOCKS[0].question not in screen_text(app)
        await pilot.press("4", "f1")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert BLOCKS[3].question in shown
        assert BLOCKS[0].question not in shown
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)
        assert_cursor(app, Pos(3, 0), "v1")


# -- saving and quitting -------------------------------------------------------------------


async def test_ctrl_s_saves_now_and_says_so(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a", "x", "enter", "ctrl+s")
        assert "Saved" in await screen_until(pilot, app, "Saved")
        assert items(load(path).canvas, 1) == ["p1", "x"]


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quit_right_after_an_edit_flushes(store: CanvasStore, quit_key: str) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "a", "x", "enter", "d", "a", "y", "enter")
        await pilot.press(quit_key)
        await pilot.pause()
        assert not app.is_running
    assert items(load(path).canvas, 1) == ["p1", "y"]


async def test_ctrl_q_commits_the_open_item_field(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await burst(pilot, *"half q")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert items(load(path).canvas, 1) == ["p1", "half q"]


async def test_ctrl_q_commits_the_open_title_field(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]}, title="Old")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "ctrl+u", "N", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert load(path).canvas.title == "N"


async def test_new_canvas_has_no_file_until_the_first_change(store: CanvasStore) -> None:
    path = store.path_for("fresh")
    app = CanvasApp(store=store, canvas="fresh")
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "l", "j", "tab", "z", "z", "slash", "x", "enter", "y", "a", "escape")
        await pilot.press("q")
    assert not path.exists()
    app = CanvasApp(store=store, canvas="fresh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        saver = editor(app).sync.saver
        assert saver is not None
        # A change would be queued at once (and written a debounce later): none is queued.
        await wait_for(pilot, lambda: not saver.dirty, what="nothing queued to save")
        assert not path.exists()
        await pilot.press("a", "f", "enter")
        assert_cursor(app, Pos(1, 0), "f")
        await disk_block(pilot, path, 2, ["f"])


# -- command palette -----------------------------------------------------------------------


async def test_palette_has_editor_commands_and_runs_add_item(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await burst(pilot, *"add it")
        shown = await screen_until(pilot, app, "keys: a")
        assert "keys: a" in shown  # the command, with its key
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        await burst(pilot, *"via p")
        await pilot.press("enter")
        assert items(session(app).canvas, 1) == ["p1", "via p"]
        assert_cursor(app, Pos(0, 1), "via p")
        await disk_block(pilot, path, 1, ["p1", "via p"])
        await pilot.press("ctrl+p")
        await burst(pilot, *"move it")
        assert "Move the item down" in await screen_until(pilot, app, "keys: J")


# -- narrow terminals ----------------------------------------------------------------------


async def test_narrow_shows_one_block_and_the_strip(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"], 2: ["a1"], 3: ["r1"]})
    async with app.run_test(size=NARROW_SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert title_of(1, 2) in shown
        assert "▸ p1" in shown
        assert "a1" not in shown
        assert "Key Activities (" not in shown
        for spec in BLOCKS:
            assert f"{spec.number} {spec.short}" in shown  # the strip
        await pilot.press("tab")
        shown = screen_text(app)
        assert title_of(2, 1) in shown
        assert "▸ a1" in shown
        assert "Key Partners (" not in shown
        assert "p1" not in shown
        await pilot.press("j", "a", "n", "enter")  # keys still work: into block 3, add
        shown = screen_text(app)
        assert title_of(3, 2) in shown
        assert "▸ n" in shown
        assert "Key Activities (" not in shown
        await disk_block(pilot, path, 3, ["r1", "n"])


# -- read-only -----------------------------------------------------------------------------

EDITING_KEYS = [
    "a", "x", "enter", "o", "y", "enter", "O", "w", "enter", "e", "enter", "d", "delete",
    "J", "K", "shift+down", "shift+up", "H", "L", "shift+left", "shift+right", "m", "9",
    "1", "y", "p", "u", "U", "ctrl+r", "t", "X", "enter", "ctrl+s",
]  # fmt: skip


async def test_read_only_editing_keys_do_nothing(store: CanvasStore) -> None:
    blocks: Blocks = {1: ["p1", "p2"], 2: ["a1"]}
    app, path = open_app(store, blocks, read_only=True)
    before = file_state(path)
    listing = sorted(p.name for p in store.canvases_dir.iterdir())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await burst(pilot, *EDITING_KEYS)
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        assert session(app).canvas == make_canvas(blocks)
        assert session(app).version == 0
        assert "read-only" in str(editor(app).sub_title)
        shown = screen_text(app)
        assert "test · read-only" in shown
        assert title_of(1, 2) in shown
        assert title_of(2, 1) in shown
        # Nothing must be written, and nothing marks a write that never comes: give a wrong
        # autosave twice its debounce to show itself before checking the file.
        await pilot.pause(2 * DEFAULT_TIMINGS.debounce)
        assert file_state(path) == before
        await pilot.press("q")
    assert file_state(path) == before
    assert sorted(p.name for p in store.canvases_dir.iterdir()) == listing


async def test_read_only_navigation_search_zoom_help_palette(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"], 4: ["v1 needle"]}, read_only=True)
    before = file_state(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "l")
        assert_cursor(app, Pos(3, 0), "v1 needle")
        await pilot.press("1", "slash")
        await burst(pilot, *"needle")
        await pilot.press("enter")
        assert_cursor(app, Pos(3, 0), "v1 needle")
        await pilot.press("z")
        assert title_of(1, 1) not in screen_text(app)
        await pilot.press("z", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert BLOCKS[3].question in screen_text(app)
        await pilot.press("escape", "ctrl+p")
        await burst(pilot, *"delete")
        await wait_for(
            pilot,
            lambda: any(text in screen_text(app) for text in ("No matches found", "keys: d")),
            what="the palette's search",
        )
        assert "keys: d" not in screen_text(app)  # no editing command in the palette
        await pilot.press("escape", "ctrl+q")
    assert file_state(path) == before


# -- untrusted text ------------------------------------------------------------------------

MARKUP = "[@click=app.quit]x[/]"


async def test_markup_in_text_is_shown_literally_and_inert(store: CanvasStore) -> None:
    app, path = open_app(store, {1: [MARKUP, "p2"]}, title="[b]T[/b]")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert MARKUP in shown
        assert "[b]T[/b]" in shown
        x, y = find_on_screen(app, MARKUP)
        for offset in (1, 3, len(MARKUP) - 4):  # on "[", on "@click=app.quit", on "x"
            await pilot.click(offset=(x + offset, y))
        await pilot.press("enter", "enter", "e", "escape")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert items(session(app).canvas, 1) == [MARKUP, "p2"]
        await pilot.press("y", "p")
        assert f"▸ {MARKUP}" in screen_text(app)
        await disk_block(pilot, path, 1, [MARKUP, MARKUP, "p2"])


async def test_control_characters_show_as_placeholders(store: CanvasStore) -> None:
    evil = "\x1b]2;pwned\x07"
    app, path = open_app(store, {1: [evil]}, title=f"T{evil}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "␛]2;pwned␇" in shown
        assert "\x1b" not in shown
        assert "\x07" not in shown
        await pilot.press("y", "p")  # the stored text stays as it was
        await disk_block(pilot, path, 1, [evil, evil])
        shown = screen_text(app)
        assert shown.count("␛]2;pwned␇") >= 2
        assert "\x1b" not in shown
        assert "\x07" not in shown


# -- fast typing ---------------------------------------------------------------------------


async def test_keys_typed_right_after_a_go_into_the_new_item(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        post_keys(app, ["a", *"Run pilot", "enter"])
        await wait_for(pilot, lambda: len(session(app).canvas.blocks[0]) == 2, what="the add")
        assert items(session(app).canvas, 1) == ["p1", "Run pilot"]
        assert_cursor(app, Pos(0, 1), "Run pilot")
        await disk_block(pilot, path, 1, ["p1", "Run pilot"])


async def test_keys_typed_right_after_enter_are_commands_again(store: CanvasStore) -> None:
    app, path = open_app(store, {1: ["p1", "p2"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        post_keys(app, ["e", *" fast", "enter", "j"])
        await wait_for(pilot, lambda: session(app).cursor == Pos(0, 1), what="the keys")
        assert items(session(app).canvas, 1) == ["p1 fast", "p2"]
        assert_cursor(app, Pos(0, 1), "p2")
        await disk_block(pilot, path, 1, ["p1 fast", "p2"])


async def test_keys_typed_right_after_slash_search(store: CanvasStore) -> None:
    app, _ = open_app(store, {1: ["p1"], 4: ["target"]})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        post_keys(app, ["slash", *"targ", "enter", "z"])
        await wait_for(pilot, lambda: "zoom" in screen_text(app), what="the keys")
        assert session(app).cursor == Pos(3, 0)
        assert session(app).query == "targ"
        shown = screen_text(app)
        assert "▸ target" in shown
        assert title_of(1, 1) not in shown  # z after enter zoomed in


# -- monochrome ----------------------------------------------------------------------------


async def test_no_color_screens_draw(store: CanvasStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every screen works under NO_COLOR (the cursor still shows, by its mark)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app, _ = open_app(store, {1: ["p1", "p2"], 4: ["v1"]})
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await pilot.press("j")
        assert_cursor(app, Pos(0, 1), "p2")
        await pilot.press("question_mark")
        assert BLOCKS[0].question in screen_text(app)
        await pilot.press("escape", "m")
        assert "Move the item to block" in screen_text(app)
        await pilot.press("escape", "4", "z")
        assert "▸ v1" in screen_text(app)
        await pilot.press("z", "slash", "v", "enter")
        assert_cursor(app, Pos(3, 0), "v1")
    monkeypatch.setenv("NO_COLOR", "1")  # Textual takes it out of the environment
    app = CanvasApp(store=store, canvas="test")
    async with app.run_test(size=NARROW_SIZE) as pilot:
        assert app.no_color
        await pilot.press("tab")
        assert "2 KA" in screen_text(app)
        assert title_of(2, 0) in screen_text(app)


async def test_deleting_at_the_end_of_a_scrolled_block_keeps_the_items_in_sight_still(
    store: CanvasStore,
) -> None:
    """The rows an item leaves at the end stay blank: nothing in sight jumps. A new size
    fills the block again."""
    items = [f"partner number {n}" for n in range(80)]
    write_canvas(store, "acme", make_canvas({1: items}))
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await wait_for(pilot, lambda: "partner number 79" in screen_text(app), what="the end")

        def row_of(text: str) -> int:
            return next(i for i, line in enumerate(screen_text(app).splitlines()) if text in line)

        before = row_of("partner number 70")
        await pilot.press("d", "d")
        path = store.canvases_dir / "acme.toml"
        await wait_for(pilot, lambda: len(load(path).canvas.texts(0)) == 78, what="two deletes")
        assert "partner number 79" not in screen_text(app)
        assert row_of("partner number 70") == before
        await pilot.resize_terminal(SIZE[0], SIZE[1] - 4)
        # Drawn at the new size before going back (else both resizes may come to nothing).
        lines = SIZE[1] - 4
        await wait_for(pilot, lambda: len(screen_text(app).splitlines()) == lines, what="resize")
        await pilot.resize_terminal(*SIZE)
        await wait_for(pilot, lambda: row_of("partner number 70") > before, what="filled again")
