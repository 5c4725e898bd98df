"""Canvases shared through git, driving the real `git` program in temporary repositories: two
clones of one origin edit the same canvas and merge through canvas-tui's merge driver;
`git diff` shows items under block titles; `git-setup`, `log`, and the clear line given for each
problem (no git, no repository, no commits, a detached HEAD, a shallow clone).

Every test runs with its own HOME and global git config, so the machine's settings never leak in.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from canvas_tui import canvasfile
from canvas_tui.cli import main
from canvas_tui.merge import CONFLICT_TAG
from canvas_tui.model import Canvas, Item, Pos, add_item, move_to_block, retitle
from canvas_tui.store import load, save
from canvas_tui.store.git import (
    GitNotFoundError,
    NoCommitsError,
    NotARepositoryError,
    file_at,
    file_history,
    find_repository,
)
from canvas_tui.store.gitsetup import attributes_pattern, setup
from canvas_tui.store.snapshots import take_snapshot
from canvas_tui.template import built_in_templates
from gittools import git

needs_git = pytest.mark.skipif(
    shutil.which("git") is None, reason="the git program is not installed"
)

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
KP, KA, KR, VP = range(4)
# The merge driver runs this very canvas-tui (installed in the test's Python).
PROGRAM = [sys.executable, "-m", "canvas_tui"]

START = Canvas.from_lists(
    "Acme",
    [
        ["Stripe", "Cloud hosting provider", "Law firm"],
        ["Build the product", "Sales calls"],
        ["Engineers"],
        ["Saves 3 hours a week"],
        [], [], [], [], [],
    ],
)  # fmt: skip
# A file as a person writes it: comments and a key canvas-tui does not know.
START_TEXT = (
    canvasfile.dump(START, TECH.keys)
    .replace('title = "Acme"', '# Reviewed every Monday\ntitle = "Acme"\nowner = "ada"')
    .replace('    "Law firm",', '    "Law firm",  # the one in Berlin')
)


@dataclasses.dataclass
class Team:
    """Two clones (Alice's and Bob's data dirs) of one origin, holding canvases/acme.toml."""

    origin: Path
    alice: Path
    bob: Path

    @staticmethod
    def canvas(clone: Path) -> Path:
        return clone / "canvases" / "acme.toml"

    def edit(self, clone: Path, change: Callable[[Canvas], Canvas], message: str) -> None:
        """Change the canvas as the app does (store.save keeps the file's style) and commit."""
        loaded = load(self.canvas(clone), TEMPLATES)
        save(loaded, change(loaded.canvas))
        git(clone, "commit", "-q", "-m", message, "--", "canvases/acme.toml")

    def alice_pushes(self) -> None:
        git(self.alice, "push", "-q", "origin", "main")

    def bob_merges(self) -> subprocess.CompletedProcess[str]:
        git(self.bob, "fetch", "-q", "origin")
        return git(self.bob, "merge", "--no-edit", "origin/main", check=False)

    def bobs_canvas(self) -> Canvas:
        return load(self.canvas(self.bob), TEMPLATES).canvas


@pytest.fixture
def team(tmp_path: Path, git_env: None) -> Team:
    if shutil.which("git") is None:
        pytest.skip("the git program is not installed")
    origin, alice, bob = tmp_path / "origin.git", tmp_path / "alice", tmp_path / "bob"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "init", "-q", "-b", "main", str(alice))
    (alice / "canvases").mkdir()
    Team.canvas(alice).write_text(START_TEXT, encoding="utf-8")
    (alice / ".gitignore").write_text("*.bak\nlocks/\nsnapshots/\n", encoding="utf-8")
    setup(alice, PROGRAM)
    git(alice, "add", ".")
    git(alice, "commit", "-q", "-m", "Start the canvas")
    git(alice, "remote", "add", "origin", str(origin))
    git(alice, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(origin), str(bob))
    setup(bob, PROGRAM)  # git config is not cloned: each clone sets itself up
    return Team(origin, alice, bob)


def append(block: int, text: str) -> Callable[[Canvas], Canvas]:
    return lambda canvas: add_item(canvas, block, text).canvas


