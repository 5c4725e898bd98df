"""Keeping the editor and its file in step: autosave, ctrl+s, noticing changes made on disk
by someone else, and asking what to do when both sides changed.

`FileSync` is a widget without a look, mounted in the editor. The editor tells it each new
state (`changed`); it never reaches into the editor. Its background work is Textual workers
(`@work(thread=True)`: ctrl+s, looking at the file, reading it) plus the store's own saving
thread (`AutoSaver`); each reports with one message to it (`SaveReported`, `DiskRead`),
handled on the UI thread. What saving is doing goes straight to the status line it was given
(`show_status`); a version to show instead of the editor's (`Reload`) bubbles up to the
editor. Looking at the file again is a timer (`Timings.watch`).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from canvas_tui import canvasfile
from canvas_tui.canvasfile import CanvasFileError
from canvas_tui.errors import CanvasError
from canvas_tui.model import Canvas
from canvas_tui.store.atomic import content_changed
from canvas_tui.store.autosave import DEFAULT_TIMINGS, AutoSaver, SaveReport, SaveStatus, Timings
from canvas_tui.store.files import Loaded, load, save_copy
from canvas_tui.store.lock import CanvasLock
from canvas_tui.store.snapshots import take_snapshot
from canvas_tui.template import Templates

CONFLICT_ANSWERS = [
    ("m", "merge", "Merge theirs into mine"),
    ("r", "reload", "Reload theirs"),
    ("k", "keep", "Keep mine"),
    ("c", "copy", "Save mine as a copy"),
]


class FileSync(Widget):
    """Saves the editor's canvas and watches its file; all methods run on the UI thread."""

    DEFAULT_CSS = "FileSync { display: none; }"

    class Reload(Message):
        """Show this version from disk (undoable); the editor answers with `took`."""

        def __init__(self, loaded: Loaded, note: str) -> None:
            super().__init__()
            self.loaded, self.note = loaded, note

    class SaveReported(Message, bubble=False):
        """From the saving thread (or ctrl+s): how a save went."""

        def __init__(self, report: SaveReport, took: float | None = None) -> None:
            super().__init__()
            self.report, self.took = report, took

    class DiskRead(Message, bubble=False):
        """From the watching thread: the file as it is on disk now (or why it cannot be read)."""

        def __init__(self, theirs: Loaded | Exception) -> None:
            super().__init__()
            self.theirs = theirs

    def __init__(
        self,
        loaded: Loaded,
        templates: Templates,
        *,
        read_only: bool,
        show_status: Callable[[str, str], object],
        lock: CanvasLock | None = None,
        snapshots: Path | None = None,
        timings: Timings = DEFAULT_TIMINGS,
    ) -> None:
        """`show_status(text, style)` puts what saving is doing on the status line; `lock`
        is held until `close`; `snapshots` is the folder of the canvas's snapshots
        (one is taken by `finish` when the canvas changed since the last); `timings` are how
        long saving and watching wait."""
        super().__init__()
        self.loaded = loaded  # the base for read-only watching
        self.templates = templates
        self.canvas_lock = lock
        self.show_status = show_status
        self.snapshots = snapshots
        self._snapshot_version = 0  # the editor's version the last snapshot holds
        self._stopped = False
        self.saver: AutoSaver | None = (
            None if read_only else AutoSaver(loaded, self._report_from_thread, timings)
        )
        self.timings = timings
        self.latest: tuple[int, Canvas] = (0, loaded.canvas)  # the editor's newest state
        self._failure_shown = False
        self._asking = False
        self._broken_shown = False
        self._timer: Timer | None = None
        self._merging: Loaded | None = None  # the file on disk while a merge is shown
        self.gone = False  # the file was deleted or moved away while open
        self._copied: tuple[int, Path] | None = None  # (version, where) of the last copy

    def _report_from_thread(self, report: SaveReport) -> None:
        # Called on the saving thread: post_message is thread-safe and never waits.
        self.post_message(self.SaveReported(report))

    def start(self) -> None:
        """Start saving in the background and watching the file."""
        if self.saver is not None:
            self.saver.start()
        self._timer = self.set_interval(self.timings.watch, self._watch)

    # -- saving ----------------------------------------------------------------------------

    def changed(self, version: int, canvas: Canvas) -> None:
        """The editor's canvas changed: save it soon."""
        self.latest = (version, canvas)
        if self.saver is not None:
            self.saver.request(version, canvas)
            if not self.saver.blocked:
                self.show_status("saving…", "dim")

    def save_now(self) -> None:
        if self.saver is None:
            self.notify("Read-only: this canvas is never written.", timeout=3)
            return
        if self.gone:
            self._save_copy_of_gone()
            return
        if self.saver.blocked:
            self._check_conflict()
            return
        self.saver.request(*self.latest)
        self._flush_in_thread()

    @work(thread=True, group="save-now")
    def _flush_in_thread(self) -> None:
        """Worker thread: ctrl+s."""
        assert self.saver is not None
        started = time.monotonic()
        report = self.saver.flush()
        if report is None or report.status is SaveStatus.SAVED:
            took = time.monotonic() - started
            self.post_message(self.SaveReported(report or SaveReport(SaveStatus.SAVED, 0), took))

    def finish(self) -> SaveReport | None:
        """Write what is pending now, on this thread (quit, hang-up, terminate, leaving the
        editor); a session that changed the canvas leaves a snapshot of it. A canvas whose
        file is gone counts as saved when its newest state is in a copy."""
        if self.saver is None:
            return None
        report = self.saver.flush()
        self._snapshot_at_end()
        if report is not None and self._in_copy():
            return SaveReport(SaveStatus.SAVED, self.latest[0], "saved as a copy")
        return report

    def _in_copy(self) -> bool:
        return self.gone and self._copied is not None and self._copied[0] >= self.latest[0]

    def _save_copy_of_gone(self) -> None:
        """The file is gone: save the edits as a copy beside where it was (ctrl+s)."""
        version, canvas = self.latest
        try:
            copy = save_copy(self.loaded, canvas, suffix="saved")
        except OSError as error:
            self.notify(f"Could not save a copy: {error}", severity="error", markup=False)
            return
        self._copied = (version, copy)
        self.notify(f"Your edits are saved as {copy}.", title="Saved as a copy", markup=False)
        self._say_gone()

    def _say_gone(self) -> None:
        name = self.loaded.path.name
        if self._in_copy():
            assert self._copied is not None
            text = f"⚠ {name} is gone · your edits are in {self._copied[1].name}"
            self.show_status(text, "reverse")
        else:
            text = f"⚠ {name} was deleted or moved · ctrl+s saves your edits as a copy"
            self.show_status(text, "reverse")

    def _snapshot_at_end(self) -> None:
        version, canvas = self.latest
        if self.snapshots is None or self._stopped or version == self._snapshot_version:
            return
        self._snapshot_version = version
        text = canvasfile.dump(canvas, self.loaded.template.keys)
        with contextlib.suppress(OSError, CanvasError):
            take_snapshot(self.snapshots, text)

    @property
    def unsaved(self) -> bool:
        if self._in_copy():
            return False
        return self.saver is not None and not self.saver.saved_everything

    def rescue(self) -> Path | None:
        """The last resort when the canvas cannot reach its file (leaving anyway, or a
        hang-up): write it to a new file beside it, else to the temp folder."""
        canvas = self.latest[1]
        for folder in (None, Path(tempfile.gettempdir())):
            try:
                return save_copy(self.loaded, canvas, folder, suffix="rescued")
            except OSError:
                continue
        return None

    def close(self, *, release_lock: bool = True) -> None:
        """Stop saving and watching; free the canvas for others unless told not to."""
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
        if self.saver is not None:
            self.saver.close()
        if release_lock:
            self.release_lock()

    def release_lock(self) -> None:
        if self.canvas_lock is not None:
            self.canvas_lock.release()

    def on_unmount(self) -> None:
        self.close()

    @on(SaveReported)
    def _saved(self, message: SaveReported) -> None:
        report = message.report
        if report.status is SaveStatus.SAVED:
            self._failure_shown = False
            if message.took is not None:
                self.notify(f"Saved ({message.took * 1000:.0f} ms).", timeout=2)
            if report.version >= self.latest[0]:
                self.show_status(f"saved {datetime.now():%H:%M:%S}", "dim")
        elif report.status is SaveStatus.FAILED:
            self.show_status(f"⚠ not saved, edits kept, retrying: {report.message}", "reverse")
            if not self._failure_shown:
                self._failure_shown = True
                self.notify(
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
            self._look_at_disk()

    @work(thread=True, group="watch-disk", exclusive=True)
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
        self._read_theirs()

    @work(thread=True, group="watch-disk")
    def _read_theirs(self) -> None:
        """Worker thread: read the file, to resolve a conflict."""
        self._load_theirs()

    def _load_theirs(self) -> None:
        """Worker thread: read the file that changed and hand it to the UI thread."""
        try:
            theirs: Loaded | Exception = load(self.loaded.path, self.templates)
        except (OSError, CanvasFileError) as error:
            theirs = error
        self.post_message(self.DiskRead(theirs))

    @on(DiskRead)
    def _disk_read(self, message: DiskRead) -> None:
        theirs = message.theirs
        if isinstance(theirs, FileNotFoundError) and self.saver is not None:
            self._asking = False
            if not self.gone:
                self.gone = True
                self.notify(
                    f"{self.loaded.path.name} was deleted or moved by someone else. Your edits"
                    " are kept here: ctrl+s saves them as a copy (so does leaving).",
                    title="File gone",
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            self._say_gone()
            return
        self.gone = False
        if isinstance(theirs, Exception):
            self._asking = False
            if not self._broken_shown:
                self._broken_shown = True
                self.show_status("⚠ the file on disk cannot be read: kept as is", "reverse")
                self.notify(
                    f"{theirs}. It will not be overwritten; your edits are kept in memory.",
                    title="File changed on disk",
                    severity="error",
                    timeout=10,
                    markup=False,
                )
            return
        self._broken_shown = False
        if theirs.canvas == self.latest[1]:  # same content (a touch, or our own edit)
            self._adopt(theirs)
            return
        if self.saver is None or self.saver.saved_everything:
            self.post_message(self.Reload(theirs, "The file changed on disk: reloaded."))
            return
        self._ask(theirs)

    def took(self, theirs: Loaded, version: int) -> None:
        """The editor shows `theirs` now, as its state `version`: continue from it."""
        self._asking = False
        on_disk, self._merging = self._merging, None
        if on_disk is not None:  # a merge: the file on disk is the base, the merge is new
            self.loaded = on_disk
            if self.saver is not None:
                self.saver.rebase(on_disk)
            self.changed(version, theirs.canvas)
            return
        self.loaded = theirs
        self.latest = (version, theirs.canvas)
        if self.saver is not None:
            self.saver.rebase(theirs, saved_version=version)
        if self.saver is None:  # still read-only: keep saying so
            note = f"read-only: the file is never written · reloaded {datetime.now():%H:%M:%S}"
            self.show_status(note, "bold")
        else:
            self.show_status(f"reloaded {datetime.now():%H:%M:%S}", "dim")

    def _adopt(self, theirs: Loaded) -> None:
        self._asking = False
        self.loaded = theirs
        if self.saver is not None:
            self.saver.rebase(theirs)

    def _ask(self, theirs: Loaded) -> None:
        self._asking = True
        self.show_status("⚠ the file changed on disk and here: choose", "reverse")
        message = (
            f"{theirs.path.name} was changed by someone else while you had unsaved edits."
            " Nothing has been overwritten."
        )

        def answer(choice: str | None) -> None:
            if choice == "merge":
                self._merge_into_mine(theirs)
            elif choice == "reload":
                self.post_message(self.Reload(theirs, "Reloaded their version (u undoes)."))
            elif choice == "keep":
                self._adopt(theirs)
                self.changed(*self.latest)
                self.notify("Kept your version: it replaces theirs on disk.", timeout=4)
            elif choice == "copy":
                self._save_copy_then_reload(theirs)
            else:
                self._asking = False
                self.show_status("⚠ not saved: changed on disk — ctrl+s decides", "reverse")

        from canvas_tui.ui.prompt import Choice

        self.app.push_screen(Choice("Changed on disk", message, CONFLICT_ANSWERS), answer)

    def _merge_into_mine(self, theirs: Loaded) -> None:
        """Their change on disk (a `git pull`, another editor) and my unsaved edits, merged
        three ways from the version this editor last read or wrote; shown as one undoable
        step and then saved over theirs."""
        from dataclasses import replace

        from canvas_tui.merge import MergeError, merge

        base = self.saver.base.canvas if self.saver is not None else self.loaded.canvas
        if theirs.template.keys != self.loaded.template.keys:  # another kind of canvas now
            self.post_message(self.Reload(theirs, "The file on disk is another canvas now."))
            return
        try:
            result = merge(base, self.latest[1], theirs.canvas)
        except MergeError as error:
            self._asking = False
            self.notify(f"Cannot merge: {error}. Nothing was changed.", markup=False)
            return
        self._merging = theirs
        conflicts = len(result.conflicts)
        note = "Merged their change into yours (u undoes)."
        if conflicts:
            note += f" {conflicts} item(s) changed on both sides are kept twice, tagged #conflict."
        if result.theirs_title is not None:
            note += f" Both changed the title: yours is kept (theirs: {result.theirs_title})."
        self.post_message(self.Reload(replace(theirs, canvas=result.canvas), note))

    def _save_copy_then_reload(self, theirs: Loaded) -> None:
        try:
            copy = save_copy(self.loaded, self.latest[1])
        except OSError as error:
            self._asking = False
            self.notify(f"Could not save a copy: {error}", severity="error", markup=False)
            return
        self.post_message(
            self.Reload(theirs, f"Your version is saved as {copy.name}; showing theirs.")
        )
