"""The editor's questions: the dialogs its keys open (m, t, i, v, ?) and how an answer comes
back. Each function opens its dialog over `screen` and calls `then` with an answer, never
with a cancel (escape). The dialogs' modules are imported on first use, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from canvas_tui.actions import Keymap
from canvas_tui.model import Canvas, Item, parse_tags
from canvas_tui.store.files import Loaded
from canvas_tui.template import BlockSpec, Template, Templates


def ask_block(
    screen: Screen[Any], template: Template, current: int, then: Callable[[int], object]
) -> None:
    """`m`: the block to move the item to (1–9)."""
    from canvas_tui.ui.dialogs import MoveScreen

    def answered(block: int | None) -> None:
        if block is not None:
            then(block)

    screen.app.push_screen(MoveScreen(template, current), answered)


def ask_tags(screen: Screen[Any], item: Item, then: Callable[[tuple[str, ...]], object]) -> None:
    """`t`: the item's tags, typed on one line; words that are not tags are named."""
    from canvas_tui.ui.prompt import TextPrompt

    def answered(text: str | None) -> None:
        if text is None:
            return
        tags, bad = parse_tags(text)
        if bad:
            screen.notify(
                f"Not tags (lowercase letters, digits and '-'): {', '.join(bad)}",
                severity="warning",
                markup=False,
            )
        then(tags)

    prompt = TextPrompt(
        "Tags, separated by commas or spaces (empty: none):",
        ", ".join(item.tags),
        placeholder="pricing, b2b",
        allow_empty=True,
    )
    screen.app.push_screen(prompt, answered)


def ask_note(screen: Screen[Any], item: Item, then: Callable[[str], object]) -> None:
    """`i`: the item's note."""
    from canvas_tui.ui.dialogs import NoteScreen

    def answered(note: str | None) -> None:
        if note is not None:
            then(note)

    screen.app.push_screen(NoteScreen(item.text, item.note), answered)


def show_help(
    screen: Screen[Any], keymap: Keymap, template: Template, spec: BlockSpec, *, read_only: bool
) -> None:
    """`?`: every key, and the guidance of the block `spec`."""
    from canvas_tui.ui.dialogs import HelpScreen

    screen.app.push_screen(HelpScreen(keymap, template, spec, read_only=read_only))


def ask_version(
    screen: Screen[Any],
    loaded: Loaded,
    now: Canvas,
    templates: Templates,
    snapshots: Path | None,
    *,
    read_only: bool,
    then: Callable[[Canvas], object],
) -> None:
    """`v`: a version of the canvas (a commit, a snapshot) to restore."""
    from canvas_tui.ui.history import HistoryScreen

    def answered(version: Canvas | None) -> None:
        if isinstance(version, Canvas):
            then(version)

    history = HistoryScreen(loaded, now, templates, snapshots, read_only=read_only)
    screen.app.push_screen(history, answered)