def replace_text(block: int, old: str, new: str) -> Callable[[Canvas], Canvas]:
    def change(canvas: Canvas) -> Canvas:
        items = tuple(
            item.with_text(new) if item.text == old else item for item in canvas.blocks[block]
        )
        return canvas.with_block(block, items)

    return change


# -- merging -------------------------------------------------------------------------------


@needs_git
def test_edits_in_different_blocks_merge_cleanly(team: Team) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Alice: offline")
    team.alice_pushes()
    team.edit(team.bob, replace_text(KP, "Stripe", "Stripe Connect"), "Bob: Stripe Connect")
    done = team.bob_merges()
    assert done.returncode == 0, done.stdout + done.stderr
    canvas = team.bobs_canvas()
    assert canvas.texts(VP) == ("Saves 3 hours a week", "Works offline")
    assert canvas.texts(KP) == ("Stripe Connect", "Cloud hosting provider", "Law firm")
    assert git(team.bob, "status", "--porcelain", "--untracked-files=no").stdout == ""


@needs_git
def test_both_sides_adding_at_the_end_of_one_block_merge_cleanly(team: Team) -> None:
    team.edit(team.alice, append(KP, "Alice's bank"), "Alice: bank")
    team.alice_pushes()
    team.edit(team.bob, append(KP, "Bob's lawyer"), "Bob: lawyer")
    done = team.bob_merges()
    assert done.returncode == 0, done.stdout + done.stderr
    # Ours (Bob's, who merges) first.
    assert team.bobs_canvas().texts(KP)[-2:] == ("Bob's lawyer", "Alice's bank")


@needs_git
def test_an_item_moved_on_one_side_and_edited_on_the_other_is_moved_and_edited(
    team: Team,
) -> None:
    def move(canvas: Canvas) -> Canvas:
        return move_to_block(canvas, Pos(KP, 1), KR).canvas

    team.edit(team.alice, move, "Alice: hosting is a resource")
    team.alice_pushes()
    edited = "Cloud hosting provider (EU region)"
    team.edit(team.bob, replace_text(KP, "Cloud hosting provider", edited), "Bob: EU")
    done = team.bob_merges()
    assert done.returncode == 0, done.stdout + done.stderr
    canvas = team.bobs_canvas()
    assert canvas.texts(KP) == ("Stripe", "Law firm")
    assert canvas.texts(KR) == ("Engineers", edited)


@needs_git
def test_the_same_item_edited_differently_is_a_conflict_that_keeps_both(team: Team) -> None:
    team.edit(team.alice, replace_text(KP, "Stripe", "Stripe Connect"), "Alice: Connect")
    team.alice_pushes()
    team.edit(team.bob, replace_text(KP, "Stripe", "Stripe Billing"), "Bob: Billing")
    done = team.bob_merges()
    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    assert "both sides changed an item" in done.stderr
    assert git(team.bob, "status", "--porcelain").stdout.startswith("UU canvases/acme.toml")
    items = team.bobs_canvas().blocks[KP]  # the file still loads
    assert items[:2] == (
        Item("Stripe Billing", tags=(CONFLICT_TAG,)),
        Item("Stripe Connect", tags=(CONFLICT_TAG,)),
    )
    assert "<<<<<<<" not in Team.canvas(team.bob).read_text(encoding="utf-8")


@needs_git
def test_ours_comments_and_unknown_keys_survive_a_merge(team: Team) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Alice: offline")
    team.alice_pushes()
    team.edit(team.bob, append(KA, "Partner webinars"), "Bob: webinars")
    assert team.bob_merges().returncode == 0
    text = Team.canvas(team.bob).read_text(encoding="utf-8")
    assert "# Reviewed every Monday" in text
    assert 'owner = "ada"' in text
    assert '"Law firm",  # the one in Berlin' in text
    assert team.bobs_canvas().texts(VP)[-1] == "Works offline"


@needs_git
def test_a_title_changed_on_one_side_merges_cleanly(team: Team) -> None:
    team.edit(team.alice, lambda canvas: retitle(canvas, "Acme Robotics"), "Alice: title")
    team.alice_pushes()
    team.edit(team.bob, append(KP, "Bank"), "Bob: bank")
    assert team.bob_merges().returncode == 0
    assert team.bobs_canvas().title == "Acme Robotics"


