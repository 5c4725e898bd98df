"""Items that carry meaning: status (s / S), tags (#) and a note (i), each one undo step,
carried by copy, paste and moves; found by search terms and shown alone by the filter (F)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from textual.pilot import Pilot

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore, load
from canvas_tui.ui.dialogs import NoteScreen
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.prompt import TextPrompt
from helpers import screen_text, wait_for, wait_for_disk, wait_for_file, write_canvas
from ptyapp import READY, PtyApp

SIZE = (160, 50)


def open_on(store: CanvasStore, *blocks: list[str | Item]) -> tuple[CanvasApp, Path]:
    padded = [*blocks, *[[]] * (9 - len(blocks))]
    path = write_canvas(store, "evidence", Canvas.from_lists("Evidence", padded))
    return CanvasApp(store=store, canvas="evidence"), path


def first_item(path: Path) -> Item:
    return load(path).canvas.items(0)[0]


async def until_item(pilot: Pilot[None], path: Path, expected: Item) -> None:
    """Wait for the autosave to write `expected` as the first item."""
    await wait_for_disk(pilot, path, lambda canvas: canvas.items(0)[0] == expected, repr(expected))


async def test_s_and_S_cycle_the_status_each_one_undo_step(store: CanvasStore) -> None:
    app, path = open_on(store, ["Saves 3 hours a week"])
    text = "Saves 3 hours a week"
    async with app.run_test(size=SIZE) as pilot:
        for status, glyph in (
            ("assumption", "?"),
            ("testing", "~"),
            ("validated", "✓"),
            ("invalidated", "✗"),
        ):
            await pilot.press("s")
            await until_item(pilot, path, Item(text, status))
            assert f"▸ {glyph} {text}" in screen_text(app)
        await pilot.press("s")
        await until_item(pilot, path, Item(text))
        assert 'key_partners = [\n    "Saves 3 hours a week",' in path.read_text()  # plain again
        assert "schema = 1" in path.read_text()
        await pilot.press("S")
        await until_item(pilot, path, Item(text, "invalidated"))
        assert "schema = 2" in path.read_text()
        await pilot.press("u")
        await until_item(pilot, path, Item(text))
        await pilot.press("u")
        await until_item(pilot, path, Item(text, "invalidated"))
        assert "1 Key Partners (1 · ✗1)" in screen_text(app)


async def test_hash_edits_the_tags(store: CanvasStore) -> None:
    app, path = open_on(store, ["Pro plan"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("number_sign")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"Pricing, b2b #Growth bad_tag", "enter")
        await until_item(pilot, path, Item("Pro plan", tags=("pricing", "b2b", "growth")))
        shown = screen_text(app)
        assert "▸ Pro plan #pricing #b2b" in shown
        assert "  #growth" in shown  # wrapped, after the others
        assert "bad_tag" in screen_text(app)  # said to be no tag
        await pilot.press("number_sign")  # the prompt shows the tags; empty clears them
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+u", "enter")
        await until_item(pilot, path, Item("Pro plan"))
        await pilot.press("u")
        await until_item(pilot, path, Item("Pro plan", tags=("pricing", "b2b", "growth")))


async def test_i_edits_the_note_in_several_lines(store: CanvasStore) -> None:
    app, path = open_on(store, ["Pilot with 12 teams"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"12 interviews.", "enter", *"See notes.", "escape")
        await until_item(
            pilot, path, Item("Pilot with 12 teams", note="12 interviews.\nSee notes.")
        )
        assert "▸ Pilot with 12 teams ¶" in screen_text(app)
        assert "\\n" in path.read_text()  # one line per item in the file
        await pilot.press("i", "end", *" More.", "ctrl+s")
        await until_item(
            pilot, path, Item("Pilot with 12 teams", note="12 interviews.\nSee notes. More.")
        )
        await pilot.press("u")
        await until_item(
            pilot, path, Item("Pilot with 12 teams", note="12 interviews.\nSee notes.")
        )
        await pilot.press("u")
        await until_item(pilot, path, Item("Pilot with 12 teams"))


async def test_copy_paste_and_moves_carry_status_tags_and_note(store: CanvasStore) -> None:
    rich = Item("Rich item", "testing", ("b2b",), "why")
    app, path = open_on(store, [rich, "plain"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "j", "p")  # pasted below "plain"
        await wait_for(
            pilot, lambda: load(path).canvas.items(0) == (rich, Item("plain"), rich), what="paste"
        )
        await pilot.press("g", "L")  # to block 2 (right of 1)
        await wait_for(pilot, lambda: load(path).canvas.items(1) == (rich,), what="moved right")
        await pilot.press("m", "9")
        await wait_for(pilot, lambda: load(path).canvas.items(8) == (rich,), what="moved to 9")
        await pilot.press("d", "3", "p")  # delete keeps it for p
        await wait_for(pilot, lambda: load(path).canvas.items(2) == (rich,), what="pasted back")


async def test_search_terms_and_the_filter(store: CanvasStore) -> None:
    app, _ = open_on(
        store,
        [
            Item("Pro plan", "testing", ("pricing",)),
            Item("Partners"),
            Item("Free tier", "invalidated", ("pricing",), "converted 1.2%"),
        ],
        [Item("Annual billing", "testing", ("pricing", "b2b"))],
    )
    async with app.run_test(size=SIZE) as pilot:
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press("slash", *"#pricing is:testing", "enter")
        assert editor.session.search_status == "1/2"
        await pilot.press("slash", "ctrl+u", *"converted", "enter")  # words in notes count
        assert [p.item for p in editor.session.matches] == [2]
        await pilot.press("slash", "ctrl+u", *"#pricing", "enter", "F")
        shown = screen_text(app)
        assert "1 Key Partners (2 of 3)" in shown
        assert "2 Key Activities (1 of 1)" in shown
        assert "Partners" not in shown.replace("Key Partners", "")
        await pilot.press("g", "j")  # moves among the items shown: past "Partners"
        assert editor.session.cursor == (0, 2)
        await pilot.press("F")
        assert "1 Key Partners (3 · ~1 ✗1)" in screen_text(app)
        await pilot.press("slash", "ctrl+u", *"is:nonsense", "enter")
        assert editor.session.matches == ()


async def test_a_note_with_escape_sequences_markup_and_a_megabyte_is_data(
    store: CanvasStore,
) -> None:
    hostile = "\x1b]0;owned\x07[red]markup[/] \u202eevil\x1b[2J" + "x" * (1 << 20)
    app, path = open_on(store, [Item("Has a note", note=hostile)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, NoteScreen)
        shown = screen_text(app)
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "␛]0;owned" in shown  # a visible placeholder
        assert "[red]markup[/]" in shown  # shown as written, not as markup
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="closed")
        assert first_item(path).note == hostile  # unchanged, exactly


def test_ctrl_e_hands_the_note_to_the_editor_program(store: CanvasStore, tmp_path: Path) -> None:
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "path = sys.argv[1]\ntext = open(path).read()\n"
        "open(path, 'w').write(text + ' and from $EDITOR')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    blocks: list[list[str | Item]] = [[Item("x", note="typed")], *[[]] * 8]
    path = write_canvas(store, "notes", Canvas.from_lists("Notes", blocks))
    os.environ["EDITOR"] = str(script)
    try:
        app = PtyApp("--data-dir", str(store.data_dir), "notes")
        try:
            app.wait_for(READY)
            app.type("i")
            app.wait_for(b"ctrl+s or escape saves")
            mark = app.mark()  # before the key: the answer may come before type() returns
            app.type("\x05")  # ctrl+e
            app.wait_for(b"from $EDITOR", start=mark)
            app.type("\x1b")
            wait_for_file(
                path, lambda canvas: canvas.items(0)[0].note == "typed and from $EDITOR", "the note"
            )
            app.type("q")
            assert app.wait() == 0
        finally:
            app.close()
    finally:
        del os.environ["EDITOR"]
    assert load(path).canvas.items(0)[0].note == "typed and from $EDITOR"
