"""A read-only session covers the canvas browser: nothing is created, copied, renamed or
deleted; those keys are not shown; a refused key says why, once."""

from __future__ import annotations

from textual.widgets import DataTable

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from helpers import screen_text, wait_for, write_canvas

SIZE = (120, 30)


def files(store: CanvasStore) -> dict[str, bytes]:
    return {
        str(path.relative_to(store.data_dir)): path.read_bytes()
        for path in store.data_dir.rglob("*.toml")
    }


def rows(app: CanvasApp) -> list[str]:
    return [str(key.value) for key in app.screen.query_one(DataTable).rows]


def footer(app: CanvasApp) -> str:
    return screen_text(app).splitlines()[-1]


def refusals(app: CanvasApp) -> int:
    return sum("read-only" in str(n.title) for n in app._notifications)


async def test_read_only_browser_refuses_n_c_r_d_u_and_says_so_once(store: CanvasStore) -> None:
    write_canvas(store, "alpha", Canvas.from_lists("Alpha", [["one"], *[[]] * 8]))
    before = files(store)
    app = CanvasApp(store=store, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows(app) == ["alpha"], what="the list")
        await wait_for(pilot, lambda: "Quit" in footer(app), what="the footer")
        for label in ("New", "Rename", "Copy", "Delete"):
            assert label not in footer(app), footer(app)
        assert "Open" in footer(app)
        await pilot.press("d", "delete", "c", "u", "r", "n")
        await wait_for(pilot, lambda: refusals(app) == 1, what="the refusal")
        await pilot.press("d", "n")
        # A second refusal must not come: there is no event to wait for, so give it time.
        await pilot.pause(0.2)
        assert refusals(app) == 1  # said once, not at every press
        assert app.screen.id == "browser"  # no prompt opened for n or r
        assert rows(app) == ["alpha"]
        assert "read-only" in screen_text(app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: "Read-only session" in screen_text(app), what="help")
        helped = screen_text(app)
        assert "Move to the trash" not in helped and "Duplicate" not in helped
        assert "Open it read-only" in helped
        await pilot.press("escape", "enter")
        await wait_for(pilot, lambda: app.screen.id != "browser", what="the viewer")
        assert app.screen.read_only  # type: ignore[attr-defined]
    assert files(store) == before
    assert not (store.data_dir / "trash").exists() or not any(store.trash_dir.iterdir())


async def test_the_palette_offers_no_change_in_a_read_only_browser(store: CanvasStore) -> None:
    app = CanvasApp(store=store, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.id == "browser", what="the browser")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Duplicate" not in titles and "Move to the trash" not in titles
        assert "Open the canvas" in titles


async def test_a_writable_browser_still_shows_its_keys(store: CanvasStore) -> None:
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "Quit" in footer(app), what="the footer")
        assert "New" in footer(app) and "Delete" in footer(app)
