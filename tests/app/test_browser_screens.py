"""SVG pictures of the canvas browser (pytest-textual-snapshot): wide, 80x24, many canvases,
long titles, and a read-only session. Columns are sized from the first frame the list is on.

After a deliberate change: `pytest tests/app/test_browser_screens.py --snapshot-update`, then
look at the report and the SVGs before committing them.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from textual.widgets import DataTable

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from helpers import wait_for, write_canvas

STAMP = 1_790_000_000  # a fixed modification time: the Modified column stays the same
LONG_TITLE = (
    "A canvas whose title goes on and on: Nimbus Robotics warehouse automation for mid-size"
    " retailers in the EU (draft 7, for review)"
)  # 121 characters


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    __import__("time").tzset()


def make(store: CanvasStore, name: str, title: str, items: int, age: int) -> None:
    blocks = [[f"item {i}" for i in range(items)], *[[]] * 8]
    path = write_canvas(store, name, Canvas.from_lists(title, blocks))
    os.utime(path, (STAMP - age, STAMP - age))


def listed(count: int) -> Any:
    """Before the picture: the list is read (a worker) and shown; the header's data dir (a
    temporary folder) is replaced by a fixed one."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(
            pilot, lambda: app.screen.query_one(DataTable).row_count == count, what="the rows"
        )
        app.screen.sub_title = app.screen.sub_title.replace(str(app.store.data_dir), "~/data")
        await pilot.pause()

    return run_before


@pytest.fixture
def few(store: CanvasStore) -> CanvasStore:
    make(store, "acme", "Acme Robotics", 12, 0)
    make(store, "nimbus", LONG_TITLE, 3, 3600)
    make(store, "lean-idea", "A lean idea", 0, 86400)
    return store


def test_browser_wide(snap_compare, few: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(CanvasApp(store=few), terminal_size=(160, 30), run_before=listed(3))


def test_browser_80x24_long_titles(snap_compare, few: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(CanvasApp(store=few), terminal_size=(80, 24), run_before=listed(3))


def test_browser_many_canvases(snap_compare, store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    for number in range(60):
        make(store, f"canvas-{number:02d}", f"Canvas number {number}", number % 7, number * 60)
    app = CanvasApp(store=store)
    assert snap_compare(app, terminal_size=(100, 24), run_before=listed(60))


def test_browser_read_only_session(snap_compare, few: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=few, read_only=True)
    assert snap_compare(app, terminal_size=(120, 24), run_before=listed(3))
