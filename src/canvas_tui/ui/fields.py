"""The text fields: a one-line field for prompts and the browser's filter, and the item field
of the editor, which wraps as you type over the item it edits.

Their text is untrusted (an item from a file that travelled, a paste): both draw it through
`safetext.visible`, so a control character shows as a placeholder and never reaches the
terminal, while the value itself stays exactly as typed or read. Their keys come from the
key pipeline (`ui/pipeline.py`), never straight from the terminal.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

from canvas_tui.safetext import has_unsafe, visible


def safe_strip(strip: Strip) -> Strip:
    """`strip` with each control character drawn as a visible placeholder (same width)."""
    if not any(has_unsafe(segment.text) for segment in strip):
        return strip
    width = strip.cell_length
    segments = [Segment(visible(s.text), s.style, s.control) for s in strip]
    return Strip(segments).crop(0, width)


class SafeInput(Input):
    """Textual's Input, drawing control characters as placeholders."""

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))


class ItemField(TextArea):
    """The editor's field for an item, the title or a search: Textual's TextArea, soft
    wrapped, drawn over what it edits. enter saves and escape cancels (see the editor);
    several pasted lines stay lines here and become one item each when saved."""

    DEFAULT_CSS = """
    ItemField {
        border: none;
        padding: 0;
        height: 1;
        min-height: 1;
        background: $boost;
        scrollbar-size: 0 0;
    }
    ItemField:focus {
        border: none;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            compact=True,
            highlight_cursor_line=False,
            id=id,
        )

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))

    @property
    def wrapped_height(self) -> int:
        """How many lines the text takes at the field's width."""
        return max(1, self.wrapped_document.height)
