"""Small modal questions (each a `Dialog`): a line of text (tags, rename), a new canvas's
title and template, and a choice of answers.

Their keys come through the key interception (`ui/keyorder.py`): the text field gets every key the
moment it arrives (`take_key`), so a title typed right after the key that opened the prompt
lands in the field, whole and in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Key, Paste
from textual.widgets import Button, Static

from canvas_tui.template import Template
from canvas_tui.ui.dialog import Dialog
from canvas_tui.ui.fields import SafeInput, feed


class TextPrompt(Dialog[str]):
    """Ask for one line of text; enter answers, escape cancels (None)."""

    BODY_CLASSES, FOCUS = "prompt-body", "#prompt-input"

    def __init__(
        self,
        question: str,
        value: str = "",
        placeholder: str = "",
        *,
        allow_empty: bool = False,
    ) -> None:
        super().__init__(classes="prompt")
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.allow_empty = allow_empty

    def compose_body(self) -> ComposeResult:
        yield Static(Content(self.question), classes="prompt-question")
        yield from self.compose_extra()
        yield SafeInput(value=self.value, placeholder=self.placeholder, id="prompt-input")
        yield Static(Content.styled(self.hint, "dim"), id="prompt-hint")

    def compose_extra(self) -> ComposeResult:
        yield from ()

    @property
    def hint(self) -> str:
        return "enter confirms · escape cancels"

    def on_mount(self) -> None:
        field = self.query_one(SafeInput)  # focused by `Dialog` (FOCUS)
        field.cursor_position = len(field.value)

    async def take_key(self, event: Key | Paste) -> bool:
        return await feed(
            self.query_one(SafeInput),
            event,
            submit=self.submit,
            cancel=self.action_close,
            keys=self.extra_keys(),
        )

    def extra_keys(self) -> dict[str, Callable[[], object]]:
        return {}

    def answer(self) -> str | None:
        text = " ".join(self.query_one(SafeInput).value.split())
        return text if text or self.allow_empty else None

    def submit(self) -> None:
        self.dismiss(self.answer())


class NewCanvasPrompt(Dialog[tuple[str, str]]):
    """`n` in the browser: the new canvas's title, and its template (tab switches)."""

    BODY_CLASSES, FOCUS = "prompt-body", "#prompt-input"

    def __init__(self, templates: list[Template]) -> None:
        super().__init__(classes="prompt")
        self.templates = templates
        self.choice = 0

    def compose_body(self) -> ComposeResult:
        yield Static(Content("Title of the new canvas:"), classes="prompt-question")
        yield SafeInput(placeholder="Acme", id="prompt-input")
        if len(self.templates) > 1:
            yield Static(self._choices(), id="prompt-templates")
        hint = "enter creates · escape cancels"
        if len(self.templates) > 1:
            hint = f"tab switches the template · {hint}"
        yield Static(Content.styled(hint, "dim"))

    def _choices(self) -> Content:
        parts: list[tuple[str, str] | str] = ["Template: "]
        for index, template in enumerate(self.templates):
            mark = "(•)" if index == self.choice else "( )"
            parts.append((f"{mark} {template.title}", "bold" if index == self.choice else "dim"))
            parts.append("  ")
        return Content.assemble(*parts)

    def _switch(self, delta: int) -> None:
        self.choice = (self.choice + delta) % len(self.templates)
        if len(self.templates) > 1:
            self.query_one("#prompt-templates", Static).update(self._choices())

    async def take_key(self, event: Key | Paste) -> bool:
        return await feed(
            self.query_one(SafeInput),
            event,
            submit=self.submit,
            cancel=self.action_close,
            keys={"tab": lambda: self._switch(1), "shift+tab": lambda: self._switch(-1)},
        )

    def submit(self) -> None:
        title = " ".join(self.query_one(SafeInput).value.split())
        self.dismiss((title, self.templates[self.choice].id) if title else None)


class Choice(Dialog[str]):
    """Ask the user to pick one of a few answers, each with its own key.

    Only keys typed once the question is on screen answer it: a question that comes up while
    someone is typing (a canvas open elsewhere, a file changed on disk) is not answered by
    the letters of their sentence. Other printable keys are not taken silently: the first
    one says which keys answer.
    """

    BODY_CLASSES = "prompt-body choice-body"

    def __init__(self, title: str, message: str, answers: list[tuple[str, str, str]]) -> None:
        """`answers`: (key, id, label) per answer; the key picks it without the mouse;
        escape cancels (None)."""
        super().__init__(classes="prompt")
        self.title_text = title
        self.message = message
        self.answers = answers
        # When the question came up, on the clock of key events (Textual's: monotonic). A
        # key made before was typed before anyone could see the question.
        self.asked_at = time.monotonic()
        self._told = False

    async def take_key(self, event: Key | Paste) -> bool:
        """An answer's key picks it, escape cancels, in the order typed; keys typed before
        the question was shown are dropped; other keys (tab, enter on a button) go on to
        the buttons."""
        if isinstance(event, Paste):
            return True
        if event.time < self.asked_at:
            return True  # typed before the question came up: not an answer
        if event.key == "escape":
            self.action_close()
            return True
        for key, answer, _label in self.answers:
            if event.key == key:
                self.dismiss(answer)
                return True
        if event.is_printable and not self._told:
            self._told = True
            keys = [f"{key}: {label}" for key, _answer, label in self.answers]
            if "escape" not in (key for key, _answer, _label in self.answers):
                keys.append("escape: cancel")
            self.notify(" · ".join(keys), title=self.title_text, markup=False)
        return not event.key.startswith(("tab", "shift+tab", "enter", "left", "right", "space"))

    def compose_body(self) -> ComposeResult:
        yield Static(Content.styled(self.title_text, "bold"), classes="prompt-question")
        yield Static(Content(self.message))
        with Horizontal(classes="choice-buttons"):
            for key, answer, label in self.answers:
                yield Button(Content(f"{label} ({key})"), id=f"answer-{answer}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        answer = (event.button.id or "").removeprefix("answer-")
        self.dismiss(answer or None)
