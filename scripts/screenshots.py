"""Make the README's screenshots from the real app on the example canvas.

    python scripts/screenshots.py            # writes screenshots/*.svg

Each picture is the editor (or browser) run headless by Textual at a fixed size, on a fresh
data dir seeded with the example canvas, so they can be made again after any UI change.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from pathlib import Path

from canvas_tui.app import CanvasApp
from canvas_tui.store import CanvasStore

OUT = Path(__file__).resolve().parent.parent / "screenshots"

SHOTS: tuple[tuple[str, tuple[int, int], str | None, bool, Sequence[str]], ...] = (
    # (file, size, canvas, read_only, keys pressed first)
    ("editor-wide.svg", (160, 50), "example", False, ("l", "j")),
    ("editor-80x24.svg", (80, 24), "example", False, ("4", "j")),
    ("help.svg", (120, 40), "example", False, ("3", "question_mark")),
    ("read-only.svg", (120, 36), "example", True, ("slash", *"cloud", "enter")),
    ("browser.svg", (100, 24), None, False, ()),
)


async def shoot(
    data: Path, size: tuple[int, int], canvas: str | None, read_only: bool, keys: Sequence[str]
) -> str:
    app = CanvasApp(store=CanvasStore(data), canvas=canvas, read_only=read_only)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.3)
        return app.export_screenshot(title="canvas-tui")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        data = Path(temp) / "data"
        CanvasStore(data).ensure()  # a new data dir: seeded with the example canvas
        for name, size, canvas, read_only, keys in SHOTS:
            svg = asyncio.run(shoot(data, size, canvas, read_only, keys))
            (OUT / name).write_text(svg, encoding="utf-8")
            print(f"wrote screenshots/{name}")


if __name__ == "__main__":
    main()
