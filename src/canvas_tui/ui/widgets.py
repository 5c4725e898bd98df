"""Small widgets of the editor: the title bar, the status bar and the key bar.

Each is one line; what does not fit ends in "…", so a label cut short reads as cut.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.events import Click
from textual.widget import Widget
from textual.widgets import Static


class StatusBar(Static):
    """One line above the footer: save state on the left, search and mode on the right."""

    DEFAULT_CSS = """
    StatusBar {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="status")
        self.save_text = ""
        self.save_style = ""
        self.mode_text = ""

    def set_save(self, text: str, style: str = "") -> None:
        if (text, style) != (self.save_text, self.save_style):
            self.save_text, self.save_style = text, style
            self._redraw()

    def set_mode(self, text: str) -> None:
        if text != self.mode_text:  # most keys change nothing here: draw nothing
            self.mode_text = text
            self._redraw()

    def _redraw(self) -> None:
        content = Content.assemble(
            (self.save_text, self.save_style),
            ("   " if self.save_text and self.mode_text else "", ""),
            (self.mode_text, "bold"),
        )
        self.update(content, layout=False)  # one line, always


class KeyBar(Widget):
    """The editor's footer: the keys that apply now, drawn at once from the key table.

    Textual's Footer builds a widget per key after the bindings settle, which delays the
    first full screen by a quarter of a second; this is one line of text. Disabled keys
    (read-only) are shown dimmed; a click on a key runs it.
    """

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $panel;
        color: $text;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    KeyBar > .keybar--key {
        color: $accent;
        text-style: bold;
    }
    KeyBar > .keybar--disabled {
        color: $text-disabled;
    }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: list[tuple[str, str, str, bool]] = []  # (key, label, action, enabled)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, action) for clicks

    def show_keys(self, keys: list[tuple[str, str, str, bool]]) -> None:
        if keys != self.keys:
            self.keys = keys
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        disabled = self.get_component_rich_style("keybar--disabled")
        parts: list[tuple[str, Style] | str] = []
        self._spans = []
        position = 0
        for key, label, action, enabled in self.keys:
            chunk_key, chunk_label = f" {key} ", f"{label} "
            parts.append((chunk_key, key_style if enabled else disabled))
            parts.append((chunk_label, Style() if enabled else disabled))
            end = position + len(chunk_key) + len(chunk_label)
            if enabled:
                self._spans.append((position, end, action))
            position = end
        hint = " ^p palette "
        room = self.size.width - position - len(hint)
        if room > 0:
            parts.append(" " * room)
            parts.append((" ^p", key_style))
            parts.append(" palette ")
        return Text.assemble(*parts, no_wrap=True, overflow="ellipsis")

    async def on_click(self, event: Click) -> None:
        for start, end, action in self._spans:
            if start <= event.x < end:
                if action:
                    await self.screen.run_action(action)
                return
        if event.x >= self.size.width - len(" ^p palette "):
            self.app.action_command_palette()


class TitleBar(Static):
    """The editor's header: the canvas title and its name (and "read-only"), one line.

    A plain line instead of Textual's Header, whose four widgets cost the editor a tenth
    of its start-up time. The text is untrusted: it is shown as data, never as markup.
    """

    DEFAULT_CSS = """
    TitleBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
        text-align: center;
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def set_title(self, title: str, sub_title: str) -> None:
        content = Content.assemble((title, "bold"), (" — ", "dim"), (sub_title, "dim"))
        self.update(content, layout=False)

    def on_click(self) -> None:
        self.app.action_command_palette()
