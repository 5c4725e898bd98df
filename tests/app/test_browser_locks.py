"""The browser never deletes, renames or brings back over a canvas another editor has open:
it says who holds it and offers to view it. The "Already open" question takes only keys
typed once it is on screen, and its cancel goes back to the canvas list."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
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
