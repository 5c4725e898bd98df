"""Changing a canvas from the shell: `add`, `rm`, `mv`, `set` and `retitle`, in-process through
`main()`, as real processes, and against an editor running in a pseudo-terminal."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from canvas_tui.store import CanvasStore
from canvas_tui.store.lock import CanvasLock
from clitools import ERROR_PREFIX, cli, process
from helpers import SHELL_ACME, texts, wait_for_file, write_canvas
from ptyapp import PtyApp, pty_editor


@pytest.fixture
def acme(store: CanvasStore) -> Path:
    return write_canvas(store, "acme", SHELL_ACME)


def test_process_exit_statuses(data_dir: Path, acme: Path) -> None:
    done = process("--data-dir", data_dir, "add", "acme", "KP", "Bank")
    assert (done.returncode, done.stdout, done.stderr) == (0, "key_partners 3: Bank\n", "")
    bad = process("--data-dir", data_dir, "rm", "acme", "0", "1")
    assert bad.returncode == 1
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith(ERROR_PREFIX)
    usage = process("--data-dir", data_dir, "add", "acme", "KP")
    assert usage.returncode == 2
    assert "usage:" in usage.stderr


def test_a_canvas_built_in_five_lines(data_dir: Path) -> None:
    """The README's example (docs/readme/scripting.md), line by line."""
    script = [
        ("add", "acme", "VP", "Meeting notes in 2 minutes", "--status", "testing"),
        ("add", "acme", "CS", "Remote-first managers", "--tag", "b2b"),
        ("add", "acme", "revenue_streams", "$12 per user per month"),
        ("retitle", "acme", "Acme Notes"),
        ("show", "acme", "--width", "100"),
    ]
    results = [process("--data-dir", data_dir, *line) for line in script]
    assert [result.returncode for result in results] == [0] * 5
    assert [result.stdout for result in results[:4]] == [
        "value_proposition 1: ~ Meeting notes in 2 minutes\n",
        "customer_segments 1: Remote-first managers #b2b\n",
        "revenue_streams 1: $12 per user per month\n",
        "Acme Notes\n",
    ]
    assert results[0].stderr == "canvas-tui: created the canvas acme\n"
    shown = results[4].stdout
    assert shown.startswith("Acme Notes\n")
    assert "Remote-first" in shown and "$12 per user per month" in shown


