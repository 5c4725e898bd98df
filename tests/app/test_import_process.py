"""`canvas-tui import`: Markdown (our own export and ordinary notes), JSON and TOML, and the
round trip export → import over arbitrary canvases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from canvas_tui.canvasfile import dump
from canvas_tui.example import EXAMPLE
from canvas_tui.render.export import to_json, to_markdown
from canvas_tui.template import built_in_templates

TECH = built_in_templates().default


def test_import_never_imports_textual(tmp_path: Path, data_dir: Path) -> None:
    sources = {
        "notes.md": to_markdown(EXAMPLE, TECH),
        "notes.json": to_json(EXAMPLE, TECH),
        "notes.toml": dump(EXAMPLE, TECH.keys),
    }
    for file_name, text in sources.items():
        source = tmp_path / file_name
        source.write_text(text, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "canvas_tui", "--data-dir", str(data_dir),
             "import", str(source), "--name", source.suffix[1:]],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        imported = [
            line.rsplit("|", 1)[1].strip()
            for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line
        ]
        assert "canvas_tui.cli" in imported
        assert not [name for name in imported if name.split(".")[0] in ("textual", "rich")]