@needs_git
def test_titles_changed_differently_keep_ours_with_theirs_in_a_comment(team: Team) -> None:
    team.edit(team.alice, lambda canvas: retitle(canvas, "Acme Robotics"), "Alice: title")
    team.alice_pushes()
    team.edit(team.bob, lambda canvas: retitle(canvas, "Acme Robots"), "Bob: title")
    done = team.bob_merges()
    assert done.returncode != 0
    assert "conflict in the title" in done.stderr
    lines = Team.canvas(team.bob).read_text(encoding="utf-8").splitlines()
    at = lines.index('title = "Acme Robots"')
    assert lines[at - 1] == '# canvas-tui merge: their title was "Acme Robotics"'
    assert team.bobs_canvas().title == "Acme Robots"


# -- git diff, git-setup -------------------------------------------------------------------


@needs_git
def test_git_diff_shows_items_under_block_titles(team: Team) -> None:
    loaded = load(Team.canvas(team.alice), TEMPLATES)
    save(loaded, add_item(loaded.canvas, KA, "Partner webinars").canvas)
    diff = git(team.alice, "diff").stdout
    assert "@@ 2 Key Activities\n" in diff  # the hunk's header
    assert "+- Partner webinars" in diff
    assert "key_activities" not in diff  # items, not TOML
    stat = git(team.alice, "diff", "--stat").stdout
    assert "canvases/acme.toml" in stat


@needs_git
def test_a_change_to_a_blocks_first_item_is_labelled_with_that_block(team: Team) -> None:
    # git labels a hunk with the last heading above its three lines of context.
    for block, label in ((KA, "2 Key Activities"), (KR, "3 Key Resources"), (KP, "1 Key Partners")):
        loaded = load(Team.canvas(team.alice), TEMPLATES)
        first = loaded.canvas.blocks[block][0].text
        save(loaded, replace_text(block, first, f"{first}, now")(loaded.canvas))
        diff = git(team.alice, "diff").stdout
        headers = [line for line in diff.splitlines() if line.startswith("@@")]
        assert len(headers) == 1 and headers[0].endswith(f"@@ {label}"), diff
        assert f"-- {first}\n+- {first}, now\n" in diff
        git(team.alice, "checkout", "--", "canvases/acme.toml")


@needs_git
def test_git_setup_is_idempotent(team: Team, capsys: pytest.CaptureFixture[str]) -> None:
    attributes = (team.alice / ".gitattributes").read_bytes()
    assert attributes == b"canvases/*.toml merge=canvas-tui diff=canvas-tui\n"
    assert main(["git-setup", str(team.alice)]) == 0  # names this canvas-tui by its own path
    first = capsys.readouterr().out
    assert "merge.canvas-tui.driver" in first
    config = git(team.alice, "config", "--local", "--list").stdout
    assert main(["git-setup", str(team.alice)]) == 0
    assert "set up already" in capsys.readouterr().out
    assert git(team.alice, "config", "--local", "--list").stdout == config
    assert (team.alice / ".gitattributes").read_bytes() == attributes
    driver = git(team.alice, "config", "--get", "merge.canvas-tui.driver").stdout.strip()
    assert driver.startswith("if [ -x /")  # canvas-tui by its absolute path...
    assert '"$@" merge %O %A %B %P;' in driver  # ...told the canvas's path in the repository
    assert driver.endswith("exec git merge-file -L ours -L base -L theirs %A %O %B")
    checked = git(team.alice, "check-attr", "merge", "diff", "--", "canvases/acme.toml").stdout
    assert checked.splitlines() == [
        "canvases/acme.toml: merge: canvas-tui",
        "canvases/acme.toml: diff: canvas-tui",
    ]


