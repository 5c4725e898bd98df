"""The key interception: every key lands, in the order it was typed.

How a key travels (see docs/ARCHITECTURE.md for the whole path to disk):

1. The terminal's bytes become `Key` and `Paste` events, queued on the app in arrival order.
2. `InOrderKeys.on_event` (below) takes each one off that queue. If the active screen has a
   text field open (it implements `TakesKeys` and its `take_key` says so), the key edits
   that field now (`ui/fields.py` `feed`): letters are typed, enter commits, escape cancels.
3. Otherwise Textual's own bindings run it: every binding of canvas-tui's screens is a
   *priority* binding (`ui/bindings.py`), which Textual runs on the app's queue as the key
   arrives, with the user's keymap applied (`App.set_keymap`).

Keys that arrive before a screen's first layout (typed the moment the program starts, or
right after the key that opened the screen) wait, in order, until it has a size
(`HoldsKeys`): a field is never placed on a screen that has none (and the canvas browser's
keys wait for its first listing: enter opens a canvas of the list). They are then taken in one
go, and what each key asks to run next (`call_next`: a dialog's answer) runs before the key
after it, as Textual does after each message.

Two terminal habits are undone on the way in: an escape typed fast before a key is read by
Textual's parser as one sequence (see `EscapeFirstParser`), and enter typed before the
terminal is in raw mode arrives as ctrl+j (a line feed): it is taken as enter.

Why step 2 exists, and is the one place that uses Textual beyond its public API: Textual
handles a key typed into a text field and a key bound to an action on different paths. A
printable key goes to the focused widget's own queue (its `_on_key` types it), a bound key
runs its action where the binding is found, and focus moves only between messages; under
fast input the two are applied out of order. Upstream this is
https://github.com/Textualize/textual/issues/6605 (open: "Input/Textarea action
synchronization bug", backspace typed in a burst lands anywhere in the text). Here the same
race also closes fields early: in a burst ("a", some text, enter, "a", more text: a fast
typist, a paste, a laggy SSH link) the text would still be on its way to a field when enter
(a binding) closes it, or the next "a" would run before the field has its text. Typing into
the field at the moment the app takes the key keeps one order for everything. It overrides
`App.on_event`, an internal dispatcher (and runs the app's `_next_callbacks` between keys
taken in one go), so CI runs the tests against the newest Textual release that pyproject's
range allows (`pip install` picks it), and this module is all that would change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.events import Event, Key, Paste
from textual.keys import _character_to_key
from textual.widgets import Input

from canvas_tui.ui.fields import one_line, typed_character

# Keys that always go to the app's bindings, never to a field: ctrl+z suspends (`fg` returns),
# as in every terminal program.
TERMINAL_KEYS = frozenset({"ctrl+z"})


@runtime_checkable
class TakesKeys(Protocol):
    """A screen that may have a text field open: it gets every key first."""

    async def take_key(self, event: Key | Paste) -> bool:
        """Handle `event` now if a field of this screen is open; True if it was taken."""
        ...


@runtime_checkable
class HoldsKeys(Protocol):
    """A screen that cannot take keys yet (before its first layout: its field needs a size)."""

    def hold_keys(self, release: Callable[[], Awaitable[None]]) -> bool:
        """True if keys must wait: `release` is then called on the app once they may go."""
        ...


class InOrderKeys(App[None]):
    """The app side of the interception: keys go to the active screen's field first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_escape_first_parser()
        # Keys waiting for a screen's first layout, and that screen (None: none wait).
        self._held: list[Key | Paste] | None = None
        self._held_for: object = None

    async def on_event(self, event: Event) -> None:
        if isinstance(event, (Key, Paste)) and not event.is_forwarded:
            if self._held is not None and self._held_for is self.screen:
                self._held.append(event)  # keys before it wait: this one too, after them
                return
            await self._take_in_order([*self._release_held(), event])
            return
        await super().on_event(event)

    def _release_held(self) -> list[Key | Paste]:
        held, self._held, self._held_for = self._held or [], None, None
        return held

    async def _release(self) -> None:
        """The screen the keys waited for is laid out: they go now, in order."""
        await self._take_in_order(self._release_held())

    async def _take_in_order(self, keys: list[Key | Paste]) -> None:
        for index, event in enumerate(keys):
            screen = self.screen
            if isinstance(screen, HoldsKeys) and screen.hold_keys(self._release):
                self._held, self._held_for = keys[index:], screen
                return
            for key in as_typed(event):
                await self._take(key)
                # What a key asked to run next (a dialog's answer: the move `m 3` asks for)
                # runs before the next key, as after a key of its own message.
                if self._next_callbacks:
                    await self._flush_next_callbacks()

    async def _take(self, key: Key | Paste) -> None:
        screen = self.screen
        if not (isinstance(key, Key) and key.key in TERMINAL_KEYS):
            if isinstance(screen, TakesKeys) and await screen.take_key(key):
                return
            if isinstance(key, Paste) and await _paste_into_palette(screen, key):
                return
        await super().on_event(key)


