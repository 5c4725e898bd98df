"""An editor start that paints the canvas before Textual is imported, then hands the painted
screen, the raw terminal, the canvas as read and its lock over to the app.

`paint_editor` paints the editor's first frame (`render/editorframe.py`) in the colours learnt
before (`styles.py`) and returns the `Start` that the app's driver (`driver.py`) reports to:
it checks Textual's first frame against what was painted (the guard) and learns its colours.
Whenever the frame cannot be foretold here (settings or templates with problems, which the app
shows as notices; a canvas another editor holds, where the app asks first), nothing is
painted and the editor starts as it always did.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from canvas_tui.actions import configured
from canvas_tui.prepaint.styles import StyleCache, cache_key, encode, role_cells
from canvas_tui.prepaint.terminal import EarlyTerminal
from canvas_tui.render.editorframe import bar_keys, editor_frame, save_state, titles
from canvas_tui.store.lock import CanvasLock
from canvas_tui.store.templatecache import CACHE_FOLDER

if TYPE_CHECKING:
    from canvas_tui.prepaint.styles import Cells
    from canvas_tui.store import CanvasStore, Loaded
    from canvas_tui.store.config import Config


class Start:
    """A pre-painted start, from the paint to the guard's verdict on Textual's first frame."""

    painted = True

    def __init__(
        self,
        early: EarlyTerminal,
        cache: StyleCache,
        cells: Cells,
        size: tuple[int, int],
        lock: CanvasLock | None,
        *,
        learn: bool = True,
    ) -> None:
        self.early = early
        self.learn = learn  # False: a read-only session, which writes nothing in the data dir
        self.attrs_before: list[Any] = early.attrs_before
        self.typed = early.typed
        self.cache = cache
        self.cells = cells
        self.size = size
        self.lock = lock
        self.keys_first = False
        self.verdict: str | None = None  # what the guard found (for the log and tests)

    def taken(self) -> None:
        self.early.handed_over = True

    def key_seen(self) -> None:
        self.keys_first = True

    def first_frame(self, output: str) -> None:
        """The guard: Textual's first frame against the painted one."""
        from canvas_tui.prepaint.styles import Comparison, read_frame

        try:
            size = tuple(os.get_terminal_size(1))
        except OSError:
            size = ()
        drawn = read_frame(output, self.size[1])
        if self.keys_first or size != self.size or drawn is None:
            self.verdict = "not checked"  # keys or a resize changed the frame first
            return
        comparison = Comparison(self.cells, drawn)
        cache = self.cache
        if comparison.difference is not None:
            self.verdict = f"differs: {comparison.difference}"
            if not self.learn:
                return
            cache.off = comparison.difference
            cache.write()
            cache.log(f"pre-paint off for later starts: Textual's first frame {self.verdict}")
            return
        self.verdict = "same"
        if not self.learn:
            return
        learnt = comparison.learnt
        if comparison.mixed is not None:
            cache.log(f"colours not learnt: {comparison.mixed}")
        elif cache.styles is None or any(cache.styles.get(r) != c for r, c in learnt.items()):
            cache.styles = {**(cache.styles or {}), **learnt}
            cache.write()


class RawStart:
    """A start that painted nothing (the canvas browser, or an editor whose first frame could
    not be foretold): the raw terminal and the keys typed before it are handed over all the
    same, so that those keys reach the app uncooked and first."""

    painted = False
    lock: CanvasLock | None = None  # the app takes the canvas's lock itself

    def __init__(self, early: EarlyTerminal) -> None:
        self.early = early
        self.attrs_before: list[Any] = early.attrs_before
        self.typed = early.typed

    def taken(self) -> None:
        self.early.handed_over = True

    def key_seen(self) -> None:
        pass

    def first_frame(self, output: str) -> None:
        pass


def paint_editor(
    early: EarlyTerminal, store: CanvasStore, loaded: Loaded, config: Config, read_only: bool
) -> Start | None:
    """Paint the editor on `loaded` and take its lock; None (nothing painted) when the
    first frame cannot be foretold here."""
    editor_keys, _ = configured(config.keys)
    if config.problems or editor_keys.problems or store.templates.broken:
        return None  # the app shows them as notices over the canvas
    cache = StyleCache.read(store.data_dir / CACHE_FOLDER, cache_key(config.theme))
    if cache.off is not None:
        return None
    read_only = read_only or not loaded.writable
    try:
        width, height = os.get_terminal_size(1)
    except OSError:
        return None
    in_store = loaded.path.parent == store.canvases_dir
    name = loaded.path.stem if in_store else str(loaded.path)
    rows = editor_frame(
        loaded.template,
        loaded.canvas,
        heading=titles(loaded.canvas.title, name, loaded.template, read_only),
        save=save_state(
            read_only=read_only,
            reason=loaded.read_only_reason if read_only else "",
            exists=loaded.exists,
        ),
        keys=bar_keys(editor_keys, read_only),
        width=width,
        height=height,
    )
    if rows is None:
        return None
    lock = None
    if not read_only:
        lock = CanvasLock(store.locks_dir, loaded.path)
        try:
            if not lock.acquire():
                return None  # another editor has it: the app asks what to do
        except OSError:
            lock = None  # no locks folder: the app edits without a lock
    early.paint(encode(rows, cache))
    return Start(early, cache, role_cells(rows), (width, height), lock, learn=not read_only)
