"""Nothing confirmed is lost: the real program in a pseudo-terminal, hung up, terminated and
killed at random moments while it saves a large canvas."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import dump_canvas, poll_until
from ptyapp import READY, PtyApp, pty_editor

ENTER = "\r"


def big_canvas(per_block: int = 1000) -> Canvas:
    return Canvas.from_lists(
        "Big",
        [
            [f"Block {b} item {i}: a line of ordinary text" for i in range(per_block)]
            for b in range(9)
        ],
    )


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_edit_right_before_hangup_or_terminate_is_on_disk(store: CanvasStore, signum: int) -> None:
    app = pty_editor(store.data_dir, "acme")
    try:
        app.type("a" + "confirmed item" + ENTER)
        mark = app.mark()
        app.type("a" + "still being typed")  # a field open at the moment of the signal
        # Keys are read in order: once the last one shows, the app has all of them (the
        # autosave of the first item may or may not have run: either way it must be saved).
        app.wait_for(b"still being typed", start=mark)
        app.signal(signum)
        app.wait()
    finally:
        app.close()
    items = load(store.path_for("acme")).canvas.texts(0)
    assert items == ("confirmed item", "still being typed")


def test_quit_right_after_an_edit_is_on_disk(store: CanvasStore) -> None:
    app = pty_editor(store.data_dir, "acme")
    try:
        app.type("a" + "typed then quit" + ENTER + "q")
        assert app.wait() == 0
    finally:
        app.close()
    assert load(store.path_for("acme")).canvas.texts(0) == ("typed then quit",)


def test_kill_9_while_saving_a_big_canvas_loses_nothing_confirmed(store: CanvasStore) -> None:
    path = store.path_for("big")
    path.write_text(dump_canvas(big_canvas()), encoding="utf-8")
    rng = random.Random(20261127)
    typed: list[tuple[float, str]] = []  # (when the app had it, text), in order
    for round_ in range(5):
        app = pty_editor(store.data_dir, "big", cols=100, rows=30)
        try:
            for edit in range(rng.randint(2, 5)):
                text = f"round {round_} edit {edit}"
                mark = app.mark()
                app.type("a" + text + ENTER)
                # Confirmed once the editor shows it (under load that may take a while).
                app.wait_for(text.encode(), start=mark)
                typed.append((time.monotonic(), text))
                time.sleep(rng.uniform(0.0, 0.4))  # the random moments under test, not a wait
            time.sleep(rng.uniform(0.0, 1.2))  # the random moment of the kill, not a wait
            killed_at = time.monotonic()
            app.kill()
        finally:
            app.close()
        added = [text for text in load(path).canvas.texts(0) if text.startswith("round ")]
        in_order = [text for _, text in typed]
        assert added == in_order[: len(added)], "what survived is an in-order prefix"
        confirmed = [text for when, text in typed if when < killed_at - 1.0]
        assert added[: len(confirmed)] == confirmed, "every edit older than a second survived"
        typed = [(when, text) for when, text in typed if text in added]
    # The next start cleans the temp files a killed save may have left.
    stray = path.parent / f".{path.name}.12345.tmp"
    stray.write_text("half a save")
    app = pty_editor(store.data_dir, "big", cols=100, rows=30)
    try:
        poll_until(lambda: not stray.exists(), "the stale temp file to be removed")
        assert not stray.exists()
        assert not list(Path(path.parent).glob(f".{path.name}.*.tmp"))
    finally:
        app.close()


def test_a_start_half_a_second_after_a_hang_up_opens_the_canvas(store: CanvasStore) -> None:
    """A dropped SSH link, then reconnecting at once: the hung-up editor saved, freed its
    lock and left within half a second, so the new one is not told "Already open"."""
    for round_ in range(3):
        app = pty_editor(store.data_dir, "acme")
        text = f"hup {round_}"
        try:
            mark = app.mark()
            app.type("a" + text)  # a field still open when the link drops
            app.wait_for(text.encode(), start=mark)
            hung_up = time.monotonic()
            app.hang_up()
            # The reconnect half a second later is what is under test, not a wait for the app.
            time.sleep(max(0.0, 0.5 - (time.monotonic() - hung_up)))
            again = PtyApp("--data-dir", str(store.data_dir), "acme")
            try:
                again.wait_for(READY)
                assert b"Already open" not in bytes(again.output)
                again.type("q")
                assert again.wait() == 0
            finally:
                again.close()
            assert os.waitstatus_to_exitcode(app.wait()) == 128 + signal.SIGHUP
        finally:
            app.close()
        assert load(store.path_for("acme")).canvas.texts(0)[-1] == text
