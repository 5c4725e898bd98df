"""The canvas browser's start in a real pseudo-terminal: keys typed from the first moment (a
filter, enter, an item) wait for the browser uncooked and land in order, as for the editor."""

from __future__ import annotations

import os
import termios
import time

import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import dump_canvas
from ptyapp import BROWSER_READY, PtyApp, default_settings

ENTER = "\r"
ROUNDS = 3


def write_canvases(store: CanvasStore) -> None:
    for name, title in (("alpha", "Alpha"), ("beta-works", "Beta Works"), ("gamma", "Gamma")):
        canvas = Canvas.from_lists(title, [["first"], *[[]] * 8])
        store.path_for(name).write_text(dump_canvas(canvas), "utf-8")


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2], ids=["0ms", "50ms", "100ms", "200ms"])
def test_a_filter_and_an_item_typed_at_launch_land_in_the_canvas_found(
    store: CanvasStore, delay: float
) -> None:
    """Typed before the browser is up: a terminal still cooking its keys would turn each
    enter into a line feed (ctrl+j), which neither opens the canvas found nor ends the item."""
    path = store.path_for("beta-works")
    wrong = []
    for round_ in range(ROUNDS):
        write_canvases(store)  # beta-works as it was before each round
        text = f"typed {round_} at {delay:.2f} s"
        app = PtyApp("--data-dir", str(store.data_dir))
        try:
            time.sleep(delay)  # the typist's moment under test, not a wait for the app
            app.type("/" + "bet" + ENTER + "a" + text + ENTER + "q")
            status = app.wait(timeout=60)
            restored = termios.tcgetattr(app.fd) == default_settings()
        finally:
            app.close()
        got = load(path).canvas.texts(0)
        if os.waitstatus_to_exitcode(status) != 0 or got != ("first", text) or not restored:
            wrong.append((round_, status, got, restored, bytes(app.output[-300:])))
    assert wrong == [], f"{len(wrong)} of {ROUNDS} rounds went wrong"


def test_the_browser_is_raw_while_it_runs_and_the_terminal_as_before_after(
    store: CanvasStore,
) -> None:
    write_canvases(store)
    app = PtyApp("--data-dir", str(store.data_dir))
    try:
        app.wait_for(BROWSER_READY, timeout=60)
        assert termios.tcgetattr(app.fd)[3] & termios.ICANON == 0
        app.type("q")
        assert app.wait(timeout=30) == 0
        assert termios.tcgetattr(app.fd) == default_settings()
    finally:
        app.close()
