"""A change on disk (a `git pull`) that lands while the editor has unsaved edits: the editor
offers to merge the two (three ways, from the version it last read or wrote) instead of
only "keep mine", which would silently revert the pull. Pilot drives the app; the assertions
read the file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.autosave import Timings
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.prompt import Choice
from helpers import dump_canvas, screen_text, wait_for, write_canvas

SIZE = (120, 40)


def canvas(title: str, partners: list[str], activities: tuple[str, ...] = ()) -> Canvas:
    return Canvas.from_lists(title, [partners, list(activities), *[[]] * 7])


# A change on disk is noticed at once; my edits stay pending (no autosave meanwhile).
SLOW_SAVE_FAST_WATCH = Timings(watch=0.05, debounce=60.0)


def pull_lands(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    future = time.time() + 5  # a different mtime, as git's checkout would leave
    os.utime(path, (future, future))


async def test_a_pull_during_typing_is_merged_with_my_edits(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", ["Stripe", "Bank"]))
    app = CanvasApp(store=store, canvas="acme", timings=SLOW_SAVE_FAST_WATCH)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Lawyer", "enter")  # mine: a partner, not saved yet
        await wait_for(pilot, lambda: "Lawyer" in screen_text(app), what="my item")
        assert load(path).canvas.texts(0) == ("Stripe", "Bank")
        pulled = canvas("Acme", ["Stripe"], ["Webinars"])  # theirs: Bank gone, an activity
        pull_lands(path, "# pulled\n" + dump_canvas(pulled))
        await wait_for(pilot, lambda: isinstance(app.screen, Choice))
        await wait_for(pilot, lambda: "Merge theirs into mine" in screen_text(app))
        await pilot.press("m")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await wait_for(pilot, lambda: editor.session.canvas.texts(1) == ("Webinars",))
        assert editor.session.canvas.texts(0) == ("Stripe", "Lawyer")
        notes = [note.message for note in app._notifications]
        assert any(note.startswith("Merged their change into yours") for note in notes), notes
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == ("Stripe", "Lawyer"))
        on_disk = load(path).canvas
        assert on_disk.texts(1) == ("Webinars",)
        assert path.read_text(encoding="utf-8").startswith("# pulled\n")  # their file, updated
        await pilot.press("u")  # one undoable step: back to mine alone
        await wait_for(pilot, lambda: editor.session.canvas.texts(1) == ())
        await pilot.press("q")
