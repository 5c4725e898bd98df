"""The `canvas-tui` command line, in-process through `main()` and as a real `python -m` process."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from canvas_tui import __version__
from canvas_tui.canvasfile import dump
from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore
from canvas_tui.template import built_in_templates, default_template
from clitools import cli, run
from clitools import one_line_error as assert_one_line_error
from helpers import ACME, write_canvas

TECH = default_template()
LEAN = built_in_templates().get("lean")
assert LEAN is not None
BLOCKS = TECH.blocks
KEYS = list(TECH.keys)
ESC = "\x1b"
C1_CSI = "\x9b"
RLO = "\u202e"

pytestmark = pytest.mark.usefixtures("plain_output")


@pytest.fixture
def acme(store: CanvasStore) -> Path:
    return write_canvas(store, "acme", ACME)


def _raw_controls(text: str) -> list[str]:
    """Characters a terminal would act on rather than show: C0 (but LF), DEL, C1, bidi."""
    return sorted(
        {
            f"U+{ord(char):04X}"
            for char in text
            if (ord(char) < 0x20 and char != "\n")
            or 0x7F <= ord(char) <= 0x9F
            or "\u202a" <= char <= "\u202e"
            or "\u2066" <= char <= "\u2069"
        }
    )


# -- --version and path --------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"canvas-tui {__version__}"
    assert err == ""


def test_path_with_data_dir_before_the_command(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--data-dir", data_dir, "path")
    assert (code, err) == (0, "")
    assert out == f"{data_dir}\n"


def test_path_with_data_dir_after_the_command(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "path", "--data-dir", data_dir)
    assert code == 0
    assert out == f"{data_dir}\n"


def test_path_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(tmp_path / "from-env"))
    code, out, _ = run(capsys, "path")
    assert code == 0
    assert out == f"{tmp_path / 'from-env'}\n"


def test_data_dir_option_beats_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(tmp_path / "from-env"))
    code, out, _ = run(capsys, "--data-dir", tmp_path / "from-option", "path")
    assert code == 0
    assert out == f"{tmp_path / 'from-option'}\n"


# -- new -----------------------------------------------------------------------------------


def test_new_prints_the_slug_and_creates_an_empty_canvas(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "new", "Acme Robotics!")
    assert (code, err) == (0, "")
    assert out == "acme-robotics\n"
    path = data_dir / "canvases" / "acme-robotics.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert data["title"] == "Acme Robotics!"
    assert data["blocks"] == {key: [] for key in KEYS}
    assert path.stat().st_mode & 0o777 == 0o600


def test_new_with_a_taken_slug_picks_a_free_name(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(data_dir, capsys, "new", "Acme Robotics")[1] == "acme-robotics\n"
    code, out, _ = cli(data_dir, capsys, "new", "Acme Robotics")
    assert code == 0
    assert out == "acme-robotics-2\n"
    assert (data_dir / "canvases" / "acme-robotics.toml").exists()
    assert (data_dir / "canvases" / "acme-robotics-2.toml").exists()


def test_new_with_name(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(data_dir, capsys, "new", "Acme Robotics", "--name", "robots")
    assert code == 0
    assert out == "robots\n"
    data = tomllib.loads((data_dir / "canvases" / "robots.toml").read_text(encoding="utf-8"))
    assert data["title"] == "Acme Robotics"


def test_new_with_a_taken_name_is_an_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = acme.read_bytes()
    code, out, err = cli(data_dir, capsys, "new", "Other", "--name", "acme")
    assert_one_line_error(code, out, err, "acme")
    assert acme.read_bytes() == before


@pytest.mark.parametrize("name", ["../x", "Bad Name", "UPPER", "..", "a/b", "-dash"])
def test_new_with_an_invalid_name_is_an_error(
    name: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "new", "Title", "--name", name)
    if code == 2:  # argparse may take "-dash" for an option: a usage error is fine too
        assert name.startswith("-")
        return
    assert_one_line_error(code, out, err)
    assert not (tmp_path / "x.toml").exists()
    assert not (data_dir / "x.toml").exists()
    assert sorted(p.name for p in (data_dir / "canvases").iterdir()) == []


# -- list ----------------------------------------------------------------------------------


def test_list_table(data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]) -> None:
    write_canvas(store, "acme", ACME)
    write_canvas(store, "blank", Canvas.new("Blank page", TECH))
    code, out, err = cli(data_dir, capsys, "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "TITLE", "TEMPLATE", "ITEMS", "MODIFIED"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"acme", "blank"}
    assert "Acme Robotics" in rows["acme"]
    assert "tech-bmc" in rows["acme"]
    assert re.search(r"\b11\b", rows["acme"])
    assert "Blank page" in rows["blank"]
    assert re.search(r"\b0\b", rows["blank"])
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", rows["acme"])


def test_list_json(data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]) -> None:
    write_canvas(store, "acme", ACME)
    write_canvas(store, "blank", Canvas.new("Blank page", TECH))
    code, out, err = cli(data_dir, capsys, "list", "--json")
    assert (code, err) == (0, "")
    rows = {row["name"]: row for row in json.loads(out)}
    assert set(rows) == {"acme", "blank"}
    acme = rows["acme"]
    assert {"name", "title", "items", "modified", "path"} <= set(acme)
    assert acme["title"] == "Acme Robotics"
    assert acme["items"] == 11
    assert Path(acme["path"]) == store.path_for("acme")
    modified = datetime.fromisoformat(acme["modified"])
    assert abs(modified.timestamp() - store.path_for("acme").stat().st_mtime) < 2
    assert rows["blank"]["items"] == 0


def test_list_of_an_empty_data_dir(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(data_dir, capsys, "list", "--json")
    assert code == 0
    assert json.loads(out) == []
    code, out, _ = cli(data_dir, capsys, "list")
    assert code == 0
    assert "example" not in out


def test_list_shows_an_unreadable_file_with_its_error(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "acme", ACME)
    (data_dir / "canvases" / "broken.toml").write_text('schema = 1\ntitle = "oops\n')
    code, out, _ = cli(data_dir, capsys, "list")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == {"acme", "broken"}
    assert "line 2" in rows["broken"]
    assert "Acme Robotics" in rows["acme"]

    code, out, _ = cli(data_dir, capsys, "list", "--json")
    assert code == 0
    by_name = {row["name"]: row for row in json.loads(out)}
    assert "line 2" in by_name["broken"]["error"]
    assert by_name["broken"]["path"] == str(store.path_for("broken"))
    assert "error" not in by_name["acme"]


def test_list_shows_control_characters_in_titles_as_placeholders(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "evil", Canvas.new(f"Evil{ESC}]0;pwned\x07{C1_CSI}2J{RLO}x", TECH))
    code, out, _ = cli(data_dir, capsys, "list")
    assert code == 0
    assert ESC not in out
    assert "\x07" not in out
    assert C1_CSI not in out
    assert RLO not in out
    assert "Evil␛]0;pwned" in out


# -- show ----------------------------------------------------------------------------------


def _show(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    code, out, err = cli(data_dir, capsys, "show", *args)
    assert (code, err) == (0, ""), err
    return out.splitlines()


@pytest.mark.parametrize("width", [100, 140, 200])
def test_show_wide_is_the_classic_layout(
    width: int, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "example", EXAMPLE)
    lines = _show(data_dir, capsys, "example", "--width", str(width))
    assert lines[0].startswith("Nimbus Notes")
    assert all(cell_len(line) <= width for line in lines)
    # At 100 columns the long titles wrap; their number and first word stay on the top line.
    heads = {spec.number: f"{spec.number} {spec.title.split()[0]}" for spec in BLOCKS}
    if width >= 140:
        heads = {spec.number: f"{spec.number} {spec.title}" for spec in BLOCKS}
    top = next(i for i, line in enumerate(lines) if heads[1] in line)
    assert top <= 3
    xs = [lines[top].find(heads[n]) for n in (1, 2, 4, 5, 7)]
    assert all(x >= 0 for x in xs), lines[top]
    assert xs == sorted(xs)
    middle = next(i for i, line in enumerate(lines) if heads[3] in line)
    assert top < middle
    assert lines[middle].find(heads[3]) == xs[1]
    assert lines[middle].find(heads[6]) == xs[3]
    bottom = next(i for i, line in enumerate(lines) if heads[8] in line)
    assert middle < bottom
    assert heads[9] in lines[bottom]
    assert lines[bottom].find(heads[8]) == xs[0]
    # The bottom row holds only 8 and 9: a divider just above them, none below.
    assert lines[bottom - 1].startswith("├")
    assert lines[-1].startswith("└")
    assert not any(glyph in line for line in lines[bottom:-1] for glyph in "├┼┬┴─")


def test_show_narrow_stacks_the_blocks(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "example", EXAMPLE)
    lines = _show(data_dir, capsys, "example", "--width", "60")
    too_wide = [line for line in lines if cell_len(line) > 60]
    assert not too_wide
    rows = []
    for spec in BLOCKS:
        label = f"{spec.number} {spec.title}"
        found = [i for i, line in enumerate(lines) if label in line]
        assert len(found) == 1, label
        row = found[0]
        rows.append(row)
        assert lines[row].find(label) == lines[rows[0]].find(f"1 {BLOCKS[0].title}")
        for other in BLOCKS:
            if other is not spec:
                assert f"{other.number} {other.title}" not in lines[row]
    assert rows == sorted(rows)
    text = "\n".join(lines)
    for items in EXAMPLE.blocks:
        for item in items:
            assert item.text.split()[0] in text


def test_show_uses_the_terminal_width_by_default(
    data_dir: Path,
    store: CanvasStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_canvas(store, "example", EXAMPLE)
    monkeypatch.setenv("COLUMNS", "70")
    lines = _show(data_dir, capsys, "example")
    assert all(cell_len(line) <= 70 for line in lines)
    assert max(cell_len(line) for line in lines) >= 60


def test_show_guide_adds_the_template_questions_and_prompts(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "example", EXAMPLE)
    plain = "\n".join(_show(data_dir, capsys, "example", "--width", "99"))
    guided = _show(data_dir, capsys, "example", "--width", "99", "--guide")
    guided_text = "\n".join(guided)
    for spec in BLOCKS:
        assert spec.question not in plain
        assert any(spec.question in line for line in guided), spec.question
        for prompt in spec.prompts:
            assert prompt in guided_text
    assert len(guided) > len(plain.splitlines())


def test_show_a_path_to_a_toml_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "elsewhere" / "plan.toml"
    path.parent.mkdir()
    path.write_text(dump(ACME, TECH.keys), encoding="utf-8")
    code, out, err = run(capsys, "show", path, "--width", "120")
    assert (code, err) == (0, "")
    assert "Acme Robotics" in out
    assert "Trade fairs" in out
    assert "9 Revenue Streams (2)" in out


def test_show_keeps_markup_and_controls_out_of_the_terminal(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(
        store,
        "evil",
        Canvas.from_lists(
            f"T{ESC}]0;pwned\x07",
            [["[bold]not bold[/bold]", "[@click=app.quit]x[/]", f"a{ESC}[2J{C1_CSI}H{RLO}b"]]
            + [[]] * 8,
        ),
    )
    for width in ("60", "120"):
        lines = _show(data_dir, capsys, "evil", "--width", width)
        text = "\n".join(lines)
        assert ESC not in text
        assert "\x07" not in text
        assert C1_CSI not in text
        assert RLO not in text
        if width == "60":
            assert "[bold]not bold[/bold]" in text
            assert "[@click=app.quit]x[/]" in text
            assert "a␛[2J" in text


# -- export --------------------------------------------------------------------------------


def test_export_json_to_stdout(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "export", "acme", "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["schema"] == 1
    assert data["title"] == "Acme Robotics"
    assert list(data["blocks"]) == KEYS
    assert data["blocks"]["channels"] == ["Website", "Trade fairs"]
    assert data["blocks"]["key_resources"] == []


def test_export_markdown_to_stdout(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "export", "acme", "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("# Acme Robotics")
    for spec in BLOCKS:
        assert f"{spec.title}" in out
    assert "- Trade fairs" in out
    assert "\\*never\\*" in out
    assert BLOCKS[0].question not in out
    code, guided, _ = cli(data_dir, capsys, "export", "acme", "--format", "markdown", "--guide")
    assert code == 0
    assert BLOCKS[0].question in guided


def test_export_toml_to_stdout(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "export", "acme", "-f", "toml")
    assert (code, err) == (0, "")
    data = tomllib.loads(out)
    assert data["schema"] == 1
    assert data["title"] == "Acme Robotics"
    assert data["blocks"] == {key: list(ACME.texts(index)) for index, key in enumerate(KEYS)}


def test_export_html_to_stdout(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "export", "acme", "--format", "html")
    assert (code, err) == (0, "")
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert out.count("<section") == 9
    assert "Trade fairs" in out
    assert "http://" not in out
    assert "https://" not in out


@pytest.mark.parametrize("fmt", ["markdown", "json", "toml", "html"])
def test_export_to_a_file_writes_what_stdout_would(
    fmt: str, data_dir: Path, acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, expected, _ = cli(data_dir, capsys, "export", "acme", "--format", fmt)
    assert code == 0
    target = tmp_path / f"out.{fmt}"
    code, out, err = cli(data_dir, capsys, "export", "acme", "--format", fmt, "-o", target)
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == expected


def test_export_of_a_path(tmp_path: Path, acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", acme, "--format", "json")
    assert code == 0
    assert json.loads(out)["title"] == "Acme Robotics"


def test_export_to_a_folder_that_does_not_exist_is_an_error(
    data_dir: Path, acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no" / "such" / "out.json"
    code, out, err = cli(data_dir, capsys, "export", "acme", "-f", "json", "-o", target)
    assert_one_line_error(code, out, err)


@pytest.mark.parametrize("fmt", ["markdown", "json", "toml", "html"])
def test_export_to_stdout_never_passes_controls_to_the_terminal(
    fmt: str, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Untrusted text: ESC, C0/C1 controls and bidi overrides never reach the terminal.
    Text formats may escape them (JSON/TOML `\\u009b`) but not print them raw."""
    nasty = f"a{ESC}]0;pwned\x07{C1_CSI}2J{RLO}b"
    write_canvas(store, "evil", Canvas.from_lists(nasty, [[nasty]] + [[]] * 8))
    code, out, _ = cli(data_dir, capsys, "export", "evil", "--format", fmt)
    assert code == 0
    assert not _raw_controls(out), f"raw control characters on stdout: {_raw_controls(out)}"


