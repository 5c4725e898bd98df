"""The browser never deletes, renames or brings back over a canvas another editor has open:
it says who holds it and offers to view it. A new canvas or a copy never takes the name of a
canvas open elsewhere (even one not saved yet), and a copy of one is of its file on disk.
The "Already open" question takes only keys typed once it is on screen, and its cancel goes
back to the canvas list."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.lock import CanvasLock
from canvas_tui.ui.browser import BrowserScreen
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.prompt import Choice
from helpers import screen_text, wait_for, write_canvas
from ptyapp import BROWSER_READY, PtyApp

SIZE = (120, 30)


@pytest.fixture
def held(store: CanvasStore) -> Iterator[CanvasLock]:
    """Canvas `alpha`, open in another editor (its lock held, as an editor holds it)."""
    write_canvas(store, "alpha", Canvas.from_lists("Alpha", [["one"], *[[]] * 8]))
    lock = CanvasLock(store.locks_dir, store.path_for("alpha"))
    assert lock.acquire()
    yield lock
    lock.release()


@pytest.fixture
def started(store: CanvasStore) -> Iterator[CanvasLock]:
    """Canvas `alpha-copy`, new in another editor: its lock held, no file until it saves."""
    lock = CanvasLock(store.locks_dir, store.path_for("alpha-copy"))
    assert lock.acquire()
    yield lock
    lock.release()


def rows(app: CanvasApp) -> list[str]:
    return [str(key.value) for key in app.screen.query_one(DataTable).rows]


def said(app: CanvasApp, text: str) -> bool:
    return any(text in notification.message for notification in app._notifications)


def names(store: CanvasStore) -> set[str]:
    return {path.stem for path in store.canvases_dir.glob("*.toml")}


async def test_delete_and_rename_of_a_canvas_open_elsewhere_are_refused(
    store: CanvasStore, held: CanvasLock
) -> None:
    before = store.path_for("alpha").read_bytes()
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the list")
        for key in ("d", "r"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the refusal")
            text = screen_text(app)
            assert "open in another editor" in text and f"pid {os.getpid()}" in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="list")
        assert store.path_for("alpha").read_bytes() == before
        assert names(store) == {"alpha"}
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the refusal")
        await pilot.press("v")  # offered: view it
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="viewer")
        assert app.screen.read_only  # type: ignore[attr-defined]
    assert store.path_for("alpha").read_bytes() == before


async def test_a_trashed_canvas_is_not_brought_back_over_one_being_edited(
    store: CanvasStore,
) -> None:
    write_canvas(store, "alpha", Canvas.from_lists("Alpha", [["one"], *[[]] * 8]))
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the list")
        await pilot.press("d")
        await wait_for(pilot, lambda: not store.path_for("alpha").exists(), what="trash")
        lock = CanvasLock(store.locks_dir, store.path_for("alpha"))  # someone starts it anew
        assert lock.acquire()
        try:
            await pilot.press("u")
            await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="refusal")
            assert not store.path_for("alpha").exists()
            await pilot.press("escape")
        finally:
            lock.release()
        await pilot.press("u")  # free now: it comes back
        await wait_for(pilot, lambda: store.path_for("alpha").exists(), what="restore")


async def test_already_open_cancel_goes_to_the_list(store: CanvasStore, held: CanvasLock) -> None:
    app = CanvasApp(store=store, canvas="alpha")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the question")
        assert "Already open" in screen_text(app)
        await pilot.press("x")  # not an answer: says which keys are
        await wait_for(pilot, lambda: said(app, "v: View it read-only"), what="the keys")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="the list")
        assert app.is_running
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the rows")


def test_keys_typed_before_the_question_shows_do_not_answer_it(
    store: CanvasStore, held: CanvasLock
) -> None:
    """enter opens alpha, and the rest of the burst ("v" would view it, "q" would then quit)
    was typed before "Already open" came up: none of it answers."""
    app = PtyApp("--data-dir", str(store.data_dir), cols=120, rows=30)
    try:
        app.wait_for(BROWSER_READY)
        app.wait_for(b"Alpha")
        mark = app.mark()
        app.type("\rvq")
        app.wait_for(b"Already open", start=mark)
        mark = app.mark()
        app.type("\x1b")
        app.wait_for(b"Filter", start=mark)  # back in the list, the app still running
        assert app.poll() is None
        assert b"never written" not in bytes(app.output)  # no read-only editor came up
        app.type("q")
        assert app.wait() == 0
    finally:
        app.close()


def toasts(app: CanvasApp) -> str:
    """The notifications on screen, their lines joined (a toast wraps its text)."""
    lines = screen_text(app).splitlines()
    return " ".join(line.split("▌", 1)[1].strip() for line in lines if "▌" in line)


def held_here(store: CanvasStore, name: str) -> bool:
    """The other editor (this test) still holds canvas `name`: nothing took its lock."""
    return (store.in_use(name) or "").startswith(f"pid {os.getpid()} ")


async def test_n_never_writes_over_a_canvas_open_elsewhere(
    store: CanvasStore, held: CanvasLock, started: CanvasLock
) -> None:
    """n names the canvas after its title and never writes an existing file (it is created
    only if there is none), nor takes the name of a canvas open in another editor but not
    saved yet: it takes the next free name, and says why when an editor was the reason."""
    before = store.path_for("alpha").read_bytes()
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the list")
        await pilot.press("n", *"Alpha", "enter")  # alpha: on disk, and open elsewhere
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        assert load(store.path_for("alpha-2")).canvas.title == "Alpha"
        await wait_for(pilot, lambda: "the new canvas is alpha-2" in toasts(app), what="why")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="the list")
        await pilot.press("n", *"Alpha Copy", "enter")  # open elsewhere, no file yet
        await wait_for(pilot, lambda: store.path_for("alpha-copy-2").exists(), what="the file")
        said = "alpha-copy is open in another editor"
        await wait_for(pilot, lambda: said in toasts(app), what="why alpha-copy-2")
        assert load(store.path_for("alpha-copy-2")).canvas.title == "Alpha Copy"
    assert store.path_for("alpha").read_bytes() == before
    assert not store.path_for("alpha-copy").exists()  # its editor's first save makes it
    assert names(store) == {"alpha", "alpha-2", "alpha-copy-2"}
    assert held_here(store, "alpha") and held_here(store, "alpha-copy")


async def test_c_copies_a_canvas_open_elsewhere_as_it_is_on_disk(
    store: CanvasStore, held: CanvasLock, started: CanvasLock
) -> None:
    """The copy is of the file as its editor last saved it (read when c is pressed), made
    without touching that file or its lock, and the browser says so; the copy's name skips
    one that an editor has open (alpha-copy, not saved yet)."""
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the list")
        # Its editor saves again (as it does while someone types): the copy has this.
        write_canvas(store, "alpha", Canvas.from_lists("Alpha", [["one", "two"], *[[]] * 8]))
        before = store.path_for("alpha").read_bytes()
        await pilot.press("c")
        await wait_for(pilot, lambda: "alpha-copy-2" in names(store), what="the copy")
        said = "alpha-copy-2 is a copy of it as last saved there"
        await wait_for(pilot, lambda: said in toasts(app), what="what it says")
        assert f"alpha is open in another editor (pid {os.getpid()} " in toasts(app)
        assert isinstance(app.screen, BrowserScreen)  # nothing to answer: it was done
        await wait_for(pilot, lambda: "alpha-copy-2" in rows(app), what="the copy listed")
    copy = load(store.path_for("alpha-copy-2")).canvas
    assert copy.title == "Alpha (copy)" and copy.texts(0) == ("one", "two")
    assert store.path_for("alpha").read_bytes() == before
    assert not store.path_for("alpha-copy").exists()
    assert names(store) == {"alpha", "alpha-copy-2"}
    assert held_here(store, "alpha") and held_here(store, "alpha-copy")


async def test_a_name_an_editor_takes_meanwhile_is_refused_and_offered_to_view(
    store: CanvasStore, held: CanvasLock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between choosing a free name and writing it, an editor starts on that name: the copy
    (or new canvas) holds the name's lock as d and r do, so it is not written; the browser
    says who has it and offers to view it, as for d and r."""
    write_canvas(store, "beta", Canvas.from_lists("Beta", [["b"], *[[]] * 8]))
    monkeypatch.setattr(store, "free_name", lambda base: "alpha")  # taken meanwhile
    before = store.path_for("alpha").read_bytes()
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sorted(rows(app)) == ["alpha", "beta"], what="the list")
        await pilot.press("end")  # the older canvas
        for key in ("c", "n"):
            await pilot.press(*([key] if key == "c" else [key, *"Fresh", "enter"]))
            await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the refusal")
            text = screen_text(app)
            assert "alpha is open in another editor" in text and f"pid {os.getpid()}" in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="list")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the refusal")
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="viewer")
        assert app.screen.read_only  # type: ignore[attr-defined]
    assert store.path_for("alpha").read_bytes() == before
    assert names(store) == {"alpha", "beta"}
    assert held_here(store, "alpha")


async def test_c_r_and_d_on_a_file_whose_name_is_not_a_canvas_name_say_why(
    store: CanvasStore,
) -> None:
    """Their look at its lock does not crash on a name no editor could lock (put there by
    hand, or by git): they say what is wrong with it, as the operation itself would."""
    path = store.canvases_dir / "Odd Name.toml"
    path.write_text('schema = 1\ntitle = "Odd"\n', encoding="utf-8")
    before = path.read_bytes()
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["Odd Name"], what="the list")
        for key, title in (("c", "Not copied"), ("r", "Not renamed"), ("d", "Not deleted")):
            app.clear_notifications()
            await pilot.press(key)
            said = f"{title} 'Odd Name' is not a valid canvas name"
            await wait_for(pilot, lambda s=said: s in toasts(app), what=f"why not, for {key}")
            assert app.is_running and isinstance(app.screen, BrowserScreen)
    assert names(store) == {"Odd Name"} and path.read_bytes() == before
