"""`git-setup`: make a repository merge its canvases with canvas-tui's merge driver and show
them in `git diff` as items under block titles (a textconv): one `.gitattributes` line for
the canvases' folder, and the drivers in the repository's own config. The merge driver is a
shell command that falls back to git's line merge when canvas-tui cannot be found.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.store.atomic import atomic_write
from canvas_tui.store.git import GitError, find_repository, relative_path, run_git

DRIVER = "canvas-tui"  # the name of the merge driver and the diff driver in git's config
CANVASES_FOLDER = "canvases"
ATTRIBUTES_FILE = ".gitattributes"
# The block headings of the textconv text (`## 2 Key Activities`) name git diff's hunks.
HUNK_HEADER = "^## (.*)$"


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What `git-setup` did to a repository."""

    repository: Path
    pattern: str  # the .gitattributes pattern of the canvases
    changes: tuple[str, ...]  # what was changed, one line each; empty: it was set up already


def canvases_folder(folder: Path) -> Path:
    """The folder of canvases that `folder` means: its `canvases/` when it is a data dir, the
    folder itself when it holds canvases, and else `canvases/` (a data dir before its first
    canvas: never every `*.toml` of the folder)."""
    inner = folder / CANVASES_FOLDER
    if inner.is_dir():
        return inner
    try:
        if any(_looks_like_canvas(path) for path in folder.glob("*.toml")):
            return folder
    except OSError:
        pass
    return inner


_BLOCKS_TABLE = re.compile(rb"^[ \t]*(\[[ \t]*blocks[ \t]*\]|blocks[ \t]*[.=])", re.MULTILINE)


def _looks_like_canvas(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return _BLOCKS_TABLE.search(file.read(1 << 20)) is not None
    except OSError:
        return False


def attributes_pattern(relative: str) -> str:
    """The .gitattributes pattern of the `*.toml` files in the folder `relative` to the root,
    and only those (not the `*.toml` files of its subfolders: `templates/`, a project's own)."""
    if relative in ("", "."):
        return "/*.toml"
    escaped = re.sub(r"([\\*?\[])", r"\\\1", relative) + "/*.toml"
    if re.search(r'[\s"]', escaped) or escaped.startswith(("#", "!")):
        # Patterns that hold spaces are written in C-style quotes.
        return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


LINE_MERGE = "git merge-file -L ours -L base -L theirs %A %O %B"
ANCESTORS_DRIVER = f"{DRIVER}-ancestors"  # git's inner merge of a criss-cross's merge bases


def driver_command(program: Sequence[str], *, quiet: bool = False) -> str:
    """The shell command git runs to merge a canvas: `program` (by absolute path), else a
    `canvas-tui` found on PATH, else git's own line merge with conflict markers, saying so.
    canvas-tui failing (exit 2 or more) also ends in git's line merge, as a conflict."""
    first = shlex.quote(program[0])
    run = " ".join(shlex.quote(part) for part in program)
    options = " --quiet" if quiet else ""
    return (
        f"if [ -x {first} ]; then set -- {run}; elif command -v {DRIVER} >/dev/null 2>&1;"
        f" then set -- {DRIVER}; else set --; fi;"
        f' if [ $# -gt 0 ]; then "$@" merge{options} %O %A %B %P; s=$?; [ $s -le 1 ] && exit $s;'
        f' echo "{DRIVER} merge:" %P": {DRIVER} failed (exit $s): merged line by line, with'
        f' conflict markers" >&2; {LINE_MERGE}; exit 1; fi;'
        f' echo "{DRIVER} merge:" %P": the {DRIVER} program was not found: merged line by line'
        f' by git, with conflict markers" >&2; exec {LINE_MERGE}'
    )


def setup(folder: Path, program: Sequence[str]) -> SetupReport:
    """Make the repository that holds the canvases of `folder` merge and diff them with
    canvas-tui: a `.gitattributes` line at its root and the drivers in its own config
    (`git config --local`). `program` is the command that runs canvas-tui, by absolute path.
    Running it again changes nothing."""
    if not folder.is_dir():
        raise GitError(f"{folder} is not a folder")
    canvases = canvases_folder(folder)
    repository = find_repository(canvases)
    pattern = attributes_pattern(relative_path(repository, canvases))
    changes = []
    line = f"{pattern} merge={DRIVER} diff={DRIVER}"
    if _add_attributes_line(repository.root / ATTRIBUTES_FILE, line):
        changes.append(f"{ATTRIBUTES_FILE}: added {line}")
    command = " ".join(shlex.quote(part) for part in program)
    fallback = ", else git merge-file"  # the whole shell command: git config --get
    settings = (
        (f"merge.{DRIVER}.name", "canvas-tui: merge canvases item by item", ""),
        (
            f"merge.{DRIVER}.driver",
            driver_command(program),
            f"{command} merge %O %A %B %P{fallback}",
        ),
        (f"merge.{DRIVER}.recursive", ANCESTORS_DRIVER, ""),
        (f"merge.{ANCESTORS_DRIVER}.name", "canvas-tui: merge the merge bases, quietly", ""),
        (
            f"merge.{ANCESTORS_DRIVER}.driver",
            driver_command(program, quiet=True),
            f"{command} merge --quiet %O %A %B %P{fallback}",
        ),
        (f"diff.{DRIVER}.textconv", f"{command} textconv", ""),
        (f"diff.{DRIVER}.xfuncname", HUNK_HEADER, ""),
    )
    for key, value, shown in settings:
        current = run_git(["config", "--local", "--get", key], repository.root, check=False)
        if (
            current.returncode == 0
            and current.stdout.decode("utf-8", "replace").rstrip("\n") == value
        ):
            continue
        run_git(["config", "--local", key, value], repository.root)
        changes.append(f"git config {key}: {shown or value}")
    return SetupReport(repository.root, pattern, tuple(changes))


def _add_attributes_line(path: Path, line: str) -> bool:
    """Append `line` to the attributes file unless it holds it already; whether it was added."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    lines = text.splitlines()
    if any(existing.strip() == line for existing in lines):
        return False
    # An earlier git-setup covered every *.toml of the repository: the new line replaces it.
    broad = f"*.toml merge={DRIVER} diff={DRIVER}"
    if line.startswith("/*.toml ") and broad in (existing.strip() for existing in lines):
        text = "".join(f"{existing}\n" for existing in lines if existing.strip() != broad)
    if text and not text.endswith("\n"):
        text += "\n"
    data = f"{text}{line}\n".encode()
    if text:
        atomic_write(path, data, backup=False)  # keeps the file's mode
    else:
        # A file for everyone who clones the repository, not a private one: the usual mode.
        path.write_bytes(data)
    return True
