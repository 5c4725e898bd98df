"""Writing a command's change to a canvas through the store, while an editor may hold it.

Every change is read, applied and written through the store: the write is atomic and never
replaces a file that changed since it was read. When that happens (an editor saved at that
very moment), the canvas is read again and the change applied once more, provided the item it
acts on is still the same (`SameItem`); otherwise nothing is written and the command says so.
An editor open on the canvas notices the new file: it reloads, or asks when it has unsaved
edits of its own; the command says on stderr that one is open (`note_open_editor`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from canvas_tui.cli.common import PROG, CliError, Context
from canvas_tui.cli.items import find_block, installed_template, item_index, key
from canvas_tui.safetext import visible

if TYPE_CHECKING:
    from pathlib import Path

    from canvas_tui.model import Canvas, Item
    from canvas_tui.store import CanvasStore, Loaded
    from canvas_tui.template import BlockSpec


# NamedTuple rather than dataclass: a plain command pays for every class it defines at start-up.
class Outcome(NamedTuple):
    """What a command makes of a canvas: the new canvas, and the item it is about (where it
    is now, or where it was for `rm`)."""

    canvas: Canvas
    block: BlockSpec | None = None
    item_index: int = 0
    item: Item | None = None


class Written(NamedTuple):
    loaded: Loaded  # the canvas as it is on disk now
    outcome: Outcome
    name: str | None  # None for a canvas given by path
    created: bool


Apply = Callable[["Loaded"], Outcome]


def write_change(
    context: Context, ref: str, apply: Apply, *, create: bool = False, template: str | None = None
) -> Written:
    """Load canvas `ref`, apply a change, save it; a canvas that changed on disk meanwhile is
    read again and the change applied once more (`apply` refuses when its item moved)."""
    from canvas_tui.store import CanvasFileError, ConflictError, save

    store = context.store
    if template is not None:
        installed_template(store, template)  # an unknown one: the error now, not later
    path, name = store.resolve(ref)
    for attempt in range(2):
        try:
            loaded = store.open(ref, template=template)
        except CanvasFileError as error:  # say which file: the command named a canvas
            raise CliError(f"{visible(path.name)}: {error}") from None
        if not loaded.exists and not create:
            raise CliError(f"no canvas {ref!r} (see '{PROG} list')")
        if template is not None and loaded.exists and loaded.canvas.template != template:
            raise CliError(
                f"{ref!r} is a {visible(loaded.canvas.template)} canvas, not {template!r}"
                " (leave out --template)"
            )
        outcome = apply(loaded)
        if loaded.exists and outcome.canvas == loaded.canvas:
            return Written(loaded, outcome, name, created=False)
        try:
            saved = save(loaded, outcome.canvas)
        except ConflictError:
            if attempt == 0:
                continue
            raise CliError(
                f"{visible(loaded.path.name)} kept changing on disk while this command ran:"
                " nothing written, try again"
            ) from None
        note_open_editor(store, saved.path)
        return Written(saved, outcome, name, created=not loaded.exists)
    raise AssertionError("unreachable")


def note_open_editor(store: CanvasStore, path: Path) -> None:
    """Say so on stderr when an editor has the canvas open: it reloads the change, or asks."""
    holder = editor_holding(store, path)
    if holder is not None:
        print(
            f"{PROG}: note: {visible(path.stem)} is open in an editor ({visible(holder)}):"
            " it reloads this change, or asks first if it has unsaved edits",
            file=sys.stderr,
        )


def editor_holding(store: CanvasStore, path: Path) -> str | None:
    """Who holds the editor lock of the canvas at `path` ("" if unknown), or None if no one."""
    if not store.locks_dir.is_dir():  # no editor has run here: skip importing the lock code
        return None
    from canvas_tui.store.lock import CanvasLock

    return CanvasLock(store.locks_dir, path).probe()


class SameItem:
    """The item a command acts on, remembered at the first attempt: when a retry finds
    another item in its place, the command stops rather than act on the wrong one."""

    def __init__(self, block_ref: str, number: int) -> None:
        self.block_ref = block_ref
        self.number = number
        self.seen: Item | None = None

    def find(self, loaded: Loaded) -> tuple[BlockSpec, int, Item]:
        """The block, index and item the command names, in the canvas as just read."""
        spec = find_block(loaded.template, self.block_ref)
        index = item_index(loaded.canvas, spec, self.number)
        item = loaded.canvas.blocks[spec.index][index]
        if self.seen is None:
            self.seen = item
        elif item != self.seen:
            raise CliError(
                f"item {self.number} of {key(spec)} changed on disk while this command ran:"
                " nothing written"
            )
        return spec, index, item