@needs_git
def test_git_setup_for_folders_of_canvases(tmp_path: Path, git_env: None) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    report = setup(repo, PROGRAM)  # canvases at the root: those, not every *.toml below it
    assert report.pattern == "/*.toml"
    (repo / "templates").mkdir()
    (repo / "templates" / "mine.toml").write_text("", encoding="utf-8")
    for name, expected in (("acme.toml", "canvas-tui"), ("templates/mine.toml", "unspecified")):
        checked = git(repo, "check-attr", "merge", "--", name).stdout
        assert checked.strip() == f"{name}: merge: {expected}"
    nested = repo / "team plans" / "2024"
    nested.mkdir(parents=True)
    (nested / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    report = setup(nested, PROGRAM)
    assert report.pattern == '"team plans/2024/*.toml"'
    checked = git(repo, "check-attr", "merge", "--", "team plans/2024/acme.toml").stdout
    assert checked.strip() == "team plans/2024/acme.toml: merge: canvas-tui"
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", "-b", "main", str(other))
    odd = other / "odd[1]*"
    odd.mkdir()
    (odd / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    setup(odd, PROGRAM)
    for name in ("odd[1]*/acme.toml", "odd1/acme.toml"):
        checked = git(other, "check-attr", "merge", "--", name).stdout
        expected = "canvas-tui" if name.startswith("odd[") else "unspecified"
        assert checked.strip() == f"{name}: merge: {expected}"
    assert attributes_pattern(".") == "/*.toml"


@needs_git
def test_git_setup_before_the_first_canvas_covers_only_the_canvases_folder(
    tmp_path: Path, git_env: None
) -> None:
    repo = tmp_path / "repo"  # a project's repository, its data dir at the root, no canvas yet
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert setup(repo, PROGRAM).pattern == "canvases/*.toml"
    for name, expected in (("pyproject.toml", "unspecified"), ("canvases/a.toml", "canvas-tui")):
        checked = git(repo, "check-attr", "merge", "--", name).stdout
        assert checked.strip() == f"{name}: merge: {expected}"
    # An earlier canvas-tui wrote a line for every *.toml: a setup at the root replaces it.
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", "-b", "main", str(other))
    (other / ".gitattributes").write_text(
        "*.md diff=markdown\n*.toml merge=canvas-tui diff=canvas-tui\n", encoding="utf-8"
    )
    (other / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    setup(other, PROGRAM)
    assert (other / ".gitattributes").read_text(encoding="utf-8") == (
        "*.md diff=markdown\n/*.toml merge=canvas-tui diff=canvas-tui\n"
    )


# -- log -----------------------------------------------------------------------------------


@needs_git
def test_log_lists_commits_following_renames_and_the_snapshots(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Offline mode")
    git(team.alice, "mv", "canvases/acme.toml", "canvases/acme-robotics.toml")
    git(team.alice, "commit", "-q", "-m", "Rename the canvas")
    path = team.alice / "canvases" / "acme-robotics.toml"
    history = file_history(path)
    assert [c.subject for c in history.commits] == [
        "Rename the canvas",
        "Offline mode",
        "Start the canvas",
    ]
    assert [c.path for c in history.commits] == [
        "canvases/acme-robotics.toml",
        "canvases/acme.toml",
        "canvases/acme.toml",
    ]
    assert history.notes == ()
    first = history.commits[-1]
    assert first.author == "Ada Lovelace"
    old = canvasfile.parse(file_at(history.repository, first.hash, first.path).decode(), TEMPLATES)
    assert old.canvas == START

    take_snapshot(team.alice / "snapshots" / "acme-robotics", START_TEXT, "Before the offsite")
    assert main(["--data-dir", str(team.alice), "log", "acme-robotics"]) == 0
    out = capsys.readouterr().out
    assert "3 commits" in out and "Rename the canvas" in out and "Ada Lovelace" in out
    assert "Before the offsite" in out
    assert main(["--data-dir", str(team.alice), "log", "acme-robotics", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["git"]["commits"][0]["subject"] == "Rename the canvas"
    assert data["snapshots"][0]["label"] == "Before the offsite"


@needs_git
def test_log_follows_a_rename_that_came_in_through_a_merge(team: Team) -> None:
    git(team.alice, "mv", "canvases/acme.toml", "canvases/robots.toml")
    git(team.alice, "commit", "-q", "-m", "Alice: rename")
    path = team.alice / "canvases" / "robots.toml"
    loaded = load(path, TEMPLATES)
    save(loaded, append(VP, "Works offline")(loaded.canvas))
    git(team.alice, "commit", "-q", "-am", "Alice: offline, after the rename")
    team.alice_pushes()
    team.edit(team.bob, append(KA, "Webinars"), "Bob: webinars")
    assert team.bob_merges().returncode == 0
    history = file_history(team.bob / "canvases" / "robots.toml")
    subjects = [commit.subject for commit in history.commits]
    assert subjects[0].startswith("Merge")
    assert set(subjects[1:]) == {
        "Alice: offline, after the rename",
        "Alice: rename",
        "Bob: webinars",
        "Start the canvas",
    }
    paths = {commit.subject: commit.path for commit in history.commits}
    assert paths["Alice: offline, after the rename"] == "canvases/robots.toml"
    assert paths["Bob: webinars"] == "canvases/acme.toml"


@needs_git
def test_log_includes_merge_commits_that_changed_the_canvas(team: Team) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Alice: offline")
    team.alice_pushes()
    team.edit(team.bob, append(KA, "Webinars"), "Bob: webinars")
    assert team.bob_merges().returncode == 0
    subjects = [c.subject for c in file_history(Team.canvas(team.bob)).commits]
    assert subjects[0].startswith("Merge")
    assert set(subjects[1:]) == {"Alice: offline", "Bob: webinars", "Start the canvas"}


# -- problems, each one clear line ---------------------------------------------------------


def test_without_git_each_command_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    data = tmp_path / "data"
    (data / "canvases").mkdir(parents=True)
    (data / "canvases" / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    with pytest.raises(GitNotFoundError, match="git is not installed"):
        find_repository(data)
    assert main(["--data-dir", str(data), "log", "acme"]) == 0
    assert "Git: git is not installed" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "git-setup"]) == 1
    err = capsys.readouterr().err
    assert err == "canvas-tui: error: git is not installed (the 'git' program was not found)\n"


@needs_git
def test_outside_a_repository(
    tmp_path: Path, git_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    (data / "canvases").mkdir(parents=True)
    (data / "canvases" / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    with pytest.raises(NotARepositoryError, match="is not in a git repository"):
        file_history(data / "canvases" / "acme.toml")
    take_snapshot(data / "snapshots" / "acme", START_TEXT)
    assert main(["--data-dir", str(data), "log", "acme"]) == 0
    out = capsys.readouterr().out
    assert "is not in a git repository" in out and "Snapshots: 1" in out
    assert main(["--data-dir", str(data), "git-setup"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not in a git repository" in err


@needs_git
def test_a_repository_without_commits(tmp_path: Path, git_env: None) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "acme.toml").write_text(START_TEXT, encoding="utf-8")
    assert find_repository(repo).head is None
    with pytest.raises(NoCommitsError, match="has no commits yet"):
        file_history(repo / "acme.toml")
    assert setup(repo, PROGRAM).changes  # setting up needs no commit


@needs_git
def test_a_file_not_committed_yet(team: Team) -> None:
    other = team.alice / "canvases" / "new.toml"
    other.write_text(START_TEXT, encoding="utf-8")
    history = file_history(other)
    assert history.commits == ()
    assert history.notes == (
        "no commit has canvases/new.toml yet (add and commit it to start its history)",
    )


@needs_git
def test_a_detached_head_still_has_a_history(team: Team) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Offline mode")
    git(team.alice, "checkout", "-q", "--detach", "HEAD~1")
    repository = find_repository(team.alice)
    assert repository.detached and repository.branch is None
    history = file_history(Team.canvas(team.alice))
    assert [c.subject for c in history.commits] == ["Start the canvas"]
    assert any("HEAD is detached" in note for note in history.notes)


@needs_git
def test_a_shallow_clone_says_its_history_is_partial(team: Team, tmp_path: Path) -> None:
    team.edit(team.alice, append(VP, "Works offline"), "Offline mode")
    team.alice_pushes()
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{team.origin}", str(shallow))
    history = file_history(Team.canvas(shallow))
    assert [c.subject for c in history.commits] == ["Offline mode"]
    assert history.repository.shallow
    assert any("shallow clone" in note and "partial" in note for note in history.notes)
