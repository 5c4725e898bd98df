"""The history commands (`diff`, `textconv`, `merge`) as a real process: no Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import ACME, SHELL_ACME, dump_canvas


def test_plain_history_commands_never_import_textual(tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(dump_canvas(SHELL_ACME), encoding="utf-8")
    new.write_text(dump_canvas(ACME), encoding="utf-8")
    script = (
        "import sys\n"
        "from canvas_tui.cli import main\n"
        "for argv in (['diff', sys.argv[1], sys.argv[2]], ['textconv', sys.argv[1]],"
        " ['merge', sys.argv[1], sys.argv[3], sys.argv[2]]):\n"
        "    main(argv)\n"
        "assert 'textual' not in sys.modules and 'canvas_tui.ui' not in sys.modules\n"
    )
    ours = tmp_path / "ours.toml"
    ours.write_bytes(old.read_bytes())
    done = subprocess.run(
        [sys.executable, "-c", script, str(old), str(new), str(ours)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
