"""Where canvases live and how they are read and written. No Textual here.

`CanvasStore` maps names to files in the data dir, lists them, and creates, renames,
duplicates and trashes them. `load` and `save` work on any path, with the strict parser of
`fileformat` and the crash-safe writes of `atomic`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from canvas_tui.model import Canvas, retitle
from canvas_tui.store import fileformat
from canvas_tui.store.atomic import (
    Fingerprint,
    SaveError,
    atomic_write,
    content_changed,
    read_with_fingerprint,
    remove_stale_temps,
    write_new,
)
from canvas_tui.store.errors import StoreError
from canvas_tui.store.fileformat import CanvasFileError
from canvas_tui.store.names import (
    MAX_NAME,
    InvalidNameError,
    check_name,
    slugify,
    unique_name,
)

__all__ = [
    "CanvasFileError",
    "CanvasInfo",
    "CanvasStore",
    "ConflictError",
    "Fingerprint",
    "InvalidNameError",
    "Loaded",
    "NameTakenError",
    "SaveError",
    "StoreError",
    "content_changed",
    "load",
    "remove_stale_temps",
    "resolve_data_dir",
    "save",
]

APP_NAME = "canvas-tui"
ENV_DATA_DIR = "CANVAS_TUI_DATA_DIR"
FOLDER_MODE = 0o700
SUFFIX = ".toml"


class NameTakenError(StoreError):
    pass


class ConflictError(StoreError):
    """The file changed on disk since it was loaded or saved: it will not be overwritten."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A canvas as read from disk, with what is needed to save it back faithfully."""

    path: Path
    canvas: Canvas
    text: str | None  # None: no file yet (created at the first save)
    fingerprint: Fingerprint | None
    schema: int = fileformat.SCHEMA
    canonical: bool = False  # `text` is known to be in the form `fileformat.dump` writes

    @property
    def exists(self) -> bool:
        return self.text is not None

    @property
    def writable(self) -> bool:
        return self.schema <= fileformat.SCHEMA


def load(path: Path) -> Loaded:
    """Read and validate the canvas at `path`; raises `CanvasFileError` or `OSError`."""
    data, seen = read_with_fingerprint(path)
    text = fileformat.decode(data)
    parsed = fileformat.parse(text)
    return Loaded(path, parsed.canvas, text, seen, parsed.schema)


def save(base: Loaded, canvas: Canvas) -> Loaded:
    """Write `canvas` over `base` atomically and return the new base for the next save.

    Refuses (ConflictError) when the file changed on disk since `base` was read, and
    (StoreError) when the file was written by a newer version. The new text is parsed again
    before it replaces the file, so a bug here can never leave a file that does not load.
    """
    if not base.writable:
        raise StoreError(
            f"{base.path.name} was written by a newer canvas-tui (schema {base.schema});"
            " it is open read-only"
        )
    if content_changed(base.path, base.fingerprint):
        raise ConflictError(f"{base.path.name} changed on disk")
    if base.text is None:
        text, canonical = fileformat.dump(canvas), True
    else:
        text, canonical = fileformat.rewrite(
            base.text, base.canvas, canvas, canonical=base.canonical
        )
    check = fileformat.parse(text)
    if check.canvas != canvas:
        raise StoreError("internal error: the text to be written does not read back the same")
    data = text.encode("utf-8")
    if base.text is None:
        base.path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    seen = atomic_write(base.path, data)
    return Loaded(base.path, canvas, text, seen, fileformat.SCHEMA, canonical=canonical)


