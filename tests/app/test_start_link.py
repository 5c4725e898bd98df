"""The instant start across a slow link, as over SSH: people type `canvas-tui acme`, then `a`,
their idea and enter before the screen is up, with 80 ms each way between them and the
terminal (tests/sshlink.py). Every key must land, in order, and the item be saved exactly.

The keys are typed 0, 50, 100 and 200 ms after the program is spawned, on the typist's side
of the link: they reach the terminal one link delay later, while the program is still
starting, before or after its terminal is raw. Both links keep byte order; the jittered one
delays each piece by 40 to 120 ms.
"""

from __future__ import annotations

import os
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("pty", reason="needs a pseudo-terminal (the standard library's pty)")
pytest.importorskip("termios", reason="needs a pseudo-terminal (POSIX termios)")

from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from helpers import TIMEOUT, dump_canvas, poll_until
from sshlink import JITTER, LATENCY, DelayLine, LinkedApp

ENTER, ESCAPE = "\r", "\x1b"
ROUNDS = 3
FIRST = "first idea"
LINKS = {"80ms": 0.0, "80+-40ms": JITTER}  # the jitter of each link; both LATENCY on average
LAST_BLOCK = b"9 Revenue Streams"  # the pre-paint draws it once the terminal is raw
DELAYS = {"0ms": 0.0, "50ms": 0.05, "100ms": 0.1, "200ms": 0.2}


def write(store: CanvasStore, name: str) -> Path:
    """A canvas of one item in the first block (where `a` adds) and three in each other."""
    path = store.path_for(name)
    blocks = [[FIRST], *[[f"block {b} item {i}" for i in range(3)] for b in range(1, 9)]]
    path.write_text(dump_canvas(Canvas.from_lists("Link", blocks)), encoding="utf-8")
    return path


def first_block_on_disk(path: Path) -> list[object]:
    """The first block's items, read straight from the canvas's TOML file."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    items: list[object] = data["blocks"]["key_partners"]
    return items


def launch_and_type(
    store: CanvasStore, name: str, jitter: float, seed: int, delay: float, keys: str
) -> bytes:
    """Start canvas-tui on `name` across a link, type `keys` `delay` seconds after the spawn,
    wait for it to exit; all it wrote. It must exit 0 with no traceback."""
    app = LinkedApp(
        "--data-dir", str(store.data_dir), name, latency=LATENCY, jitter=jitter, seed=seed
    )
    try:
        # The typist's moment under test (after the spawn, on their side of the link), not
        # a wait for the app.
        time.sleep(max(0.0, app.spawned + delay - time.monotonic()))
        app.type(keys)
        status = app.wait(timeout=3 * TIMEOUT)
    finally:
        app.close()
    return clean_exit(app, status)


def clean_exit(app: LinkedApp, status: int) -> bytes:
    """All the program wrote, once it is known to have exited 0 with no traceback."""
    output = bytes(app.output)
    assert b"Traceback" not in output, output[-1500:]
    assert os.waitstatus_to_exitcode(status) == 0, (status, output[-800:])
    return output


def seed_of(*numbers: float) -> int:
    """The jitter's seed for a round: each round its own, the same on every run."""
    return int(sum(n * 1000 * 7**i for i, n in enumerate(numbers)))


@pytest.mark.parametrize("round_", range(ROUNDS), ids=lambda n: f"round{n}")
@pytest.mark.parametrize("delay", DELAYS.values(), ids=DELAYS.keys())
@pytest.mark.parametrize("jitter", LINKS.values(), ids=LINKS.keys())
def test_an_item_typed_at_launch_across_the_link_is_saved_and_q_quits(
    store: CanvasStore, jitter: float, delay: float, round_: int
) -> None:
    path = write(store, "acme")
    text = f"idea {round_} typed at {delay * 1000:.0f} ms"
    launch_and_type(store, "acme", jitter, seed_of(delay, round_), delay, "a" + text + ENTER + "q")
    assert first_block_on_disk(path) == [FIRST, text]


@pytest.mark.parametrize("round_", range(ROUNDS), ids=lambda n: f"round{n}")
@pytest.mark.parametrize("delay", [0.0, 0.1], ids=["0ms", "100ms"])
@pytest.mark.parametrize("jitter", LINKS.values(), ids=LINKS.keys())
def test_escape_then_keys_typed_at_launch_across_the_link_cancel_and_act(
    store: CanvasStore, jitter: float, delay: float, round_: int
) -> None:
    """One burst: an item begun and cancelled with escape, at once `a` again (a terminal
    sends alt+a as that escape and `a`), a second item, enter and q."""
    path = write(store, "acme")
    keys = "a" + "cancelled" + ESCAPE + "a" + "second" + ENTER + "q"
    launch_and_type(store, "acme", jitter, seed_of(delay, round_, 1), delay, keys)
    assert first_block_on_disk(path) == [FIRST, "second"]
    assert b"cancelled" not in path.read_bytes()


def test_the_jittered_link_is_late_but_keeps_the_order() -> None:
    """The harness itself: every piece arrives whole, in order, and never sooner than the
    link's shortest delay (however slow the machine, a piece is never early)."""
    arrived: list[tuple[float, bytes]] = []
    link = DelayLine(lambda data: arrived.append((time.monotonic(), data)), LATENCY, JITTER, 7)
    sent = []
    try:
        for n in range(40):
            sent.append((time.monotonic(), f"piece {n};".encode()))
            link.send(sent[-1][1])
        poll_until(link.idle, "the link to deliver everything")
    finally:
        link.close()
    assert [data for _, data in arrived] == [data for _, data in sent]
    delays = [got - put for (put, _), (got, _) in zip(sent, arrived, strict=True)]
    assert min(delays) >= LATENCY - JITTER


@pytest.mark.parametrize("jitter", LINKS.values(), ids=LINKS.keys())
def test_an_escape_typed_last_at_launch_cancels_before_the_next_key(
    store: CanvasStore, jitter: float
) -> None:
    """An item begun and cancelled at launch, with nothing after the escape until the canvas
    is on screen: the escape is escape then (not held for a sequence that never comes), so
    q, typed once the canvas shows, quits."""
    path = write(store, "acme")
    before = path.read_bytes()
    app = LinkedApp(
        "--data-dir", str(store.data_dir), "acme", latency=LATENCY, jitter=jitter, seed=3
    )
    try:
        app.type("a" + "cancelled" + ESCAPE)  # at once: the launch's first moment
        app.wait_for(LAST_BLOCK, timeout=3 * TIMEOUT)  # painted: the terminal is raw
        app.type("q")
        status = app.wait(timeout=3 * TIMEOUT)
    finally:
        app.close()
    clean_exit(app, status)
    assert path.read_bytes() == before