def as_typed(event: Key | Paste) -> list[Key | Paste]:
    """The keys the person typed, where the terminal merged or changed them.

    escape typed fast before a key can reach the app as one "alt+key" (terminals send alt as
    ESC): canvas-tui binds no alt keys, so it is taken as the two keys typed. ctrl+j is a
    line feed, which is what enter sends before the terminal is in raw mode: it is enter.
    """
    if not isinstance(event, Key):
        return [event]
    if event.key == "ctrl+j":
        return [Key("enter", "\r")]
    character = event.character
    alt = event.key.startswith("alt+") and character is not None and len(character) == 1
    if alt and character is not None and typed_character(character) is not None:
        return [Key("escape", "\x1b"), Key(_character_to_key(character), character)]
    return [event]


# The first characters of the escape sequences terminals send (CSI, SS3, DCS, OSC, APC, ST).
SEQUENCE_INTRODUCERS = frozenset("[OP]_\\")


class EscapeFirstParser(XTermParser):
    """Textual's parser of terminal input, except that escape followed by a key that cannot
    start an escape sequence is escape, then that key, at once.

    Textual's parser joins an escape with whatever follows within `ESCDELAY` (100 ms) and
    keeps reading while the characters might still make a sequence: "escape, a, second,
    enter" typed fast became one unknown sequence, given up on after 32 characters and
    reissued with the escape as "^" typed into the field. Here the sequence ends at its
    second character unless that character introduces one (ESC [ …, ESC O x), and an
    "ESC O x" that names no key is escape, O, x. Terminals that send alt+key as ESC and
    the key (and iTerm's option+arrows as ESC b / ESC f) reach canvas-tui as escape, then
    the key: canvas-tui binds no alt keys.
    """

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[Key]:
        if _escape_then_keys(sequence):
            yield Key("escape", "\x1b")
            for character in sequence[1:]:
                yield from super()._sequence_to_key_events(character)
            return
        yield from super()._sequence_to_key_events(sequence, alt)


def _escape_then_keys(sequence: str) -> bool:
    if len(sequence) < 2 or sequence[0] != "\x1b" or sequence[1] == "\x1b":
        return False
    if sequence[1] not in SEQUENCE_INTRODUCERS:
        return len(sequence) == 2
    if sequence[1] == "O" and len(sequence) == 3:  # SS3: one character names the key
        return sequence not in ANSI_SEQUENCES_KEYS
    return False


def use_escape_first_parser() -> None:
    """Make Textual's terminal driver read keys with `EscapeFirstParser`."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # Windows: its driver reads key events, not bytes
        return
    linux_driver.XTermParser = EscapeFirstParser  # type: ignore[attr-defined]


async def _paste_into_palette(screen: object, event: Paste) -> bool:
    """Textual's command palette: a paste goes into its search field."""
    from textual.command import CommandPalette

    if not isinstance(screen, CommandPalette):
        return False
    field = screen.query_one(Input)
    field.insert_text_at_cursor(one_line(event.text))
    return True
