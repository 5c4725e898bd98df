"""The key pipeline: every key lands, in the order it was typed.

How a key travels (see docs/ARCHITECTURE.md for the whole path to disk):

1. The terminal's bytes become `Key` and `Paste` events, queued on the app in arrival order.
2. `InOrderKeys.on_event` (below) takes each one off that queue. If the active screen has a
   text field open (it implements `TakesKeys` and its `take_key` says so), the key edits
   that field now: letters are typed, enter commits, escape cancels.
3. Otherwise Textual's own bindings run it: every binding of canvas-tui's screens is a
   *priority* binding, which Textual runs on the app's queue as the key arrives, with the
   user's keymap applied (`App.set_keymap`).

Why step 2 exists, and is the one place that uses Textual beyond its public API: Textual hands
a key that no priority binding takes to the focused widget's own queue, and moves focus only
between messages. In a burst ("a", some text, enter, "a", more text: a fast typist, a paste, a
laggy SSH link), the text would still be on its way to a field when enter (a binding) closes
it, or the next "a" would run before the field has its text. Typing into the field at the
moment the app takes the key keeps one order for everything. It overrides `App.on_event`, an
internal dispatcher, so CI runs the tests against the newest Textual release that
pyproject's range allows (`pip install` picks it), and this module is all that would change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.app import App
from textual.binding import Binding, BindingType
from textual.events import Event, Key, Paste
from textual.widgets import Input

from canvas_tui.actions import Action

if TYPE_CHECKING:
    # Only named here: the editor's text field (and its module) is loaded after the first
    # screen is drawn.
    from textual.widgets import TextArea

# Keys that still reach Textual's bindings while a field is open: quitting commits the field.
PASS_THROUGH = frozenset({"ctrl+q"})


@runtime_checkable
class TakesKeys(Protocol):
    """A screen that may have a text field open: it gets every key first."""

    async def take_key(self, event: Key | Paste) -> bool:
        """Handle `event` now if a field of this screen is open; True if it was taken."""
        ...


class InOrderKeys(App[None]):
    """The app side of the pipeline: keys go to the active screen's field first."""

    async def on_event(self, event: Event) -> None:
        if isinstance(event, (Key, Paste)) and not event.is_forwarded:
            for key in _split_alt(event):
                screen = self.screen
                if isinstance(screen, TakesKeys) and await screen.take_key(key):
                    continue
                if isinstance(key, Paste) and await _paste_into_palette(screen, key):
                    continue
                await super().on_event(key)
            return
        await super().on_event(event)


def _split_alt(event: Key | Paste) -> list[Key | Paste]:
    """escape typed fast before a letter reaches the app as one "alt+letter" (terminals send
    alt as ESC): canvas-tui binds no alt keys, so it is taken as the two keys typed."""
    if (
        isinstance(event, Key)
        and event.key.startswith("alt+")
        and event.character is not None
        and event.character.isprintable()
    ):
        return [Key("escape", "\x1b"), Key(event.key.removeprefix("alt+"), event.character)]
    return [event]


async def _paste_into_palette(screen: object, event: Paste) -> bool:
    """Textual's command palette: a paste goes into its search field."""
    from textual.command import CommandPalette

    if not isinstance(screen, CommandPalette):
        return False
    field = screen.query_one(Input)
    field.insert_text_at_cursor(one_line(event.text))
    return True


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
    special = (keys or {}).get(event.key)
    if special is not None:
        special()
    elif event.key == "enter":
        submit()
    elif event.key == "escape":
        cancel()
    elif event.is_printable and event.character is not None:
        type_text(field, event.character)
    elif (action := _edit_action(field, event)) is not None:
        await field.run_action(action)
    else:
        return event.key not in PASS_THROUGH
    return True


def priority_bindings(actions: tuple[Action, ...]) -> list[BindingType]:
    """The bindings of an action table: priority bindings, so that Textual runs each as its
    key arrives (see ui/pipeline.py), with the action id as the binding id (for keymaps)."""
    return [
        Binding(
            ",".join(a.keys),
            a.method,
            a.bar or a.description,
            show=bool(a.bar),
            priority=True,
            tooltip=a.description,
            id=a.id,
        )
        for a in actions
    ]
