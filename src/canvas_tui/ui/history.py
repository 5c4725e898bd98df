"""The canvas's versions (git commits and local snapshots): diff against now, restore."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui.model import Canvas
from canvas_tui.store.files import Loaded


class HistoryScreen(ModalScreen[Canvas | None]):
    """Placeholder until the history modules land."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", priority=True)]

    def __init__(self, loaded: Loaded, canvas: Canvas, read_only: bool) -> None:
        super().__init__(id="history")
        self.loaded, self.canvas, self.read_only = loaded, canvas, read_only

    def compose(self) -> ComposeResult:
        yield Static(Content("History is not available yet."))
