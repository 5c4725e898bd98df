"""Start a program in a real pseudo-terminal and time it to its first full screen.

The child gets a fresh session with the pty as its controlling terminal, sized 120x40 with
TERM=xterm-256color. Its output is read until every marker string appears in the text (escape
sequences stripped); the time from just before the spawn to that read is the measurement.
Peak memory is the child's VmHWM from /proc, read shortly after the first full screen.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

COLUMNS, ROWS = 120, 40
BARE_MARKER = "bare textual app is ready"
BARE_APP = f'''"""A bare Textual app: one Static. The benchmark's yardstick."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARKER}")


if __name__ == "__main__":
    BareApp().run()
'''

# CSI, OSC, charset selection and two-byte escapes: what a terminal would not print.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[ -~]"
)


class MarkerTimeout(Exception):
    """The child did not draw its first full screen in time."""


@dataclass(frozen=True, slots=True)
class Launch:
    seconds: float  # spawn to first full screen: every marker seen
    marks: dict[str, float]  # spawn to the first sight of each marker
    peak_rss_kib: int | None  # VmHWM, if it could be read


def write_bare_app(folder: Path) -> Path:
    script = folder / "bare_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    return script


def visible_text(output: bytes) -> str:
    return _ESCAPES.sub(b"", output).decode("utf-8", errors="replace")


def _make_controlling_tty() -> None:  # runs in the child, after setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _read_some(master: int, timeout: float) -> bytes | None:
    """Up to 64 KiB of output; b"" on timeout; None once the child closed the pty."""
    ready, _, _ = select.select([master], [], [], max(timeout, 0.0))
    if not ready:
        return b""
    try:
        return os.read(master, 65536) or None
    except OSError:  # EIO: no process has the pty open any more
        return None


def _peak_rss_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _drain(master: int, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        if _read_some(master, min(left, 0.05)) is None:
            return


def _stop(process: subprocess.Popen[bytes], master: int) -> None:
    """SIGTERM, then SIGKILL to the child's whole process group; always reaps it."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        deadline = time.perf_counter() + 3.0
        while process.poll() is None and time.perf_counter() < deadline:
            _drain(master, 0.05)  # let it restore the terminal without blocking on a full pty
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the group id is its pid
    process.wait(timeout=10)


def launch(
    argv: Sequence[str],
    markers: Sequence[str],
    *,
    timeout: float = 30.0,
    settle: float = 0.5,
    cwd: Path | None = None,
) -> Launch:
    """Run `argv` in a 120x40 pty until all `markers` are on screen; then stop it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    output = b""
    marks: dict[str, float] = {}
    process: subprocess.Popen[bytes] | None = None
    try:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_make_controlling_tty,  # the runner has no threads
        )
        os.close(slave)
        slave = -1
        deadline = start + timeout
        while True:
            chunk = _read_some(master, deadline - time.perf_counter())
            now = time.perf_counter()
            if chunk is None:
                raise MarkerTimeout(_failure(argv, markers, output, "the program exited"))
            output += chunk
            if chunk:
                text = visible_text(output)
                for marker in markers:
                    if marker not in marks and marker in text:
                        marks[marker] = now - start
                if len(marks) == len(markers):
                    break
            if now >= deadline:
                raise MarkerTimeout(_failure(argv, markers, output, f"{timeout:.0f} s passed"))
        seconds = now - start
        _drain(master, settle)
        return Launch(seconds, marks, _peak_rss_kib(process.pid))
    finally:
        if slave >= 0:
            os.close(slave)
        if process is not None:
            _stop(process, master)
        os.close(master)


def _failure(argv: Sequence[str], markers: Sequence[str], output: bytes, why: str) -> str:
    text = visible_text(output)
    missing = [marker for marker in markers if marker not in text]
    return (
        f"{' '.join(argv)}: {why} before the first full screen (missing {missing!r}).\n"
        f"last 500 bytes of output: {output[-500:]!r}"
    )
