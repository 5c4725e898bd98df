"""The Textual application: the canvas browser or the editor on one canvas."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from textual.app import App, SystemCommand
from textual.events import Key
from textual.screen import Screen

from canvas_tui.store import CanvasFileError, CanvasStore, Loaded, StoreError
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.keys import EDITOR_KEYS

HANGUP_EXIT_GRACE = 3.0  # seconds to let Textual restore the terminal after a hang-up


class CanvasApp(App[None]):
    """`CanvasApp(store=...)` opens the browser; with `canvas=` (a name or a path) the editor."""

    CSS_PATH = "ui/canvas.tcss"
    TITLE = "canvas-tui"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        store: CanvasStore,
        canvas: str | Path | None = None,
        read_only: bool = False,
        *,
        loaded: Loaded | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.canvas_ref = canvas
        self.read_only = read_only
        self._loaded = loaded

    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.canvas_ref is None:
            self.action_browse()
            return
        try:
            loaded = self._loaded or self.store.open(str(self.canvas_ref))
        except (OSError, CanvasFileError, StoreError, ValueError) as error:
            self.exit(return_code=1, message=f"canvas-tui: error: {error}")
            return
        self.push_screen(self._editor_for(loaded))

    def _editor_for(self, loaded: Loaded) -> EditorScreen:
        in_store = loaded.path.parent == self.store.canvases_dir
        name = loaded.path.stem if in_store else str(loaded.path)
        return EditorScreen(loaded, name=name, read_only=self.read_only)

    def action_browse(self) -> None:
        self.notify("The canvas browser is not there yet: q quits.", timeout=3)

    async def on_key(self, event: Key) -> None:
        # Runs before the App's binding lookup: see EditorScreen.forward_to_open_field.
        screen = self.screen
        if isinstance(screen, EditorScreen) and await screen.forward_to_open_field(event):
            event.stop()
            event.prevent_default()

    # -- leaving without losing anything ---------------------------------------------------

    def editors(self) -> list[EditorScreen]:
        return [screen for screen in self.screen_stack if isinstance(screen, EditorScreen)]

    def flush_all(self) -> bool:
        """Commit open fields and save everything now; False if a save failed."""
        ok = True
        for editor in self.editors():
            report = editor.finish()
            if report is not None and report.status.value != "saved":
                ok = False
        return ok

    async def action_quit(self) -> None:
        if self.flush_all() or getattr(self, "_quit_anyway", False):
            self.exit()
            return
        self._quit_anyway = True
        self.notify(
            "Your last changes could not be saved (see the status line). Press q again to quit"
            " and lose them, or fix the problem and press ctrl+s.",
            title="Not saved",
            severity="error",
            timeout=15,
        )

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, partial(self._on_terminate, signum))

    def _on_terminate(self, signum: int) -> None:
        """SIGHUP (the SSH link dropped) or SIGTERM: save everything, then leave."""
        self.flush_all()
        # With the terminal gone, restoring it may hang: do not wait for that forever.
        timer = threading.Timer(HANGUP_EXIT_GRACE, os._exit, (128 + signum,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=128 + signum)

    # -- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, EditorScreen):
            return
        for key in EDITOR_KEYS:
            if not key.palette or key.action.startswith("app."):
                continue
            if screen.read_only and key.edits:
                continue
            keys = key.keys.replace("question_mark", "?").replace("slash", "/")
            yield SystemCommand(
                key.description,
                f"keys: {keys}",
                partial(screen.run_action, key.action),
            )
