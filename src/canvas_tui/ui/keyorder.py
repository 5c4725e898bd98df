"""Keys in the order they were typed.

Textual hands each key to the focused widget as it arrives, but runs bindings only after the
key has travelled back up the DOM, and moves focus only after the keys already queued. In a
burst ("a", some text, enter, "a", more text: a fast typist, a paste, a laggy SSH link) the
letters would run as commands or land in the wrong field. So the app gives every key to the
active screen's `key_now` first (see `CanvasApp.on_event`), and the screens use these helpers
to run their bindings, or type into their open text field, one key after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual.binding import Binding, BindingType
from textual.events import Key, Paste
from textual.widgets import Input

# Quitting works while typing (it commits the field first); other keys that are neither text
# nor editing keys do nothing while a field is open.
PASS_THROUGH_KEYS = frozenset({"ctrl+q"})


def binding_actions(bindings: Iterable[BindingType]) -> dict[str, str]:
    """Key name → action, for each key of each binding."""
    return {
        key.strip(): binding.action
        for binding in bindings
        if isinstance(binding, Binding)
        for key in binding.key.split(",")
    }


FIELD_ACTIONS = binding_actions(Input.BINDINGS)  # Input's own editing keys


def type_into(field: Input, text: str) -> None:
    selection = field.selection
    if selection.is_empty:
        field.insert_text_at_cursor(text)
    else:
        field.replace(text, *selection)


async def field_key(
    field: Input,
    event: Key | Paste,
    *,
    submit: Callable[[], object],
    cancel: Callable[[], object],
) -> bool:
    """Apply a key or paste to an open text field, now; True if it was taken."""
    if isinstance(event, Paste):
        lines = event.text.splitlines()
        if lines:
            type_into(field, lines[0])
        return True
    if event.key == "enter":
        submit()
    elif event.key == "escape":
        cancel()
    elif event.is_printable and event.character is not None:
        type_into(field, event.character)
    elif event.key in FIELD_ACTIONS:
        await field.run_action(FIELD_ACTIONS[event.key])
    else:
        return event.key not in PASS_THROUGH_KEYS
    return True


def action_for(event: Key, actions: dict[str, str]) -> str | None:
    """The action bound to the key of `event` (by any of its names), if any."""
    return next((actions[name] for name in event.aliases if name in actions), None)
