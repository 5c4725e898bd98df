"""SVG snapshots of the screens people see (pytest-textual-snapshot).

After a deliberate UI change: `pytest tests/test_snapshots.py --snapshot-update`, then look
at the report and the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from canvas_tui.app import CanvasApp
from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from conftest import write_canvas

WIDE = (160, 50)
SMALL = (80, 24)


@pytest.fixture
def example_store(store: CanvasStore) -> CanvasStore:
    write_canvas(store, "example", EXAMPLE)
    return store


def test_wide_editor(snap_compare, example_store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=example_store, canvas="example")
    assert snap_compare(app, terminal_size=WIDE, press=["l", "j"])


def test_narrow_editor(snap_compare, example_store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=example_store, canvas="example")
    assert snap_compare(app, terminal_size=SMALL, press=["4", "j"])


def test_help(snap_compare, example_store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=example_store, canvas="example")
    assert snap_compare(app, terminal_size=(120, 40), press=["3", "question_mark"])


def test_empty_canvas_shows_guidance(snap_compare, store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=store, canvas="fresh")
    assert snap_compare(app, terminal_size=WIDE)


def test_read_only_with_search(snap_compare, example_store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=example_store, canvas="example", read_only=True)
    assert snap_compare(app, terminal_size=(120, 36), press=["slash", *"cloud", "enter"])


def test_hostile_text_is_shown_as_data(snap_compare, store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    canvas = Canvas.from_lists(
        "[bold]Not bold[/] \x1b]2;pwned\x07",
        [["[@click=app.quit]x[/]", "\x1b[2J clear", "\u202eevil"], *[[]] * 8],
    )
    write_canvas(store, "hostile", canvas)
    app = CanvasApp(store=store, canvas="hostile")
    assert snap_compare(app, terminal_size=SMALL)
