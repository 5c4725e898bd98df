"""The editor's field widget: Textual's TextArea, drawn safely. Loaded only once the editor's
first screen is drawn (TextArea is not needed for it)."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets import TextArea

from canvas_tui.ui.fields import safe_strip


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
