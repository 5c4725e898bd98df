"""The `canvas-tui` command line, in-process through `main()` and as a real `python -m` process."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from canvas_tui import __version__
from canvas_tui.store import CanvasStore
from clitools import one_line_error as assert_one_line_error
from clitools import process as subprocess_run
from helpers import ACME, write_canvas


def test_version_as_a_process() -> None:
    result = subprocess_run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"canvas-tui {__version__}"


def test_path_as_a_process_uses_the_environment(tmp_path: Path) -> None:
    env = dict(os.environ, CANVAS_TUI_DATA_DIR=str(tmp_path / "proc-env"))
    result = subprocess_run("path", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'proc-env'}\n"
    result = subprocess_run("path", "--data-dir", tmp_path / "proc-option", env=env)
    assert result.stdout == f"{tmp_path / 'proc-option'}\n"


def test_process_error_is_one_line_with_exit_1(data_dir: Path) -> None:
    result = subprocess_run("--data-dir", data_dir, "show", "nope")
    assert_one_line_error(result.returncode, result.stdout, result.stderr, "nope")


def test_process_broken_toml_is_one_line_with_exit_1(data_dir: Path) -> None:
    (data_dir / "canvases" / "broken.toml").write_text('title = "x\n')
    result = subprocess_run("--data-dir", data_dir, "export", "broken", "--format", "json")
    line = assert_one_line_error(result.returncode, result.stdout, result.stderr)
    assert re.search(r"line 1, column \d+", line)


def test_process_invalid_name_is_one_line_with_exit_1(data_dir: Path) -> None:
    result = subprocess_run("--data-dir", data_dir, "new", "x", "--name", "../x")
    assert_one_line_error(result.returncode, result.stdout, result.stderr)


def test_process_usage_error_exits_2(data_dir: Path) -> None:
    result = subprocess_run("--data-dir", data_dir, "export", "acme", "--format", "docx")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "usage:" in result.stderr


def test_process_show_and_export(data_dir: Path, store: CanvasStore) -> None:
    write_canvas(store, "acme", ACME)
    result = subprocess_run("--data-dir", data_dir, "show", "acme", "--width", "60")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Trade fairs" in result.stdout
    assert all(cell_len(line) <= 60 for line in result.stdout.splitlines())
    result = subprocess_run("--data-dir", data_dir, "export", "acme", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Acme Robotics"


def test_process_editor_without_a_terminal_is_an_error(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CANVAS_TUI_FORCE"}
    result = subprocess_run("--data-dir", data_dir, "acme", env=env)
    assert_one_line_error(result.returncode, result.stdout, result.stderr)


def test_first_run_as_a_process(tmp_path: Path) -> None:
    fresh = tmp_path / "proc-fresh"
    result = subprocess_run("--data-dir", fresh, "show", "example", "--width", "120")
    assert result.returncode == 0, result.stderr
    assert "9 Revenue Streams" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--json"),
        ("show", "acme", "--width", "120"),
        ("show", "acme", "--width", "60", "--guide"),
        ("export", "acme", "--format", "markdown"),
        ("export", "acme", "--format", "json"),
        ("export", "acme", "--format", "toml"),
        ("export", "acme", "--format", "html"),
        ("new", "Another idea"),
        ("new", "A lean idea", "--template", "lean"),
        ("templates",),
        ("templates", "--json"),
        ("keys",),
        ("path",),
    ],
    ids=lambda args: "-".join(args).replace(" ", "_"),
)
def test_plain_commands_never_import_textual(
    args: tuple[str, ...], data_dir: Path, store: CanvasStore
) -> None:
    write_canvas(store, "acme", ACME)
    result = subprocess_run("--data-dir", data_dir, *args, python_flags=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "canvas_tui.cli" in imported, "the import log was not captured"
    textual = sorted({name for name in imported if name.startswith("textual")})
    assert not textual, f"{' '.join(args)} imported {textual[:5]}"
