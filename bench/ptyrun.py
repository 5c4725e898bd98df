"""Run a program in a real pseudo-terminal: time it to its first full screen, and time keys
to the screen they produce.

The child gets a fresh session with the pty as its controlling terminal, sized 120x40 with
TERM=xterm-256color. Start-up: its output is read until every marker string appears in the
text (escape sequences stripped); the time from just before the spawn to that read is the
measurement. Peak memory is the child's VmHWM from /proc, read shortly after the first full
screen.

Keys: `Screen` (screen.py) knows which character in which style is in each cell. A key's
time is from writing it to the pty to reading the output that makes the screen equal to the
screen that key leads to, learnt beforehand (see `Terminal.learn_cycle`). The output is read
with its arrival times and only then replayed into `Screen`, so the emulation never delays a
read.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from screen import COLUMNS, ROWS, Screen, Snapshot, visible_text

TEXTUAL_UP = b"\x1b[?1004h"  # written by Textual's driver as it starts
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
OPTIONS = 1000
OPTION_LIST_MARKERS = ("Option 1: an item", "Option 38: an item")  # its first and last rows
OPTION_LIST_APP = f'''"""A bare Textual app: an OptionList of {OPTIONS} options."""

from textual.app import App, ComposeResult
from textual.widgets import OptionList


class BareList(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList(*(f"Option {{n}}: an item of the list" for n in range(1, {OPTIONS + 1})))


if __name__ == "__main__":
    BareList().run()
'''


class MarkerTimeout(Exception):
    """The child did not draw its first full screen in time."""


class ScreenTimeout(Exception):
    """A key did not lead to the screen it should have."""


@dataclass(frozen=True, slots=True)
class Step:
    """Keys written at once; timed under `name` (None: not timed); `gap` seconds of rest
    after them (for work they start after the screen is drawn, such as an autosave)."""

    keys: bytes
    name: str | None = None
    gap: float = 0.0


@dataclass(frozen=True, slots=True)
class Launch:
    seconds: float  # spawn to first full screen: every marker seen
    marks: dict[str, float]  # spawn to the first sight of each marker
    peak_rss_kib: int | None  # VmHWM, if it could be read


def canvas_tui_command(python: str) -> list[str]:
    """How people start canvas-tui: the `canvas-tui` script pip put beside the venv's python,
    run by that python (as the bare app's script is); else `python -m canvas_tui`."""
    script = Path(python).parent / "canvas-tui"
    if script.is_file():
        return [python, str(script)]
    return [python, "-m", "canvas_tui"]


def write_script(folder: Path, name: str, source: str) -> Path:
    script = folder / name
    script.write_text(source, encoding="utf-8")
    return script


def write_bare_app(folder: Path) -> Path:
    return write_script(folder, "bare_app.py", BARE_APP)


def write_option_list_app(folder: Path) -> Path:
    return write_script(folder, "bare_option_list.py", OPTION_LIST_APP)


# -- a program in a pty --------------------------------------------------------------------


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


class Terminal:
    """A program running in a 120x40 pty, its output read as it comes."""

    def __init__(self, argv: Sequence[str], *, cwd: Path | None = None) -> None:
        self.argv = list(argv)
        self.output = b""
        self.screen = Screen()
        self._fed = 0  # how much of `output` the screen has seen
        master, slave = os.openpty()
        self.master = master
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        env.pop("NO_COLOR", None)
        env.pop("TEXTUAL", None)
        try:
            self.start = time.perf_counter()
            self.process = subprocess.Popen(
                self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                cwd=cwd,
                start_new_session=True,
                preexec_fn=_make_controlling_tty,  # the runner has no threads
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, timeout: float) -> tuple[float, bytes] | None:
        """(arrival time, bytes) of the next output; b"" on timeout; None once it exited."""
        chunk = _read_some(self.master, timeout)
        now = time.perf_counter()
        if chunk is None:
            return None
        self.output += chunk
        return now, chunk

    def wait_for(self, markers: Sequence[str], timeout: float = 30.0) -> Launch:
        """Read until every marker is in the output; times from the spawn."""
        marks: dict[str, float] = {}
        deadline = self.start + timeout
        while True:
            got = self.read(deadline - time.perf_counter())
            if got is None:
                raise MarkerTimeout(self._failure(markers, "the program exited"))
            now, chunk = got
            if chunk:
                text = visible_text(self.output)
                for marker in markers:
                    if marker not in marks and marker in text:
                        marks[marker] = now - self.start
                if len(marks) == len(markers):
                    return Launch(now - self.start, marks, _peak_rss_kib(self.process.pid))
            if now >= deadline:
                raise MarkerTimeout(self._failure(markers, f"{timeout:.0f} s passed"))

    def wait_live(self, timeout: float = 30.0) -> None:
        """Read until Textual's driver has started (it turns focus events on, which the
        pre-paint never does): keys from then on reach a running app, not a painted screen."""
        deadline = time.perf_counter() + timeout
        while TEXTUAL_UP not in self.output:
            got = self.read(deadline - time.perf_counter())
            if got is None:
                raise ScreenTimeout(f"{' '.join(self.argv)}: the program exited")
            if time.perf_counter() >= deadline:
                raise ScreenTimeout(f"{' '.join(self.argv)}: Textual did not start")

    def drain(self, seconds: float) -> None:
        """Read (and keep) output for `seconds`."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            if self.read(min(left, 0.05)) is None:
                return

    def settle(self, quiet: float = 0.15, limit: float = 5.0) -> list[tuple[float, bytes]]:
        """Read until no output came for `quiet` seconds (at most `limit` seconds)."""
        chunks: list[tuple[float, bytes]] = []
        deadline = time.perf_counter() + limit
        last = time.perf_counter()
        while (now := time.perf_counter()) < deadline and now - last < quiet:
            got = self.read(min(quiet - (now - last), deadline - now))
            if got is None:
                raise ScreenTimeout(f"{' '.join(self.argv)}: the program exited")
            if got[1]:
                chunks.append(got)
                last = got[0]
        return chunks

    def catch_up(self) -> Screen:
        """The screen once all output read so far is shown."""
        self.screen.feed(self.output[self._fed :])
        self._fed = len(self.output)
        return self.screen

    def press(self, key: bytes, quiet: float = 0.15) -> tuple[float, list[tuple[float, bytes]]]:
        """Write `key`; returns the time it was written and the output until it settled."""
        self.catch_up()
        sent = time.perf_counter()
        os.write(self.master, key)
        return sent, self.settle(quiet)

    def time_to_screen(
        self,
        sent: float,
        chunks: list[tuple[float, bytes]],
        target: Snapshot,
        ignore_rows: Collection[int],
    ) -> float | None:
        """Seconds from `sent` to the chunk after which the screen equals `target`."""
        seconds = None
        for arrived, chunk in chunks:
            self.screen.feed(chunk)
            if seconds is None and self.screen.snapshot(ignore_rows) == target:
                seconds = arrived - sent
        self._fed = len(self.output)
        return seconds

    def learn_cycle(
        self, steps: Sequence[Step], *, ignore_rows: Collection[int] = (), quiet: float = 0.15
    ) -> list[Snapshot]:
        """The screen each step of `steps` leads to, to time them against (`timed_cycle`).

        The steps must bring the screen back to where they started, after a first round
        that is not looked at (the rows an item deleted at the end of a block freed stay
        blank, so the first round may end elsewhere). A second, untimed round then learns
        the screen each named step leads to (and checks that it changes the screen).
        Unnamed steps (opening a text field, typing into it, where a cursor blinks) are not
        checked.
        """
        where = " ".join(self.argv)
        for step in steps:
            self.press(step.keys, quiet)
            self.drain(step.gap)
        self.settle(quiet)
        start = self.catch_up().snapshot(ignore_rows)
        targets: list[Snapshot] = []
        before = start
        for step in steps:
            self.press(step.keys, quiet)
            self.drain(step.gap)
            after = self.catch_up().snapshot(ignore_rows)
            if step.name and after == before:
                raise ScreenTimeout(f"{where}: {step.keys!r} did not change the screen")
            targets.append(after)
            before = after
        if targets[-1] != start:
            raise ScreenTimeout(
                f"{where}: the keys {b''.join(step.keys for step in steps)!r} did not bring"
                f" back the screen they started from\n{self.screen.text()}"
            )
        return targets

    def timed_cycle(
        self,
        steps: Sequence[Step],
        targets: Sequence[Snapshot],
        *,
        ignore_rows: Collection[int] = (),
        quiet: float = 0.15,
    ) -> dict[str, list[float]]:
        """One round of `steps`, each named step timed from writing its keys to reading the
        output that completes the screen it led to before (`targets`, from `learn_cycle`)."""
        where = " ".join(self.argv)
        self.settle(quiet)  # what it drew since its last round (while others were timed)
        times: dict[str, list[float]] = {step.name: [] for step in steps if step.name}
        for step, target in zip(steps, targets, strict=True):
            sent, chunks = self.press(step.keys, quiet)
            seconds = self.time_to_screen(sent, chunks, target, ignore_rows)
            if step.name:
                if seconds is None:
                    raise ScreenTimeout(
                        f"{where}: {step.keys!r} did not lead to the screen it led to"
                        f" before\n{self.screen.text()}"
                    )
                times[step.name].append(seconds)
            self.drain(step.gap)
        return times

    def close(self) -> None:
        """SIGTERM, then SIGKILL to the child's whole process group; always reaps it."""
        process = self.process
        try:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
                deadline = time.perf_counter() + 3.0
                while process.poll() is None and time.perf_counter() < deadline:
                    # let it restore the terminal without blocking on a full pty
                    if _read_some(self.master, 0.05) is None:
                        break
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # its own session: group id = its pid
            process.wait(timeout=10)
        finally:
            os.close(self.master)

    def _failure(self, markers: Sequence[str], why: str) -> str:
        text = visible_text(self.output)
        missing = [marker for marker in markers if marker not in text]
        return (
            f"{' '.join(self.argv)}: {why} before the first full screen (missing {missing!r}).\n"
            f"last 500 bytes of output: {self.output[-500:]!r}"
        )


def launch(
    argv: Sequence[str],
    markers: Sequence[str],
    *,
    timeout: float = 30.0,
    settle: float = 0.5,
    cwd: Path | None = None,
) -> Launch:
    """Run `argv` in a 120x40 pty until all `markers` are on screen; then stop it."""
    with Terminal(argv, cwd=cwd) as terminal:
        result = terminal.wait_for(markers, timeout)
        terminal.drain(settle)
        peak = _peak_rss_kib(terminal.process.pid)
        return Launch(result.seconds, result.marks, peak or result.peak_rss_kib)
