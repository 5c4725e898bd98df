"""Disk trouble: a read-only file or folder, a full disk, a failing rename, and quitting while
saves fail. The edits must stay in the session, the file on disk must stay exactly as it was
(no temp file left beside it), the status line must say so, and the retry must save once the
trouble is gone.

These tests may run as root, and root ignores file permissions: then the kernel's refusal is
simulated (the permission check, or the temp file's creation, fails as it would for the
file's owner); as any other user the real chmod does it. Either way the files really are
chmod-ed, and the same assertions hold.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas, add_item, retitle
from canvas_tui.store import CanvasStore, SaveError, load, save
from canvas_tui.store.autosave import AutoSaver, SaveReport, SaveStatus, Timings
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.prompt import Choice
from helpers import (
    NOT_SAVED_WARNING,
    TIMEOUT,
    canvas_on_disk,
    dump_canvas,
    editor,
    file_state,
    poll_until,
    quit_or_warned,
    screen_text,
    screen_until,
    wait_for,
    write_canvas,
)

SIZE = (160, 50)
ROOT = os.geteuid() == 0
FAST_RETRY = Timings(retry=0.2)  # a failed save is tried again soon

ORIGINAL = Canvas.from_lists("Plan", [["p1", "p2"], *[[]] * 8])


def open_plan(store: CanvasStore, timings: Timings = FAST_RETRY) -> CanvasApp:
    return CanvasApp(store=store, canvas="plan", timings=timings)


# -- helpers -------------------------------------------------------------------------------


def temps(folder: Path) -> list[str]:
    """Temp files a save left behind (`.<name>.toml.*.tmp`, `.<name>.toml.bak.tmp`)."""
    return sorted(child.name for child in folder.iterdir() if child.name.endswith(".tmp"))


def assert_intact(path: Path, before: tuple[bytes, int]) -> None:
    """The canvas file is byte for byte (and mtime) as it was; nothing half-written beside."""
    assert file_state(path) == before
    folder = path.parent
    assert temps(folder) == []
    assert {child.name for child in folder.iterdir()} <= {path.name, f"{path.name}.bak"}
    backup = path.with_name(f"{path.name}.bak")
    if backup.exists():  # a failed save may refresh the backup, but only with the old bytes
        assert backup.read_bytes() == before[0]


@contextlib.contextmanager
def between_saves(saver: AutoSaver | None) -> Iterator[None]:
    """Hold the saver's write lock: no attempt is half-way (with its temp file still there)
    while the folder is checked. The lock is the one `flush` takes: one write at a time."""
    assert saver is not None
    lock = saver._save_lock
    assert lock.acquire(timeout=TIMEOUT), "a save never finished"
    try:
        yield
    finally:
        lock.release()


def saver_of(app: CanvasApp) -> AutoSaver | None:
    return editor(app).sync.saver


def status_line(app: CanvasApp) -> str:
    """The editor's status line as shown (the line above the footer)."""
    return screen_text(app).splitlines()[-2]


# -- the troubles --------------------------------------------------------------------------


class Trouble:
    """A disk problem that can be switched on and off while the editor runs."""

    reason = ""  # what the status line says about it

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.path = path
        self.folder = path.parent
        self.monkeypatch = monkeypatch
        self.active = False
        self.failures = 0  # attempts that met the trouble
        self.lock = threading.Lock()

    def failed(self) -> None:
        with self.lock:
            self.failures += 1

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False