def test_list_json_never_passes_controls_to_the_terminal(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    nasty = f"a{ESC}]0;pwned\x07{C1_CSI}2J{RLO}b"
    write_canvas(store, "evil", Canvas.new(nasty, TECH))
    code, out, _ = cli(data_dir, capsys, "list", "--json")
    assert code == 0
    assert json.loads(out)[0]["title"] == nasty
    assert not _raw_controls(out), f"raw control characters on stdout: {_raw_controls(out)}"


def test_export_json_round_trips_controls_exactly(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    nasty = "".join(chr(code) for code in range(0x20)) + "\x7f" + C1_CSI + RLO
    write_canvas(store, "evil", Canvas.from_lists(nasty, [[nasty]] + [[]] * 8))
    code, out, _ = cli(data_dir, capsys, "export", "evil", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["title"] == nasty
    assert data["blocks"]["key_partners"] == [nasty]


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", "nope"),
        ("export", "nope", "--format", "json"),
        ("export", "nope", "--format", "markdown"),
    ],
)
def test_a_missing_canvas_is_an_error(
    args: tuple[str, ...], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, *args)
    assert_one_line_error(code, out, err, "nope")
    assert not (data_dir / "canvases" / "nope.toml").exists()


def test_a_missing_path_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", tmp_path / "missing.toml")
    assert_one_line_error(code, out, err)
    code, out, err = run(capsys, "show", tmp_path / "no" / "dir" / "missing.toml")
    assert_one_line_error(code, out, err)


@pytest.mark.parametrize("command", ["show", "export"])
def test_broken_toml_is_an_error_with_line_and_column(
    command: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "canvases" / "broken.toml"
    path.write_text('schema = 1\ntitle = "Acme"\n\n[blocks]\nkey_partners = [\n  "a"\n  "b",\n]\n')
    before = path.read_bytes()
    args = ["broken"] + (["--format", "json"] if command == "export" else [])
    code, out, err = cli(data_dir, capsys, command, *args)
    line = assert_one_line_error(code, out, err)
    assert re.search(r"line 7, column \d+", line), line
    assert path.read_bytes() == before


def test_a_non_string_item_is_an_error_naming_block_and_index(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "canvases" / "typed.toml"
    path.write_text('schema = 1\ntitle = "x"\n[blocks]\nchannels = ["web", 42]\n')
    code, out, err = cli(data_dir, capsys, "show", "typed")
    line = assert_one_line_error(code, out, err, "channels")
    assert "1" in line or "2" in line


@pytest.mark.parametrize("name", ["Bad Name", "UPPER", "con", "x" * 65])
def test_an_invalid_name_is_an_error(
    name: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "show", name)
    assert_one_line_error(code, out, err)


def test_a_name_that_leaves_the_data_dir_is_refused(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A canvas file just outside the data dir: "../x" must not reach it as a *name*.
    (data_dir / "x.toml").write_text(dump(ACME, TECH.keys), encoding="utf-8")
    code, out, err = cli(data_dir, capsys, "new", "Title", "--name", "../x")
    assert_one_line_error(code, out, err)
    assert (data_dir / "x.toml").read_text(encoding="utf-8") == dump(ACME, TECH.keys)
    code, out, err = cli(data_dir, capsys, "show", "../x")
    assert_one_line_error(code, out, err)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "acme"),  # --format is required
        ("export", "acme", "--format", "docx"),
        ("show", "acme", "--width", "0"),
        ("show", "acme", "--width", "wide"),
        ("list", "--bogus"),
        ("show",),
        ("new",),
    ],
)
def test_usage_errors_exit_2(
    args: tuple[str, ...], data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, *args)
    assert code == 2
    assert out == ""
    assert "usage:" in err
    assert "Traceback" not in err


# -- as a real process ---------------------------------------------------------------------


# -- first run -----------------------------------------------------------------------------


def test_first_run_seeds_the_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / "fresh" / "data"
    code, out, _ = run(capsys, "--data-dir", fresh, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [row["name"] for row in rows] == ["example"]
    assert rows[0]["items"] > 0
    data = json.loads(run(capsys, "--data-dir", fresh, "export", "example", "-f", "json")[1])
    assert all(data["blocks"][key] for key in KEYS), "every block of the example is filled in"
    assert fresh.stat().st_mode & 0o777 == 0o700


def test_first_run_from_the_environment_seeds_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fresh = tmp_path / "env-fresh"
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(fresh))
    code, out, _ = run(capsys, "new", "My idea")
    assert code == 0
    assert out == "my-idea\n"
    assert (fresh / "canvases" / "example.toml").is_file()
    assert (fresh / "canvases" / "my-idea.toml").is_file()


def test_an_existing_empty_data_dir_is_never_seeded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _ = run(capsys, "--data-dir", empty, "list", "--json")
    assert code == 0
    assert json.loads(out) == []
    assert not (empty / "canvases" / "example.toml").exists()


# -- templates: a Lean Canvas, and a canvas whose template is missing ---------------------

LEAN_TITLES = [
    "Problem",
    "Solution",
    "Key Metrics",
    "Unique Value Proposition",
    "Unfair Advantage",
    "Channels",
    "Customer Segments",
    "Cost Structure",
    "Revenue Streams",
]
LEAN_CANVAS = Canvas.from_lists(
    "Lean idea",
    [
        [Item("Meetings waste time", "validated", ("pain",), "12 of 15 said so")],
        ["Auto summaries"],
        ["Weekly active teams"],
        [Item("Meetings that write themselves", "testing")],
        [],
        ["Marketplaces"],
        ["Remote teams"],
        ["LLM API costs"],
        ["Per-seat subscriptions"],
    ],
    template="lean",
)


@pytest.fixture
def lean(store: CanvasStore) -> Path:
    return write_canvas(store, "lean", LEAN_CANVAS)


def test_new_lean_canvas_then_show_it(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(data_dir, capsys, "new", "Lean idea", "--template", "lean")
    assert (code, out, err) == (0, "lean-idea\n", "")
    data = tomllib.loads((data_dir / "canvases" / "lean-idea.toml").read_text(encoding="utf-8"))
    assert data["template"] == "lean"
    assert list(data["blocks"]) == list(LEAN.keys)
    lines = _show(data_dir, capsys, "lean-idea", "--width", "160")
    top = next(line for line in lines if "1 Problem" in line)
    assert top.find("1 Problem") < top.find("2 Solution") < top.find("7 Customer Segments")
    assert "Key Partners" not in "\n".join(lines)


def test_show_of_a_lean_canvas_follows_its_template(
    data_dir: Path, lean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for width in ("60", "160"):
        text = "\n".join(_show(data_dir, capsys, "lean", "--width", width))
        for number, title in enumerate(LEAN_TITLES, 1):
            assert f"{number} {title.split()[0]}" in text
        assert "Key Partners" not in text
        assert "✓ Meetings waste" in text
    narrow = "\n".join(_show(data_dir, capsys, "lean", "--width", "60"))
    assert "• ✓ Meetings waste time #pain ¶" in narrow
    guided = "\n".join(_show(data_dir, capsys, "lean", "--width", "80", "--guide"))
    assert "Top 3 problems your customers have:" in guided
    assert "CC BY-SA" in guided


def test_every_export_of_a_lean_canvas_follows_its_template(
    data_dir: Path, lean: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, markdown, _ = cli(data_dir, capsys, "export", "lean", "--format", "markdown")
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [f"## {n}. {title}" for n, title in enumerate(LEAN_TITLES, 1)]
    assert "- ✓ Meetings waste time #pain\n  > 12 of 15 said so\n" in markdown
    _, out, _ = cli(data_dir, capsys, "export", "lean", "--format", "json")
    data = json.loads(out)
    assert data["template"] == "lean"
    assert data["schema"] == 2
    assert list(data["blocks"]) == list(LEAN.keys)
    assert data["blocks"]["problem"] == [
        {"text": "Meetings waste time", "status": "validated", "tags": ["pain"],
         "note": "12 of 15 said so"}
    ]  # fmt: skip
    _, out, _ = cli(data_dir, capsys, "export", "lean", "--format", "toml")
    data = tomllib.loads(out)
    assert data["template"] == "lean"
    assert list(data["blocks"]) == list(LEAN.keys)
    assert data["blocks"]["unique_value_proposition"] == [
        {"text": "Meetings that write themselves", "status": "testing"}
    ]
    _, out, _ = cli(data_dir, capsys, "export", "lean", "--format", "html")
    assert out.count("<section") == 9
    assert 'id="problem"' in out
    assert "1 Problem" in out
    assert "Lean Canvas is adapted" in out


def test_list_json_has_the_template_and_per_status_counts(
    data_dir: Path, store: CanvasStore, lean: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(data_dir, capsys, "list", "--json")
    assert code == 0
    rows = {row["name"]: row for row in json.loads(out)}
    assert rows["lean"]["template"] == "lean"
    assert rows["lean"]["items"] == 8
    assert rows["lean"]["statuses"] == {
        "assumption": 0,
        "testing": 1,
        "validated": 1,
        "invalidated": 0,
    }
    assert rows["acme"]["template"] == "tech-bmc"
    assert set(rows["acme"]["statuses"].values()) == {0}
    code, out, _ = cli(data_dir, capsys, "list")
    table = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert "lean" in table["lean"][1:]


MISSING_TEMPLATE = """\
# from a colleague who has a template we do not
schema = 1
title = "Hexagon plan"
template = "hexagon"

[blocks]
alpha = ["one", "two"]
beta = []
gamma = ["three"]
"""


@pytest.fixture
def hexagon(data_dir: Path) -> Path:
    path = data_dir / "canvases" / "hex.toml"
    path.write_text(MISSING_TEMPLATE, encoding="utf-8")
    return path


def test_show_of_a_canvas_whose_template_is_missing(
    data_dir: Path, hexagon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hexagon.stat().st_mtime_ns
    for width in ("60", "160"):
        lines = _show(data_dir, capsys, "hex", "--width", width)
        text = "\n".join(lines)
        assert "Hexagon plan" in text
        rows = [next(i for i, line in enumerate(lines) if f"{n} {key} (" in line)
                for n, key in ((1, "alpha"), (2, "beta"), (3, "gamma"))]  # fmt: skip
        assert rows == sorted(rows)  # one under another
        assert "not installed" in text
        assert "hexagon" in text
    assert hexagon.read_text(encoding="utf-8") == MISSING_TEMPLATE
    assert hexagon.stat().st_mtime_ns == before


def test_a_canvas_whose_template_is_missing_exports_and_lists_and_is_never_rewritten(
    data_dir: Path, hexagon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = hexagon.stat().st_mtime_ns
    code, out, _ = cli(data_dir, capsys, "export", "hex", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["template"] == "hexagon"
    assert data["blocks"] == {"alpha": ["one", "two"], "beta": [], "gamma": ["three"]}
    for fmt in ("markdown", "toml", "html"):
        code, out, err = cli(data_dir, capsys, "export", "hex", "--format", fmt)
        assert (code, err) == (0, ""), fmt
        assert "three" in out
    code, out, _ = cli(data_dir, capsys, "list", "--json")
    (row,) = json.loads(out)
    assert (row["name"], row["template"], row["items"]) == ("hex", "hexagon", 3)
    assert "error" not in row
    assert sorted(p.name for p in (data_dir / "canvases").iterdir()) == ["hex.toml"]
    assert hexagon.read_text(encoding="utf-8") == MISSING_TEMPLATE
    assert hexagon.stat().st_mtime_ns == before


# -- plain commands never import Textual ---------------------------------------------------
