"""SVG pictures of the screens people see, compared by pytest-textual-snapshot.

After a deliberate UI change: `pytest tests/app/test_screens.py --snapshot-update`, then look
at the report and the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from canvas_tui.app import CanvasApp
from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from helpers import wait_for, write_canvas

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


LONG = (
    "A long item that wraps over several lines in a five-column canvas, so editing it must"
    " show every word of it at once"
)


def _hide_cursor(area: object) -> None:
    """The field's cursor off in the picture, whatever moment it is taken at: the blink
    phase, the focus and the app's focus all decide whether TextArea draws it, and a busy
    machine takes the picture at any of them. Blink on, its timer stopped, its phase off."""
    area.cursor_blink = True  # type: ignore[attr-defined]
    area.blink_timer.pause()  # type: ignore[attr-defined]
    area._cursor_visible = False  # type: ignore[attr-defined]


def _long_item_store(store: CanvasStore) -> CanvasStore:
    write_canvas(store, "long", Canvas.from_lists("Long", [["short one", LONG, "after it"]]
                 + [[]] * 8))  # fmt: skip
    return store


@pytest.mark.parametrize("size", [WIDE, SMALL], ids=["wide", "narrow"])
def test_long_item_being_edited(snap_compare, store: CanvasStore, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    app = CanvasApp(store=_long_item_store(store), canvas="long")

    async def edit(pilot: object) -> None:
        await pilot.press("j", "e", *" and more words typed")  # type: ignore[attr-defined]
        field = pilot.app.screen.query_one("#field")  # type: ignore[attr-defined]
        # Focus arrives by message and restarts the blink: wait for it, then stop the blink,
        # so the cursor is drawn, steadily, in every frame from here on.
        await wait_for(pilot, lambda: field.has_focus, what="the field to have the focus")
        looks: list[object] = []

        def grown() -> bool:
            """The field has grown to its text: on a busy machine, later; then it stays."""
            looks.append((field.region, field.wrapped_height))
            return bool(field.size.width) and len(looks) > 1 and looks[-1] == looks[-2]

        await wait_for(pilot, grown, what="the field to grow to its text")
        _hide_cursor(field)

    assert snap_compare(app, terminal_size=size, run_before=edit)


def test_lean_canvas(snap_compare, store: CanvasStore) -> None:  # type: ignore[no-untyped-def]
    from canvas_tui.model import Item

    lean = Canvas.from_lists(
        "Nimbus Notes (Lean)",
        [
            ["Meeting decisions get lost", Item("Notes take 3 hours a week", "validated")],
            [Item("Automatic summaries", "testing", ("mvp",))],
            ["Weekly active teams"],
            ["Every meeting summarised in 2 minutes"],
            [Item("Evaluation data set", "assumption")],
            ["Zoom and Teams marketplaces"],
            ["Remote-first managers"],
            ["Transcription compute"],
            [Item("$12 per user per month", "invalidated", note="Too high for SMEs.")],
        ],
        template="lean",
    )
    write_canvas(store, "lean", lean)
    app = CanvasApp(store=store, canvas="lean")
    assert snap_compare(app, terminal_size=WIDE)


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no-color"])
def test_status_tags_and_notes(  # type: ignore[no-untyped-def]
    snap_compare, example_store: CanvasStore, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = CanvasApp(store=example_store, canvas="example")
    assert snap_compare(app, terminal_size=(120, 40), press=["4", "j"])
