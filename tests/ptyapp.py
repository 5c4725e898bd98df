"""Run canvas-tui in a real pseudo-terminal, as a person's terminal would: for the tests that
kill it, hang it up or time it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

READY = b"Quit"  # the footer's last key: the editor is on screen


class PtyApp:
    def __init__(self, *args: str, cols: int = 120, rows: int = 40) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
        env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: become canvas-tui
            os.execve(sys.executable, [sys.executable, "-m", "canvas_tui", *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = bytearray()
        self._lock = threading.Lock()
        self.status: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output.extend(chunk)

    def wait_for(self, marker: bytes, timeout: float = 20.0, start: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if marker in self.output[start:]:
                    return
            if self.poll() is not None:
                break
            time.sleep(0.02)
        with self._lock:
            tail = bytes(self.output[-600:])
        raise AssertionError(f"{marker!r} did not appear; last output: {tail!r}")

    def mark(self) -> int:
        with self._lock:
            return len(self.output)

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

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
            time.sleep(0.02)
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
        with contextlib.suppress(OSError):
            os.close(self.fd)


def editor(data_dir: Path, name: str, **size: int) -> PtyApp:
    app = PtyApp("--data-dir", str(data_dir), name, **size)
    app.wait_for(READY)
    return app
