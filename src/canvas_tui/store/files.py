"""One canvas file: read it strictly, write it back faithfully and safely.

`load` parses with `canvasfile` and remembers what the file looked like (its text and a
fingerprint); `save` refuses to write over a file that changed since, keeps the user's style,
parses its own output (the blocks it wrote, when the rest is its own last output) before the
atomic write replaces the file, and returns the base for the next save.
"""

from __future__ import annotations

import os
from pathlib import Path

from canvas_tui import canvasfile
from canvas_tui.model import Canvas
from canvas_tui.records import Record
from canvas_tui.store.atomic import (
    Fingerprint,
    atomic_write,
    content_changed,
    read_with_fingerprint,
    unique_path,
    write_new,
)
from canvas_tui.store.config import config_path
from canvas_tui.store.errors import ConflictError, StoreError
from canvas_tui.template import Template, Templates, load_templates, templates_for_canvas

FOLDER_MODE = 0o700
SUFFIX = ".toml"

_templates_cache: dict[Path, Templates] = {}


def default_templates() -> Templates:
    """The shipped templates and those beside the config file in use (read once)."""
    folder = config_path().parent / "templates"
    if folder not in _templates_cache:
        _templates_cache[folder] = load_templates(folder)
    return _templates_cache[folder]


class Loaded(Record):
    """A canvas as read from disk, with what is needed to save it back faithfully."""

    __slots__ = ("canonical", "canvas", "fingerprint", "path", "schema", "template", "text")
    _fields = ("path", "canvas", "template", "text", "fingerprint", "schema", "canonical")

    path: Path
    canvas: Canvas
    template: Template
    text: str | None  # None: no file yet (created at the first save)
    fingerprint: Fingerprint | None
    schema: int
    canonical: bool  # `text` is known to be in the form `canvasfile.dump` writes

    def __init__(
        self,
        path: Path,
        canvas: Canvas,
        template: Template,
        text: str | None,
        fingerprint: Fingerprint | None,
        schema: int = canvasfile.PLAIN_SCHEMA,
        canonical: bool = False,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "path", path)
        setattr_(self, "canvas", canvas)
        setattr_(self, "template", template)
        setattr_(self, "text", text)
        setattr_(self, "fingerprint", fingerprint)
        setattr_(self, "schema", schema)
        setattr_(self, "canonical", canonical)

    @property
    def exists(self) -> bool:
        return self.text is not None

    @property
    def newer_schema(self) -> bool:
        return self.schema > canvasfile.SCHEMA

    @property
    def writable(self) -> bool:
        """False for a file of a newer version, or of a template that is not installed."""
        return not self.newer_schema and self.template.installed

    @property
    def read_only_reason(self) -> str:
        if self.newer_schema:
            return f"written by a newer canvas-tui (schema {self.schema})"
        if not self.template.installed:
            return f"its template {self.template.id!r} is not installed"
        return ""


def load(path: Path, templates: Templates | None = None) -> Loaded:
    """Read and validate the canvas at `path`; raises `CanvasFileError` or `OSError`. The
    templates in a `templates/` folder that travels with the canvas win over `templates`."""
    data, seen = read_with_fingerprint(path)
    text = canvasfile.decode(data)
    parsed = canvasfile.parse(text, templates_for_canvas(templates or default_templates(), path))
    return Loaded(path, parsed.canvas, parsed.template, text, seen, parsed.schema)


def new_canvas(path: Path, title: str, template: Template) -> Loaded:
    """A canvas with no file yet: its file is created at the first save."""
    return Loaded(path, Canvas.new(title, template), template, None, None)


def save(base: Loaded, canvas: Canvas) -> Loaded:
    """Write `canvas` over `base` atomically and return the new base for the next save.

    Refuses (ConflictError) when the file changed on disk since `base` was read, and
    (StoreError) when the file is read-only by nature (a newer version's, or of a template
    that is not installed). The new text is parsed again before it replaces the file, so a
    bug here can never leave a file that does not load.
    """
    if not base.writable:
        raise StoreError(f"{base.path.name} is open read-only: {base.read_only_reason}")
    if content_changed(base.path, base.fingerprint):
        raise ConflictError(f"{base.path.name} changed on disk")
    keys = base.template.keys
    try:
        if base.text is None:
            text, canonical = canvasfile.dump(canvas, keys), True
            probe, expected = text, canvas
        elif base.canonical:  # what we wrote last: only the changed blocks are written
            text, probe, expected = canvasfile.update_canonical(
                base.text, base.canvas, canvas, keys
            )
            canonical = True
        else:
            text, canonical = canvasfile.rewrite(base.text, base.canvas, canvas, keys)
            probe, expected = text, canvas
        check = canvasfile.parse(probe, Templates([base.template]))
    except canvasfile.CanvasFileError as error:  # e.g. too deeply nested to rewrite in place
        raise StoreError(str(error)) from None
    if check.canvas != expected:
        raise StoreError("internal error: the text to be written does not read back the same")
    data = text.encode("utf-8")
    if base.text is None:
        base.path.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    seen = atomic_write(base.path, data)
    return Loaded(base.path, canvas, base.template, text, seen, check.schema, canonical)


def save_copy(
    loaded: Loaded, canvas: Canvas, folder: Path | None = None, suffix: str = "mine"
) -> Path:
    """Write `canvas` to a new file beside `loaded`'s (`<stem>-mine.toml`, …) or in
    `folder`; returns its path."""
    path = loaded.path
    stem = path.stem[: 64 - len(suffix) - 4]
    target = unique_path((folder or path.parent) / f"{stem}-{suffix}{SUFFIX}")
    write_new(target, canvasfile.dump(canvas, loaded.template.keys).encode("utf-8"))
    return target


def is_path_ref(ref: str) -> bool:
    """Whether a command-line reference is a file path rather than a canvas name."""
    return "/" in ref or os.sep in ref or ref.endswith(SUFFIX)
