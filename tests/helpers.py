"""What several test files share: canvases, writing them, reading the screen, waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from canvas_tui.canvasfile import dump
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore, load
from canvas_tui.template import built_in_templates


def dump_canvas(canvas: Canvas) -> str:
    """A canvas as canvas-tui writes it (its template must be a shipped one)."""
    return dump(canvas, built_in_templates().for_canvas(canvas.template).keys)


def write_canvas(store: CanvasStore, name: str, canvas: Canvas) -> Path:
    path = store.path_for(name)
    keys = store.templates.for_canvas(canvas.template).keys
    path.write_text(dump(canvas, keys), encoding="utf-8")
    return path


def screen_text(app: object) -> str:
    """The plain text on the app's screen, line by line, as a person would read it."""
    screen = app.screen  # type: ignore[attr-defined]
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def wait_for(
    pilot: Any, condition: Callable[[], bool], timeout: float = 10.0, what: str = "the condition"
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


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
