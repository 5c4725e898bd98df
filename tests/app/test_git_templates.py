"""Templates that travel with the canvases: a `templates/` folder beside `canvases/` (in a
repository, or any data dir) wins over the user's own templates for those canvases, when
reading (`show`), merging (git's driver), diffing (`git diff`'s textconv) and editing; and
`git-setup --copy-templates` puts the user's templates the canvases use into it. With the
real `git` program in temporary repositories.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.store.gitsetup import setup
from gittools import git

PROGRAM = [sys.executable, "-m", "canvas_tui"]
CANVAS = "canvases/plan.toml"

BLOCK = """
[[blocks]]
key = "{key}"
title = "{title}"
short = "{short}"
question = "{title}?"
place = {{ row = {row}, column = {column} }}
"""


def swot(last_key: str, last_title: str) -> str:
    """A SWOT template whose fourth block is `last_key` (a rename changes it)."""
    blocks = [
        ("strengths", "Strengths", "S"),
        ("weaknesses", "Weaknesses", "W"),
        ("opportunities", "Opportunities", "O"),
        (last_key, last_title, "T"),
    ]
    head = 'id = "swot"\ntitle = "SWOT"\ngrid = { rows = 2, columns = 2 }\n'
    return head + "".join(
        BLOCK.format(key=key, title=title, short=short, row=n // 2, column=n % 2)
        for n, (key, title, short) in enumerate(blocks)
    )


PLAN = """title = "Plan"
template = "swot"

[blocks]
strengths = [
    "Fast team",
]
weaknesses = []
opportunities = []
risks = [
    "A big rival",
]
"""


@pytest.fixture
def repo(tmp_path: Path, git_env: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NO_COLOR", "1")
    """A data dir in git whose canvas uses the repository's SWOT template (threats renamed
    to risks), while the user's own SWOT template still says threats."""
    user_templates = tmp_path / "config" / "templates"  # beside CANVAS_TUI_CONFIG's file
    user_templates.mkdir(parents=True)
    (user_templates / "swot.toml").write_text(swot("threats", "Threats"), encoding="utf-8")
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    (repo / "templates").mkdir()
    (repo / "templates" / "swot.toml").write_text(swot("risks", "Risks"), encoding="utf-8")
    (repo / "canvases").mkdir()
    (repo / CANVAS).write_text(PLAN, encoding="utf-8")
    setup(repo, PROGRAM)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start")
    return repo


def test_the_folders_templates_win_when_reading(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(repo), "show", "plan", "--width", "100"]) == 0
    out = capsys.readouterr().out
    assert "Risks" in out and "A big rival" in out and "Threats" not in out


def test_the_merge_driver_reads_with_the_folders_templates(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "theirs")
    (repo / CANVAS).write_text(PLAN.replace('"A big rival",', '"A big rival",\n    "Churn",'))
    git(repo, "commit", "-q", "-am", "Their risk")
    git(repo, "checkout", "-q", "main")
    (repo / CANVAS).write_text(PLAN.replace('"Fast team",', '"Fast team",\n    "Brand",'))
    git(repo, "commit", "-q", "-am", "Our strength")
    done = git(repo, "merge", "theirs", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (repo / CANVAS).read_text(encoding="utf-8")
    assert '"Brand"' in text and '"Churn"' in text and '"A big rival"' in text
    assert "<<<<<<<" not in text


def test_git_diff_names_the_folders_blocks(repo: Path) -> None:
    (repo / CANVAS).write_text(PLAN.replace('"A big rival",', '"A big rival",\n    "Churn",'))
    diff = git(repo, "diff").stdout
    assert "@@ 4 Risks" in diff and "+- Churn" in diff
    assert "Threats" not in diff


def test_git_setup_offers_and_copies_the_users_templates(
    tmp_path: Path, git_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    user_templates = tmp_path / "config" / "templates"
    user_templates.mkdir(parents=True)
    (user_templates / "swot.toml").write_text(swot("threats", "Threats"), encoding="utf-8")
    data = tmp_path / "data"
    git(tmp_path, "init", "-q", "-b", "main", str(data))
    (data / "canvases").mkdir()
    (data / CANVAS).write_text(PLAN.replace("risks", "threats"), encoding="utf-8")
    assert main(["git-setup", str(data)]) == 0
    out = capsys.readouterr().out
    assert "use your own templates (swot)" in out and "--copy-templates" in out
    assert not (data / "templates").exists()  # offered, not done
    assert main(["git-setup", "--copy-templates", str(data)]) == 0
    out = capsys.readouterr().out
    copy = data / "templates" / "swot.toml"
    assert f"copied template 'swot' to {copy}" in out
    assert copy.read_text(encoding="utf-8") == swot("threats", "Threats")
    assert main(["git-setup", str(data)]) == 0  # in the folder now: nothing more to offer
    assert "your own templates" not in capsys.readouterr().out
