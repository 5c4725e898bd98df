"""`canvas-tui import` over a corpus of canvases as people write them (tests/corpus/import):
Markdown in many forms and languages, and other tools' JSON. Each file comes with what a
reader would count in it (`NAME.expected.toml`): the template, the title, the items of each
block, and the warnings or errors on stderr.

`import` is a plain command (no Textual), so `main()` runs in this process."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.store import CanvasStore, load
from clitools import cli

CORPUS = Path(__file__).parent.parent / "corpus" / "import"
FILES = sorted(path for path in CORPUS.iterdir() if path.suffix in (".md", ".json"))

pytestmark = pytest.mark.usefixtures("plain_output")


def expected(source: Path) -> dict[str, Any]:
    return tomllib.loads(source.with_suffix(".expected.toml").read_text(encoding="utf-8"))


def test_the_corpus_covers_every_form() -> None:
    assert len(FILES) >= 20
    for source in FILES:
        assert source.with_suffix(".expected.toml").exists(), source.name
    templates = {expected(source).get("template") for source in FILES}
    assert {"tech-bmc", "lean"} <= templates
    assert sum(source.suffix == ".json" for source in FILES) >= 5


@pytest.mark.parametrize("source", FILES, ids=[source.name for source in FILES])
def test_import_reads_what_a_reader_would(
    source: Path, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    want = expected(source)
    code, out, err = cli(data_dir, capsys, "import", source)
    assert code == want.get("exit", 0), err
    for fragment in want.get("errors", []):
        assert fragment in err, (fragment, err)
    for line in err.splitlines():
        assert len(line) <= 100, line  # short lines, never one long one
    if code != 0:
        assert out == ""
        assert not (data_dir / "canvases").exists() or not list((data_dir / "canvases").iterdir())
        return
    for fragment in want.get("warnings", []):
        assert fragment in err, (fragment, err)
    if not want.get("warnings"):
        assert "warning" not in err, err
    canvas = load(store.path_for(out.strip())).canvas
    template = store.template(canvas.template)
    assert canvas.template == want["template"]
    assert canvas.title == want["title"]
    counts = {spec.key: len(canvas.blocks[spec.index]) for spec in template.blocks}
    assert counts == {key: want["counts"].get(key, 0) for key in counts}
    for key, texts in want.get("texts", {}).items():
        assert [item.text for item in canvas.blocks[template.keys.index(key)]] == texts
    for key, notes in want.get("notes", {}).items():
        assert [item.note for item in canvas.blocks[template.keys.index(key)]] == notes
    for key, tags in want.get("tags", {}).items():
        assert [list(item.tags) for item in canvas.blocks[template.keys.index(key)]] == tags


@pytest.mark.parametrize("source", FILES, ids=[source.name for source in FILES])
def test_dry_run_says_the_same_and_writes_nothing(
    source: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    want = expected(source)
    code, out, _ = cli(data_dir, capsys, "import", source, "--dry-run", "--json")
    assert code == want.get("exit", 0)
    assert not (data_dir / "canvases").exists() or not list((data_dir / "canvases").iterdir())
    if code:
        return
    report = json.loads(out)
    assert report["dry_run"] is True
    assert (report["template"], report["title"]) == (want["template"], want["title"])
    assert report["blocks"] == {key: want["counts"].get(key, 0) for key in report["blocks"]}
    for skip in report["skipped"]:
        assert skip["reason"]
