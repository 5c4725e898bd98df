"""Crash-safe file writes and cheap change detection."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from canvas_tui.records import Record
from canvas_tui.store.digest import sha256_hex

NEW_FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


class SaveError(OSError):
    """A save that did not happen; the file on disk is as it was."""


class Fingerprint(Record):
    """What a file looked like when we last read or wrote it."""

    __slots__ = ("mtime_ns", "sha256", "size")
    _fields = ("mtime_ns", "size", "sha256")

    mtime_ns: int
    size: int
    sha256: str

    def __init__(self, mtime_ns: int, size: int, sha256: str) -> None:
        object.__setattr__(self, "mtime_ns", mtime_ns)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "sha256", sha256)


def fingerprint(data: bytes, stat: os.stat_result) -> Fingerprint:
    return Fingerprint(stat.st_mtime_ns, stat.st_size, sha256_hex(data))


def read_with_fingerprint(path: Path) -> tuple[bytes, Fingerprint]:
    """The bytes of the regular file at `path` (a symlink is followed), and its fingerprint.

    Anything else is refused before a byte is read: a named pipe would block forever and a
    device such as `/dev/zero` never ends (a canvas folder from git may hold such links).
    """
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(descriptor, "rb") as handle:
        stat = os.fstat(descriptor)
        if not S_ISREG(stat.st_mode):
            if S_ISDIR(stat.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        data = handle.read()
    return data, fingerprint(data, stat)


def content_changed(path: Path, known: Fingerprint | None) -> bool:
    """Whether the file's content differs from `known` (None: we know of no file).

    A touch that leaves the bytes equal is not a change; a stat that matches skips the hash.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        return known is not None
    if known is None:
        return True
    if stat.st_mtime_ns == known.mtime_ns and stat.st_size == known.size:
        return False
    try:
        data, _ = read_with_fingerprint(path)
    except FileNotFoundError:
        return True
    return sha256_hex(data) != known.sha256


def write_target(path: Path) -> Path:
    """The file a write to `path` must replace: a symlink is written through to its target."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def atomic_write(path: Path, data: bytes, *, backup: bool = True) -> Fingerprint:
    """Replace `path` with `data` so that a crash leaves either the old or the new file.

    Temp file in the same folder, fsync, `os.replace`, fsync of the folder. The file's mode is
    kept (new files are 0600); the previous version is kept as `<file>.bak`. A file that we
    may not write (a read-only file) is refused, although its folder would allow replacing it.
    """
    target = write_target(path)
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o7777
        exists = True
    except FileNotFoundError:
        mode, exists = NEW_FILE_MODE, False
    except OSError as error:
        raise SaveError(error.errno, _reason(error), str(target)) from error
    if exists and not os.access(target, os.W_OK):
        # Replacing it would succeed in a writable folder: a read-only file is left alone.
        raise SaveError(errno.EACCES, _REASONS[errno.EACCES], str(target))
    import tempfile  # here, not at the top: commands that only read start faster

    temp: str | None = None
    try:
        handle, temp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
            stat = os.fstat(stream.fileno())
        if exists and backup:
            _keep_backup(target)
        Path(temp).replace(target)
        temp = None
        _fsync_folder(folder)
    except OSError as error:
        raise SaveError(error.errno, _reason(error), str(target)) from error
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                Path(temp).unlink()
    return Fingerprint(stat.st_mtime_ns, stat.st_size, sha256_hex(data))


def _keep_backup(target: Path) -> None:
    """Keep the current file as `<file>.bak` (a hard link: no copy, and atomic)."""
    backup = target.with_name(target.name + ".bak")
    staging = target.with_name(f".{target.name}.bak{TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()
    try:
        os.link(target, staging)
    except OSError:  # a file system without hard links
        import shutil

        shutil.copy2(target, staging)
    try:
        staging.replace(backup)
    except OSError:
        with contextlib.suppress(OSError):
            staging.unlink()
        raise
    # Renaming one link of a file over another link of the same file does nothing (POSIX):
    # when the backup is this file already (a save failed after making it), drop the link.
    with contextlib.suppress(FileNotFoundError):
        staging.unlink()


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.EBADF):  # not supported here
            raise
    finally:
        os.close(descriptor)


def write_new(path: Path, data: bytes) -> Fingerprint:
    """Create `path` with `data`, failing if it exists (no clobbering a name someone took)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            stat = os.fstat(stream.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    _fsync_folder(path.parent)
    return Fingerprint(stat.st_mtime_ns, stat.st_size, sha256_hex(data))


def remove_stale_temps(path: Path) -> list[Path]:
    """Delete temp files a killed save of `path` left behind; returns what was removed."""
    target = write_target(path)
    removed = []
    for stray in target.parent.glob(temp_prefix(target) + "*" + TEMP_SUFFIX):
        with contextlib.suppress(OSError):
            stray.unlink()
            removed.append(stray)
    return removed


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder no longer exists",
}


def _reason(error: OSError) -> str:
    if error.errno is not None and error.errno in _REASONS:
        return _REASONS[error.errno]
    return error.strerror or str(error)


def unique_path(path: Path) -> Path:
    """`path`, or `<stem>-2<suffix>`, `<stem>-3<suffix>`, …: the first that does not exist."""
    candidate, counter = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{counter}{path.suffix}")
        counter += 1
    return candidate
