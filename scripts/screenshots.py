"""Make the README's screenshots from the real app on the example canvases.

    python scripts/screenshots.py            # writes screenshots/*.svg

Each picture is the editor (or browser) run headless by Textual at a fixed size, on a fresh
data dir seeded with the example canvas (and a Lean canvas made from it), so they can be
made again after any UI change.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from pathlib import Path

from textual.widgets import TextArea

from canvas_tui import canvasfile
from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore

OUT = Path(__file__).resolve().parent.parent / "screenshots"

SHOTS: tuple[tuple[str, tuple[int, int], str | None, bool, Sequence[str]], ...] = (
    # (file, size, canvas, read_only, keys pressed first)
    ("editor-wide.svg", (160, 50), "example", False, ("l", "j")),
    ("editor-80x24.svg", (80, 24), "example", False, ("4", "j")),
    ("help.svg", (120, 40), "example", False, ("3", "question_mark")),
    ("read-only.svg", (120, 36), "example", True, ("slash", *"cloud", "enter")),
    ("evidence.svg", (120, 36), "example", False, ("slash", *"#pricing", "enter", "F")),
    ("note.svg", (120, 36), "example", False, ("4", "j", "i")),
    ("lean.svg", (160, 50), "lean", False, ("4", "j")),
    ("browser.svg", (120, 24), None, False, ()),
)

LEAN = Canvas.from_lists(
    "Nimbus Notes — Lean Canvas (example)",
    [
        [
            Item("Decisions made in meetings get lost", "validated", note="9 of 12 interviews."),
            "Notes take managers 3 hours a week",
            "Today: shared docs, recordings nobody watches",
        ],
        [Item("Automatic summaries with owners", "testing", ("mvp",)), "Searchable memory"],
        ["Weekly active teams", "Summaries opened per meeting"],
        [
            "Every meeting summarised in 2 minutes",
            "Notes for remote teams, without a note-taker",
        ],
        [Item("Evaluation data set of labelled meetings", "assumption")],
        ["Zoom and Teams marketplaces", "Content about better meetings"],
        [Item("Managers in remote-first SMEs", "validated", ("b2b",)), "Consultancies"],
        ["Transcription compute", "LLM API usage", "Team of 9"],
        [Item("$12 per user per month", "testing", ("pricing",)), "Usage-based credits"],
    ],
    template="lean",
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
        for area in app.screen.query(TextArea):  # a steady cursor
            area.cursor_blink = False
        await pilot.pause()
        return app.export_screenshot(title="canvas-tui")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        data = Path(temp) / "data"
        store = CanvasStore(data)
        store.ensure()  # a new data dir: seeded with the example canvas
        lean = store.templates.get("lean")
        assert lean is not None
        path = store.path_for("lean")
        path.write_text(canvasfile.dump(LEAN, lean.keys), encoding="utf-8")
        for name, size, canvas, read_only, keys in SHOTS:
            svg = asyncio.run(shoot(data, size, canvas, read_only, keys))
            (OUT / name).write_text(svg, encoding="utf-8")
            print(f"wrote screenshots/{name}")


if __name__ == "__main__":
    main()
