"""The canvas redraws, after a key, only the rows whose content changed (a row of a block's
body is drawn again only if what it shows moved, changed, or changed role). Whatever a run of
keys did, the rows on screen must be the rows a fresh drawing of the same state gives."""

from __future__ import annotations

import random

import pytest
from rich.segment import Segment
from textual.geometry import Region

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from canvas_tui.ui.canvasview import CanvasView
from helpers import editor, write_canvas

# Keys that change what the canvas shows: the cursor, the items, their order and status,
# the block in focus, the zoom, the filter and the matches (of a search made first).
KEYS = ["j", "k", "j", "k", "J", "K", "d", "p", "u", "U", "s", "g", "G", "H", "L"]
KEYS += ["tab", "shift+tab", "1", "2", "9", "z", "n", "N", "F", "y", "p"]


def long_canvas(rng: random.Random) -> Canvas:
    """A long first block of items of one to a few lines, a short second, the rest empty."""

    def items(count: int) -> list[str]:
        return [f"item {n} " + "words " * rng.randrange(0, 16) for n in range(count)]

    return Canvas.from_lists("Redraw", [items(70), items(4), *([[]] * 7)])


def on_screen(view: CanvasView) -> list[list[Segment]]:
    """The view's rows as Textual puts them on screen (its lines cache included)."""
    return [list(strip) for strip in view.render_lines(Region(0, 0, *view.size))]


@pytest.mark.parametrize(
    ("size", "seed"),
    [((160, 50), 1), ((160, 50), 2), ((80, 24), 3)],
    ids=["wide-1", "wide-2", "80x24"],
)
async def test_rows_redrawn_key_by_key_are_the_rows_drawn_afresh(
    store: CanvasStore, size: tuple[int, int], seed: int
) -> None:
    rng = random.Random(seed)
    write_canvas(store, "redraw", long_canvas(rng))
    app = CanvasApp(store=store, canvas="redraw")
    async with app.run_test(size=size) as pilot:
        view = editor(app).query_one(CanvasView)
        await pilot.press("slash", *"item 1", "enter")  # matches: a role of their own
        pressed: list[str] = []
        for key in rng.choices(KEYS, k=80):
            await pilot.press(key)
            pressed.append(key)
            drawn = on_screen(view)
            view.notify_style_update()  # forget every row drawn so far
            view.refresh()
            assert on_screen(view) == drawn, f"after {' '.join(pressed)}"
