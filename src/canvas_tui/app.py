"""The Textual application: the canvas browser or the editor on one canvas."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import SystemCommand
from textual.screen import Screen

from canvas_tui.actions import BROWSER_ACTIONS, EDITOR_ACTIONS, Keymap, configured, keys_label
from canvas_tui.errors import CanvasError
from canvas_tui.store import CanvasStore, Loaded, remove_stale_temps
from canvas_tui.store.autosave import DEFAULT_TIMINGS, SaveStatus, Timings
from canvas_tui.store.config import Config, config_path, read_config
from canvas_tui.store.lock import CanvasLock
from canvas_tui.store.snapshots import snapshot_folder
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.keyorder import InOrderKeys
from canvas_tui.ui.terminal import TerminalManners

if TYPE_CHECKING:
    from canvas_tui.ui.browser import BrowserScreen

HANGUP_EXIT_GRACE = 0.3  # seconds to let Textual restore the terminal after a hang-up
RESCUE_EXIT_GRACE = 3.0  # ... and to say where the rescue copies are


class CanvasApp(InOrderKeys, TerminalManners):
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
        config: Config | None = None,
        timings: Timings = DEFAULT_TIMINGS,
        lock: CanvasLock | None = None,
    ) -> None:
        """`loaded`: the canvas already read; `lock`: its lock, already taken."""
        super().__init__()
        self.store = store
        self.timings = timings  # how long saving and watching a file wait
        self.canvas_ref = canvas
        self.read_only = read_only
        self.config = config or read_config(config_path())
        self.editor_keys, self.browser_keys = configured(self.config.keys)
        self.problems = [*self.config.problems, *self.editor_keys.problems]
        self.problems += [str(broken) for broken in store.templates.broken]
        self._apply_theme(self.config.theme)
        self.set_keymap(_keymap_changes(self.editor_keys, self.browser_keys))
        self._loaded = loaded
        self._taken_lock = lock
        self._first: EditorScreen | None = None  # the editor we start on, if any
        self._open_error: Exception | None = None
        self._quit_anyway: list[int] | None = None
        self._browser: BrowserScreen | None = None
        self._ended = False  # end_session ran

    def _apply_theme(self, theme: str | None) -> None:
        if theme is None:
            return
        if theme in self.available_themes:
            self.theme = theme
        else:
            known = ", ".join(sorted(self.available_themes))
            self.problems.append(f"theme {theme!r} is not a Textual theme (known: {known})")

    def get_default_screen(self) -> Screen[Any]:
        # Starting on a canvas, the editor is the first screen: no blank screen drawn first.
        if self.canvas_ref is not None:
            try:
                if self._loaded is None:
                    self._loaded = self.store.open(str(self.canvas_ref))
                self._first = self._editor_screen(self._loaded, read_only=self.read_only)
            except (OSError, CanvasError, ValueError) as error:
                self._open_error = error
            if self._first is not None:
                return self._first
        return super().get_default_screen()

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_screen)
        self._install_signal_handlers()
        for problem in self.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=12, markup=False)
        if self._open_error is not None:
            self._cannot_open(str(self.canvas_ref), self._open_error)
        elif self.canvas_ref is None:
            self._show_browser()
        elif self._first is None and self._loaded is not None:  # locked: ask
            self.open_loaded(self._loaded, read_only=self.read_only)

    def _after_first_screen(self) -> None:
        # The command line turned the garbage collector off for the start (see cli.main):
        # what start-up made lives on, so it is set aside (freeze) and collecting goes on.
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    # -- opening and closing canvases ------------------------------------------------------

    def open_canvas(self, ref: str, *, read_only: bool = False) -> None:
        """Open a canvas by name or path in the editor.

        Read on the UI thread on purpose: it takes milliseconds (tomllib), and keys typed
        meanwhile must reach the editor, not the browser it replaces.
        """
        try:
            loaded = self.store.open(ref)
        except (OSError, CanvasError, ValueError) as error:
            self._cannot_open(ref, error)
            return
        self.open_loaded(loaded, read_only=read_only)

    def _cannot_open(self, ref: str, error: Exception) -> None:
        if self.browser is None:  # started on this canvas: there is nothing to go back to
            self.exit(return_code=1, message=f"canvas-tui: error: {error}")
        else:
            self.notify(f"{error}", title=f"Cannot open {ref}", severity="error", markup=False)

    def open_loaded(self, loaded: Loaded, *, read_only: bool = False) -> None:
        """Show `loaded` in the editor, unless another instance edits it (then ask)."""
        editor = self._editor_screen(loaded, read_only=read_only)
        if editor is None:
            lock = CanvasLock(self.store.locks_dir, loaded.path)
            self._offer_read_only(loaded, lock.holder())
        else:
            self.push_screen(editor)

    def _editor_screen(self, loaded: Loaded, *, read_only: bool) -> EditorScreen | None:
        """An editor on `loaded`, holding its lock; None if another instance holds it."""
        lock = None
        if not read_only and loaded.writable:
            lock = CanvasLock(self.store.locks_dir, loaded.path)
            if loaded is self._loaded and self._taken_lock is not None:
                lock, self._taken_lock = self._taken_lock, None  # taken before the app ran
            try:
                free = _acquire_soon(lock)
            except OSError:  # no locks folder (a read-only data dir): edit without a lock
                free = True
            if not free:
                return None
            # Ours alone now: temp files beside it are leftovers of a save that was killed.
            remove_stale_temps(loaded.path)
        in_store = loaded.path.parent == self.store.canvases_dir
        name = loaded.path.stem if in_store else str(loaded.path)
        return EditorScreen(
            loaded,
            name=name,
            keymap=self.editor_keys,
            templates=self.store.templates,
            read_only=read_only,
            lock=lock,
            leave=self.action_browse,
            snapshots=snapshot_folder(
                self.store.snapshots_dir, loaded.path, self.store.canvases_dir
            ),
            timings=self.timings,
        )

    def _offer_read_only(self, loaded: Loaded, holder: str) -> None:
        who = f" ({holder})" if holder else ""
        message = (
            f"{loaded.path.name} is open in another canvas-tui{who}. Two editors on one file"
            " would overwrite each other's changes."
        )
        back = "Back to the list"
        answers = [("v", "view", "View it read-only"), ("escape", "cancel", back)]

        def answered(answer: str | None) -> None:
            if answer == "view":
                self.open_loaded(loaded, read_only=True)
            elif self.browser is None:  # started on this canvas: the list, not the end
                self._show_browser()

        from canvas_tui.ui.prompt import Choice

        self.push_screen(Choice("Already open", message, answers), answered)

    @property
    def browser(self) -> BrowserScreen | None:
        """The browser, if it is on the screen stack."""
        browser = self._browser
        return browser if browser is not None and browser in self.screen_stack else None

    def _show_browser(self, *, replace: bool = False) -> None:
        # Imported here: started on a canvas, the browser (and DataTable) is never loaded.
        from canvas_tui.ui.browser import BrowserScreen

        screen = BrowserScreen(
            self.store, self.browser_keys, self._open_from_browser, read_only=self.read_only
        )
        self._browser = screen
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _open_from_browser(self, name: str, read_only: bool) -> None:
        self.open_canvas(name, read_only=read_only or self.read_only)

    def action_browse(self) -> None:
        """Leave the editor for the canvas browser (escape)."""
        editor = self.screen
        if isinstance(editor, EditorScreen):
            editor.finish()
        if self.browser is not None:
            self.pop_screen()
        elif isinstance(editor, EditorScreen):
            # Started on this canvas: the editor is the app's first screen, which Textual
            # cannot switch away from, so it is closed for good and the browser goes on top.
            editor.close()
            self._show_browser()
        else:
            self._show_browser(replace=True)

    # -- leaving without losing anything ---------------------------------------------------

    def editors(self) -> list[EditorScreen]:
        """The editors that are open (not closed under the browser)."""
        return [
            screen
            for screen in self.screen_stack
            if isinstance(screen, EditorScreen) and not screen.closed
        ]

    def flush_all(self) -> bool:
        """Commit open fields and save everything now; False if a save failed."""
        ok = True
        for editor in self.editors():
            report = editor.finish()
            if report is not None and report.status is not SaveStatus.SAVED:
                ok = False
        return ok

    async def action_quit(self) -> None:
        if self.flush_all():
            self.exit()
            return
        versions = [editor.session.version for editor in self.editors()]
        if self._quit_anyway == versions:  # asked, and nothing changed since
            self.exit()  # the end of the session writes the rescue copies and names them
            return
        self._quit_anyway = versions  # a second quit gives up these edits, not later ones
        self.notify(
            "Your last changes could not be saved (see the status line). Press q again to quit"
            " (they are then written to a rescue copy if at all possible), or fix the problem"
            " and press ctrl+s.",
            title="Not saved",
            severity="error",
            timeout=15,
        )

    async def _on_exit_app(self) -> None:
        # Every end of the app passes here: quit, a signal, and under `serve` a closed or
        # reloaded tab or a dropped connection (textual-serve asks the app to quit).
        try:
            self.end_session()
        finally:
            await super()._on_exit_app()

    def end_session(self) -> list[Path]:
        """The one way an editing session ends: commit the open fields and save; what
        cannot be saved goes to a rescue copy, named on the way out (stderr; under `serve`
        the server's output); the canvases' locks are freed. Runs once; returns the
        rescue copies."""
        if self._ended:
            return []
        self._ended = True
        rescued: list[Path] = []
        if not self.flush_all():
            rescued = self._rescue_all()
        if rescued:  # Textual prints the first of these on stderr once the screen is gone
            lines = (f"canvas-tui: unsaved edits written to {path}" for path in rescued)
            self._exit_renderables.insert(0, Text("\n".join(lines)))
        for editor in self.editors():
            editor.release_lock()
        return rescued

    def _rescue_all(self) -> list[Path]:
        """Write every canvas that could not be saved to a rescue copy."""
        rescued = []
        for editor in self.editors():
            if editor.sync.unsaved:
                path = editor.sync.rescue()
                if path is not None:
                    rescued.append(path)
        return rescued

    def _install_signal_handlers(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, partial(self._on_terminate, signum))

    def _on_terminate(self, signum: int) -> None:
        """SIGHUP (the SSH link dropped), SIGTERM or SIGINT: end the session now (save,
        rescue, free the canvas for the next start), then leave; with the terminal gone, do
        not wait for it."""
        rescued = self.end_session()
        # Longer when there is a rescue copy to name on the way out.
        grace = RESCUE_EXIT_GRACE if rescued else HANGUP_EXIT_GRACE
        timer = threading.Timer(grace, os._exit, (128 + signum,))
        timer.daemon = True
        timer.start()
        self.exit(return_code=128 + signum)

    # -- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        keymap: Keymap | None = None
        if isinstance(screen, EditorScreen):
            keymap = self.editor_keys
        elif screen is self.browser:
            keymap = self.browser_keys
        if keymap is None:
            return
        for action in keymap.actions:
            if not action.palette or action.method.startswith("app."):
                continue
            if isinstance(screen, EditorScreen) and not screen.enabled(action):
                continue
            if screen is self.browser and self.read_only and action.edits:
                continue
            yield SystemCommand(
                action.description,
                f"keys: {keys_label(action.keys)} · action: {action.id}",
                partial(screen.run_action, action.method),
            )


def _keymap_changes(editor: Keymap, browser: Keymap) -> dict[str, str]:
    """The user's rebound keys as Textual's keymap (binding id -> keys); `configured` made
    sure an id shared by both screens has the same keys in both."""
    return {**browser.changed(BROWSER_ACTIONS), **editor.changed(EDITOR_ACTIONS)}


LOCK_WAIT = 1.5  # seconds a lock may take to be freed by an editor that is ending


def _acquire_soon(lock: CanvasLock) -> bool:
    """Take the lock, waiting a moment for an editor that is ending to free it: a reloaded
    browser tab starts its new editor while the old one still saves and quits."""
    deadline = time.monotonic() + LOCK_WAIT
    while not lock.acquire():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
