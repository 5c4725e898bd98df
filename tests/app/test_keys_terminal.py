"""Every key lands: the real program in a pseudo-terminal, typed at the way people type.

A burst is written to the terminal in one go the moment the first screen is drawn (as a paste,
a fast typist or a laggy SSH link delivers keys), and the file on disk must hold exactly what
was typed, in order. Pilot cannot show these timing faults: it waits between presses.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import dump_canvas
from ptyapp import BROWSER_READY, READY, PtyApp

ENTER = "\r"
SMALL_ROUNDS = 8
BIG_ROUNDS = 3


def canvas_of(per_block: int) -> Canvas:
    return Canvas.from_lists(
        "Burst",
        [[f"block {b} item {i}: ordinary text" for i in range(per_block)] for b in range(9)],
    )


def start(store: CanvasStore, *args: str) -> PtyApp:
    return PtyApp("--data-dir", str(store.data_dir), *args)


def quit_and_wait(app: PtyApp) -> None:
    app.type("q")
    assert app.wait(timeout=30) == 0, "q quits: no field was left open"


def added(path: Path, block: int, before: int) -> list[str]:
    return list(load(path).canvas.texts(block)[before:])


@pytest.mark.parametrize(
    ("per_block", "rounds"), [(5, SMALL_ROUNDS), (1000, BIG_ROUNDS)], ids=["45", "9000"]
)
def test_a_burst_typed_at_the_first_screen_lands_whole_and_in_order(
    store: CanvasStore, per_block: int, rounds: int
) -> None:
    path = store.path_for("burst")
    wrong = []
    for round_ in range(rounds):
        path.write_text(dump_canvas(canvas_of(per_block)), encoding="utf-8")
        texts = [f"r{round_}s{i} typed fast" for i in range(3)]
        app = start(store, "burst")
        try:
            app.wait_for(READY, timeout=60)
            # 1 G: block 1, its last item; then three items added, as one write.
            app.type("1G" + "".join("a" + text + ENTER for text in texts))
            quit_and_wait(app)
        finally:
            app.close()
        got = added(path, 0, per_block)
        if got != texts:
            wrong.append((round_, got))
    assert wrong == [], f"{len(wrong)} of {rounds} rounds went wrong"


def test_keys_typed_during_saves_land_in_order(store: CanvasStore) -> None:
    """Bursts every few tens of milliseconds on a 9,000-item canvas, whose saves take a
    while: many arrive while a save runs on its thread."""
    path = store.path_for("busy")
    path.write_text(dump_canvas(canvas_of(1000)), encoding="utf-8")
    texts = [f"during save {i}" for i in range(24)]
    app = start(store, "busy")
    try:
        app.wait_for(READY, timeout=60)
        app.type("9G")
        for text in texts[:-1]:
            app.type("a" + text + ENTER)
            time.sleep(0.04)  # the pace of the typing under test, not a wait for the app
        mark = app.mark()  # before the last burst: its save may be on screen at once
        app.type("a" + texts[-1] + ENTER)
        app.wait_for(b"saved", timeout=30, start=mark)
        quit_and_wait(app)
    finally:
        app.close()
    assert added(path, 8, 1000) == texts


def test_pasted_lines_become_items_in_the_add_field_the_edit_field_and_the_canvas(
    store: CanvasStore,
) -> None:
    path = store.path_for("paste")
    path.write_text(dump_canvas(Canvas.from_lists("Paste", [["first"], *[[]] * 8])), "utf-8")
    app = start(store, "paste")
    try:
        app.wait_for(READY, timeout=60)
        # In the add field: bullets dropped, blank lines skipped, one item per line.
        app.type("a")
        app.paste("- one\n* two\n\n• three")
        app.type(ENTER)
        # In the edit field of "first": its text gets the first line, the rest follow it.
        app.type("g" + "e")
        app.paste(" plus\n1. four\n[ ] five")
        app.type(ENTER)
        # On the canvas, no field open: below the cursor (on "one", after "five").
        app.type("j")
        app.paste("six\n\tseven\n")
        quit_and_wait(app)
    finally:
        app.close()
    assert load(path).canvas.texts(0) == (
        "first plus",
        "four",
        "five",
        "one",
        "six",
        "seven",
        "two",
        "three",
    )


def test_browser_new_title_and_filter_typed_at_once(store: CanvasStore, tmp_path: Path) -> None:
    for name, title in (("alpha", "Alpha"), ("beta-works", "Beta Works"), ("gamma", "Gamma")):
        store.path_for(name).write_text(
            dump_canvas(Canvas.from_lists(title, [[], *[[]] * 8])), "utf-8"
        )
    for round_ in range(3):
        app = start(store)
        # What the terminal got, kept for a failure: which screen took which key.
        output = tmp_path / f"round-{round_}-terminal-output.bin"
        try:
            app.wait_for(BROWSER_READY, timeout=60)
            # n, a title, enter: the new canvas opens; an item typed at once lands in it.
            app.type("n" + f"Acme {round_}" + ENTER + "a" + "from the browser" + ENTER)
            app.wait_for(b"from the browser", timeout=30)
            # escape back to the browser, / and part of a title, enter: it opens.
            mark = app.mark()  # before the key: the browser may be drawn before type() returns
            app.type("\x1b")
            app.wait_for(BROWSER_READY, timeout=30, start=mark)
            app.type("/" + "beta" + ENTER + "a" + f"found {round_}" + ENTER)
            app.wait_for(f"found {round_}".encode(), timeout=30)
            quit_and_wait(app)
        finally:
            app.close()
            output.write_bytes(bytes(app.output))
        where = f"round {round_}; the terminal's output is in {output}"
        made, found = store.path_for(f"acme-{round_}"), store.path_for("beta-works")
        assert load(made).canvas.texts(0) == ("from the browser",), where
        assert load(found).canvas.texts(0)[-1] == f"found {round_}", where


def test_browser_filter_arrows_move_in_the_filtered_list(store: CanvasStore) -> None:
    for name in ("plan-a", "plan-b", "other"):
        store.path_for(name).write_text(
            dump_canvas(Canvas.from_lists(name.title(), [[], *[[]] * 8])), "utf-8"
        )
    app = start(store)
    try:
        app.wait_for(BROWSER_READY, timeout=60)
        # Typing narrows the list to plan-a and plan-b; ↓ moves to the second; enter opens.
        first = sorted(["plan-a", "plan-b"], key=lambda n: -store.path_for(n).stat().st_mtime)
        app.type("/" + "plan" + "\x1b[B" + ENTER + "a" + "picked" + ENTER)
        app.wait_for(b"picked", timeout=30)
        quit_and_wait(app)
    finally:
        app.close()
    assert load(store.path_for(first[1])).canvas.texts(0) == ("picked",)


def test_escape_typed_fast_before_a_letter_is_two_keys(store: CanvasStore) -> None:
    """Terminals send alt+letter as ESC and the letter: escape typed fast before a letter
    arrives that way, and must still cancel, then the letter must act."""
    path = store.path_for("escape")
    path.write_text(dump_canvas(canvas_of(2)), encoding="utf-8")
    app = start(store, "escape")
    try:
        app.wait_for(READY, timeout=60)
        app.type("1G" + "a" + "cancelled" + "\x1b" + "a" + "kept" + ENTER)
        quit_and_wait(app)
    finally:
        app.close()
    assert added(path, 0, 2) == ["kept"]
