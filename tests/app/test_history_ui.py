"""History in the editor: git commits of the canvas's file and local snapshots, each one's
diff against now, and restoring one as a single undoable step."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.snapshots import list_snapshots, snapshot_folder
from canvas_tui.ui.editor import EditorScreen
from canvas_tui.ui.history import HistoryScreen
from helpers import dump_canvas, screen_text, wait_for

SIZE = (160, 50)
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="the git program is missing")


def canvas(*items: str) -> Canvas:
    return Canvas.from_lists("Plan", [list(items), *[[]] * 8])


def git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


def snapshots_of(store: CanvasStore, name: str) -> Path:
    return snapshot_folder(store.snapshots_dir, store.path_for(name), store.canvases_dir)


@needs_git
async def test_commits_are_listed_diffed_and_restored_as_one_undo_step(
    store: CanvasStore,
) -> None:
    path = store.path_for("plan")
    git(store.data_dir, "init", "-q")
    path.write_text(dump_canvas(canvas("alpha launch plan")), encoding="utf-8")
    git(store.data_dir, "add", ".")
    git(store.data_dir, "commit", "-q", "-m", "First sketch")
    path.write_text(dump_canvas(canvas("alpha launch plan", "beta pricing")), encoding="utf-8")
    git(store.data_dir, "commit", "-q", "-am", "Second idea")
    path.write_text(dump_canvas(canvas("beta pricing", "gamma, not committed")), "utf-8")
    app = CanvasApp(store=store, canvas="plan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        assert isinstance(app.screen, HistoryScreen)
        await wait_for(pilot, lambda: "First sketch" in screen_text(app), what="commits")
        assert "Second idea" in screen_text(app)
        await wait_for(pilot, lambda: "gamma, not committed" in screen_text(app), what="diff")
        await pilot.press("j")  # the older commit
        await wait_for(pilot, lambda: "+ beta pricing" in screen_text(app), what="older diff")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="restore")
        await wait_for(pilot, lambda: load(path).canvas == canvas("alpha launch plan"), what="disk")
        await pilot.press("u")
        await wait_for(
            pilot,
            lambda: load(path).canvas == canvas("beta pricing", "gamma, not committed"),
            what="undo",
        )


async def test_without_git_the_snapshots_are_there_and_s_takes_one(
    store: CanvasStore, tmp_path: Path
) -> None:
    path = store.path_for("plan")
    path.write_text(dump_canvas(canvas("one")), encoding="utf-8")
    app = CanvasApp(store=store, canvas="plan")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("a", *"two", "enter", "v")
        await wait_for(pilot, lambda: "git:" in screen_text(app), what="the git note")
        assert "No versions yet" in screen_text(app)
        await pilot.press("s", *"before pricing", "enter")
        await wait_for(pilot, lambda: "before pricing" in screen_text(app), what="snapshot")
        await pilot.press("escape", "d", "d")  # back in the editor: delete both items
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == (), what="deleted")
        await pilot.press("v")
        await wait_for(pilot, lambda: "- two" in screen_text(app), what="the diff")
        await pilot.press("enter")
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == ("one", "two"), what="back")
    labels = [snapshot.label for snapshot in list_snapshots(snapshots_of(store, "plan"))]
    assert "before pricing" in labels


async def test_an_editing_session_with_changes_leaves_a_snapshot(store: CanvasStore) -> None:
    path = store.path_for("plan")
    path.write_text(dump_canvas(canvas("one")), encoding="utf-8")
    app = CanvasApp(store=store, canvas="plan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")  # no change: no snapshot
    assert list_snapshots(snapshots_of(store, "plan")) == []
    app = CanvasApp(store=store, canvas="plan")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"two", "enter", "q")
    taken = list_snapshots(snapshots_of(store, "plan"))
    assert len(taken) == 1
    assert load(taken[0].path).canvas.texts(0) == ("one", "two")
