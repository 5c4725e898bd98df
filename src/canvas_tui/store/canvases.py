"""The canvases of one data dir: `<data>/canvases/<name>.toml`, listed, created, renamed,
duplicated and trashed (and brought back)."""

from __future__ import annotations

import contextlib
import os
import time
from _thread import allocate_lock  # threading.Lock, without importing threading
from collections.abc import Mapping
from pathlib import Path

from canvas_tui import canvasfile
from canvas_tui.canvasfile import CanvasFileError
from canvas_tui.model import Canvas, retitle
from canvas_tui.records import Record
from canvas_tui.store.atomic import unique_path, write_new
from canvas_tui.store.errors import NameTakenError, StoreError
from canvas_tui.store.files import (
    FOLDER_MODE,
    SUFFIX,
    Loaded,
    default_templates,
    is_path_ref,
    load,
    new_canvas,
    save,
)
from canvas_tui.store.lock import CanvasLock
from canvas_tui.store.names import MAX_NAME, InvalidNameError, check_name, slugify, unique_name
from canvas_tui.template import Template, TemplateError, Templates

APP_NAME = "canvas-tui"
ENV_DATA_DIR = "CANVAS_TUI_DATA_DIR"


def resolve_data_dir(option: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """`--data-dir`, else `$CANVAS_TUI_DATA_DIR`, else the platform's user data folder."""
    if option:
        return Path(option).expanduser()
    if environ.get(ENV_DATA_DIR):
        return Path(environ[ENV_DATA_DIR]).expanduser()
    from canvas_tui.store.userdirs import user_path

    return user_path("data", environ)


class CanvasInfo(Record):
    """A canvas in the data dir, as the browser and `list` show it."""

    __slots__ = ("error", "items", "modified", "name", "path", "statuses", "template", "title")
    _fields = ("name", "path", "title", "items", "modified", "template", "statuses", "error")

    name: str
    path: Path
    title: str
    items: int
    modified: float
    template: str
    statuses: Mapping[str, int]
    error: str | None

    def __init__(
        self,
        name: str,
        path: Path,
        title: str,
        items: int,
        modified: float,
        template: str = "",
        statuses: Mapping[str, int] | None = None,
        error: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "path", path)
        setattr_(self, "title", title)
        setattr_(self, "items", items)
        setattr_(self, "modified", modified)
        setattr_(self, "template", template)
        setattr_(self, "statuses", {} if statuses is None else statuses)
        setattr_(self, "error", error)

    @property
    def modified_text(self) -> str:
        # What datetime.fromtimestamp(...).strftime gives (which rounds to microseconds),
        # without importing datetime.
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(round(self.modified, 6)))

    @property
    def modified_iso(self) -> str:
        from datetime import datetime

        return datetime.fromtimestamp(self.modified).astimezone().isoformat(timespec="seconds")


