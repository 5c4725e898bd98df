"""The instant start in a real pseudo-terminal: the canvas painted before Textual starts,
Textual taking over the same screen, keys typed from the first moment landing in order, no
blank frame, and the terminal restored on every path.

Two tests pin details of Textual's Linux driver the hand-over depends on (the alternate-screen
switch as a write of its own, and `attrs_before`): a Textual release that changes either
fails here, not in people's terminals.
"""

from __future__ import annotations

import json
import os
import signal
import termios
import time
from pathlib import Path

import pyte
import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import dump_canvas, poll_until
from ptyapp import READY, TEXTUAL_UP, PtyApp, default_settings

ALT_ON, ALT_OFF = b"\x1b[?1049h", b"\x1b[?1049l"
ENTER = "\r"
ROUNDS = 3
LAST_BLOCK = b"9 Revenue Streams"


def write(store: CanvasStore, name: str, per_block: int = 4) -> Path:
    path = store.path_for(name)
    canvas = Canvas.from_lists(
        "Start", [[f"block {b} item {i}" for i in range(per_block)] for b in range(9)]
    )
    path.write_text(dump_canvas(canvas), encoding="utf-8")
    return path


def start(store: CanvasStore, name: str, **env: str) -> PtyApp:
    return PtyApp("--data-dir", str(store.data_dir), name, env=env)


def quit_and_wait(app: PtyApp) -> None:
    app.type("q")
    assert app.wait(timeout=30) == 0


def before_textual(app: PtyApp) -> bytes:
    output = bytes(app.output)
    return output[: output.find(TEXTUAL_UP)]


def test_the_canvas_is_painted_before_textual_starts_and_textual_never_switches_again(
    store: CanvasStore,
) -> None:
    """Pins `LinuxDriver.start_application_mode` writing the alternate-screen switch on its
    own: the pre-paint drops exactly that write, so the output holds one switch, the
    pre-paint's, before the whole canvas."""
    write(store, "acme")
    app = start(store, "acme")
    try:
        app.wait_for(READY, timeout=60)
        quit_and_wait(app)
    finally:
        app.close()
    early = before_textual(app)
    assert early.startswith(ALT_ON)
    assert LAST_BLOCK in early and READY in early, "the whole canvas, before Textual"
    assert bytes(app.output).count(ALT_ON) == 1, "Textual switched the screen again"
    assert bytes(app.output).rfind(ALT_OFF) > bytes(app.output).find(TEXTUAL_UP), "left it"


def test_the_settings_restored_at_the_end_are_those_from_before_the_pre_paint(
    store: CanvasStore,
) -> None:
    """Pins `LinuxDriver.attrs_before`: Textual reads it once the terminal is raw already;
    the hand-over sets it to the settings from before, which it must restore."""
    write(store, "acme")
    app = start(store, "acme")
    try:
        app.wait_for(READY, timeout=60)
        assert termios.tcgetattr(app.fd)[3] & termios.ICANON == 0  # raw while it runs
        quit_and_wait(app)
        assert termios.tcgetattr(app.fd) == default_settings()
    finally:
        app.close()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2], ids=["0ms", "50ms", "100ms", "200ms"])
def test_keys_typed_at_launch_land_in_order(store: CanvasStore, delay: float) -> None:
    wrong = []
    for round_ in range(ROUNDS):
        path = write(store, "acme")
        text = f"typed {round_} at {delay:.2f} s"
        app = start(store, "acme")
        try:
            time.sleep(delay)  # the typist's moment under test, not a wait for the app
            app.type("a" + text + ENTER + "q")
            status = app.wait(timeout=60)
        finally:
            app.close()
        got = load(path).canvas.texts(0)
        if os.waitstatus_to_exitcode(status) != 0 or got[-1] != text or len(got) != 5:
            wrong.append((round_, status, got, bytes(app.output[-300:])))
    assert wrong == [], f"{len(wrong)} of {ROUNDS} rounds went wrong"


