"""What several test files share: canvases, writing them, reading the screen, waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from canvas_tui.canvasfile import dump
from canvas_tui.errors import CanvasError
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore, load
from canvas_tui.template import built_in_templates

if TYPE_CHECKING:
    from textual.app import App
    from textual.events import Key

    from canvas_tui.ui.editor import EditorScreen

# How long a wait for a condition may take before the test fails: generous, for a busy
# two-core machine running several suites at once. Waits end as soon as the condition holds.
TIMEOUT = 20.0


def dump_canvas(canvas: Canvas) -> str:
    """A canvas as canvas-tui writes it (its template must be a shipped one)."""
    return dump(canvas, built_in_templates().for_canvas(canvas.template).keys)


def write_canvas(store: CanvasStore, name: str, canvas: Canvas) -> Path:
    path = store.path_for(name)
    keys = store.templates.for_canvas(canvas.template).keys
    path.write_text(dump(canvas, keys), encoding="utf-8")
    return path


def key_event(key: str) -> Key:
    from textual.events import Key  # here: the pure tests use this module without Textual

    if key == " ":
        return Key("space", " ")
    return Key(key, key if len(key) == 1 else None)


def post_keys(app: App[None], keys: Iterable[str]) -> None:
    """Queue keys without waiting between them: a fast typist, a paste, a laggy SSH link."""
    for key in keys:
        app.post_message(key_event(key))


def screen_text(app: object) -> str:
    """The plain text on the app's screen, line by line, as a person would read it."""
    screen = app.screen  # type: ignore[attr-defined]
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def wait_for(
    pilot: Any, condition: Callable[[], bool], timeout: float = TIMEOUT, what: str = "the condition"
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)  # the polling step, not a wait for anything


def poll_until(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    """Block (no app loop to run: a thread, another process) until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)  # the polling step, not a wait for anything


async def screen_until(pilot: Any, app: object, text: str) -> str:
    """Wait until `text` is on the app's screen; return the screen."""
    await wait_for(pilot, lambda: text in screen_text(app), what=repr(text))
    return screen_text(app)


def editor(app: Any) -> EditorScreen:
    """The app's open editor (under any dialog on top of it)."""
    from canvas_tui.ui.editor import EditorScreen  # here: the pure tests never load Textual

    screens = [screen for screen in app.screen_stack if isinstance(screen, EditorScreen)]
    assert screens, "the editor is not open"
    return screens[0]


# What the app says when a quit could not save (the second quit gives the edits up).
NOT_SAVED_WARNING = "Press q again"


def quit_or_warned(app: Any) -> bool:
    """Whether a quit was dealt with: the app left, or it warns that edits are not saved."""
    return not app.is_running or NOT_SAVED_WARNING in screen_text(app)


def file_state(path: Path) -> tuple[bytes, int]:
    """A file's bytes and mtime: equal only if it was not written at all."""
    return path.read_bytes(), path.stat().st_mtime_ns


def canvas_on_disk(path: Path) -> Canvas | None:
    """The canvas in `path`; None while it does not exist or cannot be read."""
    try:
        return load(path).canvas
    except (OSError, ValueError, CanvasError):  # not there yet, or being replaced
        return None


async def wait_for_disk(
    pilot: Any, path: Path, check: Callable[[Canvas], bool], what: str = "the file"
) -> Canvas:
    """Let the app run (and its autosave write) until the canvas in `path` passes `check`."""

    def passes() -> bool:
        canvas = canvas_on_disk(path)
        return canvas is not None and check(canvas)

    await wait_for(pilot, passes, what=what)
    canvas = canvas_on_disk(path)
    assert canvas is not None
    return canvas


def wait_for_file(
    path: Path, check: Callable[[Canvas], bool], what: str = "the file", timeout: float = TIMEOUT
) -> None:
    """Block until the canvas in `path` passes `check` (written by another process)."""

    def passes() -> bool:
        canvas = canvas_on_disk(path)
        return canvas is not None and check(canvas)

    poll_until(passes, what, timeout)


# The small canvas the shell-command tests edit: two partners, a proposition, a rich segment.
SHELL_ACME = Canvas.from_lists(
    "Acme",
    [
        ["Cloud host", "Stripe"],
        [],
        [],
        ["Saves time"],
        [],
        [],
        [Item("Managers", "validated", ("b2b",), "12 interviews")],
        [],
        [],
    ],
)

# The canvas most CLI tests read: an item in most blocks, Markdown-ish text in one.
ACME = Canvas.from_lists(
    "Acme Robotics",
    [
        ["Cloud hosting provider", "Stripe"],
        ["Build robots"],
        [],
        ["Robots that *never* sleep"],
        ["Self-service"],
        ["Website", "Trade fairs"],
        ["Warehouses"],
        ["Salaries"],
        ["Subscriptions", "Hardware sales"],
    ],
)


def texts(path: Path, block: int) -> list[str]:
    """The texts of block `block` (1-based) of the canvas at `path`."""
    return [item.text for item in load(path).canvas.blocks[block - 1]]
