"""Local snapshots of a canvas: `<data>/snapshots/<name>/<timestamp>[-label].toml`.

A snapshot is taken when an editing session with changes ends, and on demand with a label;
only the newest `MAX_SNAPSHOTS` are kept. Each is a canvas file as it was (the label, when
there is one, in a comment on its first line), so a snapshot also opens in canvas-tui as a file.
The timestamp is UTC (`20240501T102203.123456Z`), so names sort by age. Folders are 0700 and
files 0600 (business plans are private), each written atomically and never over another.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from canvas_tui import canvasfile
from canvas_tui.model import Canvas
from canvas_tui.store.atomic import read_with_fingerprint, write_new
from canvas_tui.store.digest import sha256_hex
from canvas_tui.store.files import FOLDER_MODE, SUFFIX
from canvas_tui.store.names import is_valid_name, slugify
from canvas_tui.template import Templates

MAX_SNAPSHOTS = 50
MAX_LABEL_SLUG = 40  # characters of the label in the file name (the comment keeps all of it)
_STAMP = "%Y%m%dT%H%M%S.%fZ"
_FILE = re.compile(r"(\d{8}T\d{6}\.\d{6}Z)(?:-([a-z0-9-]+))?\.toml\Z")
_LABEL_COMMENT = "# canvas-tui snapshot: "


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A local copy of a canvas, taken at the end of an editing session or on demand."""

    path: Path
    taken: datetime  # in UTC
    label: str  # "" for one taken when an editing session ended

    @property
    def taken_local(self) -> datetime:
        return self.taken.astimezone()

    @property
    def time_text(self) -> str:
        """When it was taken, in local time: `2024-05-01 10:22:03`."""
        return self.taken_local.strftime("%Y-%m-%d %H:%M:%S")


def snapshot_folder(snapshots_dir: Path, canvas_path: Path, canvases_dir: Path) -> Path:
    """Where the snapshots of the canvas at `canvas_path` go: `<snapshots_dir>/<name>/` for a
    canvas of the data dir; for a file elsewhere, its stem and a hash of its real path (two
    `plan.toml` in different folders keep apart)."""
    if canvas_path.parent == canvases_dir and is_valid_name(canvas_path.stem):
        return snapshots_dir / canvas_path.stem
    real = os.path.realpath(canvas_path)
    digest = sha256_hex(real.encode("utf-8", "surrogateescape"))[:12]
    return snapshots_dir / f"{slugify(canvas_path.stem)[:40]}-{digest}"


def _make_private_folder(folder: Path) -> None:
    missing = []
    for path in (folder, *folder.parents):
        if path.is_dir():
            break
        missing.append(path)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=FOLDER_MODE)


def take_snapshot(
    folder: Path,
    text: str,
    label: str = "",
    *,
    now: datetime | None = None,
    keep: int = MAX_SNAPSHOTS,
) -> Snapshot:
    """Keep `text` (a canvas file's text) as a new snapshot in `folder`, then drop all but the
    newest `keep`."""
    label = " ".join(label.split())  # one line
    taken = (now or datetime.now(UTC)).astimezone(UTC)
    slug = slugify(label)[:MAX_LABEL_SLUG].rstrip("-") if label else ""
    body = text.removeprefix(canvasfile.BOM)
    if label:
        body = f"{_LABEL_COMMENT}{canvasfile.toml_string(label)}\n{body}"
    data = body.encode("utf-8")
    _make_private_folder(folder)
    while True:
        name = taken.strftime(_STAMP) + (f"-{slug}" if slug else "") + SUFFIX
        try:
            write_new(folder / name, data)
            break
        except FileExistsError:  # two in the same microsecond: the next one is free
            taken += timedelta(microseconds=1)
    prune_snapshots(folder, keep)
    return Snapshot(folder / name, taken, label)


def list_snapshots(folder: Path) -> list[Snapshot]:
    """The snapshots in `folder`, newest first (none when it does not exist)."""
    try:
        paths = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for path in paths:
        match = _FILE.match(path.name)
        if match is None:
            continue
        taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        found.append(Snapshot(path, taken, _label(path, match.group(2) or "")))
    found.sort(key=lambda snapshot: snapshot.path.name, reverse=True)
    return found


def _label(path: Path, slug: str) -> str:
    """The label in the snapshot's first-line comment, else the one in its file name."""
    if not slug:
        return ""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as stream:
            first = stream.readline(4096)
    except OSError:
        return slug
    if first.startswith(_LABEL_COMMENT):
        with contextlib.suppress(tomllib.TOMLDecodeError):
            label = tomllib.loads(f"label = {first[len(_LABEL_COMMENT) :]}")["label"]
            if isinstance(label, str):
                return label
    return slug


def read_snapshot(snapshot: Snapshot) -> str:
    """The text of the canvas file kept in `snapshot`."""
    data, _ = read_with_fingerprint(snapshot.path)
    return canvasfile.decode(data)


def load_snapshot(snapshot: Snapshot, templates: Templates) -> Canvas:
    """The canvas kept in `snapshot`; raises `CanvasFileError` or `OSError`."""
    return canvasfile.parse(read_snapshot(snapshot), templates).canvas


def prune_snapshots(folder: Path, keep: int = MAX_SNAPSHOTS) -> list[Path]:
    """Delete all but the newest `keep` snapshots in `folder`; returns what was deleted."""
    removed = []
    for snapshot in list_snapshots(folder)[keep:]:
        with contextlib.suppress(FileNotFoundError):
            snapshot.path.unlink()
            removed.append(snapshot.path)
    return removed
