"""canvas-tui in a pseudo-terminal at the far end of a slow link, as over SSH: what the test
types reaches the terminal a while later, and what the program writes reaches the test a
while later, each way in order (as TCP delivers it, however late each piece is)."""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
from collections import deque
from collections.abc import Callable

from ptyapp import PASTE_END, PASTE_START, PtyApp

# One way across a long SSH link: 80 ms; jittered, anywhere from 40 to 120 ms.
LATENCY = 0.08
JITTER = 0.04


class DelayLine:
    """Hands each piece of bytes sent to `deliver` a delay after it was sent, in a thread of
    its own: `latency` ± `jitter` seconds, but never before a piece sent earlier (a piece
    held up holds up those behind it, as on a TCP connection)."""

    def __init__(
        self,
        deliver: Callable[[bytes], None],
        latency: float,
        jitter: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self._deliver = deliver
        self._latency = latency
        self._jitter = jitter
        self._random = random.Random(seed)
        self._queue: deque[tuple[float, bytes]] = deque()
        self._last_due = 0.0
        self._busy = False  # a piece taken off the queue and being delivered
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def send(self, data: bytes) -> None:
        if not data:
            return
        with self._changed:
            delay = self._latency + self._random.uniform(-self._jitter, self._jitter)
            due = max(time.monotonic() + delay, self._last_due)
            self._last_due = due
            self._queue.append((due, data))
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._closed and not self._queue:
                    self._changed.wait()
                if self._closed:
                    return
                due, data = self._queue[0]
                late = due - time.monotonic()
                if late > 0:
                    # The link's latency itself (or a newer piece, or close(), wakes it).
                    self._changed.wait(late)
                    continue
                self._queue.popleft()
                self._busy = True
            try:
                self._deliver(data)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def idle(self) -> bool:
        """Whether everything sent has been delivered."""
        with self._changed:
            return not self._queue and not self._busy

    def close(self) -> None:
        """Stop; pieces not yet delivered are dropped. Returns once no delivery is running."""
        with self._changed:
            self._closed = True
            self._queue.clear()
            self._changed.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join()


class LinkedApp(PtyApp):
    """A `PtyApp` across a link: `type` and `paste` reach the terminal `latency` (± `jitter`)
    seconds later, and `output`, `chunks` and `wait_for` see what the program writes as late.
    The program itself starts at once; `spawned` is that moment, on the test's clock."""

    def __init__(
        self,
        *args: str,
        latency: float = LATENCY,
        jitter: float = 0.0,
        seed: int | None = None,
        cols: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self._down = DelayLine(self._arrive, latency, jitter, seed)
        self._up = DelayLine(self._to_terminal, latency, jitter, None if seed is None else ~seed)
        self.spawned = time.monotonic()
        super().__init__(*args, cols=cols, rows=rows, env=env)

    def _received(self, chunk: bytes) -> None:
        self._down.send(chunk)  # read at the far end; the test sees it a while later

    def _arrive(self, chunk: bytes) -> None:
        with self._lock:
            self.output.extend(chunk)
            self.chunks.append(chunk)

    def _to_terminal(self, data: bytes) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):  # the program is gone: the keys are lost
                os.write(self.fd, data)

    def type(self, text: str) -> None:
        self._up.send(text.encode())

    def paste(self, text: str) -> None:
        self._up.send((PASTE_START + text + PASTE_END).encode())

    def typed_in(self) -> bool:
        """Whether everything typed has reached the terminal."""
        return self._up.idle()

    def _ended(self) -> bool:
        """Whether the program has exited and all it wrote has crossed the link."""
        return self.poll() is not None and not self._reader.is_alive() and self._down.idle()

    def wait(self, timeout: float = 10.0) -> int:
        """Wait for the program to exit and all it wrote to cross the link; its status."""
        status = super().wait(timeout)
        deadline = time.monotonic() + timeout
        while not self._ended():
            if time.monotonic() > deadline:
                raise AssertionError("the program's last output never crossed the link")
            time.sleep(0.02)  # the polling step, not a wait for anything
        return status

    def hang_up(self) -> None:
        self._up.close()
        super().hang_up()

    def close(self) -> None:
        self._up.close()  # before the terminal closes: nothing written to a reused fd
        super().close()
        self._down.close()
