"""Run canvas-tui in a real pseudo-terminal, as a person's terminal would: for the tests that
kill it, hang it up or time it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

READY = b"Quit"  # the key bar's last key: the editor is on screen
# What Textual's driver writes as it starts (focus reporting on), never the pre-paint: the
# editor is live once READY is drawn after it (the pre-painted canvas shows READY before that).
TEXTUAL_UP = b"\x1b[?1004h"
BROWSER_READY = b"Filter"  # in the browser's footer
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # a bracketed paste, as terminals send it


class PtyApp:
    def __init__(
        self, *args: str, cols: int = 120, rows: int = 40, env: dict[str, str] | None = None
    ) -> None:
        """`env`: variables set for the program on top of a colour terminal's."""
        base = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        base.pop("NO_COLOR", None)
        env = {**base, **(env or {})}
        pid, fd = pty.fork()
        if pid == 0:  # the child: become canvas-tui
            os.execve(sys.executable, [sys.executable, "-m", "canvas_tui", *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = bytearray()
        self.chunks: list[bytes] = []  # the output as it was read, piece by piece
        self._lock = threading.Lock()
        self.status: int | None = None
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Never block in read(): closing the terminal (hang_up) must not wait for a read in
        # progress, which would keep the terminal open until the app writes again.
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.02)
                if not ready:
                    continue
                chunk = os.read(self.fd, 65536)
            except (OSError, ValueError):
                return
            if not chunk:
                return
            self._received(chunk)

    def _received(self, chunk: bytes) -> None:
        """What the program wrote, as it was read (the reader thread's)."""
        with self._lock:
            self.output.extend(chunk)
            self.chunks.append(chunk)

    def _ended(self) -> bool:
        """Whether no more output will come: the program has exited and its last writes
        (still in the terminal's buffer when it exits) have been read."""
        return self.poll() is not None and not self._reader.is_alive()

    def wait_for(self, marker: bytes, timeout: float = 20.0, start: int = 0) -> None:
        if marker == READY and start == 0:  # the live editor's, not the pre-paint's
            self.wait_for(TEXTUAL_UP, timeout)
            with self._lock:
                start = self.output.find(TEXTUAL_UP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if marker in self.output[start:]:
                    return
            if self._ended():
                break
            time.sleep(0.02)  # the polling step, not a wait for anything
        with self._lock:
            tail = bytes(self.output[-600:])
        raise AssertionError(f"{marker!r} did not appear; last output: {tail!r}")

    def mark(self) -> int:
        with self._lock:
            return len(self.output)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def paste(self, text: str) -> None:
        """Paste `text` as a terminal does with bracketed paste on."""
        os.write(self.fd, (PASTE_START + text + PASTE_END).encode())

    def hang_up(self) -> None:
        """Close the terminal, as a dropped SSH link does: the kernel sends SIGHUP."""
        self._close_terminal()

    def _close_terminal(self) -> None:
        # The reader stops before its descriptor is closed: the kernel gives the number to
        # the next pty opened, and a reader still polling it would take that one's output.
        self._stop.set()
        self._reader.join()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
        self.fd = -1

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status

    def wait(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("canvas-tui did not exit")
            time.sleep(0.02)  # the polling step, not a wait for anything
        # The reader reaches the end of the output once the terminal has no writer left.
        self._reader.join(max(deadline - time.monotonic(), 1.0))
        assert self.status is not None
        return self.status

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            _, self.status = os.waitpid(self.pid, 0)

    def close(self) -> None:
        if self.poll() is None:
            self.kill()
        self._close_terminal()


def default_settings() -> list[object]:
    """A fresh terminal's settings: what the pty had before canvas-tui changed them."""
    master, slave = os.openpty()
    try:
        return termios.tcgetattr(slave)
    finally:
        os.close(master)
        os.close(slave)


def pty_editor(data_dir: Path, name: str, **size: int) -> PtyApp:
    """canvas-tui started on canvas `name` in a pty, once its editor is on screen."""
    app = PtyApp("--data-dir", str(data_dir), name, **size)
    app.wait_for(READY)
    return app