class CanvasStore:
    """The canvases under one data dir, read with the templates installed."""

    def __init__(self, data_dir: Path | str, templates: Templates | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.templates = templates or default_templates()
        # Threads of one app (the browser lists on a worker) may ensure the folders at once:
        # one of them creates and seeds, the others wait until the example is there.
        self._ensuring = allocate_lock()

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

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "snapshots"

    # -- folders -------------------------------------------------------------------------

    def ensure(self) -> None:
        """Create the data dir if needed; a data dir created here is seeded with the example.

        Safe when called at once from several threads or processes: only the one whose
        `mkdir` made the folder seeds it.
        """
        with self._ensuring:
            try:
                self.data_dir.mkdir(parents=True, mode=FOLDER_MODE)
            except FileExistsError:
                created = False
            else:
                created = True
            self.canvases_dir.mkdir(exist_ok=True, mode=FOLDER_MODE)
            if created:
                self._seed()

    def _seed(self) -> None:
        from canvas_tui.example import EXAMPLE, EXAMPLE_NAME

        template = self.templates.default
        with contextlib.suppress(FileExistsError):
            write_new(self.path_for(EXAMPLE_NAME), canvasfile.dump(EXAMPLE, template.keys).encode())

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
            return Path(ref).expanduser(), None
        return self.path_for(ref), ref

    def exists(self, name: str) -> bool:
        return self.path_for(name).exists()

    def in_use(self, name: str) -> str | None:
        """Who has canvas `name` open in an editor ("" if unknown), or None when nobody."""
        return CanvasLock(self.locks_dir, self.path_for(name)).probe()

    def taken(self, name: str) -> bool:
        """Whether `name` is not free for a new canvas: its file exists, or an editor has it
        open (an editor started on a new name has no file until its first save)."""
        return self.exists(name) or self.in_use(name) is not None

    def free_name(self, base: str) -> str:
        """`base`, or the first free name near it (`base-2`, …): see `taken`."""
        return unique_name(base, self.taken)

    @staticmethod
    def copy_base(name: str) -> str:
        """The name a copy of canvas `name` is called after: `<name>-copy` (see `free_name`)."""
        suffix = "-copy"
        return f"{name[: MAX_NAME - len(suffix)]}{suffix}"

    def names(self) -> list[str]:
        if not self.canvases_dir.is_dir():
            return []
        return sorted(path.stem for path in self.canvases_dir.glob(f"*{SUFFIX}"))

    def template(self, template_id: str | None) -> Template:
        """An installed template by id (None: the default); raises `TemplateError`."""
        if template_id is None:
            return self.templates.default
        found = self.templates.get(template_id)
        if found is None:
            known = ", ".join(template.id for template in self.templates)
            raise TemplateError(f"no template {template_id!r} (installed: {known})")
        return found

    # -- reading -------------------------------------------------------------------------

    def load(self, path: Path) -> Loaded:
        return load(path, self.templates)

    def list(self) -> list[CanvasInfo]:
        """Every canvas, newest first; a file that cannot be read is listed with its error."""
        self.ensure()
        infos = []
        for path in self.canvases_dir.glob(f"*{SUFFIX}"):
            if path.name.startswith("."):
                continue
            try:
                modified = path.stat().st_mtime
                loaded = self.load(path)
            except (OSError, CanvasFileError) as error:
                infos.append(CanvasInfo(path.stem, path, "", 0, _mtime(path), error=str(error)))
                continue
            canvas = loaded.canvas
            infos.append(
                CanvasInfo(
                    path.stem,
                    path,
                    canvas.title or path.stem,
                    canvas.item_count,
                    modified,
                    canvas.template,
                    canvas.status_counts(),
                )
            )
        infos.sort(key=lambda info: (-info.modified, info.name))
        return infos

    def open(self, ref: str, template: str | None = None) -> Loaded:
        """Load a canvas by name or path; a missing name is a new, empty canvas (of
        `template`, else the default)."""
        path, name = self.resolve(ref)
        if name is not None:
            self.ensure()
        try:
            return self.load(path)
        except FileNotFoundError:
            if name is None and not path.parent.is_dir():
                raise
            title = name.replace("-", " ").replace("_", " ").title() if name else path.stem
            return new_canvas(path, title, self.template(template))

    # -- changing ------------------------------------------------------------------------

    def create(self, title: str, name: str | None = None, template: str | None = None) -> str:
        """Create an empty canvas; returns its name (derived from the title unless given)."""
        spec = self.template(template)
        self.ensure()
        if name is not None:
            check_name(name)
            if self.exists(name):
                raise NameTakenError(f"a canvas named {name!r} already exists")
        else:
            name = self.free_name(slugify(title))
        text = canvasfile.dump(Canvas.new(title, spec), spec.keys)
        try:
            write_new(self.path_for(name), text.encode())
        except FileExistsError:
            raise NameTakenError(f"a canvas named {name!r} already exists") from None
        return name

    def rename(self, name: str, title: str) -> str:
        """Give canvas `name` a new title, and the file the name that goes with it."""
        base = self.load(self.path_for(name))
        new_name = slugify(title)
        if new_name != name and self.exists(new_name):
            raise NameTakenError(f"a canvas named {new_name!r} already exists")
        save(base, retitle(base.canvas, title))
        if new_name != name:
            self._move_no_clobber(self.path_for(name), self.path_for(new_name))
            self._move_backup(self.path_for(name), self.path_for(new_name))
        return new_name

    def duplicate(self, name: str, new_name: str | None = None) -> str:
        """Copy canvas `name` (with its comments) as its file is on disk, to `new_name` (by
        default a free name near `copy_base`), never over a file; returns the new name."""
        base = self.load(self.path_for(name))
        if base.text is None or not base.writable:
            raise StoreError(f"{name} cannot be copied: {base.read_only_reason or 'no file'}")
        title = f"{base.canvas.title or name} (copy)"
        if new_name is None:
            new_name = self.free_name(self.copy_base(name))
        text, _ = canvasfile.rewrite(
            base.text, base.canvas, retitle(base.canvas, title), base.template.keys
        )
        try:
            write_new(self.path_for(new_name), text.encode())
        except FileExistsError:
            raise NameTakenError(f"a canvas named {new_name!r} already exists") from None
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


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