@pytest.mark.parametrize(
    "args",
    [
        ("add", "acme", "KP", "x"),
        ("rm", "acme", "KP", "1"),
        ("set", "acme", "KP", "1", "--status", "testing"),
        ("mv", "acme", "KP", "1", "CS"),
        ("retitle", "acme", "X"),
    ],
    ids=lambda args: args[0],
)
def test_shell_commands_never_import_textual(
    args: tuple[str, ...], data_dir: Path, acme: Path
) -> None:
    result = process("--data-dir", data_dir, *args, python_flags=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "canvas_tui.cli" in imported, "the import log was not captured"
    assert not [name for name in imported if name.split(".")[0] in ("textual", "rich")]


def test_an_editor_without_unsaved_edits_shows_the_added_item_and_keeps_both(
    running: PtyApp, data_dir: Path, acme: Path
) -> None:
    mark = running.mark()
    assert process("--data-dir", data_dir, "add", "acme", "KP", "From shell").returncode == 0
    running.wait_for(b"From shell", timeout=DISK_TIMEOUT, start=mark)  # reloaded
    running.type("a")
    running.type("From editor\r")
    wait_for_file(
        acme,
        lambda canvas: (
            canvas.texts(0)
            == (
                "Cloud host",
                "Stripe",
                "From shell",
                "From editor",
            )
        ),
        "the editor's save of both items",
        DISK_TIMEOUT,
    )
    running.type("q")
    running.wait(timeout=DISK_TIMEOUT)
    assert texts(acme, 1) == ["Cloud host", "Stripe", "From shell", "From editor"]


def test_an_item_being_typed_in_the_editor_and_one_added_from_the_shell_are_both_kept(
    running: PtyApp, data_dir: Path, acme: Path
) -> None:
    mark = running.mark()
    running.type("a")
    running.type("Half")
    running.wait_for(b"Half", timeout=DISK_TIMEOUT, start=mark)
    assert process("--data-dir", data_dir, "add", "acme", "KP", "From shell").returncode == 0
    running.wait_for(b"reloaded", timeout=DISK_TIMEOUT, start=mark)  # under the open field
    running.type(" done\r")
    wait_for_file(
        acme,
        lambda canvas: (
            set(canvas.texts(0))
            == {
                "Cloud host",
                "Stripe",
                "From shell",
                "Half done",
            }
        ),
        "both items on disk",
        DISK_TIMEOUT,
    )
    running.type("q")
    running.wait(timeout=DISK_TIMEOUT)


@pytest.mark.usefixtures("slow_autosave")
def test_an_editor_with_unsaved_edits_asks_and_nothing_is_lost(
    data_dir: Path, acme: Path, store: CanvasStore
) -> None:
    app = pty_editor(data_dir, "acme", cols=160, rows=40)
    try:
        mark = app.mark()
        app.type("a")
        app.type("Unsaved\r")
        app.wait_for(b"Unsaved", timeout=DISK_TIMEOUT, start=mark)
        assert "Unsaved" not in texts(acme, 1)  # still only in the editor
        assert process("--data-dir", data_dir, "add", "acme", "KP", "From shell").returncode == 0
        app.wait_for(b"Changed on disk", timeout=DISK_TIMEOUT, start=mark)
        app.type("c")  # save mine as a copy, and show theirs
        copy = store.path_for("acme-mine")
        wait_for_file(copy, lambda c: "Unsaved" in c.texts(0), "the copy", DISK_TIMEOUT)
        app.type("q")
        app.wait(timeout=DISK_TIMEOUT)
    finally:
        app.close()
    assert texts(acme, 1) == ["Cloud host", "Stripe", "From shell"]
    assert texts(store.path_for("acme-mine"), 1) == [
        "Cloud host",
        "Stripe",
        "Unsaved",
    ]


def test_a_canvas_open_in_an_editor_is_written_and_the_user_told(
    data_dir: Path, acme: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = CanvasLock(store.locks_dir, acme)
    assert lock.acquire()
    try:
        code, out, err = cli(data_dir, capsys, "add", "acme", "KP", "x")
    finally:
        lock.release()
    assert (code, out) == (0, "key_partners 3: x\n")
    assert "open in an editor" in err
    assert f"pid {os.getpid()}" in err
    assert texts(acme, 1)[-1] == "x"
    assert cli(data_dir, capsys, "add", "acme", "KP", "y")[2] == ""  # nobody holds it now


# -- as real processes ---------------------------------------------------------------------


# -- against an editor in a pseudo-terminal ------------------------------------------------


DISK_TIMEOUT = 30.0


@pytest.fixture
def running(data_dir: Path, acme: Path) -> Iterator[PtyApp]:
    """The editor on `acme`, in a real terminal."""
    app = pty_editor(data_dir, "acme", cols=160, rows=40)
    try:
        yield app
    finally:
        app.close()


# Run by every Python started with the hook on its path: the editor it starts is made with
# an autosave that waits an hour (the `timings` parameter, as the in-process tests pass it).
SLOW_AUTOSAVE_HOOK = """
import canvas_tui.cli.canvases as canvases

def run_editor(context, loaded, read_only, run=canvases.run_editor):
    import functools
    import canvas_tui.app as app
    from canvas_tui.store.autosave import Timings

    app.CanvasApp = functools.partial(app.CanvasApp, timings=Timings(debounce=3600.0))
    return run(context, loaded, read_only)

canvases.run_editor = run_editor
"""


@pytest.fixture
def slow_autosave(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor started from now on keeps its edits in memory (its autosave waits an hour),
    as if the disk were slow: a change from the shell then meets unsaved edits."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_AUTOSAVE_HOOK, encoding="utf-8")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))
    )
