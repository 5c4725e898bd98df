"""The text field in a real terminal: keys typed from the first moment, escape followed at once
by more keys, invisible characters, ctrl+z, and the colour a terminal asks for.

Each runs the real program in a pseudo-terminal (tests/ptyapp.py): what is checked is the
file on disk, the exit status and the bytes the program wrote. Pilot cannot show these: it
lays the screen out before the first key and delivers keys as events, not bytes.
"""

from __future__ import annotations

import os
import re
import signal
import termios
import time
from pathlib import Path

import pytest

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from helpers import dump_canvas
from ptyapp import READY, PtyApp

ENTER, ESCAPE = "\r", "\x1b"
ROUNDS = 2
# Long enough that, after an escape, Textual's parser gave up on it as one escape sequence
# (32 characters) and typed the escape into the field as "^".
SECOND = "a second item typed right after the escape"


def write(store: CanvasStore, name: str, blocks: list[list[str]]) -> Path:
    path = store.path_for(name)
    lists = [*blocks, *[[] for _ in range(9 - len(blocks))]]
    path.write_text(dump_canvas(Canvas.from_lists("Keys", lists)), encoding="utf-8")
    return path


def start(
    store: CanvasStore,
    name: str,
    *,
    size: tuple[int, int] = (120, 40),
    env: dict[str, str] | None = None,
) -> PtyApp:
    cols, rows = size
    return PtyApp("--data-dir", str(store.data_dir), name, cols=cols, rows=rows, env=env)


def finish(app: PtyApp) -> bytes:
    """Wait for the program to exit; its output."""
    try:
        status = app.wait(timeout=30)
    finally:
        app.close()
    output = bytes(app.output)
    assert b"Traceback" not in output and b"Error" not in output, output[-800:]
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"exit status {status}"
    return output


def type_slowly(app: PtyApp, text: str, pace: float) -> None:
    for character in text:
        app.type(character)
        time.sleep(pace)  # the typist's pace under test, not a wait for the app


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2], ids=["0ms", "50ms", "100ms", "200ms"])
@pytest.mark.parametrize("key", ["a", "o", "O"])
def test_an_item_typed_at_launch_is_saved_and_q_quits(
    store: CanvasStore, delay: float, key: str
) -> None:
    """`a`, `o` or `O`, text, enter and q typed as the program starts: before its first
    layout (the field was once placed with no width and crashed it), even before the
    terminal is in raw mode (enter then arrives as a line feed)."""
    wrong = []
    for round_ in range(ROUNDS):
        path = write(store, "early", [["first"]])
        app = start(store, "early", size=(80, 24))
        time.sleep(delay)  # how long after launch the keys come: the case under test
        app.type(key + f"hello {round_}" + ENTER + "q")
        finish(app)
        texts = load(path).canvas.texts(0)
        if f"hello {round_}" not in texts or len(texts) != 2:
            wrong.append((round_, texts))
    assert wrong == []


def test_escape_then_keys_in_one_burst_cancel_and_act(store: CanvasStore) -> None:
    path = write(store, "burst", [["one"], ["two"]])
    for round_ in range(ROUNDS):
        app = start(store, "burst")
        app.wait_for(READY, timeout=60)
        # Cancelled items, each escape followed at once by the next key: "a" (a new
        # field), "2" (block 2), "o" (a new field there).
        app.type(
            "1G"
            + "a"
            + f"cancelled {round_}"
            + ESCAPE
            + "a"
            + f"{SECOND} {round_}"
            + ENTER
            + "a"
            + "cancelled too"
            + ESCAPE
            + "2"
            + "G"
            + "o"
            + f"in block two {round_}"
            + ENTER
        )
        app.wait_for(f"in block two {round_}".encode(), timeout=30)
        app.type("q")
        finish(app)
    canvas = load(path).canvas
    assert canvas.texts(0) == ("one", *(f"{SECOND} {n}" for n in range(ROUNDS)))
    assert canvas.texts(1) == ("two", *(f"in block two {n}" for n in range(ROUNDS)))


