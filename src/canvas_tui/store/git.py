"""Git, by running the `git` program (never a re-implementation of it): the repository that
holds a canvas file, the commits that touched the file (`git log --follow`), the file's
content at a commit, and `git-setup`, which makes git merge canvases with canvas-tui's merge
driver and show them in `git diff` as items under block titles (a textconv).

Each problem is one `GitError` line for the user: git not installed, not a repository, a
repository without commits. A detached HEAD or a shallow clone is no error: the history is
given with a note saying so. No Textual here; the editor runs these off its UI thread.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from canvas_tui.store.atomic import atomic_write
from canvas_tui.store.errors import StoreError

GIT = "git"
TIMEOUT = 60.0  # seconds; generous: a cold cache on a busy machine, a large history
DRIVER = "canvas-tui"  # the name of the merge driver and the diff driver in git's config
CANVASES_FOLDER = "canvases"
ATTRIBUTES_FILE = ".gitattributes"
# The block headings of the textconv text (`## 2 Key Activities`) name git diff's hunks.
HUNK_HEADER = "^## (.*)$"


class GitError(StoreError):
    """Git cannot answer; the message says why, on one line."""


class GitNotFoundError(GitError):
    pass


class NotARepositoryError(GitError):
    pass


class NoCommitsError(GitError):
    pass


@dataclass(frozen=True, slots=True)
class Repository:
    """The git repository a canvas file is in."""

    root: Path  # the top of the work tree
    head: str | None  # the commit HEAD points at; None before the first commit
    branch: str | None  # the branch checked out; None when HEAD is detached (or no commits)
    shallow: bool  # a shallow clone: older history is missing

    @property
    def detached(self) -> bool:
        return self.head is not None and self.branch is None


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that changed a canvas file."""

    hash: str
    date: datetime  # the author date, with its time zone
    author: str
    subject: str
    path: str  # the file's path at this commit, relative to the repository root (renames)

    @property
    def short(self) -> str:
        return self.hash[:8]


@dataclass(frozen=True, slots=True)
class FileHistory:
    """The commits of a canvas file, newest first."""

    repository: Repository
    path: str  # the file's path now, relative to the repository root
    commits: tuple[Commit, ...]  # newest first
    notes: tuple[str, ...] = ()  # what the reader should know: a partial history, …


