"""Running the command line in tests: `main()` in this process or `python -m canvas_tui` as a
real one, and the shape of a one-line error."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.safetext import has_unsafe

ERROR_PREFIX = "canvas-tui: error:"


def run(
    capsys: pytest.CaptureFixture[str], *args: str | Path, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """`main()` in this process, with `stdin` as standard input: exit status, stdout, stderr."""
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


def cli(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    *args: str | Path,
    stdin: bytes | None = None,
) -> tuple[int, str, str]:
    """`canvas-tui --data-dir DATA ARGS` through `main()`."""
    return run(capsys, "--data-dir", data_dir, *args, stdin=stdin)


def process(
    *args: str | Path,
    env: dict[str, str] | None = None,
    python_flags: tuple[str, ...] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """`python -m canvas_tui ARGS` as a real process."""
    environment = dict(os.environ if env is None else env)
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "canvas_tui", *(str(arg) for arg in args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def one_line_error(code: int, out: str, err: str, *fragments: str) -> str:
    """The run failed with exit status 1 and one line on stderr (no traceback, nothing that
    could act on a terminal) holding each of `fragments`; returns that line."""
    assert code == 1, (code, out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(ERROR_PREFIX), err
    assert "Traceback" not in err
    assert not has_unsafe(lines[0]), f"raw controls on stderr: {err!r}"
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
