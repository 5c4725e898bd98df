"""A read-only editor (opened from the browser with v, or in a read-only session): a refused
edit key says why once; the "read-only" reminder survives a reload from disk; empty blocks do
not invite adding items."""

from __future__ import annotations

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from canvas_tui.ui.editor import EditorScreen
from helpers import screen_text, wait_for, write_canvas

SIZE = (200, 60)


def refusals(app: CanvasApp) -> int:
    return sum("read-only" in str(n.title) for n in app._notifications)


async def test_a_refused_edit_key_says_why_once_and_changes_nothing(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", Canvas.from_lists("Acme", [["one"], *[[]] * 8]))
    before = path.read_bytes()
    app = CanvasApp(store=store, canvas="acme", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the viewer")
        await pilot.press("d", "a", "x", "enter", "s")
        await wait_for(pilot, lambda: refusals(app) == 1, what="the refusal")
        await pilot.press("d", "a")
        # A second refusal must not come: there is no event to wait for, so give it time.
        await pilot.pause(0.2)
        assert refusals(app) == 1
        text = screen_text(app)
        assert "a adds an item" not in text
        assert text.count("read-only ·") >= 2  # the empty blocks say so instead
    assert path.read_bytes() == before


async def test_the_read_only_reminder_survives_a_reload(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", Canvas.from_lists("Acme", [["one"], *[[]] * 8]))
    app = CanvasApp(store=store, canvas="acme", read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "the file is never written" in screen_text(app))
        for round_ in range(2):
            text = f"from elsewhere {round_}"
            write_canvas(store, "acme", Canvas.from_lists("Acme", [["one", text], *[[]] * 8]))
            await wait_for(pilot, lambda t=text: t in screen_text(app), what="the reload")
            await wait_for(pilot, lambda: "reloaded" in screen_text(app), what="the status")
            assert "read-only" in screen_text(app).splitlines()[-2]
    assert path.exists()
