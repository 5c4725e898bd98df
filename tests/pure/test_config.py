"""The config file: where it is, what it may say, and that a broken one never stops the
program; and the commands that show what is configured (`keys`, `templates`)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui.store.config import Config, config_path, read_config
from clitools import run

LEAN_TEMPLATE_KEYS = ["problem", "solution", "key_metrics", "unique_value_proposition"]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def warnings(err: str) -> list[str]:
    lines = err.splitlines()
    assert all(line.startswith("canvas-tui: warning: ") for line in lines), err
    return lines


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config file in use (through $CANVAS_TUI_CONFIG), not written yet."""
    path = tmp_path / "conf" / "config.toml"
    monkeypatch.setenv("CANVAS_TUI_CONFIG", str(path))
    return path


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir that exists (never seeded), through $CANVAS_TUI_DATA_DIR."""
    folder = tmp_path / "data"
    (folder / "canvases").mkdir(parents=True)
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(folder))
    return folder


# -- where the config file is --------------------------------------------------------------


def test_config_path_option_beats_the_environment(tmp_path: Path) -> None:
    env = {"CANVAS_TUI_CONFIG": str(tmp_path / "env.toml")}
    assert config_path(str(tmp_path / "opt.toml"), env) == tmp_path / "opt.toml"
    assert config_path(None, env) == tmp_path / "env.toml"


def test_config_path_falls_back_to_the_user_config_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = platformdirs.user_config_path("canvas-tui") / "config.toml"
    assert config_path(None, {}) == expected
    assert config_path(None, {"CANVAS_TUI_CONFIG": ""}) == expected  # empty: unset
    assert config_path("", {}) == expected
    monkeypatch.delenv("CANVAS_TUI_CONFIG")
    assert config_path() == expected


def test_config_path_from_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANVAS_TUI_CONFIG", str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml"


def test_config_path_expands_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config_path("~/c.toml", {}) == tmp_path / "c.toml"
    assert config_path(None, {"CANVAS_TUI_CONFIG": "~/e.toml"}) == tmp_path / "e.toml"


def test_user_templates_live_beside_the_config_file(tmp_path: Path) -> None:
    assert read_config(tmp_path / "x" / "config.toml").templates_folder == (
        tmp_path / "x" / "templates"
    )


# -- what it says --------------------------------------------------------------------------


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    assert read_config(path) == Config(path)
    config = read_config(path)
    assert config.theme is None
    assert dict(config.keys) == {}
    assert config.problems == ()


def test_a_full_config(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        'theme = "textual-ansi"\n\n[keys]\nadd = "a,+"\ndelete = ["d", "x"]\n',
    )
    config = read_config(path)
    assert config.theme == "textual-ansi"
    assert dict(config.keys) == {"add": "a,+", "delete": "d,x"}  # a list is joined
    assert config.problems == ()


def one_problem(path: Path) -> str:
    (problem,) = read_config(path).problems
    assert problem.startswith(f"{path}: ")
    assert "\n" not in problem
    return problem


def test_bad_toml_is_one_problem_and_the_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "x"\n[keys\nadd = "+"\n')
    assert "invalid TOML" in one_problem(path)
    config = read_config(path)
    assert (config.theme, dict(config.keys)) == (None, {})


def test_an_unknown_setting_is_ignored_and_the_rest_applies(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'colour = "blue"\ntheme = "nord"\n')
    assert "unknown setting 'colour'" in one_problem(path)
    assert read_config(path).theme == "nord"


@pytest.mark.parametrize("value", ["3", '""', '"   "', "true", '["nord"]', "{ name = 'nord' }"])
def test_a_bad_theme_is_one_problem_and_the_default_theme(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.toml", f'theme = {value}\n[keys]\nadd = "+"\n')
    assert "'theme'" in one_problem(path)
    config = read_config(path)
    assert config.theme is None
    assert dict(config.keys) == {"add": "+"}


@pytest.mark.parametrize("value", ['"a,+"', "3", '["add"]'])
def test_keys_that_are_not_a_table_are_one_problem(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.toml", f"keys = {value}\n")
    assert "[keys] must be a table" in one_problem(path)
    assert dict(read_config(path).keys) == {}


@pytest.mark.parametrize("value", ["3", "true", "[1, 2]", '["a", 2]', "{ key = 'a' }"])
def test_a_key_value_that_is_not_a_string_is_one_problem(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "config.toml", f'[keys]\nadd = {value}\ndelete = "x"\n')
    assert "keys.add must be a string" in one_problem(path)
    assert dict(read_config(path).keys) == {"delete": "x"}


def test_a_file_that_cannot_be_read_is_one_problem(tmp_path: Path) -> None:
    binary = write(tmp_path / "binary.toml", b'theme = "\xff"\n')
    assert "cannot be read" in one_problem(binary)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert "cannot be read" in one_problem(folder)


@settings(max_examples=100, deadline=None)
@given(content=st.one_of(st.binary(max_size=60), st.text(max_size=60).map(str.encode)))
def test_read_config_never_raises(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    path = tmp_path_factory.mktemp("any") / "config.toml"
    path.write_bytes(content)
    config = read_config(path)
    assert isinstance(config, Config)
    assert all("\n" not in problem for problem in config.problems)


@settings(max_examples=100, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from(["theme", "keys", "other"]),
        st.one_of(
            st.text(max_size=5),
            st.integers(),
            st.lists(st.text(max_size=3), max_size=2),
            st.dictionaries(
                st.text(max_size=5),
                st.one_of(st.text(max_size=5), st.integers(), st.lists(st.text(max_size=3))),
                max_size=3,
            ),
        ),
    )
)
def test_read_config_of_any_toml_never_raises(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    from canvas_tui.canvasfile import toml_value

    path = tmp_path_factory.mktemp("any") / "config.toml"
    path.write_text("".join(f"{key} = {toml_value(v)}\n" for key, v in data.items()))
    assert tomllib.loads(path.read_text()) == data
    config = read_config(path)
    assert all(isinstance(value, str) for value in config.keys.values())
    assert config.theme is None or isinstance(config.theme, str)


# -- canvas-tui keys -----------------------------------------------------------------------


def key_rows(out: str) -> dict[str, str]:
    """`canvas-tui keys` of the editor: action id -> its keys as shown."""
    editor = out.split("Canvas browser", 1)[0]
    rows = {}
    for line in editor.splitlines()[1:]:
        parts = line.split(None, 1)
        if len(parts) == 2:
            rows[parts[0]] = parts[1]
    return rows


def test_keys_prints_the_effective_table(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "keys")
    assert (code, err) == (0, "")
    assert out.startswith("Editor\n")
    assert "\nCanvas browser\n" in out
    rows = key_rows(out)
    assert rows["add"].startswith("a ")
    assert rows["help"].startswith("? / f1 ")
    assert rows["tags"].startswith("# ")
    assert str(config_file) in out


def test_keys_shows_a_rebound_key(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(config_file, '[keys]\nadd = "a,+"\ndelete = "x"\n')
    code, out, err = run(capsys, "keys")
    assert (code, err) == (0, "")
    rows = key_rows(out)
    assert rows["add"].startswith("a / + ")
    assert rows["delete"].startswith("x ")


def test_keys_with_a_config_option(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write(tmp_path / "elsewhere" / "my.toml", '[keys]\nadd = "plus"\n')
    code, out, err = run(capsys, "--config", other, "keys")
    assert (code, err) == (0, "")
    assert key_rows(out)["add"].startswith("+ ")
    code, out, _ = run(capsys, "keys", "--config", other)  # after the command too
    assert key_rows(out)["add"].startswith("+ ")


def test_keys_with_bad_keys_warns_one_line_each_and_keeps_defaults(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(config_file, '[keys]\nlaunch = "r"\nadd = "d"\nzoom = "banana"\n')
    code, out, err = run(capsys, "keys")
    assert code == 0
    lines = warnings(err)
    assert len(lines) == 3
    assert any("unknown action 'launch'" in line for line in lines)
    assert any("keys.add: 'd' is already the key of delete" in line for line in lines)
    assert any("keys.zoom: 'banana' is not a key name" in line for line in lines)
    rows = key_rows(out)
    assert rows["add"].startswith("a ")
    assert rows["zoom"].startswith("z ")


@pytest.mark.parametrize("how", ["option", "environment"])
@pytest.mark.parametrize(
    "content", ["[keys\n", "theme = 3\n", "keys = 1\n"], ids=["bad-toml", "theme", "keys"]
)
def test_a_broken_config_is_one_warning_line_and_still_works(
    tmp_path: Path,
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    how: str,
    content: str,
) -> None:
    path = write(tmp_path / "broken.toml", content)
    args: list[str | Path] = []
    if how == "option":
        args = ["--config", path]
    else:
        monkeypatch.setenv("CANVAS_TUI_CONFIG", str(path))
    for command in (["keys"], ["new", "Despite it"], ["list"], ["templates"]):
        code, out, err = run(capsys, *args, *command)
        assert code == 0, (command, err)
        (line,) = warnings(err)
        assert str(path) in line
        assert out
    code, out, _ = run(capsys, *args, "keys")
    assert key_rows(out)["add"].startswith("a ")


def test_a_hostile_config_warning_never_prints_controls(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(config_file, '[keys]\n"\\u001b]2;pwned\\u0007" = "a"\n')
    code, _, err = run(capsys, "keys")
    assert code == 0
    (line,) = warnings(err)
    assert "\x1b" not in line
    assert "\x07" not in line


def test_a_config_that_is_a_folder_still_works(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "conf.toml"
    folder.mkdir()
    code, out, err = run(capsys, "--config", folder, "keys")
    assert code == 0
    (line,) = warnings(err)
    assert "cannot be read" in line
    assert key_rows(out)["add"].startswith("a ")


# -- canvas-tui templates ------------------------------------------------------------------

USER_TEMPLATE = """\
id = "mine"
title = "My three blocks"
grid = { rows = 1, columns = 3 }

