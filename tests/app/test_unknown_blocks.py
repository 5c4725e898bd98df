"""Items under a block key the canvas's template does not have (a block renamed in another
clone's template, a merge that kept them) are never dropped: the editor says they are there,
and its saves keep them."""

from __future__ import annotations

from canvas_tui.app import CanvasApp
from canvas_tui.store import CanvasStore
from helpers import screen_text, wait_for

FILE = """schema = 1
title = "Acme"

[blocks]
key_partners = ["Stripe"]
risks = ["Competitor X", "Regulation"]
"""


async def test_the_editor_tells_of_items_under_an_unknown_block_and_keeps_them(
    store: CanvasStore,
) -> None:
    path = store.canvases_dir / "acme.toml"
    path.write_text(FILE, encoding="utf-8")
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await wait_for(pilot, lambda: "risks (2)" in screen_text(app), what="the notice")
        assert "Kept in the file but not shown" in screen_text(app)
        await pilot.press("a", *"Bank", "enter")
        await wait_for(pilot, lambda: "Bank" in path.read_text(encoding="utf-8"), what="a save")
    text = path.read_text(encoding="utf-8")
    assert 'risks = ["Competitor X", "Regulation"]' in text


async def test_a_canvas_without_unknown_blocks_says_nothing_of_them(store: CanvasStore) -> None:
    path = store.canvases_dir / "acme.toml"
    path.write_text(FILE.replace('risks = ["Competitor X", "Regulation"]\n', ""), encoding="utf-8")
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await wait_for(pilot, lambda: "Stripe" in screen_text(app), what="the canvas")
        await pilot.press("a", *"Bank", "enter")
        await wait_for(pilot, lambda: "Bank" in path.read_text(encoding="utf-8"), what="a save")
        assert "Kept in the file" not in screen_text(app)