def test_escape_then_keys_at_a_typists_pace_cancel_and_act(store: CanvasStore) -> None:
    path = write(store, "typist", [["one"]])
    app = start(store, "typist")
    app.wait_for(READY, timeout=60)
    mark = app.mark()
    type_slowly(app, "1G" + "a" + "cancelled" + ESCAPE + "a" + SECOND + ENTER, 0.06)
    app.wait_for(b"saved", timeout=30, start=mark)
    app.type("q")
    finish(app)
    assert load(path).canvas.texts(0) == ("one", SECOND)


INVISIBLE = (
    "dev 👩\u200d💻",  # the zero-width joiner of an emoji sequence
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian, with a zero-width non-joiner
    "\u200eleft-to-right mark",
    "soft\u00adhyphen",
    "no\u00a0break",
)


def test_invisible_characters_typed_are_kept(store: CanvasStore) -> None:
    path = write(store, "invisible", [[]])
    app = start(store, "invisible")
    app.wait_for(READY, timeout=60)
    for text in INVISIBLE:
        mark = app.mark()
        app.type("a" + text + ENTER)
        app.wait_for(b"saved", timeout=30, start=mark)
    app.type("q")
    finish(app)
    assert load(path).canvas.texts(0) == INVISIBLE
    stored = path.read_text(encoding="utf-8")
    for character in "\u200d\u200c\u200e\u00ad\u00a0":
        assert character in stored or f"\\u{ord(character):04x}" in stored.lower()


def slave_attributes(app: PtyApp) -> list[object]:
    """The terminal settings the program's side of the pseudo-terminal has now."""
    fd = os.open(Path(f"/proc/{app.pid}/fd/0").readlink(), os.O_RDWR | os.O_NOCTTY)
    try:
        return termios.tcgetattr(fd)
    finally:
        os.close(fd)


def stopped(pid: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found, status = os.waitpid(pid, os.WUNTRACED | os.WNOHANG)
        if found:
            return os.WIFSTOPPED(status)
        time.sleep(0.02)  # the polling step, not a wait for anything
    return False


def test_ctrl_z_suspends_with_the_terminal_restored_and_fg_redraws(store: CanvasStore) -> None:
    path = write(store, "suspend", [["one"]])
    app = start(store, "suspend")
    try:
        app.wait_for(READY, timeout=60)
        raw = slave_attributes(app)
        assert not raw[3] & termios.ICANON  # the editor runs in raw mode
        mark = app.mark()
        app.type("a" + "typed before" + "\x1a")  # ctrl+z with the field open
        assert stopped(app.pid), "ctrl+z did not stop the program"
        lflags = slave_attributes(app)[3]
        assert lflags & termios.ICANON and lflags & termios.ECHO, "the terminal was not restored"
        # The program wrote it before it stopped; the test's reader may not have read it yet.
        app.wait_for(b"\x1b[?1049l", timeout=30, start=mark)  # the alternate screen left
        mark = app.mark()
        os.kill(app.pid, signal.SIGCONT)  # what the shell's fg does
        # All of the screen again (the shell's lines were on it): the title bar too, and
        # the key bar of an open field.
        app.wait_for(b"suspend", timeout=30, start=mark)  # the canvas's name, in the title
        app.wait_for(b"Cancel", timeout=30, start=mark)
        assert not slave_attributes(app)[3] & termios.ICANON
        app.type(" and after" + ENTER + "q")
        finish(app)
    finally:
        app.close()
    assert load(path).canvas.texts(0) == ("one", "typed before and after")


@pytest.mark.parametrize(
    "env", [{"TERM": "dumb"}, {"NO_COLOR": "1"}, {}], ids=["dumb", "no-color", "colour"]
)
def test_no_colour_when_the_terminal_or_the_user_says_so(
    store: CanvasStore, env: dict[str, str]
) -> None:
    write(store, "colour", [["one", "two"]])
    app = start(store, "colour", env=env)
    app.wait_for(READY, timeout=60)
    app.type("q")
    output = finish(app)
    colours = {
        code
        for code in re.findall(rb"\x1b\[([0-9;]*)m", output)
        if re.search(rb"(?:^|;)(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;|$)", code)
    }
    if env:
        assert colours == set(), sorted(colours)[:5]
        # Focus still shows: the cursor item in reverse video, its block's title in bold.
        assert re.search(rb"\x1b\[[0-9;]*\b7\b[0-9;]*m", output)
    else:
        assert colours
