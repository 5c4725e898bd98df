"""Textual's Linux driver, taking over the raw terminal of an early start (`terminal.py`) and
the screen the pre-paint switched and painted, if it painted one.

Two details of `LinuxDriver.start_application_mode` matter, and tests/app/test_start*.py pin
both: it sends the switch to the alternate screen as a write of its own (dropped here: VTE
terminals clear the screen on it, a blank flash), and it keeps the settings it restores at
the end in `attrs_before` (which it reads once the terminal is raw already: set here to the
settings from before the pre-paint).
"""

from __future__ import annotations

from typing import Any, Protocol

from textual import events
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from canvas_tui.ui.keyorder import EscapeFirstParser

ALT_SCREEN = "\x1b[?1049h"
FRAME_START = "\x1b[1;1H"


class Handover(Protocol):
    painted: bool  # the alternate screen is up, with a frame on it
    attrs_before: list[Any]
    typed: str  # keys typed before the pre-paint's raw mode, which took them out

    def taken(self) -> None:
        """Textual's driver starts on the painted screen."""

    def key_seen(self) -> None:
        """A key or paste reached the app before its first frame was written."""

    def first_frame(self, output: str) -> None:
        """The first write of a full frame."""


def handover_driver(handover: Handover) -> type[LinuxDriver]:
    """A `LinuxDriver` for an app started on the terminal (and screen) `handover` prepared."""

    class PrepaintedDriver(LinuxDriver):
        _starts = 0
        _framed = False

        def start_application_mode(self) -> None:
            first = self._starts == 0
            self._starts += 1
            self._skip_switch = first and handover.painted
            if first:
                handover.taken()
            super().start_application_mode()  # type: ignore[no-untyped-call]
            self._skip_switch = False
            if first:
                self.attrs_before = handover.attrs_before

        def write(self, data: str) -> None:
            if self._skip_switch and data == ALT_SCREEN:
                self._skip_switch = False  # the screen is up already: switching clears it
                return
            if not self._framed and FRAME_START in data:
                self._framed = True
                handover.first_frame(data)
            super().write(data)

        def run_input_thread(self) -> None:
            # The keys typed before raw mode came out of the terminal's buffer first: they
            # are read first, then the rest as Textual always does. The app's parser, as for
            # every other key: with Textual's, an escape typed then (then "a", an item...)
            # swallowed the keys after it.
            if handover.typed:
                parser = EscapeFirstParser()
                for event in parser.feed(handover.typed):
                    self.process_message(event)
                # They are all there is of them: an escape typed last is escape now, not
                # the start of a sequence whose rest never comes to this parser.
                for event in parser.feed(""):
                    self.process_message(event)
                handover.typed = ""
            super().run_input_thread()

        def process_message(self, message: Message) -> None:
            if not self._framed and isinstance(message, events.Key | events.Paste):
                handover.key_seen()
            super().process_message(message)

    return PrepaintedDriver
