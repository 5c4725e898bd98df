"""Small modal questions: a line of text (new canvas, rename) and a choice of answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; enter answers, escape cancels (None)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="prompt")
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-body"):
            yield Static(Content(self.question), classes="prompt-question")
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(Content.styled("enter confirms · escape cancels", "dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def on_key(self, event: Key) -> None:
        # Keys typed before the field has focus (typed fast, or pasted) are still its text.
        field = self.query_one(Input)
        if field.has_focus:
            return
        if event.key == "enter":
            event.stop()
            self.dismiss(field.value.strip() or None)
        elif event.is_printable and event.character is not None:
            event.stop()
            field.insert_text_at_cursor(event.character)


class Choice(ModalScreen[str | None]):
    """Ask the user to pick one of a few answers, each with its own key."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, message: str, answers: list[tuple[str, str, str]]) -> None:
        """`answers`: (key, id, label) per answer; the key picks it without the mouse."""
        super().__init__(classes="prompt")
        self.title_text = title
        self.message = message
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt-body choice-body"):
            yield Static(Content.styled(self.title_text, "bold"), classes="prompt-question")
            yield Static(Content(self.message))
            with Horizontal(classes="choice-buttons"):
                for key, answer, label in self.answers:
                    yield Button(Content(f"{label} ({key})"), id=f"answer-{answer}")

    def on_key(self, event: Key) -> None:
        for key, answer, _label in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(answer)
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer = (event.button.id or "").removeprefix("answer-")
        self.dismiss(answer or None)
