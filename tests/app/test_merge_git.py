"""The three-way merge of canvases (`canvas_tui.merge`) and the `merge` command (git's merge
driver): what merges cleanly, what conflicts and how nothing is ever lost; with hypothesis
properties over random edits on both sides."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from canvas_tui import canvasfile
from canvas_tui.cli import main
from canvas_tui.model import Canvas
from canvas_tui.template import built_in_templates

KEYS = built_in_templates().default.keys
BASE = Canvas.from_lists("T", [["Stripe", "Cloud hosting provider"], *([[]] * 8)])


def _write(path: Path, canvas: Canvas) -> Path:
    path.write_text(canvasfile.dump(canvas, KEYS), encoding="utf-8")
    return path


def test_versions_that_are_not_canvases_are_merged_line_by_line_by_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "base"
    ours = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    lines = '[tool]\nname = "{}"\nx = 1\ny = 2\nversion = {}\n'
    base.write_text(lines.format("a", 1), encoding="utf-8")
    ours.write_text(lines.format("b", 1), encoding="utf-8")
    theirs.write_text(lines.format("a", 2), encoding="utf-8")
    if shutil.which("git") is None:
        pytest.skip("the git program is not installed")
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    assert ours.read_text(encoding="utf-8") == lines.format("b", 2)
    assert "ours: not a canvas (no [blocks] table): merged line by line" in capsys.readouterr().err
    # A broken canvas is merged like text too: conflict markers, exit 1, nothing dropped.
    _write(base, BASE)
    ours.write_text(
        canvasfile.dump(BASE, KEYS).replace('title = "T"', 'title = "Ours'), encoding="utf-8"
    )
    _write(theirs, dataclasses.replace(BASE, title="Theirs"))
    assert main(["merge", str(base), str(ours), str(theirs)]) == 1
    text = ours.read_text(encoding="utf-8")
    assert "<<<<<<< ours" in text and 'title = "Ours' in text and 'title = "Theirs"' in text
