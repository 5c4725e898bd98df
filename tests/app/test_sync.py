"""The editor and its file on disk: changes made elsewhere, conflicts, and one editor per
canvas. Pilot drives the app; the assertions read the files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.autosave import Timings
from canvas_tui.store.lock import CanvasLock
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.prompt import Choice
from helpers import dump_canvas, editor, quit_or_warned, screen_text, wait_for, write_canvas

SIZE = (120, 40)
WATCHING = Timings(watch=0.05)  # a change on disk is noticed at once
# Edits stay pending (not yet on disk), so that a change on disk meets unsaved edits.
SLOW_AUTOSAVE = Timings(watch=0.05, debounce=60.0)


def canvas(title: str, *partners: str) -> Canvas:
    return Canvas.from_lists(title, [list(partners), *[[]] * 8])


def open_acme(store: CanvasStore, timings: Timings = WATCHING) -> CanvasApp:
    return CanvasApp(store=store, canvas="acme", timings=timings)


async def editor_shown(pilot, app: CanvasApp) -> EditorScreen:  # type: ignore[no-untyped-def]
    """Wait for the editor (rather than the "Already open" question) and return it."""
    await wait_for(pilot, lambda: isinstance(app.screen, (EditorScreen, Choice)), what="a screen")
    screen = app.screen
    assert isinstance(screen, EditorScreen)
    return screen


def write_theirs(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    future = time.time() + 5  # a different mtime, as another editor's save would leave
    os.utime(path, (future, future))


async def test_change_on_disk_without_local_edits_reloads(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "mine"))
    app = open_acme(store)
    async with app.run_test(size=SIZE) as pilot:
        shown = await editor_shown(pilot, app)
        write_theirs(path, dump_canvas(canvas("Acme", "theirs")))
        await wait_for(pilot, lambda: shown.session.canvas.texts(0) == ("theirs",))
        assert "theirs" in screen_text(app)
        assert "reloaded" in screen_text(app)
    assert load(path).canvas.texts(0) == ("theirs",)


async def test_touch_with_equal_content_is_not_a_change(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "mine"))
    app = open_acme(store)
    async with app.run_test(size=SIZE) as pilot:
        await editor_shown(pilot, app)
        write_theirs(path, path.read_text(encoding="utf-8"))
        # Nothing must happen, so there is no condition to wait for: let the watch look ten
        # times (a touch leaves no trace of the look to wait for), then check it did nothing.
        await pilot.pause(10 * WATCHING.watch)
        assert "reloaded" not in screen_text(app)
        assert not isinstance(app.screen, Choice)


async def _conflict(store: CanvasStore, pilot, app: CanvasApp) -> Path:  # type: ignore[no-untyped-def]
    path = store.path_for("acme")
    await pilot.press("a", *"my edit", "enter")
    await wait_for(pilot, lambda: editor(app).session.canvas.texts(0) == ("base", "my edit"))
    assert load(path).canvas.texts(0) == ("base",)  # my edit is still pending
    write_theirs(path, "# their comment\n" + dump_canvas(canvas("Acme", "base", "their edit")))
    await wait_for(pilot, lambda: isinstance(app.screen, Choice))
    await wait_for(pilot, lambda: "Changed on disk" in screen_text(app))
    return path


async def test_conflict_reload_theirs(store: CanvasStore) -> None:
    write_canvas(store, "acme", canvas("Acme", "base"))
    app = open_acme(store, SLOW_AUTOSAVE)
    async with app.run_test(size=SIZE) as pilot:
        path = await _conflict(store, pilot, app)
        before = path.read_bytes()
        await pilot.press("r")
        shown = app.screen
        assert isinstance(shown, EditorScreen)
        await wait_for(pilot, lambda: shown.session.canvas.texts(0) == ("base", "their edit"))
        await pilot.press("q")
    assert path.read_bytes() == before  # theirs, untouched


async def test_conflict_keep_mine(store: CanvasStore) -> None:
    write_canvas(store, "acme", canvas("Acme", "base"))
    app = open_acme(store, SLOW_AUTOSAVE)
    async with app.run_test(size=SIZE) as pilot:
        path = await _conflict(store, pilot, app)
        await pilot.press("k")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        await pilot.press("q")  # quitting flushes the pending save
    assert load(path).canvas.texts(0) == ("base", "my edit")
    assert path.read_text(encoding="utf-8").startswith("# their comment\n")  # merged into theirs


async def test_conflict_save_mine_as_a_copy(store: CanvasStore) -> None:
    write_canvas(store, "acme", canvas("Acme", "base"))
    app = open_acme(store, SLOW_AUTOSAVE)
    async with app.run_test(size=SIZE) as pilot:
        path = await _conflict(store, pilot, app)
        before = path.read_bytes()
        await pilot.press("c")
        await wait_for(
            pilot,
            lambda: editor(app).session.canvas.texts(0) == ("base", "their edit"),
            what="theirs shown (after the copy is saved)",
        )
        copy = store.path_for("acme-mine")
        assert load(copy).canvas.texts(0) == ("base", "my edit")
        shown = app.screen
        assert isinstance(shown, EditorScreen)
        assert shown.session.canvas.texts(0) == ("base", "their edit")
        await pilot.press("q")
    assert path.read_bytes() == before


async def test_second_editor_is_offered_read_only(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "base"))
    held = CanvasLock(store.locks_dir, path)
    assert held.acquire()
    try:
        app = open_acme(store)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: f"pid {os.getpid()}" in screen_text(app))
            await pilot.press("v")
            await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
            shown = app.screen
            assert isinstance(shown, EditorScreen)
            assert shown.read_only
            await pilot.press("a", *"nope", "enter", "q")
    finally:
        held.release()
    assert load(path).canvas.texts(0) == ("base",)


async def test_lock_of_a_dead_process_is_taken_over(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "base"))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import signal, sys; from pathlib import Path;"
            "from canvas_tui.store.lock import CanvasLock;"
            "assert CanvasLock(Path(sys.argv[1]), Path(sys.argv[2])).acquire();"
            "print('held', flush=True); signal.pause()",  # until it is killed
            str(store.locks_dir),
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert not CanvasLock(store.locks_dir, path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(5)
    finally:
        holder.kill()
    app = open_acme(store)
    async with app.run_test(size=SIZE) as pilot:
        shown = await editor_shown(pilot, app)
        assert not shown.read_only
        await pilot.press("a", *"after", "enter", "q")
    assert load(path).canvas.texts(0) == ("base", "after")


async def test_unreadable_change_on_disk_is_never_overwritten(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "base"))
    app = open_acme(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # the quit warns
        saver = (await editor_shown(pilot, app)).sync.saver
        assert saver is not None
        write_theirs(path, "title = 'broken\n")
        broken = path.read_bytes()
        await wait_for(pilot, lambda: "cannot be read" in screen_text(app))
        await pilot.press("a", *"mine", "enter")
        await wait_for(pilot, lambda: editor(app).session.canvas.texts(0) == ("base", "mine"))
        # The autosave has tried: it wrote (and emptied its queue) or it stopped at the change.
        await wait_for(pilot, lambda: not saver.dirty or saver.blocked, what="the autosave")
        await pilot.press("q")
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        assert path.read_bytes() == broken


async def test_a_file_changed_to_another_template_is_not_overwritten(
    store: CanvasStore,
) -> None:
    path = write_canvas(store, "acme", canvas("Acme", "base"))
    app = open_acme(store)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await pilot.pause()
        lean = Canvas.from_lists("Acme", [["a problem"], *[[]] * 8], template="lean")
        write_theirs(path, dump_canvas(lean))
        await wait_for(pilot, lambda: "another kind of canvas" in screen_text(app), what="it")
        await pilot.press("a", *"mine", "enter", "q")
    assert load(path).canvas == lean  # theirs, untouched
