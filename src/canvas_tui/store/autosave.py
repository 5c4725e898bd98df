"""Saving in the background: every change reaches the disk within a second, and the UI never
waits on the disk. A plain thread (no Textual): the UI hands over canvases and hears back
through a listener, called on the saving thread; the UI's listener posts a message (which is
thread-safe and never blocks), so no lock is held while anyone waits for anyone.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from canvas_tui.model import Canvas
from canvas_tui.store.atomic import SaveError, content_changed
from canvas_tui.store.errors import ConflictError, StoreError
from canvas_tui.store.files import Loaded, save


@dataclass(frozen=True, slots=True)
class Timings:
    """How long keeping a file in step waits, in seconds: a parameter (of `AutoSaver`,
    `FileSync` and the app), so that a test can ask for other waits without patching."""

    debounce: float = 0.25  # to gather a burst of keystrokes into one write
    retry: float = 2.0  # between attempts after a failed save
    watch: float = 1.0  # between looks at the file on disk (by the editor)


DEFAULT_TIMINGS = Timings()


class SaveStatus(Enum):
    SAVED = "saved"
    FAILED = "failed"  # kept in memory, retried
    CONFLICT = "conflict"  # the file changed on disk: not retried until resolved


@dataclass(frozen=True, slots=True)
class SaveReport:
    """What a save of one version came to, for the editor."""

    status: SaveStatus
    version: int
    message: str = ""


Listener = Callable[[SaveReport], None]


class AutoSaver:
    """Saves the newest canvas it was given, off the caller's thread, once `start`ed."""

    def __init__(
        self, base: Loaded, listener: Listener | None = None, timings: Timings = DEFAULT_TIMINGS
    ) -> None:
        self.base = base
        self.timings = timings
        self._listener = listener
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._pending: tuple[int, Canvas] | None = None
        self._saved_version = 0
        self._blocked = False  # after a conflict, until the UI resolves it
        self._closed = False
        self._save_lock = threading.Lock()  # one write at a time (worker or flush)
        self._thread = threading.Thread(target=self._run, name="canvas-autosave", daemon=True)

    def start(self) -> None:
        """Start the saving thread (until then, only `flush` writes)."""
        if not self._thread.is_alive() and not self._closed:
            self._thread.start()

    # -- called from the UI thread ---------------------------------------------------------

    def request(self, version: int, canvas: Canvas) -> None:
        """Save `canvas` (the state at `version`) soon."""
        with self._wake:
            self._pending = (version, canvas)
            self._wake.notify()

    @property
    def dirty(self) -> bool:
        """Whether a change has not reached the disk yet."""
        with self._lock:
            return self._pending is not None

    @property
    def blocked(self) -> bool:
        with self._lock:
            return self._blocked

    def rebase(self, base: Loaded, *, saved_version: int | None = None) -> None:
        """Continue from `base` (after a reload or a conflict was resolved); unblocks saving."""
        with self._wake:
            self.base = base
            self._blocked = False
            if saved_version is not None:
                self._saved_version = saved_version
                if self._pending is not None and self._pending[0] <= saved_version:
                    self._pending = None
            self._wake.notify()

    def changed_on_disk(self) -> bool:
        """Whether the file differs from what was last loaded or saved (not our own save)."""
        with self._save_lock:
            base = self.base
            return content_changed(base.path, base.fingerprint)

    @property
    def saved_everything(self) -> bool:
        """No change waiting to be written, and no conflict holding one back."""
        with self._lock:
            return self._pending is None and not self._blocked

    def flush(self, timeout: float = 5.0) -> SaveReport | None:
        """Save what is pending now, on the caller's thread (quit, SIGHUP, SIGTERM).

        None only when nothing is left unsaved. A change held back by an unresolved conflict
        is reported (CONFLICT) and not written; so is a save that could not start in time.
        """
        if not self._save_lock.acquire(timeout=timeout):
            return self._unsaved(SaveStatus.FAILED, "could not save: the disk did not answer")
        try:
            if self.blocked:
                return self._unsaved(SaveStatus.CONFLICT, "the file changed on disk")
            report = self._save_pending()
        finally:
            self._save_lock.release()
        self._tell(report)
        return report

    def _unsaved(self, status: SaveStatus, message: str) -> SaveReport | None:
        """A report on the change that was not written (None: there is none)."""
        with self._lock:
            return None if self._pending is None else SaveReport(status, self._pending[0], message)

    def _tell(self, report: SaveReport | None) -> None:
        if report is None or self._listener is None:
            return
        with self._lock:
            if report.status is SaveStatus.FAILED and report.version <= self._saved_version:
                return  # outdated: a save that ran meanwhile wrote this version
        with contextlib.suppress(Exception):  # a listener's trouble must not stop the saving
            self._listener(report)

    def close(self, timeout: float = 5.0) -> SaveReport | None:
        report = self.flush(timeout)
        with self._wake:
            self._closed = True
            self._wake.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return report

    # -- the worker ------------------------------------------------------------------------

    def _run(self) -> None:
        delay: float | None = None
        while True:
            with self._wake:
                while not self._closed and (self._pending is None or self._blocked):
                    self._wake.wait()
                if self._closed:
                    return
            # Let a burst of changes settle, then write the newest.
            deadline = time.monotonic() + (self.timings.debounce if delay is None else delay)
            with self._wake:
                while not self._closed and (left := deadline - time.monotonic()) > 0:
                    self._wake.wait(left)
                if self._closed:
                    return
            with self._save_lock:
                report = self._save_pending()
            self._tell(report)
            delay = (
                self.timings.retry
                if report is not None and report.status is SaveStatus.FAILED
                else None
            )

    def _save_pending(self) -> SaveReport | None:
        with self._lock:
            if self._pending is None or self._blocked:
                return None
            version, canvas = self._pending
            base = self.base
        try:
            new_base = save(base, canvas)
        except ConflictError as error:
            report = SaveReport(SaveStatus.CONFLICT, version, str(error))
            with self._lock:
                self._blocked = True
        except (SaveError, StoreError, OSError) as error:
            report = SaveReport(SaveStatus.FAILED, version, _describe(error))
        except Exception as error:  # a bug must not end saving silently: report it, retry
            report = SaveReport(SaveStatus.FAILED, version, f"could not save: {error!r}")
        else:
            report = SaveReport(SaveStatus.SAVED, version)
            with self._lock:
                self.base = new_base
                self._saved_version = version
                if self._pending is not None and self._pending[0] <= version:
                    self._pending = None
        return report


def _describe(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return f"could not save: {error.strerror}{where}"
    return f"could not save: {error}"
