"""An editor whose file was deleted or moved away (by another program: the browser refuses
to) keeps the edits and keeps offering to save them as a copy until they are on disk; the
end of the session writes a rescue copy of whatever is not."""

from __future__ import annotations

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.ui.editor import EditorScreen
from helpers import screen_text, wait_for, write_canvas

SIZE = (120, 40)


def status(app: CanvasApp) -> str:
    return screen_text(app).splitlines()[-2]


async def test_a_vanished_file_is_offered_as_a_copy_until_saved(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", Canvas.from_lists("Acme", [["one"], *[[]] * 8]))
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        path.unlink()
        await wait_for(pilot, lambda: "deleted or moved" in status(app), what="the offer")
        await pilot.press("a", *"kept", "enter")
        await wait_for(pilot, lambda: "ctrl+s saves" in status(app), what="the offer again")
        assert not path.exists()  # not silently recreated
        await pilot.press("ctrl+s")
        copy = store.canvases_dir / "acme-saved.toml"
        await wait_for(pilot, lambda: copy.exists(), what="the copy")
        assert load(copy).canvas.texts(0) == ("one", "kept")
        await wait_for(pilot, lambda: "acme-saved.toml" in status(app), what="where")
        await pilot.press("a", *"later", "enter")  # newer than the copy: offered again
        await wait_for(pilot, lambda: "ctrl+s saves" in status(app), what="the offer")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(list(store.canvases_dir.glob("acme-saved*"))) == 2)
        await wait_for(pilot, lambda: "acme-saved-" in status(app), what="where")
        await pilot.press("q")  # everything is in a copy: no question, no rescue copy
        await wait_for(pilot, lambda: not app.is_running, what="the end")
    assert not list(store.canvases_dir.glob("*rescued*"))
    assert not path.exists()


async def test_leaving_with_edits_not_in_a_copy_writes_the_rescue_copy(store: CanvasStore) -> None:
    path = write_canvas(store, "acme", Canvas.from_lists("Acme", [["one"], *[[]] * 8]))
    app = CanvasApp(store=store, canvas="acme")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        path.unlink()
        await wait_for(pilot, lambda: "deleted or moved" in status(app), what="the offer")
        await pilot.press("a", *"kept")  # still in the field when the session ends
        app.exit()  # as a closed tab does (textual-serve asks the app to quit)
        await wait_for(pilot, lambda: not app.is_running, what="the end")
    (rescued,) = store.canvases_dir.glob("acme-rescued*.toml")
    assert load(rescued).canvas.texts(0) == ("one", "kept")
