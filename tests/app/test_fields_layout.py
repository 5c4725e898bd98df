"""Where the text field is and what it hides, at any terminal size: it follows a resize, it
hides the guidance of the empty block it adds to, and labels cut short end in "…"."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from canvas_tui.template import built_in_templates
from canvas_tui.ui.editor import EditorScreen
from helpers import screen_text, wait_for, write_canvas

LONG = (
    "A long item that wraps over several lines in a narrow block, so its field covers"
    " several lines and must move with the block when the terminal changes size"
)
SIZES = [(80, 24), (40, 12), (200, 60), (160, 50)]


def canvas(title: str, *blocks: list[str]) -> Canvas:
    return Canvas.from_lists(title, [*blocks, *[[] for _ in range(9 - len(blocks))]])


def editor(app: CanvasApp) -> EditorScreen:
    screen = app.screen
    assert isinstance(screen, EditorScreen)
    return screen


def field(app: CanvasApp) -> Widget:
    return editor(app).query_one("#field")


def block_text_area(app: CanvasApp) -> Region:
    """Where the current block's items are drawn, in screen cells."""
    screen = editor(app)
    view = screen.view
    region = view.block_region(screen.session.block)
    assert region is not None
    return region.shrink((1, 1, 1, 1)).translate(view.region.offset)


def field_in_block(app: CanvasApp) -> bool:
    """The field is inside the block it edits, across the block's whole text width."""
    area, region = block_text_area(app), field(app).region
    return (
        region.width == area.width
        and region.height >= 1
        and region.x == area.x
        and area.y <= region.y
        and region.bottom <= area.bottom
    )


async def resize(pilot: Pilot[None], size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await wait_for(pilot, lambda: pilot.app.size == size, what=f"the size {size}")


@pytest.mark.parametrize("keys", [["e"], ["a"], ["j", "o"]], ids=["edit", "add", "insert"])
async def test_the_item_field_follows_a_resize(store: CanvasStore, keys: list[str]) -> None:
    write_canvas(store, "resize", canvas("Resize", [LONG, "short"], ["other"]))
    app = CanvasApp(store=store, canvas="resize")
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press(*keys)
        await wait_for(pilot, lambda: field(app).display and field_in_block(app), what="field")
        for size in SIZES:
            await resize(pilot, size)
            await wait_for(pilot, lambda: field_in_block(app), what=f"the field in at {size}")
            if keys == ["e"]:  # over the item it edits, all of its lines
                view = editor(app).view
                rows = view.item_rows(0, 0)
                assert rows is not None
                top = rows[0] + view.region.y
                await wait_for(pilot, lambda t=top: field(app).region.y == t, what="on the item")
        await pilot.press(*" typed after")
        await pilot.press("enter")
        await wait_for(pilot, lambda: editor(app).field.mode is None, what="the field closed")
        texts = editor(app).session.canvas.texts(0)
        assert any(text.endswith("typed after") for text in texts), texts


async def test_the_title_and_search_fields_follow_a_resize(store: CanvasStore) -> None:
    write_canvas(store, "resize", canvas("Resize", ["one"]))
    app = CanvasApp(store=store, canvas="resize")
    async with app.run_test(size=(160, 50)) as pilot:
        for key, row in (("t", lambda: 0), ("slash", lambda: app.size.height - 2)):
            await pilot.press(key)
            await wait_for(pilot, lambda: field(app).display, what="the field open")
            for size in SIZES:
                await resize(pilot, size)
                want = Region(0, row(), size[0], 1)
                await wait_for(pilot, lambda w=want: field(app).region == w, what=f"{want}")
            await pilot.press("escape")
            await wait_for(pilot, lambda: not field(app).display, what="the field closed")


@pytest.mark.parametrize("size", SIZES[:3])
async def test_the_field_of_a_first_item_hides_the_guidance(
    store: CanvasStore, size: tuple[int, int]
) -> None:
    write_canvas(store, "empty", canvas("Empty", [], ["other"]))
    question = built_in_templates().default.blocks[0].question
    first_words = " ".join(question.split()[:2])
    app = CanvasApp(store=store, canvas="empty")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: first_words in block_text(app), what="the guidance")
        await pilot.press("a")
        await wait_for(pilot, lambda: field(app).display, what="the field open")
        await wait_for(pilot, lambda: first_words not in block_text(app), what="it hidden")
        assert "a adds an item" not in block_text(app)  # the last line of the guidance too
        await pilot.press("escape")
        await wait_for(pilot, lambda: first_words in block_text(app), what="it back")


def block_text(app: CanvasApp) -> str:
    """The text inside the current block, as shown."""
    area = block_text_area(app)
    rows = lines(app)[area.y : area.bottom]
    return "\n".join(row[area.x : area.right] for row in rows)


def lines(app: CanvasApp) -> list[str]:
    return screen_text(app).split("\n")


async def test_labels_cut_short_end_in_an_ellipsis(store: CanvasStore) -> None:
    title = "A canvas title far too long for a terminal thirty columns wide"
    write_canvas(store, "narrow", canvas(title, ["one"]))
    app = CanvasApp(store=store, canvas="narrow", read_only=True)
    async with app.run_test(size=(30, 12)) as pilot:
        await wait_for(pilot, lambda: "Add" in screen_text(app), what="the key bar")
        shown = lines(app)
        title_bar, strip, status, key_bar = shown[0], shown[1], shown[-2], shown[-1]
        assert title_bar.endswith("…"), title_bar
        assert strip.endswith("…"), strip  # the strip of blocks
        assert status.endswith("…"), status  # read-only: the file is never written
        assert key_bar.endswith("…"), key_bar