[[blocks]]
key = "why"
title = "Why"
place = { row = 0, column = 0 }

[[blocks]]
key = "how"
title = "How"
place = { row = 0, column = 1 }

[[blocks]]
key = "what"
title = "What"
short = "WT"
place = { row = 0, column = 2 }
"""


@pytest.fixture
def user_templates(config_file: Path) -> Path:
    folder = config_file.parent / "templates"
    write(folder / "mine.toml", USER_TEMPLATE)
    write(folder / "broken.toml", USER_TEMPLATE.replace("column = 2", "column = 1"))
    return folder


def test_templates_lists_the_shipped_ones(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "templates")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "BLOCKS", "SOURCE"]
    assert lines[1].split()[0] == "tech-bmc"
    assert "Tech Business Model Canvas" in lines[1]
    assert lines[1].split()[-2:] == ["9", "built-in"]
    assert lines[2].split()[0] == "lean"
    assert len(lines) == 3


def test_templates_lists_user_and_broken_templates(
    user_templates: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "templates")
    assert (code, err) == (0, "")
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(rows) == {"tech-bmc", "lean", "mine", "(broken)"}
    assert "My three blocks" in rows["mine"]
    assert rows["mine"].split()[-2:] == ["3", str(user_templates / "mine.toml")]
    assert "overlaps" in rows["(broken)"]
    assert str(user_templates / "broken.toml") in rows["(broken)"]


def test_templates_json(
    user_templates: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "templates", "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    by_id = {row["id"]: row for row in rows if "id" in row}
    assert list(by_id) == ["tech-bmc", "lean", "mine"]
    assert by_id["tech-bmc"]["source"] == "built-in"
    assert by_id["tech-bmc"]["blocks"][0] == {
        "number": 1,
        "key": "key_partners",
        "title": "Key Partners",
        "short": "KP",
    }
    assert "CC BY-SA" in by_id["lean"]["attribution"]
    assert [block["key"] for block in by_id["mine"]["blocks"]] == ["why", "how", "what"]
    assert by_id["mine"]["source"] == str(user_templates / "mine.toml")
    (broken,) = [row for row in rows if "broken" in row]
    assert broken["source"] == str(user_templates / "broken.toml")
    assert "overlaps" in broken["broken"]


def test_templates_beside_a_config_given_by_option(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "other" / "config.toml"
    write(config.parent / "templates" / "mine.toml", USER_TEMPLATE)
    code, out, _ = run(capsys, "--config", config, "templates", "--json")
    assert code == 0
    assert [row["id"] for row in json.loads(out)] == ["tech-bmc", "lean", "mine"]


def test_new_with_a_user_template(
    user_templates: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "new", "Three things", "--template", "mine")
    assert (code, err) == (0, "")
    assert out == "three-things\n"
    saved = tomllib.loads((data / "canvases" / "three-things.toml").read_text(encoding="utf-8"))
    assert saved["template"] == "mine"
    assert list(saved["blocks"]) == ["why", "how", "what"]
    code, out, _ = run(capsys, "show", "three-things", "--width", "120")
    assert code == 0
    assert "1 Why (0)" in out
    assert "3 What (0)" in out


def test_new_with_a_lean_template(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "new", "Lean idea", "--template", "lean")
    assert (code, out, err) == (0, "lean-idea\n", "")
    saved = tomllib.loads((data / "canvases" / "lean-idea.toml").read_text(encoding="utf-8"))
    assert saved["template"] == "lean"
    assert list(saved["blocks"])[:4] == LEAN_TEMPLATE_KEYS
    assert len(saved["blocks"]) == 9


def test_new_with_an_unknown_template_is_an_error(
    config_file: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "new", "Idea", "--template", "nope")
    assert (code, out) == (1, "")
    (line,) = err.splitlines()
    assert line.startswith("canvas-tui: error: ")
    assert "'nope'" in line
    assert "tech-bmc, lean" in line
    assert list((data / "canvases").iterdir()) == []
