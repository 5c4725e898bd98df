"""Git, by running the `git` program (never a re-implementation of it): the repository that
holds a canvas file, the commits that touched the file (`git log --follow`, and the names it
had), the file's content at a commit, and git's line merge (`git merge-file`). Setting a
repository up for canvases is `gitsetup`.

Each problem is one `GitError` line for the user: git not installed, not a repository, a
repository without commits. A detached HEAD or a shallow clone is no error: the history is
given with a note saying so. No Textual here; the editor runs these off its UI thread.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from canvas_tui.store.errors import StoreError

GIT = "git"
TIMEOUT = 60.0  # seconds; generous: a cold cache on a busy machine, a large history


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
