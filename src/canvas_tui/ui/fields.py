"""What every text field shares: the one-line field of prompts and the browser's filter, the
safe drawing of untrusted text, and how a key or a paste edits a field (`feed`).

Their text is untrusted (an item from a file that travelled, a paste): fields draw it through
`safetext.visible`, so a control character shows as a placeholder and never reaches the
terminal, while the value itself stays exactly as typed or read. Their keys come from the key
interception (`ui/keyorder.py`), never straight from the terminal: the screen that has a field
open hands each key to `feed`, which applies it at once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from textual.binding import Binding
from textual.events import Key, Paste
from textual.strip import Strip
from textual.widgets import Input

from canvas_tui.safetext import has_unsafe, visible

if TYPE_CHECKING:
    # Only named here: TextArea is loaded with the first field that uses it.
    from textual.widgets import TextArea

# Keys that still reach Textual's bindings while a field is open: quitting commits the field.
PASS_THROUGH = frozenset({"ctrl+q"})
# Characters a key may type although `str.isprintable` says no: all but control characters
# (C0, DEL, C1) and line breaks. The invisible ones are text too: the zero-width joiner of
# an emoji sequence, the non-joiner of Persian, direction marks, the soft hyphen, the
# no-break and ideographic spaces, private-use icons. They are drawn through
# `safetext.visible`; the value keeps them, as a paste does.
NOT_TYPED = frozenset({"Cc", "Cs", "Zl", "Zp"})


def safe_strip(strip: Strip) -> Strip:
    """`strip` with each control character drawn as a visible placeholder (same width)."""
    if not any(has_unsafe(segment.text) for segment in strip):
        return strip
    width = strip.cell_length
    segments = [Segment(visible(s.text), s.style, s.control) for s in strip]
    return Strip(segments).crop(0, width)


class SafeInput(Input):
    """Textual's Input, drawing control characters as placeholders, and never selecting its
    text when it gets focus: keys are typed into it as they arrive (`feed`), and its focus
    event can come after the first of them, which a selection would then replace as the
    next key is typed ("/bet" then "a" filtered on "a")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=False, **kwargs)

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))


def typed_character(character: str | None) -> str | None:
    """What a key with `character` types into a field (None: nothing)."""
    if character is None or not character:
        return None
    if any(unicodedata.category(c) in NOT_TYPED for c in character):
        return None
    return character


def one_line(text: str) -> str:
    """Pasted text for a one-line field: every run of white space (line breaks and tabs
    too) as one space."""
    words = " ".join(text.split())
    return (" " + words) if words and text[:1].isspace() else words


def type_text(field: Input | TextArea, text: str) -> None:
    """Type `text` at the cursor of `field`, replacing a selection."""
    if isinstance(field, Input):
        selection = field.selection
        if selection.is_empty:
            field.insert_text_at_cursor(text)
        else:
            field.replace(text, *selection)
    else:
        field.replace(text, *field.selection)


@cache
def _field_actions(widget_class: type[Input | TextArea]) -> dict[str, str]:
    """Key name → action for each of a text widget's own editing bindings."""
    return {
        key.strip(): binding.action
        for binding in widget_class.BINDINGS
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }


def _edit_action(field: Input | TextArea, event: Key) -> str | None:
    actions = _field_actions(type(field))
    return next((actions[name] for name in event.aliases if name in actions), None)


async def feed(
    field: Input | TextArea,
    event: Key | Paste,
    *,
    submit: Callable[[], object],
    cancel: Callable[[], object],
    paste: Callable[[str], object] | None = None,
    keys: dict[str, Callable[[], object]] | None = None,
) -> bool:
    """Apply a key or a paste to an open text field, now; True if it was taken.

    enter submits and escape cancels (unless `keys` maps them, or other keys, to something
    else); printable keys are typed; the field's own editing keys (backspace, arrows, home,
    ctrl+a …) run its binding at once. A paste goes to `paste` if given, else is typed with
    its lines joined by spaces. Keys that mean nothing in a field are swallowed, except
    `PASS_THROUGH`.
    """
    if isinstance(event, Paste):
        if paste is not None:
            paste(event.text)
        else:
            type_text(field, one_line(event.text))
        return True
    if event.key in PASS_THROUGH:
        return False
    special = (keys or {}).get(event.key)
    if special is not None:
        special()
    elif event.key == "enter":
        submit()
    elif event.key == "escape":
        cancel()
    elif (typed := typed_character(event.character)) is not None:
        type_text(field, typed)
    elif (action := _edit_action(field, event)) is not None:
        await field.run_action(action)
    return True