def resolve_data_dir(option: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """`--data-dir`, else `$CANVAS_TUI_DATA_DIR`, else the platform's user data folder."""
    if option:
        return Path(option).expanduser()
    if environ.get(ENV_DATA_DIR):
        return Path(environ[ENV_DATA_DIR]).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def is_path_ref(ref: str) -> bool:
    """Whether a command-line reference is a file path rather than a canvas name."""
    return "/" in ref or os.sep in ref or ref.endswith(SUFFIX)


@dataclass(frozen=True, slots=True)
class CanvasInfo:
    name: str
    path: Path
    title: str
    items: int
    modified: float
    error: str | None = None

    @property
    def modified_text(self) -> str:
        return datetime.fromtimestamp(self.modified).strftime("%Y-%m-%d %H:%M")

    @property
    def modified_iso(self) -> str:
        return datetime.fromtimestamp(self.modified).astimezone().isoformat(timespec="seconds")


class CanvasStore:
    """The canvases under one data dir: `<data>/canvases/<name>.toml`."""

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    def __repr__(self) -> str:
        return f"CanvasStore({str(self.data_dir)!r})"

    @property
    def canvases_dir(self) -> Path:
        return self.data_dir / "canvases"

    @property
    def trash_dir(self) -> Path:
        return self.data_dir / "trash"

    @property
    def locks_dir(self) -> Path:
        return self.data_dir / "locks"

    # -- folders -------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the data dir if needed; a data dir created here is seeded with the example."""
        created = not self.data_dir.exists()
        if created:
            self.data_dir.mkdir(parents=True, mode=FOLDER_MODE)
        self.canvases_dir.mkdir(exist_ok=True, mode=FOLDER_MODE)
        if created:
            self._seed()

    def _seed(self) -> None:
        from canvas_tui.example import EXAMPLE, EXAMPLE_NAME

        with contextlib.suppress(FileExistsError):
            write_new(self.path_for(EXAMPLE_NAME), fileformat.dump(EXAMPLE).encode())

    # -- names ---------------------------------------------------------------------------

    def path_for(self, name: str) -> Path:
        """The file of canvas `name`; refuses names that are not valid or leave the folder."""
        check_name(name)
        path = self.canvases_dir / f"{name}{SUFFIX}"
        if path.parent != self.canvases_dir:
            raise InvalidNameError(f"{name!r} would leave the data dir")
        return path

    def resolve(self, ref: str) -> tuple[Path, str | None]:
        """A command-line reference (a name or a path) to its file and its name, if any."""
        if is_path_ref(ref):
            path = Path(ref).expanduser()
            return path, None
        return self.path_for(ref), ref

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def names(self) -> list[str]:
        if not self.canvases_dir.is_dir():
            return []
        return sorted(path.stem for path in self.canvases_dir.glob(f"*{SUFFIX}"))

    # -- reading -------------------------------------------------------------------------

    def list(self) -> list[CanvasInfo]:
        """Every canvas, newest first; a file that cannot be read is listed with its error."""
        self.ensure()
        infos = []
        for path in self.canvases_dir.glob(f"*{SUFFIX}"):
            if path.name.startswith("."):
                continue
            try:
                modified = path.stat().st_mtime
                loaded = load(path)
            except (OSError, CanvasFileError) as error:
                infos.append(CanvasInfo(path.stem, path, "", 0, _mtime(path), str(error)))
                continue
            canvas = loaded.canvas
            title = canvas.title or path.stem
            infos.append(CanvasInfo(path.stem, path, title, canvas.item_count, modified))
        infos.sort(key=lambda info: (-info.modified, info.name))
        return infos

    def open(self, ref: str) -> Loaded:
        """Load a canvas by name or path; a missing name is a new, empty canvas."""
        path, name = self.resolve(ref)
        if name is not None:
            self.ensure()
        try:
            return load(path)
        except FileNotFoundError:
            if name is None and not path.parent.is_dir():
                raise
            title = name.replace("-", " ").replace("_", " ").title() if name else path.stem
            return Loaded(path, Canvas(title), None, None)

    # -- changing ------------------------------------------------------------------------

    def create(self, title: str, name: str | None = None) -> str:
        """Create an empty canvas; returns its name (derived from the title unless given)."""
        self.ensure()
        if name is not None:
            check_name(name)
            if self.exists(name):
                raise NameTakenError(f"a canvas named {name!r} already exists")
        else:
            name = unique_name(slugify(title), self.exists)
        try:
            write_new(self.path_for(name), fileformat.dump(Canvas(title)).encode())
        except FileExistsError:
            raise NameTakenError(f"a canvas named {name!r} already exists") from None
        return name

    def rename(self, name: str, title: str) -> str:
        """Give canvas `name` a new title, and the file the name that goes with it."""
        base = load(self.path_for(name))
        new_name = slugify(title)
        if new_name != name and self.exists(new_name):
            raise NameTakenError(f"a canvas named {new_name!r} already exists")
        save(base, retitle(base.canvas, title))
        if new_name != name:
            self._move_no_clobber(self.path_for(name), self.path_for(new_name))
            self._move_backup(self.path_for(name), self.path_for(new_name))
        return new_name

    def duplicate(self, name: str) -> str:
        """Copy canvas `name` (with its comments) to a new name; returns the new name."""
        base = load(self.path_for(name))
        title = f"{base.canvas.title or name} (copy)"
        suffix = "-copy"
        new_name = unique_name(f"{name[: MAX_NAME - len(suffix)]}{suffix}", self.exists)
        assert base.text is not None
        text = fileformat.update(base.text, base.canvas, retitle(base.canvas, title))
        write_new(self.path_for(new_name), text.encode())
        return new_name

    def delete(self, name: str) -> Path:
        """Move canvas `name` to the trash; returns where it went (for `restore`)."""
        source = self.path_for(name)
        if not source.exists():
            raise StoreError(f"no canvas named {name!r}")
        self.trash_dir.mkdir(exist_ok=True, mode=FOLDER_MODE)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.trash_dir / f"{name}{SUFFIX}"
        if target.exists():
            target = unique_path(self.trash_dir / f"{name}.{stamp}{SUFFIX}")
        self._move_no_clobber(source, target)
        self._move_backup(source, target)
        return target

    def restore(self, trashed: Path, name: str) -> str:
        """Bring a trashed canvas back as `name` (or a free name near it)."""
        new_name = unique_name(name, self.exists)
        target = self.path_for(new_name)
        self._move_no_clobber(trashed, target)
        self._move_backup(trashed, target)
        return new_name

    @staticmethod
    def _move_no_clobber(source: Path, target: Path) -> None:
        try:
            if os.link in os.supports_follow_symlinks:
                os.link(source, target, follow_symlinks=False)  # a symlink moves as a symlink
            else:
                os.link(source, target)
        except FileExistsError:
            raise NameTakenError(f"{target.name} already exists") from None
        except OSError:  # no hard links here: fall back to a checked rename
            if target.exists():
                raise NameTakenError(f"{target.name} already exists") from None
            source.rename(target)
            return
        source.unlink()

    @staticmethod
    def _move_backup(source: Path, target: Path) -> None:
        backup = source.with_name(source.name + ".bak")
        if backup.exists():
            with contextlib.suppress(OSError):
                backup.replace(target.with_name(target.name + ".bak"))


def unique_path(path: Path) -> Path:
    candidate, counter = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{counter}{path.suffix}")
        counter += 1
    return candidate


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def save_copy(path: Path, canvas: Canvas, suffix: str = "mine") -> Path:
    """Write `canvas` to a new file next to `path` (`<stem>-mine.toml`, …); returns it."""
    stem = path.stem[: 64 - len(suffix) - 4]
    target = unique_path(path.with_name(f"{stem}-{suffix}{SUFFIX}"))
    write_new(target, fileformat.dump(canvas).encode("utf-8"))
    return target
