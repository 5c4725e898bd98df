"""Small widgets of the editor: the block strip, the status bar and the one-line inputs."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from canvas_tui.template import BLOCKS


class BlockStrip(Static):
    """Narrow terminals show one block at a time; this strip shows which, among the nine."""

    def __init__(self) -> None:
        super().__init__(id="strip")
        self.current = 0
        self.counts = [0] * len(BLOCKS)

    def update_strip(self, current: int, counts: list[int]) -> None:
        self.current, self.counts = current, counts
        parts: list[tuple[str, str] | str] = []
        for spec in BLOCKS:
            label = f" {spec.number} {spec.short} "
            style = "reverse bold" if spec.index == current else ""
            if spec.index:
                parts.append(("│", "dim"))
            parts.append((label, style))
        spec = BLOCKS[current]
        parts.append(("  ", ""))
        parts.append((f"{spec.title}", "bold"))
        self.update(Content.assemble(*parts))


class StatusBar(Static):
    """One line above the footer: save state on the left, search and mode on the right."""

    def __init__(self) -> None:
        super().__init__(id="status")
        self.save_text = ""
        self.save_style = ""
        self.mode_text = ""

    def set_save(self, text: str, style: str = "") -> None:
        self.save_text, self.save_style = text, style
        self._redraw()

    def set_mode(self, text: str) -> None:
        self.mode_text = text
        self._redraw()

    def _redraw(self) -> None:
        self.update(
            Content.assemble(
                (self.save_text, self.save_style),
                ("   " if self.save_text and self.mode_text else "", ""),
                (self.mode_text, "bold"),
            )
        )


class LineInput(Input):
    """A one-line input that says when it is cancelled with escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    class Cancelled(Message):
        def __init__(self, input: LineInput) -> None:
            super().__init__()
            self.input = input

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))