class ReadOnlyFile(Trouble):
    """chmod 0444 on the canvas: a file its owner may not write."""

    reason = "permission denied"

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path, monkeypatch)
        self.mode = stat.S_IMODE(path.stat().st_mode)
        real_access = os.access

        def access(target: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
            allowed = real_access(target, mode, *args, **kwargs)
            if mode & os.W_OK and Path(target) == self.path:
                if ROOT:  # root may write anything: answer as the kernel would for the owner
                    allowed = bool(self.path.stat().st_mode & stat.S_IWUSR)
                if not allowed:
                    self.failed()
            return allowed

        monkeypatch.setattr(os, "access", access)

    def start(self) -> None:
        super().start()
        self.path.chmod(0o444)

    def stop(self) -> None:
        self.path.chmod(self.mode)
        super().stop()


class ReadOnlyFolder(Trouble):
    """chmod 0555 on the canvases folder: no file can be created or replaced in it."""

    reason = "permission denied"

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path, monkeypatch)
        self.mode = stat.S_IMODE(self.folder.stat().st_mode)
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
            folder = Path(kwargs.get("dir") or args[2])
            if folder == self.folder and not folder.stat().st_mode & stat.S_IWUSR:
                self.failed()
                if ROOT:  # root may write anything: refuse as the kernel would for the owner
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)

    def start(self) -> None:
        super().start()
        self.folder.chmod(0o555)

    def stop(self) -> None:
        self.folder.chmod(self.mode)
        super().stop()


class DiskFull(Trouble):
    """Every fsync of the data fails with ENOSPC, as a full disk reports it."""

    reason = "the disk is full"

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path, monkeypatch)
        real_fsync = os.fsync

        def fsync(descriptor: int) -> None:
            if self.active:
                self.failed()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(descriptor)

        monkeypatch.setattr(os, "fsync", fsync)


class ReplaceFails(Trouble):
    """The final `os.replace` of the temp file over the canvas fails (an I/O error)."""

    reason = os.strerror(errno.EIO)

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(path, monkeypatch)
        real_replace = os.replace

        def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
            if self.active and Path(target) == self.path:
                self.failed()
                raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
            real_replace(source, target, *args, **kwargs)

        monkeypatch.setattr(os, "replace", replace)


TROUBLES = [ReadOnlyFile, ReadOnlyFolder, DiskFull, ReplaceFails]
TROUBLE_IDS = ["read-only-file", "read-only-folder", "disk-full", "replace-fails"]


@pytest.fixture(params=TROUBLES, ids=TROUBLE_IDS)
def trouble_kind(request: pytest.FixtureRequest) -> type[Trouble]:
    kind: type[Trouble] = request.param
    return kind


@pytest.fixture
def plan(store: CanvasStore) -> Iterator[Path]:
    path = write_canvas(store, "plan", ORIGINAL)
    yield path
    # never leave a read-only folder behind for pytest to clean up
    store.canvases_dir.chmod(0o700)
    if path.exists():
        path.chmod(0o600)


# -- the store -----------------------------------------------------------------------------


