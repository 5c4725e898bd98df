"""One editor per canvas: an advisory lock under `<data>/locks/` that dies with its process.

`fcntl.flock` locks belong to the open file description, so the kernel drops them when the
process exits in any way (quit, crash, kill -9): a lock left by a dead process is simply free.
The lock file also records who holds it, to tell a second instance whom it is waiting on.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from canvas_tui.store.digest import sha256_hex
from canvas_tui.store.errors import StoreError


class CanvasLock:
    def __init__(self, locks_dir: Path, canvas_path: Path) -> None:
        self.locks_dir = locks_dir
        self.path = locks_dir / f"{lock_key(canvas_path)}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock if it is free; False if another live process holds it."""
        if self._fd is not None:
            return True
        self.locks_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError:
            os.close(fd)
            raise
        import socket  # here, not at the top: commands that take no lock start faster

        stamp = time.strftime("%Y-%m-%d %H:%M")
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n".encode())
        self._fd = fd
        return True

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it (empty if unknown)."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def probe(self) -> str | None:
        """Who holds this lock ("" if unknown), or None when nobody does. Looks with a shared,
        non-blocking lock that is dropped at once, so an editor that holds the lock is seen
        and one that is starting is not kept out."""
        try:
            descriptor = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return self.holder() or "another process"
        finally:
            os.close(descriptor)  # also drops the shared lock, if it was taken
        return None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor releases the flock


class InUseError(StoreError):
    """A canvas another editor has open: not deleted, renamed or overwritten from here."""

    def __init__(self, path: Path, holder: str) -> None:
        who = f" ({holder})" if holder else ""
        super().__init__(f"{path.stem} is open in another editor{who}")
        self.path, self.holder = path, holder


@contextlib.contextmanager
def holding(locks_dir: Path, paths: Iterable[Path]) -> Iterator[None]:
    """Hold the locks of the canvases at `paths` while they are changed (deleted, renamed):
    raises `InUseError` naming the holder if another editor has one of them open. Without a
    locks folder that can be made (a read-only data dir) there is nobody to ask."""
    held: list[CanvasLock] = []
    try:
        for path in paths:
            lock = CanvasLock(locks_dir, path)
            try:
                free = lock.acquire()
            except OSError:
                continue
            if not free:
                raise InUseError(path, lock.holder())
            held.append(lock)
        yield
    finally:
        for lock in held:
            lock.release()


def lock_key(canvas_path: Path) -> str:
    """A file name for the lock of `canvas_path`: its stem plus a hash of its real path."""
    real = os.path.realpath(canvas_path)
    digest = sha256_hex(real.encode("utf-8", "surrogateescape"))[:16]
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in canvas_path.stem)[:40]
    return f"{stem}-{digest}"