def run_git(
    args: Sequence[str], cwd: Path, *, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run `git args` in `cwd`; raises `GitNotFoundError` without git, and `GitError` (git's
    own first line of complaint) when it fails and `check` is set."""
    # Messages in English, so the few that are recognised are; never ask for a password.
    environment = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [GIT, *args],
            cwd=cwd,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            env=environment,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        if not cwd.is_dir():
            raise GitError(f"{cwd} is not a folder") from None
        raise GitNotFoundError("git is not installed (the 'git' program was not found)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish within {TIMEOUT:.0f} seconds") from None
    if check and done.returncode != 0:
        raise GitError(f"git {args[0]}: {_complaint(done.stderr)}")
    return done


def _complaint(stderr: bytes) -> str:
    lines = [
        line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()
    ]
    message = next((line for line in lines if line.startswith(("fatal:", "error:"))), "")
    message = message or (lines[0] if lines else "failed")
    return message.removeprefix("fatal: ").removeprefix("error: ")


def _out(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def _existing_folder(path: Path) -> Path:
    """`path` if it is a folder, else its nearest existing parent (a file, or a canvas not yet
    saved)."""
    folder = path if path.is_dir() else path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def find_repository(path: Path) -> Repository:
    """The git repository whose work tree holds `path` (a file or a folder)."""
    folder = _existing_folder(Path(os.path.realpath(path)))
    done = run_git(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder, check=False)
    if done.returncode != 0:
        complaint = _complaint(done.stderr)
        if "not a git repository" in complaint:
            raise NotARepositoryError(f"{folder} is not in a git repository")
        if "work tree" in complaint:  # a bare repository, or inside .git
            raise NotARepositoryError(f"{folder} is not in a git work tree")
        raise GitError(f"git cannot read the repository of {folder}: {complaint}")
    top, _, shallow = _out(done).partition("\n")
    if not top:  # inside .git, or a bare repository: no work tree
        raise NotARepositoryError(f"{folder} is not in a git work tree")
    root = Path(top)
    head_done = run_git(["rev-parse", "-q", "--verify", "HEAD^{commit}"], root, check=False)
    head = _out(head_done) if head_done.returncode == 0 else None
    branch = None
    if head is not None:
        branch_done = run_git(["symbolic-ref", "-q", "--short", "HEAD"], root, check=False)
        branch = _out(branch_done) if branch_done.returncode == 0 else None
    return Repository(root, head, branch, shallow.strip() == "true")


def relative_path(repository: Repository, path: Path) -> str:
    """`path` relative to the repository's root, with `/` as git writes it."""
    real = Path(os.path.realpath(path))
    try:
        relative = real.relative_to(Path(os.path.realpath(repository.root)))
    except ValueError:
        raise NotARepositoryError(f"{path} is not in the repository at {repository.root}") from None
    return relative.as_posix()


_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%s"


def file_history(path: Path, limit: int | None = None) -> FileHistory:
    """The commits that touched the file at `path`, newest first, following renames; merge
    commits count when they changed the file on the branch they merged into."""
    repository = find_repository(path)
    if repository.head is None:
        raise NoCommitsError(f"the git repository at {repository.root} has no commits yet")
    relative = relative_path(repository, path)
    options = ["log", "--follow", "-z", "--name-only", _LOG_FORMAT]
    if limit is not None:
        options.append(f"--max-count={limit}")
    done = run_git(
        [*options, "--diff-merges=first-parent", "--", relative], repository.root, check=False
    )
    if done.returncode != 0 and b"diff-merges" in done.stderr:  # git older than 2.31
        done = run_git([*options, "-m", "--", relative], repository.root)
    elif done.returncode != 0:
        raise GitError(f"git log: {_complaint(done.stderr)}")
    commits = _parse_log(done.stdout.decode("utf-8", "replace"), relative)
    names = list(dict.fromkeys([relative, *(commit.path for commit in commits)]))
    if len(names) > 1:
        # `--follow` follows one path back through history: once a merge brought a rename in,
        # it looks for the old name on both branches and misses the commits made under the
        # new name on the branch that renamed. Every commit that touched any of the names
        # the file had is in its history.
        options = ["log", "-z", "--name-only", _LOG_FORMAT, "--diff-merges=first-parent"]
        if limit is not None:
            options.append(f"--max-count={limit}")
        again = run_git([*options, "--", *names], repository.root, check=False)
        if again.returncode == 0:
            commits = _parse_log(again.stdout.decode("utf-8", "replace"), relative, names)
    notes = []
    if repository.shallow:
        notes.append(
            "a shallow clone: this history is partial ('git fetch --unshallow' gets the rest)"
        )
    if repository.detached:
        assert repository.head is not None
        notes.append(f"HEAD is detached at {repository.head[:8]}: these are the commits it reaches")
    if not commits:
        notes.append(f"no commit has {relative} yet (add and commit it to start its history)")
    return FileHistory(repository, relative, commits, tuple(notes))


def _parse_log(output: str, current: str, wanted: Sequence[str] = ()) -> tuple[Commit, ...]:
    """Records of `_LOG_FORMAT` with `-z --name-only`: `\\x1e` fields `\\0` `\\n` path `\\0`;
    a record's path is the first of its names that is `wanted` (any when none are)."""
    commits: list[Commit] = []
    seen: set[str] = set()
    path = current
    for record in output.split(_RECORD)[1:]:
        header, _, names = record.partition("\0")
        fields = header.split(_FIELD)
        if len(fields) != 4:
            continue
        listed = [name.strip("\n") for name in names.split("\0") if name.strip("\n")]
        name = next((n for n in listed if not wanted or n in wanted), "")
        path = name or path  # a merge lists no name: the file kept the newer commit's path
        hash_, date, author, subject = fields
        if hash_ in seen:  # `-m` lists a merge once per parent
            continue
        seen.add(hash_)
        commits.append(Commit(hash_, datetime.fromisoformat(date), author, subject, path))
    return tuple(commits)


def file_at(repository: Repository, commit: str, path: str) -> bytes:
    """The bytes of the file at `path` (relative to the root) as `commit` has it."""
    if commit.startswith("-"):
        raise GitError(f"not a commit: {commit!r}")
    return run_git(["cat-file", "blob", f"{commit}:{path}"], repository.root).stdout


def merge_file(ours: Path, base: Path, theirs: Path) -> bool:
    """Git's own line-by-line merge of THEIRS into OURS (`git merge-file`, with conflict
    markers), for a file the canvas merge cannot take; True when there are conflicts."""
    ours, base, theirs = (path.absolute() for path in (ours, base, theirs))
    labels = ["-L", "ours", "-L", "base", "-L", "theirs"]
    done = run_git(
        ["merge-file", *labels, str(ours), str(base), str(theirs)], ours.parent, check=False
    )
    if done.returncode >= 128 or done.returncode < 0:
        raise GitError(f"git merge-file: {_complaint(done.stderr)}")
    return done.returncode > 0


# -- git-setup -----------------------------------------------------------------------------


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
