"""`Dialog`: what every modal dialog of canvas-tui shares.

- **The frame.** The dialog is centred over the screen it covers, its body framed; both are
  one rule each in `canvas.tcss` (`Dialog`, `.dialog-body`). A dialog gives its body's id,
  classes and title, and `compose_body` fills it.
- **Closing.** escape runs `action_close`, which answers None (cancel); a dialog whose
  escape means something else (the note saves) overrides it, and one that takes keys
  itself (`take_key`: a text field) calls it for escape. More keys that close a dialog are
  bindings of that dialog to `close`.
- **Focus on show.** `FOCUS` selects the widget focused once the dialog is mounted (none:
  Textual's `AUTO_FOCUS`, the first that can take focus).
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

AnswerType = TypeVar("AnswerType")


class Dialog(ModalScreen[AnswerType | None]):
    """A modal dialog answering an `AnswerType`, or None when it is closed (escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", priority=True)]
    BODY_ID: ClassVar[str | None] = None  # the body's id (its size in canvas.tcss)
    BODY_CLASSES: ClassVar[str] = ""  # more classes of the body
    BODY_SCROLLS: ClassVar[bool] = False  # the body scrolls (help) instead of fitting
    FRAME_TITLE: ClassVar[str] = ""  # drawn in the frame's top edge
    FOCUS: ClassVar[str | None] = None  # selects the widget focused on show

    def compose(self) -> ComposeResult:
        container = VerticalScroll if self.BODY_SCROLLS else Vertical
        classes = f"dialog-body {self.BODY_CLASSES}".strip()
        with container(id=self.BODY_ID, classes=classes) as body:
            if self.FRAME_TITLE:
                body.border_title = self.FRAME_TITLE
            yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        """The widgets inside the frame."""
        yield from ()

    def on_mount(self) -> None:
        # A subclass's own on_mount runs first (Textual calls each class's handler).
        if self.FOCUS is not None:
            targets = self.query(self.FOCUS)
            if targets:
                self.set_focus(targets.first())

    def action_close(self) -> None:
        """escape: close the dialog, answering None."""
        self.dismiss(None)
