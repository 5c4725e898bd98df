"""The terminal from the first moment of an editor start: raw mode at once, the alternate
screen and a painted canvas soon after, and the way back on every path. Standard library only:
this runs before anything slow is imported.

Raw mode first: from then on, keys typed wait uncooked in the kernel's buffer (enter stays
enter, nothing is echoed onto the shell's screen) until Textual's input thread reads them,
in order. The settings the terminal had before (`attrs_before`) are what Textual's driver
restores at the end, and what `restore` puts back on any path Textual never reached.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[?7l"  # alternate screen, no cursor, no autowrap
# Everything the pre-paint or Textual may have turned on, turned off: Kitty keys, mouse,
# focus events, bracketed paste; autowrap and the cursor back; the shell's screen back.
LEAVE_SCREEN = (
    "\x1b[<u\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1004l\x1b[?2004l"
    "\x1b[?7h\x1b[?25h\x1b[?1049l"
)
SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT")
OFF_VARIABLE = "CANVAS_TUI_NO_PREPAINT"

Handler = Callable[[int, FrameType | None], Any] | int | None


def why_not(environ: Mapping[str, str] = os.environ) -> str | None:
    """Why this process may not pre-paint (None: it may): it needs a real terminal on stdin,
    stdout and stderr, in the foreground, and Textual's own Linux driver."""
    if sys.platform == "win32":
        return "Windows"
    if environ.get("TEXTUAL_DRIVER"):
        return "TEXTUAL_DRIVER is set"
    if environ.get(OFF_VARIABLE):
        return f"{OFF_VARIABLE} is set"
    try:
        # Textual draws on stderr, the pre-paint on stdout: both must be the terminal.
        if not (os.isatty(0) and os.isatty(1) and os.isatty(2)):
            return "stdin, stdout or stderr is not a terminal"
        if os.tcgetpgrp(0) != os.getpgrp():
            return "started in the background"
    except OSError:
        return "no terminal"
    return None


class EarlyTerminal:
    """The terminal in raw mode from process start, until Textual takes it over."""

    def __init__(self, fd: int, attrs_before: list[Any]) -> None:
        self.fd = fd
        self.attrs_before = attrs_before
        self.painted = False  # the alternate screen is on, with the canvas
        self.handed_over = False  # Textual's driver has started on this screen
        self.restored = False
        self.typed = ""  # keys typed before raw mode, for the app to read first
        self._handlers: dict[int, Handler] = {}

    @classmethod
    def begin(cls) -> EarlyTerminal | None:
        """Raw mode now, if this process may pre-paint; None otherwise (or on any error)."""
        if why_not() is not None:
            return None
        import termios

        try:
            before = termios.tcgetattr(0)
            raw = termios.tcgetattr(0)
        except termios.error:
            return None
        early = cls(0, before)
        # Exactly the flags Textual's driver changes (`LinuxDriver._patch_lflag/_iflag`).
        isig = 0 if os.environ.get("TEXTUAL_ALLOW_SIGNALS") else termios.ISIG
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | isig)
        raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
        raw[6][termios.VMIN] = 1
        early._install_handlers()
        try:
            termios.tcsetattr(0, termios.TCSANOW, raw)
        except termios.error:
            early.restore()
            return None
        early.typed = _cooked_keys()
        return early

    def _install_handlers(self) -> None:
        for name in SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            with contextlib.suppress(OSError, ValueError):
                self._handlers[signum] = signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """A signal before the app could handle it: the terminal back, then as if we were
        never here (the handler that was in place runs, or the default action)."""
        self.painted = self.painted or self.handed_over  # leave whatever screen is up
        self.handed_over = False
        previous = self._handlers.get(signum, signal.SIG_DFL)
        self.restore()
        if callable(previous):
            previous(signum, frame)
        else:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    def write(self, text: str) -> None:
        data = text.encode("utf-8", "replace")
        while data:
            try:
                written = os.write(1, data)
            except InterruptedError:
                continue
            data = data[written:]

    def paint(self, frame: str) -> None:
        """The alternate screen, with `frame` (a full screen of text and SGR codes) on it."""
        self.painted = True
        self.write(ENTER_SCREEN + frame)

    def restore(self) -> None:
        """The terminal as it was: settings, screen, cursor, autowrap, bracketed paste and
        signal handlers. Once Textual has taken the screen over, it restores the screen
        itself (and prints after that): only the settings and handlers are put back here.
        Keys typed meanwhile are dropped, never left for the shell to run."""
        if self.restored:
            return
        self.restored = True
        import termios

        if self.painted and not self.handed_over:
            with contextlib.suppress(OSError):
                self.write(LEAVE_SCREEN)
        with contextlib.suppress(termios.error, OSError):
            if not self.handed_over:
                termios.tcflush(self.fd, termios.TCIFLUSH)
            termios.tcsetattr(self.fd, termios.TCSANOW, self.attrs_before)
        for signum, handler in self._handlers.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._handlers.clear()


def _cooked_keys() -> str:
    """The keys typed before raw mode (while Python started), taken out of the terminal's
    buffer: the terminal turned each enter into a line feed (ctrl+j), turned back here."""
    import fcntl
    import struct
    import termios

    try:
        count = struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"\0\0\0\0"))[0]
        data = os.read(0, count) if count > 0 else b""
    except OSError:
        return ""
    return data.decode("utf-8", "replace").replace("\n", "\r")
