"""The merge driver as git runs it, with the real `git` program in temporary repositories:
a version that is not a canvas (truncated, broken TOML, conflict markers, another template)
is a conflict with git's own markers and one line naming the canvas; the driver command that
`git-setup` writes falls back to git's line merge when canvas-tui is missing; CRLF files
keep their line endings; a criss-cross merge reports only the conflicts of its result; a
`git pull --rebase` goes through the driver too.

Every test runs with its own HOME and global git config, so the machine's settings never leak in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from canvas_tui import canvasfile
from canvas_tui.cli import main
from canvas_tui.model import Canvas
from canvas_tui.store.gitsetup import setup
from canvas_tui.template import built_in_templates
from gittools import git

TECH = built_in_templates().default
PROGRAM = [sys.executable, "-m", "canvas_tui"]  # this very canvas-tui
CANVAS = "canvases/acme.toml"

START = 'title = "Acme"\n\n[blocks]\n' + "".join(
    f"{key} = []\n" for key in TECH.keys if key not in ("key_partners", "key_activities")
)
START = START.replace(
    "[blocks]\n",
    '[blocks]\nkey_partners = [\n    "Stripe",\n    "Law firm",\n]\n'
    'key_activities = [\n    "Build",\n    "Sell",\n]\n',
)


def write(repo: Path, text: str, name: str = CANVAS, newline: str = "\n") -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path, git_env: None) -> Path:
    """A repository (a data dir) set up for canvases, with canvases/acme.toml committed on
    `main` and a branch `theirs` at the same commit."""
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    setup(repo, PROGRAM)
    write(repo, START)
    commit(repo, "Start the canvas")
    git(repo, "branch", "theirs")
    return repo


def on_branches(repo: Path, ours: str, theirs: str, newline: str = "\n") -> None:
    """Commit `theirs` on the branch `theirs` and `ours` on `main` (checked out after)."""
    git(repo, "checkout", "-q", "theirs")
    write(repo, theirs, newline=newline)
    commit(repo, "Their change")
    git(repo, "checkout", "-q", "main")
    write(repo, ours, newline=newline)
    commit(repo, "Our change")


def driver_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("canvas-tui merge:")]


def read(repo: Path) -> str:
    return (repo / CANVAS).read_text(encoding="utf-8")


def add_partner(text: str, partner: str) -> str:
    return text.replace('    "Law firm",\n', f'    "Law firm",\n    "{partner}",\n')


def add_activity(text: str, activity: str) -> str:
    return text.replace('    "Sell",\n', f'    "Sell",\n    "{activity}",\n')


# -- a version that is not a canvas: a conflict with markers, one line naming the canvas ------


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (START[: START.index('"Law firm"') + 5], "theirs is not a canvas (invalid TOML"),
        (
            START.replace('"Law firm",', '"Law firm" "Lawyers",'),
            "theirs is not a canvas (invalid TOML",
        ),
        (
            START.replace(
                '    "Law firm",\n',
                '<<<<<<< HEAD\n    "Law firm",\n=======\n    "Lawyers",\n>>>>>>> b\n',
            ),
            "theirs is not a canvas (this file has git conflict markers",
        ),
    ],
    ids=["truncated", "broken-toml", "conflict-markers"],
)
def test_a_side_that_is_not_a_canvas_is_a_conflict_with_git_markers(
    repo: Path, broken: str, reason: str
) -> None:
    on_branches(repo, add_partner(START, "Bank"), broken)
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "CONFLICT (content): Merge conflict in canvases/acme.toml" in done.stdout
    lines = driver_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"canvas-tui merge: {CANVAS}: {reason}")
    assert ".merge_file_" not in done.stderr  # git's temp files are never named
    text = read(repo)
    assert "<<<<<<< ours" in text and ">>>>>>> theirs" in text
    assert git(repo, "status", "--porcelain").stdout.startswith(f"UU {CANVAS}")


def test_their_template_switched_beside_a_hand_edit_merges_without_an_internal_error(
    repo: Path,
) -> None:
    # Ours edited by hand; theirs switched to a template with the same blocks (their own,
    # in the repository's templates/): the template line merges like any other line, and
    # both sides' items are kept.
    template = (
        Path(__file__).parents[2] / "src/canvas_tui/template/shipped/tech-bmc.toml"
    ).read_text(encoding="utf-8")
    write(repo, template.replace('id = "tech-bmc"', 'id = "tech-de"'), "templates/tech-de.toml")
    commit(repo, "Our own template")
    git(repo, "branch", "-f", "theirs")
    ours = add_partner(START, "Bank").replace('title = "Acme"', '# by hand\ntitle = "Acme"')
    theirs = add_activity(START, "Hire").replace(
        'title = "Acme"\n', 'title = "Acme"\ntemplate = "tech-de"\n'
    )
    on_branches(repo, ours, theirs)
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "internal error" not in done.stderr
    text = read(repo)
    assert '"Bank"' in text and '"Hire"' in text and 'template = "tech-de"' in text
    assert "# by hand" in text


def test_their_template_switched_to_another_kind_is_a_conflict_with_a_clear_line(
    repo: Path,
) -> None:
    lean_template = built_in_templates().get("lean")
    assert lean_template is not None
    blocks = [["Stripe"]] + [[] for _ in lean_template.keys[1:]]
    lean = canvasfile.dump(Canvas.from_lists("Acme", blocks, "lean"), lean_template.keys)
    ours = add_partner(START, "Bank").replace('title = "Acme"', '# by hand\ntitle = "Acme"')
    on_branches(repo, ours, lean)
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = driver_lines(done.stderr)
    assert lines and all(line.startswith(f"canvas-tui merge: {CANVAS}: ") for line in lines)
    assert any("a block the template 'lean' does not have: kept" in line for line in lines)
    text = read(repo)  # nothing of either side dropped, whatever the template says
    assert '"Bank"' in text and '"Stripe"' in text and 'template = "lean"' in text


# -- the driver command: canvas-tui missing --------------------------------------------------


def test_without_canvas_tui_the_driver_falls_back_to_git_line_merge_and_says_so(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(repo, [str(repo.parent / "moved-away" / "canvas-tui")])
    path = [
        d for d in os.environ["PATH"].split(os.pathsep) if not (Path(d) / "canvas-tui").exists()
    ]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    on_branches(repo, add_partner(START, "Bank"), add_partner(START, "Lawyer"))
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 1
    lines = driver_lines(done.stderr)
    assert lines == [
        f"canvas-tui merge: {CANVAS}: the canvas-tui program was not found: merged line by"
        " line by git, with conflict markers"
    ], done.stderr
    text = read(repo)
    assert '<<<<<<< ours\n    "Bank",\n=======\n    "Lawyer",\n>>>>>>> theirs\n' in text


def test_without_canvas_tui_a_clean_line_merge_is_clean(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup(repo, [str(repo.parent / "moved-away" / "canvas-tui")])
    path = [
        d for d in os.environ["PATH"].split(os.pathsep) if not (Path(d) / "canvas-tui").exists()
    ]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    on_branches(repo, add_partner(START, "Bank"), add_activity(START, "Hire"))
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"Bank"' in read(repo) and '"Hire"' in read(repo)


def test_a_failing_canvas_tui_ends_in_git_line_merge_as_a_conflict(repo: Path) -> None:
    broken = repo.parent / "bin" / "canvas-tui"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\necho 'Traceback: boom' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    setup(repo, [str(broken)])
    on_branches(repo, add_partner(START, "Bank"), add_activity(START, "Hire"))
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 1, done.stdout + done.stderr  # clean lines, yet a conflict
    assert driver_lines(done.stderr) == [
        f"canvas-tui merge: {CANVAS}: canvas-tui failed (exit 3): merged line by line, with"
        " conflict markers"
    ], done.stderr
    assert '"Bank"' in read(repo) and '"Hire"' in read(repo)


# -- line endings, criss-cross, pull --rebase ------------------------------------------------


def test_a_crlf_file_keeps_its_line_endings(repo: Path) -> None:
    crlf = START.replace('title = "Acme"', '# Reviewed on Mondays\ntitle = "Acme"')
    write(repo, crlf, newline="\r\n")
    commit(repo, "CRLF")
    git(repo, "branch", "-f", "theirs")
    on_branches(repo, add_partner(crlf, "Bank"), add_activity(crlf, "Hire"), newline="\r\n")
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    data = (repo / CANVAS).read_bytes()
    assert b'"Bank"' in data and b'"Hire"' in data and b"# Reviewed on Mondays" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_a_criss_cross_merge_reports_only_the_conflicts_of_its_result(repo: Path) -> None:
    resolved = START.replace('"Stripe"', '"Stripe Connect"')
    on_branches(
        repo, START.replace('"Stripe"', '"Stripe EU"'), START.replace('"Stripe"', '"Stripe US"')
    )
    first_ours = git(repo, "rev-parse", "HEAD").stdout.strip()
    # Both branches merge each other and settle the conflict the same way: two merge bases.
    git(repo, "merge", "theirs", check=False)
    write(repo, resolved)
    commit(repo, "Settle Stripe")
    git(repo, "checkout", "-q", "theirs")
    git(repo, "merge", first_ours, check=False)
    write(repo, resolved)
    commit(repo, "Settle Stripe too")
    write(repo, add_activity(resolved, "Hire"))
    commit(repo, "Hire")
    git(repo, "checkout", "-q", "main")
    write(repo, add_partner(resolved, "Bank"))
    commit(repo, "Bank")
    assert len(git(repo, "merge-base", "--all", "main", "theirs").stdout.split()) == 2
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert driver_lines(done.stderr) == []  # the merge of the two bases says nothing
    text = read(repo)
    assert '"Stripe Connect"' in text and '"Bank"' in text and '"Hire"' in text
    assert "conflict" not in text


def test_pull_rebase_goes_through_the_driver(tmp_path: Path, repo: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    setup(clone, PROGRAM)
    write(repo, add_partner(START, "Lawyer"))  # upstream, on main
    commit(repo, "Upstream: lawyer")
    write(clone, add_partner(START, "Bank"))
    commit(clone, "Mine: bank")
    done = git(clone, "pull", "--rebase", "-q", "origin", "main", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = read(clone)
    assert '"Bank"' in text and '"Lawyer"' in text and "<<<<<<<" not in text
    subjects = git(clone, "log", "--format=%s").stdout.splitlines()
    assert subjects[:2] == ["Mine: bank", "Upstream: lawyer"]


def test_pull_rebase_with_a_broken_upstream_stops_with_markers(tmp_path: Path, repo: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    setup(clone, PROGRAM)
    write(repo, START[:-40])  # upstream committed a truncated canvas
    commit(repo, "Upstream: truncated")
    write(clone, add_partner(START, "Bank"))
    commit(clone, "Mine: bank")
    done = git(clone, "pull", "--rebase", "origin", "main", check=False)
    assert done.returncode != 0
    lines = driver_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    # In a rebase, "ours" is upstream's version: the truncated one.
    assert lines[0].startswith(f"canvas-tui merge: {CANVAS}: ours is not a canvas (invalid TOML")
    assert "no lines conflicted, but check it" in lines[0]  # git's line merge was clean...
    assert git(clone, "status", "--porcelain").stdout.startswith(f"UU {CANVAS}")  # ...yet it stops
    assert read(clone) == add_partner(START, "Bank")[:-40]


# -- after a merge -------------------------------------------------------------------------


def test_a_canvas_with_conflict_markers_says_so_and_what_to_do(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Plain git (its own attributes win over .gitattributes): two additions at one place.
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "attributes").write_text("*.toml merge=text\n", encoding="utf-8")
    on_branches(repo, add_partner(START, "Bank"), add_partner(START, "Lawyer"))
    assert git(repo, "merge", "theirs", check=False).returncode == 1
    assert "<<<<<<< HEAD" in read(repo)
    assert main(["--data-dir", str(repo), "show", "acme"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "this file has git conflict markers (<<<<<<< at line 7)" in err
    assert "git checkout --ours" in err and "git add" in err
    assert "invalid TOML" not in err


def test_cherry_pick_goes_through_the_driver(repo: Path) -> None:
    on_branches(repo, add_partner(START, "Bank"), add_partner(START, "Lawyer"))
    done = git(repo, "cherry-pick", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = read(repo)
    assert '"Bank"' in text and '"Lawyer"' in text and "<<<<<<<" not in text


def test_a_driver_set_up_without_the_path_says_how_to_get_it(repo: Path) -> None:
    git(repo, "config", "merge.canvas-tui.driver", " ".join([*PROGRAM, "merge", "%O %A %B"]))
    on_branches(repo, add_partner(START, "Bank"), START[:-40])
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 1
    lines = driver_lines(done.stderr)
    assert len(lines) == 1 and ".merge_file_" not in lines[0], done.stderr
    assert lines[0].startswith(
        "canvas-tui merge: a canvas (set up by an older canvas-tui: run 'canvas-tui git-setup'"
    )
