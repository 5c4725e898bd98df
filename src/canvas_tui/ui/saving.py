"""Keeping the editor and its file in step: autosave reports, ctrl+s, noticing changes made
on disk by someone else, and asking what to do when both sides changed."""

from __future__ import annotations

import contextlib
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.timer import Timer

from canvas_tui.store import CanvasFileError, Loaded, load, save_copy
from canvas_tui.store.atomic import content_changed
from canvas_tui.store.autosave import AutoSaver, SaveReport, SaveStatus

if TYPE_CHECKING:
    from canvas_tui.ui.editor import EditorScreen

WATCH_INTERVAL = 1.0  # seconds between looks at the file on disk

CONFLICT_ANSWERS = [
    ("r", "reload", "Reload theirs"),
    ("k", "keep", "Keep mine"),
    ("c", "copy", "Save mine as a copy"),
]


class FileSync:
    """Owned by an editor screen; all of its methods run on the UI thread unless noted."""

    def __init__(self, editor: EditorScreen, loaded: Loaded, *, read_only: bool) -> None:
        self.editor = editor
        self.loaded = loaded  # the base for read-only watching
        self.saver: AutoSaver | None = None if read_only else AutoSaver(loaded, self._report)
        self._failure_shown = False
        self._asking = False
        self._broken_shown = False
        self._timer: Timer | None = None

    def start(self) -> None:
        self._timer = self.editor.set_interval(WATCH_INTERVAL, self._watch)

    # -- saving ----------------------------------------------------------------------------

    def changed(self) -> None:
        """The session changed: save it soon."""
        if self.saver is not None:
            session = self.editor.session
            self.saver.request(session.version, session.canvas)
            if not self.saver.blocked:
                self.editor.status.set_save("saving…", "dim")

    def save_now(self) -> None:
        if self.saver is None:
            self.editor.notify("Read-only: this canvas is never written.", timeout=3)
            return
        if self.saver.blocked:
            self._check_conflict()
            return
        session = self.editor.session
        self.saver.request(session.version, session.canvas)
        self.editor.run_worker(self._flush_in_thread, thread=True, group="save-now")

    def _flush_in_thread(self) -> None:
        """Worker thread: ctrl+s."""
        assert self.saver is not None
        started = time.monotonic()
        report = self.saver.flush()
        if report is None or report.status is SaveStatus.SAVED:
            took = (time.monotonic() - started) * 1000
            self.editor.app.call_from_thread(self.editor.notify, f"Saved ({took:.0f} ms).")

    def finish(self) -> SaveReport | None:
        """Write what is pending now, on this thread (quit, hang-up, terminate)."""
        return None if self.saver is None else self.saver.flush()

    @property
    def unsaved(self) -> bool:
        return self.saver is not None and not self.saver.saved_everything

    def rescue(self) -> Path | None:
        """The last resort when the canvas cannot reach its file (leaving anyway, or a
        hang-up): write it to a new file beside it, else to the temp folder."""
        canvas, path = self.editor.session.canvas, self.loaded.path
        for folder in (path.parent, Path(tempfile.gettempdir())):
            try:
                return save_copy(folder / path.name, canvas, suffix="rescued")
            except OSError:
                continue
        return None

    def close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.saver is not None:
            self.saver.close()

    def _report(self, report: SaveReport) -> None:
        """Called on the autosave thread."""
        # While the app shuts down there is no one to tell; the final flush reports nothing.
        with contextlib.suppress(RuntimeError):
            self.editor.app.call_from_thread(self._show_report, report)

    def _show_report(self, report: SaveReport) -> None:
        try:
            status = self.editor.status
        except NoMatches:  # the editor closed while the save ran
            return
        if report.status is SaveStatus.SAVED:
            self._failure_shown = False
            if report.version >= self.editor.session.version:
                status.set_save(f"saved {datetime.now():%H:%M:%S}", "dim")
        elif report.status is SaveStatus.FAILED:
            status.set_save(f"⚠ not saved: {report.message} — edits kept, retrying", "reverse")
            if not self._failure_shown:
                self._failure_shown = True
                self.editor.notify(
                    f"{report.message}. Your edits are kept in memory and saving is retried.",
                    title="Not saved",
                    severity="error",
                    timeout=8,
                    markup=False,
                )
        else:
            self._check_conflict()

    # -- the file on disk ------------------------------------------------------------------

    def _watch(self) -> None:
        if not self._asking:
            self.editor.run_worker(
                self._look_at_disk, thread=True, group="watch-disk", exclusive=True
            )

    def _look_at_disk(self) -> None:
        """Worker thread: has the file changed since we last read or wrote it?"""
        if self.saver is not None:
            changed = self.saver.changed_on_disk()
        else:
            changed = content_changed(self.loaded.path, self.loaded.fingerprint)
        if changed:
            self._load_theirs()

    def _check_conflict(self) -> None:
        self._asking = True
        self.editor.run_worker(self._load_theirs, thread=True, group="watch-disk")

    def _load_theirs(self) -> None:
        """Worker thread: read the file that changed and hand it to the UI thread."""
        app = self.editor.app
        try:
            theirs: Loaded | Exception = load(self.loaded.path)
        except (OSError, CanvasFileError) as error:
            theirs = error
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(self._disk_changed, theirs)

    def _disk_changed(self, theirs: Loaded | Exception) -> None:
        if not self.editor.is_attached:
            return
        editor, session = self.editor, self.editor.session
        if isinstance(theirs, Exception):
            self._asking = False
            if not self._broken_shown:
                self._broken_shown = True
                editor.status.set_save("⚠ the file on disk cannot be read: kept as is", "reverse")
                editor.notify(
                    f"{theirs}. It will not be overwritten; your edits are kept in memory.",
                    title="File changed on disk",
                    severity="error",
                    timeout=10,
                    markup=False,
                )
            return
        self._broken_shown = False
        if theirs.canvas == session.canvas:  # same content (a touch, or our own edit)
            self._adopt(theirs)
            return
        if self.saver is None or self.saver.saved_everything:
            self._take_theirs(theirs)
            editor.notify("The file changed on disk: reloaded.", timeout=4)
            return
        self._ask(theirs)

    def _adopt(self, theirs: Loaded) -> None:
        self._asking = False
        self.loaded = theirs
        if self.saver is not None:
            self.saver.rebase(theirs)

    def _take_theirs(self, theirs: Loaded) -> None:
        self._asking = False
        editor = self.editor
        editor.apply_external(theirs.canvas)  # undoable: u brings back what was shown
        self.loaded = theirs
        if self.saver is not None:
            self.saver.rebase(theirs, saved_version=editor.session.version)
        editor.status.set_save(f"reloaded {datetime.now():%H:%M:%S}", "dim")

    def _ask(self, theirs: Loaded) -> None:
        self._asking = True
        editor = self.editor
        editor.status.set_save("⚠ the file changed on disk and here: choose", "reverse")
        message = (
            f"{theirs.path.name} was changed by someone else while you had unsaved edits."
            " Nothing has been overwritten."
        )

        def answer(choice: str | None) -> None:
            if choice == "reload":
                self._take_theirs(theirs)
                editor.notify("Reloaded their version (u undoes).", timeout=4)
            elif choice == "keep":
                self._adopt(theirs)
                self.changed()
                editor.notify("Kept your version: it replaces theirs on disk.", timeout=4)
            elif choice == "copy":
                self._save_copy_then_reload(theirs)
            else:
                self._asking = False
                editor.status.set_save("⚠ not saved: changed on disk — ctrl+s decides", "reverse")

        from canvas_tui.ui.prompt import Choice

        editor.app.push_screen(Choice("Changed on disk", message, CONFLICT_ANSWERS), answer)

    def _save_copy_then_reload(self, theirs: Loaded) -> None:
        editor = self.editor
        try:
            copy = save_copy(theirs.path, editor.session.canvas)
        except OSError as error:
            self._asking = False
            editor.notify(f"Could not save a copy: {error}", severity="error", markup=False)
            return
        self._take_theirs(theirs)
        editor.notify(f"Your version is saved as {copy.name}; showing theirs.", markup=False)
