"""Local snapshots of a canvas (`canvas_tui.store.snapshots`): taken with or without a label,
listed newest first, read back, private on disk, and never more than the newest 50."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from canvas_tui import canvasfile
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from canvas_tui.store.snapshots import (
    MAX_SNAPSHOTS,
    list_snapshots,
    load_snapshot,
    prune_snapshots,
    read_snapshot,
    snapshot_folder,
    take_snapshot,
)
from canvas_tui.template import built_in_templates

TECH = built_in_templates().default
CANVAS = Canvas.from_lists("Acme", [["Stripe"], [], [], ["Saves time"], [], [], [], [], []])
TEXT = "# hand-written comment\n" + canvasfile.dump(CANVAS, TECH.keys)
NOON = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_snapshot_is_a_private_canvas_file_named_by_time_and_label(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "snapshots" / "acme"
    snapshot = take_snapshot(folder, TEXT, "Before the pricing workshop!", now=NOON)
    assert snapshot.path.name == "20240501T120000.000000Z-before-the-pricing-workshop.toml"
    assert snapshot.label == "Before the pricing workshop!"
    assert snapshot.taken == NOON
    assert mode(snapshot.path) == 0o600
    for created in (folder, folder.parent, folder.parent.parent):
        assert mode(created) == 0o700
    assert load_snapshot(snapshot, built_in_templates()) == CANVAS
    assert read_snapshot(snapshot).endswith(TEXT)  # the file as it was, comments and all


def test_snapshots_are_listed_newest_first_with_label_and_time(tmp_path: Path) -> None:
    take_snapshot(tmp_path, TEXT, now=NOON)
    take_snapshot(tmp_path, TEXT, "Ünïcode \x1b[31m label", now=NOON + timedelta(minutes=5))
    take_snapshot(tmp_path, TEXT, now=NOON - timedelta(days=1))
    (tmp_path / "notes.txt").write_text("not a snapshot", encoding="utf-8")
    listed = list_snapshots(tmp_path)
    assert [s.taken for s in listed] == [
        NOON + timedelta(minutes=5),
        NOON,
        NOON - timedelta(days=1),
    ]
    assert [s.label for s in listed] == ["Ünïcode \x1b[31m label", "", ""]
    assert listed[0].path.name == "20240501T120500.000000Z-unicode-31m-label.toml"
    assert listed[1].time_text == NOON.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def test_two_snapshots_at_the_same_moment_both_kept(tmp_path: Path) -> None:
    first = take_snapshot(tmp_path, TEXT, now=NOON)
    second = take_snapshot(tmp_path, TEXT, now=NOON)
    assert first.path != second.path
    assert len(list_snapshots(tmp_path)) == 2


def test_only_the_newest_50_are_kept(tmp_path: Path) -> None:
    for minute in range(MAX_SNAPSHOTS + 3):
        take_snapshot(tmp_path, TEXT, f"number {minute}", now=NOON + timedelta(minutes=minute))
    listed = list_snapshots(tmp_path)
    assert len(listed) == MAX_SNAPSHOTS
    assert listed[0].label == f"number {MAX_SNAPSHOTS + 2}"
    assert listed[-1].label == "number 3"
    assert prune_snapshots(tmp_path, keep=2) == [s.path for s in listed[2:]]
    assert len(list(tmp_path.iterdir())) == 2


def test_a_missing_folder_has_no_snapshots(tmp_path: Path) -> None:
    assert list_snapshots(tmp_path / "nothing") == []


def test_each_canvas_has_its_own_folder(tmp_path: Path) -> None:
    store = CanvasStore(tmp_path / "data")
    named = snapshot_folder(store.snapshots_dir, store.path_for("acme"), store.canvases_dir)
    assert named == tmp_path / "data" / "snapshots" / "acme"
    one = snapshot_folder(store.snapshots_dir, tmp_path / "a" / "Plan.toml", store.canvases_dir)
    two = snapshot_folder(store.snapshots_dir, tmp_path / "b" / "Plan.toml", store.canvases_dir)
    assert one != two
    assert one.parent == two.parent == store.snapshots_dir
    assert one.name.startswith("plan-")
