"""The canvas browser, driven by Pilot and checked against the files on disk."""

from __future__ import annotations

import os
import time

from textual.widgets import DataTable

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.ui.browser import BrowserScreen
from canvas_tui.ui.editor import EditorScreen
from helpers import post_keys, screen_text, wait_for, write_canvas

SIZE = (100, 30)


def names_on_disk(store: CanvasStore) -> set[str]:
    return {path.stem for path in store.canvases_dir.glob("*.toml")}


def make(store: CanvasStore, name: str, title: str, age: float = 0.0) -> None:
    path = write_canvas(store, name, Canvas.from_lists(title, [["one"], *[[]] * 8]))
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))


def rows(app: CanvasApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(key.value) for key in table.rows]


async def test_lists_newest_first_with_title_items_and_time(store: CanvasStore) -> None:
    make(store, "old", "Old idea", age=3600)
    make(store, "new", "New idea")
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["new", "old"], what="the rows")
        # The rows are in the table before the next frame draws them.
        await wait_for(
            pilot,
            lambda: "New idea" in screen_text(app) and "Old idea" in screen_text(app),
            what="the rows on screen",
        )
        text = screen_text(app)
        assert "enter opens a canvas" in text  # the three keys that matter, for newcomers


async def test_empty_data_dir_explains_how_to_start(store: CanvasStore) -> None:
    app = CanvasApp(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "No canvases yet" in screen_text(app), what="the hint")
        assert "Press n to start one" in screen_text(app)


async def test_n_creates_and_opens_a_canvas(store: CanvasStore) -> None:
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "No canvases yet" in screen_text(app), what="the browser")
        await pilot.press("n", *"Acme Robotics", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert load(store.path_for("acme-robotics")).canvas.title == "Acme Robotics"
        await pilot.press("a", *"Stripe", "enter", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
        assert load(store.path_for("acme-robotics")).canvas.texts(0) == ("Stripe",)


async def test_r_renames_title_and_file_and_refuses_a_collision(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha")
    make(store, "beta", "Beta", age=60)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha", "beta"])
        await pilot.press("r", *["ctrl+u"], *"Gamma Ray", "enter")
        await wait_for(pilot, lambda: "gamma-ray" in names_on_disk(store))
        assert names_on_disk(store) == {"gamma-ray", "beta"}
        assert load(store.path_for("gamma-ray")).canvas.title == "Gamma Ray"
        await wait_for(pilot, lambda: "gamma-ray" in rows(app))
        # Renaming to a title whose name is taken is refused; nothing changes on disk.
        await pilot.press("r", "ctrl+u", *"Beta", "enter")
        await wait_for(
            pilot, lambda: names_on_disk(store) == {"gamma-ray", "beta"}, what="the files"
        )
        assert load(store.path_for("gamma-ray")).canvas.title == "Gamma Ray"


async def test_c_duplicates(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha")
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"])
        await pilot.press("c")
        await wait_for(pilot, lambda: "alpha-copy" in names_on_disk(store))
        copy = load(store.path_for("alpha-copy")).canvas
        assert copy.title == "Alpha (copy)"
        assert copy.blocks == load(store.path_for("alpha")).canvas.blocks


async def test_d_moves_to_trash_and_u_brings_it_back(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha")
    before = store.path_for("alpha").read_bytes()
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"])
        await pilot.press("d")
        await wait_for(pilot, lambda: not store.path_for("alpha").exists())
        assert (store.trash_dir / "alpha.toml").read_bytes() == before
        await wait_for(pilot, lambda: rows(app) == [])
        await pilot.press("u")
        await wait_for(pilot, lambda: store.path_for("alpha").exists())
        assert store.path_for("alpha").read_bytes() == before
        assert not (store.trash_dir / "alpha.toml").exists()
        await wait_for(pilot, lambda: rows(app) == ["alpha"])


async def test_filter_as_you_type_and_escape_clears(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha plan")
    make(store, "beta", "Beta plan", age=60)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha", "beta"])
        await pilot.press("slash", *"bet")
        await wait_for(pilot, lambda: rows(app) == ["beta"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: rows(app) == ["alpha", "beta"])


async def test_filter_typed_before_the_field_has_focus_keeps_every_letter(
    store: CanvasStore,
) -> None:
    """ "/" and a word typed in one burst: the letters reach the field before its focus event
    does. That focus must not select them, or the next letter replaces the whole filter
    (a stress run opened the newest canvas instead of the one typed)."""
    make(store, "alpha", "Alpha plan")
    make(store, "beta-works", "Beta Works", age=60)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha", "beta-works"])
        post_keys(app, ["slash", *"bet"])
        await wait_for(pilot, lambda: rows(app) == ["beta-works"])
        await pilot.pause()  # the field's focus event is handled by now
        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.screen.canvas_name == "beta-works"


async def test_rename_typed_at_once_edits_the_title_at_its_end(store: CanvasStore) -> None:
    """The rename field starts with the title, the cursor at its end: what is typed is added
    there however fast it comes (never replacing the title once the focus lands)."""
    make(store, "alpha", "Alpha")
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"])
        post_keys(app, ["r", *" Plan"])
        await pilot.pause()
        await pilot.press(*" B", "enter")
        await wait_for(pilot, lambda: "alpha-plan-b" in names_on_disk(store))
        assert load(store.path_for("alpha-plan-b")).canvas.title == "Alpha Plan B"


async def test_enter_opens_v_opens_read_only_and_escape_returns(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha")
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert not app.screen.read_only
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen))
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert app.screen.read_only
        assert "read-only" in screen_text(app)


async def test_j_k_move_and_q_quits(store: CanvasStore) -> None:
    make(store, "alpha", "Alpha")
    make(store, "beta", "Beta", age=60)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha", "beta"])
        browser = app.screen
        assert isinstance(browser, BrowserScreen)
        await pilot.press("j")
        assert browser.selected_name() == "beta"
        await pilot.press("k")
        assert browser.selected_name() == "alpha"
        await pilot.press("question_mark")
        assert "Filter as you type" in screen_text(app)
        await pilot.press("escape", "q")
        await wait_for(pilot, lambda: not app.is_running, what="quit")
    assert not app.is_running


async def test_escape_from_the_canvas_started_on_goes_to_the_browser(store: CanvasStore) -> None:
    """`canvas-tui acme`, then escape: the browser, from which canvases open and close."""
    make(store, "acme", "Acme")
    make(store, "beta", "Beta", age=60)
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", *"kept", "enter", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="browser")
        assert load(store.path_for("acme")).canvas.texts(0) == ("one", "kept")
        await wait_for(pilot, lambda: "beta" in rows(app), what="the list")
        await pilot.press("enter")  # the newest: acme again, free to edit
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="editor")
        await pilot.press("a", *"again", "enter", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="back")
        await pilot.press("q")
    assert load(store.path_for("acme")).canvas.texts(0) == ("one", "kept", "again")