@pytest.mark.parametrize("delay", [0.0, 0.1], ids=["0ms", "100ms"])
def test_a_dialog_answered_at_launch_acts_before_the_keys_after_it(
    store: CanvasStore, delay: float
) -> None:
    """m, 3 (move the item to block 3), then an item added: typed at launch, these keys wait
    for the first layout and are then taken one after the other. The move (the dialog's
    answer) must be made before the next key, as when they are typed later: the item added
    follows the moved one in block 3."""
    path = store.path_for("moves")
    wrong = []
    for round_ in range(ROUNDS):
        canvas = Canvas.from_lists("Moves", [["first", "second"], *[[]] * 8])
        path.write_text(dump_canvas(canvas), encoding="utf-8")
        app = start(store, "moves")
        try:
            time.sleep(delay)  # the typist's moment under test, not a wait for the app
            app.type("m3" + "a" + "after the move" + ENTER + "q")
            status = app.wait(timeout=60)
        finally:
            app.close()
        got = load(path).canvas
        blocks = (got.texts(0), got.texts(2))
        if os.waitstatus_to_exitcode(status) != 0 or blocks != (
            ("second",),
            ("first", "after the move"),
        ):
            wrong.append((round_, status, blocks))
    assert wrong == [], f"{len(wrong)} of {ROUNDS} rounds went wrong"


class AltScreen(pyte.Screen):  # type: ignore[misc]
    """pyte with the alternate screen's switch clearing the screen, as terminals do."""

    def set_mode(self, *modes: int, **kwargs: object) -> None:
        if kwargs.get("private") and 1049 in modes:
            self.erase_in_display(2)
        super().set_mode(*modes, **kwargs)


def test_no_blank_frame_between_launch_and_the_full_canvas(store: CanvasStore) -> None:
    """The output replayed through a terminal emulator, piece by piece as it arrived: from
    the switch to the alternate screen, the screen is never blank before the full canvas."""
    write(store, "acme")
    for _ in range(ROUNDS):
        app = start(store, "acme")
        try:
            app.wait_for(READY, timeout=60)
            chunks = list(app.chunks)
            quit_and_wait(app)
        finally:
            app.close()
        screen = AltScreen(120, 40)
        stream = pyte.ByteStream(screen)
        switched = full = False
        blanks = 0
        for chunk in chunks:
            stream.feed(chunk)
            switched = switched or ALT_ON in chunk
            text = "\n".join(screen.display)
            if switched and not text.strip():
                blanks += 1
            if LAST_BLOCK.decode() in text and "Quit" in text:
                full = True
                break
        assert full, "the full canvas never showed"
        assert blanks == 0, f"{blanks} blank frames before the canvas"


def test_an_error_after_raw_mode_restores_the_terminal_then_says_why(
    store: CanvasStore,
) -> None:
    store.path_for("broken").write_text('title = "x"\n[blocks\n', encoding="utf-8")
    app = start(store, "broken")
    try:
        status = app.wait(timeout=60)
        assert termios.tcgetattr(app.fd) == default_settings()
    finally:
        app.close()
    assert os.waitstatus_to_exitcode(status) == 1
    output = bytes(app.output)
    assert b"error" in output
    assert output.count(ALT_ON) == output.count(ALT_OFF)


def test_a_signal_at_the_hand_over_restores_the_terminal(store: CanvasStore) -> None:
    write(store, "acme")
    for _ in range(ROUNDS):
        app = start(store, "acme")
        try:
            app.wait_for(LAST_BLOCK, timeout=60)  # painted; Textual may or may not be up
            app.signal(signal.SIGTERM)
            status = app.wait(timeout=30)
            assert termios.tcgetattr(app.fd) == default_settings()
        finally:
            app.close()
        assert os.waitstatus_to_exitcode(status) in (-signal.SIGTERM, 128 + signal.SIGTERM)
        output = bytes(app.output)
        assert output.rfind(ALT_OFF) > output.rfind(ALT_ON) >= 0, "left the alternate screen"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "narrow"])
def test_the_colours_are_learnt_from_the_first_frame_and_painted_next_time(
    store: CanvasStore, size: tuple[int, int]
) -> None:
    """Textual's first frame is the painted one, text and styles (each style the pre-paint
    names drawn one way): nothing in the guard's log."""
    write(store, "acme")
    cache = store.data_dir / "cache" / "prepaint.json"
    painted = []
    for _ in range(2):
        app = PtyApp("--data-dir", str(store.data_dir), "acme", cols=size[0], rows=size[1])
        try:
            app.wait_for(READY, timeout=60)
            quit_and_wait(app)
        finally:
            app.close()
        painted.append(before_textual(app))
    learnt = json.loads(cache.read_text(encoding="utf-8"))
    assert learnt["off"] is None, "Textual's first frame differed from the pre-paint"
    border = learnt["styles"]["canvas:border-current"]
    assert f"\x1b[{border}m".encode() not in painted[0]  # plain the first time
    assert f"\x1b[{border}m".encode() in painted[1]
    log = store.data_dir / "cache" / "prepaint.log"
    assert not log.exists(), log.read_text()


