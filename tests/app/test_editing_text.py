"""Editing text as people expect: the item field wraps over the item it edits, and a pasted
list becomes items (one per line, bullets dropped, one undo step), wherever it is pasted."""

from __future__ import annotations

from pathlib import Path

from textual.events import Paste
from textual.pilot import Pilot

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import editor, screen_text, wait_for, wait_for_disk, write_canvas

SIZE = (160, 50)
LIST = "- First pasted\n\n* second one\n• third\n"
LONG = (
    "A long item that wraps over several lines in a five-column canvas, so editing it must"
    " show every word of it at once"
)


def open_on(store: CanvasStore, first_block: list[str]) -> tuple[CanvasApp, Path]:
    path = write_canvas(store, "paste", Canvas.from_lists("Paste", [first_block, *[[]] * 8]))
    return CanvasApp(store=store, canvas="paste"), path


async def paste(pilot: Pilot[None], text: str) -> None:
    pilot.app.post_message(Paste(text))
    await pilot.pause()


async def until_on_disk(pilot: Pilot[None], path: Path, expected: tuple[str, ...]) -> None:
    """Wait for the autosave to write `expected` as the first block's texts."""
    await wait_for_disk(pilot, path, lambda canvas: canvas.texts(0) == expected, str(expected))


async def test_a_list_pasted_in_the_add_field_becomes_items_and_undoes_at_once(
    store: CanvasStore,
) -> None:
    app, path = open_on(store, ["before"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await paste(pilot, LIST)
        shown = screen_text(app)
        assert "First pasted" in shown and "third" in shown  # in the field, line by line
        await pilot.press("enter")
        expected = ("before", "First pasted", "second one", "third")
        await until_on_disk(pilot, path, expected)
        assert editor(app).session.cursor.item == 3  # on the last pasted item
        await pilot.press("u")
        await until_on_disk(pilot, path, ("before",))
        await pilot.press("U")
        await until_on_disk(pilot, path, expected)


async def test_a_list_pasted_in_the_edit_field_continues_the_item_and_follows_it(
    store: CanvasStore,
) -> None:
    app, path = open_on(store, ["first", "last"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await paste(pilot, " plus more\n1. two\n\n[ ] three")
        await pilot.press("enter")
        await until_on_disk(pilot, path, ("first plus more", "two", "three", "last"))
        await pilot.press("u")
        await until_on_disk(pilot, path, ("first", "last"))


async def test_a_list_pasted_on_the_canvas_goes_below_the_cursor(store: CanvasStore) -> None:
    app, path = open_on(store, ["first", "last"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await paste(pilot, "- one\r\n\t- two\n\n")
        await until_on_disk(pilot, path, ("first", "one", "two", "last"))
        await pilot.press("u")
        await until_on_disk(pilot, path, ("first", "last"))
        await pilot.press("3")  # an empty block: at its top
        await paste(pilot, "alpha\nbeta")
        await wait_for(
            pilot, lambda: load(path).canvas.texts(2) == ("alpha", "beta"), what="block 3"
        )


async def test_a_single_line_paste_is_typed_as_it_is(store: CanvasStore) -> None:
    app, path = open_on(store, ["x"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await paste(pilot, "- not a list, just text\tand a tab")
        await pilot.press("enter")
        await until_on_disk(pilot, path, ("x", "- not a list, just text and a tab"))


async def test_a_paste_in_the_title_and_search_fields_is_one_line(store: CanvasStore) -> None:
    app, path = open_on(store, ["alpha beta"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "end")
        await paste(pilot, "\nnew\ntitle")
        await pilot.press("enter")
        await wait_for(pilot, lambda: load(path).canvas.title == "Paste new title", what="title")
        await pilot.press("slash")
        await paste(pilot, "alpha\nbeta")
        await pilot.press("enter")
        assert editor(app).session.query == "alpha beta"
        assert editor(app).session.matches


async def test_editing_a_long_item_shows_all_of_it_and_no_stale_line(
    store: CanvasStore,
) -> None:
    app, path = open_on(store, ["short one", LONG, "after it"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        screen = editor(app)
        first_row, _ = screen.view.item_rows(0, 1) or (0, 0)
        old_lines = [line for line in screen_text(app).splitlines() if "A long item" in line]
        await pilot.press("e", *" and then more words typed at the end")
        await pilot.pause()
        field = screen.query_one("#field")
        region = field.region
        assert region.y == screen.view.region.y + first_row  # over the item's first line
        text = LONG + " and then more words typed at the end"
        rows = screen_text(app).splitlines()[region.y : region.bottom]
        inside = " ".join(row[region.x : region.right].strip() for row in rows)
        assert inside == text  # every word, wrapped in the field
        # The item's old lines are covered: no line shows the old text's end beside it.
        below = screen_text(app).splitlines()[region.bottom]
        assert "at once" not in below
        assert old_lines and "A long item" in rows[0]
        await pilot.press("enter")
        await until_on_disk(pilot, path, ("short one", text, "after it"))
        assert "after it" in screen_text(app)  # shown again once the field is closed
