"""`import --dry-run` in words, and the errors of `import` when nothing names a block."""

from __future__ import annotations

from pathlib import Path

import pytest

from clitools import cli

pytestmark = pytest.mark.usefixtures("plain_output")

TEXT = b"""# Acme

Our intro, which is not an item.

## Value Propositions
- Fast
- [ ] Cheap

## Risks
- Nobody pays
"""


def test_dry_run_says_what_would_be_imported_and_what_is_skipped(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "import", "-", "--dry-run", stdin=TEXT)
    assert code == 0
    lines = out.splitlines()
    assert lines[:4] == [
        "template: tech-bmc (Tech Business Model Canvas)",
        "title: Acme",
        "name: acme",
        "items: 2",
    ]
    assert "  4 Value Proposition: 2" in lines
    assert "  line 3: Our intro, which is not an item. (before the first block)" in lines
    assert "  line 9: ## Risks (names no block)" in lines
    assert "  line 10: Nobody pays (under a heading that names no block)" in lines
    assert lines[-1] == "nothing written (--dry-run)"
    assert "line 9: ## Risks" in err  # the warning, as a real import gives it
    assert not (data_dir / "canvases").exists() or not list((data_dir / "canvases").iterdir())


def test_a_json_file_where_nothing_names_a_block_is_an_error_of_short_lines(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b'{"title": "OKRs", "objectives": [{"name": "Grow", "keyResults": ["x"]}]}'
    code, out, err = cli(data_dir, capsys, "import", "-", stdin=text)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0] == (
        "canvas-tui: error: nothing in this JSON names a block of an installed template"
    )
    assert any("'content'/'items'" in line for line in lines)
    assert all(len(line) <= 100 for line in lines)
    assert not (data_dir / "canvases").exists() or not list((data_dir / "canvases").iterdir())


def test_the_template_named_wins_over_the_headings(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"# L\n## Problem\n- a\n## Channels\n- b\n"
    code, out, err = cli(data_dir, capsys, "import", "-", "--dry-run", stdin=text)
    assert "template: lean (Lean Canvas)" in out and "template lean" in err
    code, out, err = cli(
        data_dir, capsys, "import", "-", "--dry-run", "--template", "tech-bmc", stdin=text
    )
    assert code == 0
    assert "template: tech-bmc" in out and err.count("warning") == 1  # ## Problem is skipped