def test_store_save_refuses_and_keeps_the_file(
    plan: Path, trouble_kind: type[Trouble], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_state(plan)
    base = load(plan)
    trouble = trouble_kind(plan, monkeypatch)
    trouble.start()
    changed = add_item(base.canvas, 0, "x" * 10_000).canvas
    for _ in range(2):  # the first attempt, and a retry that meets what the first one left
        with pytest.raises(SaveError, match=trouble.reason) as caught:
            save(base, changed)
        assert isinstance(caught.value, OSError)
    assert trouble.failures >= 2
    assert_intact(plan, before)
    trouble.stop()
    save(base, changed)  # nothing changed on disk: the same base saves once the trouble is gone
    assert load(plan).canvas == changed


def test_autosaver_reports_retries_and_saves_when_the_trouble_ends(
    plan: Path, trouble_kind: type[Trouble], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_state(plan)
    trouble = trouble_kind(plan, monkeypatch)
    reports: list[SaveReport] = []
    saver = AutoSaver(load(plan), reports.append, FAST_RETRY)
    saver.start()
    try:
        trouble.start()
        first = add_item(ORIGINAL, 0, "one").canvas
        saver.request(1, first)
        poll_until(lambda: trouble.failures >= 3, "the retries")  # again and again
        assert trouble.failures >= 3
        second = retitle(first, "Plan B")
        saver.request(2, second)  # a later edit while failing: the newest one is saved
        failed = [report for report in reports if report.status is SaveStatus.FAILED]
        assert failed
        assert trouble.reason in failed[0].message
        assert failed[0].message.startswith("could not save: ")
        assert saver.dirty
        with between_saves(saver):
            assert_intact(plan, before)
        trouble.stop()
        poll_until(lambda: reports[-1].status is SaveStatus.SAVED, "the save")
        assert reports[-1] == SaveReport(SaveStatus.SAVED, 2)
        assert not saver.dirty
    finally:
        saver.close()
    assert load(plan).canvas == second
    assert temps(plan.parent) == []


# -- the editor ----------------------------------------------------------------------------


async def test_editor_keeps_edits_says_not_saved_and_retries(
    store: CanvasStore, plan: Path, trouble_kind: type[Trouble], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_state(plan)
    trouble = trouble_kind(plan, monkeypatch)
    app = open_plan(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("a", *"kept", "enter")
        shown = await screen_until(pilot, app, "not saved")
        status = status_line(app)
        assert "not saved" in status, shown
        assert trouble.reason in status
        assert "edits kept" in status
        await pilot.press("t", "ctrl+u", *"Plan B", "enter")  # more edits while it fails
        failures = trouble.failures
        await wait_for(pilot, lambda: trouble.failures >= failures + 2, what="the retries")
        await wait_for(pilot, lambda: "not saved" in status_line(app), what="the status")
        expected = retitle(add_item(ORIGINAL, 0, "kept").canvas, "Plan B")
        assert editor(app).session.canvas == expected
        shown = screen_text(app)
        assert "▸ kept" in shown
        assert "Plan B — plan" in shown
        with between_saves(saver_of(app)):
            assert_intact(plan, before)
        trouble.stop()
        await wait_for(pilot, lambda: canvas_on_disk(plan) == expected, what="the retry to save")
        await wait_for(
            pilot, lambda: "not saved" not in status_line(app), what="the status to clear"
        )
        assert "saved " in status_line(app)
        assert editor(app).session.canvas == expected
    assert load(plan).canvas == expected
    assert temps(plan.parent) == []


async def test_ctrl_s_while_failing_says_not_saved(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = file_state(plan)
    trouble = DiskFull(plan, monkeypatch)
    app = open_plan(store, Timings(retry=0.2, debounce=60.0))  # only ctrl+s writes
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("a", *"now", "enter", "ctrl+s")
        shown = await screen_until(pilot, app, "not saved")
        assert "the disk is full" in status_line(app)
        assert "Saved (" not in shown  # no false "Saved" toast
        with between_saves(saver_of(app)):
            assert_intact(plan, before)
        trouble.stop()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: canvas_on_disk(plan) != ORIGINAL, what="ctrl+s to save")
        assert "Saved (" in await screen_until(pilot, app, "Saved (")
    assert load(plan).canvas == add_item(ORIGINAL, 0, "now").canvas


# -- quitting while saves fail -------------------------------------------------------------


@pytest.mark.parametrize("quit_key", ["q", "ctrl+q"])
async def test_quit_while_saves_fail_warns_and_needs_a_second_quit(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch, quit_key: str
) -> None:
    """Nothing is ever unsaved: a quit that cannot save says so and does not
    leave; only a second quit, knowingly, gives the edits up."""
    before = file_state(plan)
    trouble = DiskFull(plan, monkeypatch)
    app = open_plan(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("a", *"unsaved", "enter")
        await screen_until(pilot, app, "not saved")
        failures = trouble.failures
        await pilot.press(quit_key)
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        assert app.is_running
        assert trouble.failures > failures  # saving was tried again
        shown = await screen_until(pilot, app, NOT_SAVED_WARNING)
        assert "could not be saved" in shown
        assert editor(app).session.canvas == add_item(ORIGINAL, 0, "unsaved").canvas
        with between_saves(saver_of(app)):
            assert_intact(plan, before)
        await pilot.press(quit_key)  # knowingly
        await wait_for(pilot, lambda: not app.is_running, what="quit")
    assert_intact(plan, before)


async def test_quit_while_a_failing_save_is_under_way_warns(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """q pressed while the autosave thread is half-way through a save that then fails: the
    quit waits for it, tries once more itself, and warns (no freeze, no silent loss)."""
    before = file_state(plan)
    under_way = threading.Event()
    quitting = threading.Event()
    disk_full = True
    real_fsync = os.fsync

    def slow_full_fsync(descriptor: int) -> None:
        if not disk_full:
            real_fsync(descriptor)
            return
        under_way.set()
        quitting.wait(TIMEOUT)  # a slow disk: the write fails only once q is being handled
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", slow_full_fsync)
    app = open_plan(store)
    flush_all = app.flush_all

    def quit_begins() -> bool:
        quitting.set()
        return flush_all()

    monkeypatch.setattr(app, "flush_all", quit_begins)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("a", *"racing", "enter")
        await wait_for(pilot, under_way.is_set, what="the autosave to start writing")
        await pilot.press("q")
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        assert app.is_running
        await screen_until(pilot, app, NOT_SAVED_WARNING)
        assert editor(app).session.canvas == add_item(ORIGINAL, 0, "racing").canvas
        with between_saves(saver_of(app)):
            assert_intact(plan, before)
        disk_full = False
        await pilot.press("q")  # the disk works again: this quit saves
        await wait_for(pilot, lambda: not app.is_running, what="quit")
    assert load(plan).canvas == add_item(ORIGINAL, 0, "racing").canvas


async def test_quit_after_the_trouble_is_fixed_saves(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trouble = ReplaceFails(plan, monkeypatch)
    app = open_plan(store, Timings(retry=60.0))  # only the quit saves
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("a", *"late", "enter")
        await screen_until(pilot, app, "not saved")
        await pilot.press("q")
        await screen_until(pilot, app, NOT_SAVED_WARNING)
        assert app.is_running
        trouble.stop()
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="quit")
    assert load(plan).canvas == add_item(ORIGINAL, 0, "late").canvas
    assert temps(plan.parent) == []


async def test_an_old_quit_warning_does_not_let_a_later_quit_lose_edits(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second q gives up the edits the warning was about, not edits made later, after
    saving worked again and failed anew: a later quit must warn again."""
    trouble = DiskFull(plan, monkeypatch)
    app = open_plan(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        trouble.start()
        await pilot.press("a", *"first", "enter")
        await screen_until(pilot, app, "not saved")
        await pilot.press("q")
        await screen_until(pilot, app, NOT_SAVED_WARNING)
        trouble.stop()
        await pilot.press("ctrl+s")
        first = add_item(ORIGINAL, 0, "first").canvas
        await wait_for(pilot, lambda: canvas_on_disk(plan) == first, what="the save after the fix")
        await wait_for(
            pilot, lambda: "not saved" not in status_line(app), what="the status to clear"
        )
        before = file_state(plan)
        trouble.start()  # the disk fills up again, later
        await pilot.press("a", *"second", "enter")
        await wait_for(pilot, lambda: "not saved" in status_line(app), what="the new failure")
        app.clear_notifications()  # the old warning goes: only a new one can answer this quit
        await wait_for(pilot, lambda: NOT_SAVED_WARNING not in screen_text(app), what="no toast")
        await pilot.press("q")
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        still_running = app.is_running
        trouble.stop()  # let the app save and leave, whatever happened
        if still_running:
            await pilot.press("q")
    assert still_running, "a single q quit and silently lost an edit that was never saved"
    assert file_state(plan) != before


async def test_quit_while_a_conflict_holds_edits_back_warns(
    store: CanvasStore, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file changed on disk and here; the question was put aside (escape). Its edits are
    not on disk, so a quit must not pass for "nothing unsaved"."""
    app = open_plan(store, Timings(retry=0.2, watch=60.0))  # only the save notices
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        theirs = dump_with_comment(add_item(ORIGINAL, 1, "theirs").canvas)
        plan.write_text(theirs, encoding="utf-8")
        future = time.time() + 5
        os.utime(plan, (future, future))
        await pilot.press("a", *"mine", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choice), what="the conflict question")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        await pilot.press("q")
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        still_running = app.is_running
        if still_running:
            assert NOT_SAVED_WARNING in screen_text(app)
            assert editor(app).session.canvas == add_item(ORIGINAL, 0, "mine").canvas
            await pilot.press("q")  # knowingly
    assert still_running, "q quit and silently dropped edits held back by a conflict"
    assert plan.read_text(encoding="utf-8") == theirs  # theirs is never overwritten


def dump_with_comment(canvas: Canvas) -> str:

    return "# edited by someone else\n" + dump_canvas(canvas)