def test_a_read_only_start_is_painted_and_writes_nothing_in_the_data_dir(
    store: CanvasStore,
) -> None:
    """`view` learns no colours and compiles no templates into the data dir: a read-only
    session leaves it exactly as it was."""
    write(store, "acme")
    before = sorted(path.relative_to(store.data_dir) for path in store.data_dir.rglob("*"))
    app = PtyApp("--data-dir", str(store.data_dir), "view", "acme")
    try:
        app.wait_for(READY, timeout=60)
        quit_and_wait(app)
    finally:
        app.close()
    assert before_textual(app).startswith(ALT_ON), "not painted"
    after = sorted(path.relative_to(store.data_dir) for path in store.data_dir.rglob("*"))
    assert after == before


def learnt(cache: Path) -> dict[str, object] | None:
    """The style cache once the guard has judged a first frame (it wrote colours or turned
    the pre-paint off); None until then."""
    try:
        data: dict[str, object] = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not written yet
        return None
    return data if data.get("styles") is not None or data.get("off") is not None else None


@pytest.mark.parametrize(
    ("size", "title"),
    [
        ((80, 24), "A title long enough that the title bar cuts it short at eighty columns wide"),
        ((60, 20), "Start"),
    ],
    ids=["80x24-long-title", "60x20-key-bar"],
)
def test_a_screen_too_narrow_for_the_bars_is_painted_cut_as_the_editor_cuts_them(
    store: CanvasStore, size: tuple[int, int], title: str
) -> None:
    """The title bar (80 columns, a long title) or the key bar (60 columns) does not fit: it
    is painted ending in "…", as the editor's widgets draw it, and the guard finds Textual's
    first frame the same: it learns the colours and turns nothing off."""
    path = store.path_for("acme")
    canvas = Canvas.from_lists(title, [[f"block {b} item {i}" for i in range(4)] for b in range(9)])
    path.write_text(dump_canvas(canvas), encoding="utf-8")
    cache = store.data_dir / "cache" / "prepaint.json"
    app = PtyApp("--data-dir", str(store.data_dir), "acme", cols=size[0], rows=size[1])
    try:
        app.wait_for(TEXTUAL_UP, timeout=60)
        poll_until(lambda: learnt(cache) is not None, "the guard's verdict", timeout=60)
        quit_and_wait(app)
    finally:
        app.close()
    assert "…".encode() in before_textual(app), "painted cut"
    verdict = learnt(cache)
    assert verdict is not None and verdict["off"] is None, verdict
    log = store.data_dir / "cache" / "prepaint.log"
    assert not log.exists(), log.read_text()


@pytest.mark.parametrize(
    "env",
    [
        {"TEXTUAL_DRIVER": "textual.drivers.linux_driver:LinuxDriver"},
        {"CANVAS_TUI_NO_PREPAINT": "1"},
    ],
    ids=["TEXTUAL_DRIVER", "CANVAS_TUI_NO_PREPAINT"],
)
def test_no_pre_paint_when_turned_off(store: CanvasStore, env: dict[str, str]) -> None:
    write(store, "acme")
    app = start(store, "acme", **env)
    try:
        app.wait_for(READY, timeout=60)
        quit_and_wait(app)
    finally:
        app.close()
    assert READY not in before_textual(app)


def test_a_canvas_open_elsewhere_is_not_painted_and_the_app_asks(store: CanvasStore) -> None:
    write(store, "acme")
    first = start(store, "acme")
    try:
        first.wait_for(READY, timeout=60)
        second = start(store, "acme")
        try:
            second.wait_for(b"Already open", timeout=60)
            assert LAST_BLOCK not in before_textual(second)
        finally:
            second.close()
        quit_and_wait(first)
    finally:
        first.close()
