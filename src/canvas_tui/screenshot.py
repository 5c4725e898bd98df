"""SVG pictures of the real editor, rendered headless (for `export --format svg` and the
README's screenshots)."""

from __future__ import annotations

import asyncio

from canvas_tui.store import CanvasStore, Loaded


def editor_svg(
    store: CanvasStore,
    loaded: Loaded,
    *,
    width: int = 160,
    height: int = 50,
    read_only: bool = True,
    keys: tuple[str, ...] = (),
) -> str:
    """The editor on `loaded` at `width` x `height`, after pressing `keys`, as SVG."""
    from canvas_tui.app import CanvasApp

    app = CanvasApp(store=store, canvas=loaded.path, read_only=read_only, loaded=loaded)

    async def capture() -> str:
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            if keys:
                await pilot.press(*keys)
                await pilot.pause()
            title = loaded.canvas.title or loaded.path.stem
            return app.export_screenshot(title=f"canvas-tui — {title}")

    return asyncio.run(capture())
