"""Hostile and broken canvas files, text and names: through the store (`load`, `save`) and
the command line (`show`, `export`, `new`, `list`). A bad file is reported in one line (exit 1)
and is never changed, not even its mtime; untrusted text (titles, items, notes, block keys of
a missing template) is shown as data and never reaches the terminal as controls.

test_store.py checks the store's messages for many broken files; here the same kind of files
go through every entry point, plus the cases it does not have. The same files in the app
(the editor, the browser, a real terminal) are in test_hostile_app.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from canvas_tui.model import Canvas, Item, add_item, retitle
from canvas_tui.store import CanvasFileError, CanvasStore, InvalidNameError, StoreError, load, save
from canvas_tui.template import default_template
from clitools import cli
from helpers import file_state, write_canvas
from hostile import (
    BROKEN,
    EVIL_FILE,
    EVIL_ITEMS,
    EVIL_TITLE,
    MARKUP,
    SEQUENCES,
    assert_one_line_error,
    make_canvas,
    raw_controls,
    tree,
)

NAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
TECH = default_template()
BLOCKS = TECH.blocks
KEYS = list(TECH.keys)

pytestmark = pytest.mark.usefixtures("plain_output")


# -- helpers -------------------------------------------------------------------------------


# -- broken files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(content, message, id=case) for case, content, message in BROKEN],
)
def test_broken_file_through_load_show_and_export(
    store: CanvasStore, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_bytes(content)
    before = file_state(path)
    with pytest.raises(CanvasFileError, match=message):
        load(path)
    for args in (["show", "bad"], ["export", "bad", "--format", "json"], ["show", str(path)]):
        line = assert_one_line_error(*cli(store.data_dir, capsys, *args))
        assert re.search(message, line), line
    code, out, _ = cli(store.data_dir, capsys, "list")
    assert code == 0
    assert "unreadable" in out
    assert file_state(path) == before
    assert sorted(p.name for p in store.canvases_dir.iterdir()) == ["bad.toml"]


# -- files that are not files --------------------------------------------------------------


@contextlib.contextmanager
def fifo_unblocker(fifo: Path) -> Iterator[None]:
    """If a reader ever blocks on `fifo`, open its write end after a while so the reader
    gets end-of-file: a regression fails the test instead of hanging the run."""
    stop = threading.Event()

    def unblock() -> None:
        while not stop.wait(2.0):
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_a_named_pipe_is_refused_without_blocking(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = store.canvases_dir / "pipe.toml"
    os.mkfifo(fifo)
    with fifo_unblocker(fifo):
        with pytest.raises(OSError, match="not a regular file"):
            load(fifo)
        assert_one_line_error(*cli(store.data_dir, capsys, "show", "pipe"))
        code, out, _ = cli(store.data_dir, capsys, "list")  # and `list` does not hang on it
        assert code == 0
        assert "pipe" in out
        assert "not a regular file" in out


def test_a_link_to_a_device_is_refused_by_load_and_show(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """A canvas folder from git may hold a link to /dev/zero, which never ends; /dev/null is
    the safe stand-in here (an unfixed reader sees an empty canvas, and the test fails)."""
    link = store.canvases_dir / "device.toml"
    link.symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        load(link)
    assert_one_line_error(*cli(store.data_dir, capsys, "show", "device"))
    assert_one_line_error(*cli(store.data_dir, capsys, "export", "device", "--format", "json"))
    assert link.is_symlink()
    assert link.readlink() == Path("/dev/null")


# -- valid but unusual files ---------------------------------------------------------------


def test_an_empty_file_is_an_empty_canvas_for_load_show_and_export(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.canvases_dir / "blank.toml"
    path.write_bytes(b"")
    before = file_state(path)
    loaded = load(path)
    assert loaded.canvas == Canvas.new("", TECH)
    assert loaded.exists
    assert loaded.writable
    code, out, err = cli(store.data_dir, capsys, "show", "blank", "--width", "60")
    assert (code, err) == (0, "")
    for number, spec in enumerate(BLOCKS, 1):
        assert f"{number} {spec.title} (0)" in out
    code, out, _ = cli(store.data_dir, capsys, "export", "blank", "--format", "json")
    assert json.loads(out) == {
        "schema": 1,
        "title": "",
        "template": "tech-bmc",
        "blocks": {key: [] for key in KEYS},
    }
    assert file_state(path) == before  # reading is not a change


def test_a_file_that_cannot_be_rewritten_in_place_is_never_damaged_by_a_save(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """tomllib reads keys nested 2,000 levels deep, tomlkit (which keeps the user's layout on
    a save) refuses more than 100: a save must say so, never crash or drop the key."""
    path = store.canvases_dir / "deep.toml"
    path.write_bytes(b'title = "Deep"\n' + b"x" + b".x" * 2000 + b" = 1\n[blocks]\nchannels = []\n")
    before = file_state(path)
    loaded = load(path)
    assert loaded.canvas == Canvas.new("Deep", TECH)
    code, out, _ = cli(store.data_dir, capsys, "show", "deep", "--width", "60")
    assert code == 0
    assert "Deep" in out
    with pytest.raises(StoreError, match="cannot update"):
        save(loaded, add_item(loaded.canvas, 0, "x").canvas)
    with pytest.raises(StoreError, match="cannot update"):
        save(loaded, add_item(loaded.canvas, 0, Item("x", "testing")).canvas)
    assert file_state(path) == before


# -- big files -----------------------------------------------------------------------------


def test_a_2mb_item_loads_shows_and_round_trips_through_the_store(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    words = " ".join(f"w{index}" for index in range(300_000))
    big = f"START {words} END"[:2_000_000]
    assert len(big.encode()) >= 1_900_000
    canvas = make_canvas("Big", ["before", big, "after"])
    path = write_canvas(store, "big", canvas)
    loaded = load(path)
    assert loaded.canvas.texts(0)[1] == big
    code, out, err = cli(store.data_dir, capsys, "show", "big", "--width", "60")
    assert (code, err) == (0, "")
    assert "START w0 w1" in out
    assert "• after" in out
    code, out, _ = cli(store.data_dir, capsys, "export", "big", "--format", "json")
    assert json.loads(out)["blocks"]["key_partners"] == ["before", big, "after"]
    changed = add_item(loaded.canvas, 0, "added").canvas
    save(loaded, changed)
    again = load(path)
    assert again.canvas == changed
    assert again.canvas.texts(0)[1] == big
    save(again, retitle(again.canvas, "Big 2"))  # and the saved file saves again
    assert load(path).canvas.texts(0)[1] == big


def test_a_1mb_note_loads_shows_exports_and_round_trips(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    note = "\n".join(f"line {index} " + "x" * 90 for index in range(10_000))
    assert len(note) >= 1_000_000
    canvas = make_canvas("Noted", [Item("short", "testing", ("big",), note)])
    path = write_canvas(store, "noted", canvas)
    assert path.read_text(encoding="utf-8").count("\n") < 30  # the note stays on one line
    loaded = load(path)
    assert loaded.canvas == canvas
    code, out, err = cli(store.data_dir, capsys, "show", "noted", "--width", "80")
    assert (code, err) == (0, "")
    assert "• ~ short #big ¶" in out
    assert "line 1 " not in out
    code, out, _ = cli(store.data_dir, capsys, "export", "noted", "--format", "json")
    assert json.loads(out)["blocks"]["key_partners"][0]["note"] == note
    code, out, _ = cli(store.data_dir, capsys, "export", "noted", "--format", "markdown")
    assert out.count("  > line ") == 10_000
    changed = add_item(loaded.canvas, 1, "more").canvas
    save(loaded, changed)
    assert load(path).canvas == changed


def test_a_2mb_word_without_spaces_shows(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    big = "x" * 2_000_000
    write_canvas(store, "word", make_canvas("Word", [big]))
    write_canvas(store, "none", make_canvas("Word", ["-"]))
    assert load(store.path_for("word")).canvas.texts(0) == (big,)
    code, out, err = cli(store.data_dir, capsys, "show", "word", "--width", "60")
    assert (code, err) == (0, "")
    _, empty, _ = cli(store.data_dir, capsys, "show", "none", "--width", "60")
    assert out.count("x") - empty.count("x") == len(big)  # every character, chopped into lines
    assert max(len(line) for line in out.splitlines()) <= 60


# -- markup --------------------------------------------------------------------------------


def test_markup_is_shown_literally_by_show_and_export(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write_canvas(store, "markup", make_canvas("[bold]T[/", *[[text] for text in MARKUP]))
    code, out, err = cli(store.data_dir, capsys, "show", "markup", "--width", "60")
    assert (code, err) == (0, "")
    for text in [*MARKUP, "[bold]T[/"]:
        assert text in out
    code, out, _ = cli(store.data_dir, capsys, "export", "markup", "--format", "json")
    data = json.loads(out)
    assert data["title"] == "[bold]T[/"
    assert [data["blocks"][key] for key in KEYS[:4]] == [[text] for text in MARKUP]


# -- escape sequences and bidi controls ----------------------------------------------------


@pytest.fixture
def evil(store: CanvasStore) -> Path:
    return write_canvas(store, "evil", make_canvas(EVIL_TITLE, EVIL_ITEMS, [EVIL_TITLE]))


@pytest.mark.parametrize("width", ["60", "160"])
def test_show_never_prints_controls(
    store: CanvasStore, evil: Path, capsys: pytest.CaptureFixture[str], width: str
) -> None:
    code, out, err = cli(store.data_dir, capsys, "show", "evil", "--width", width)
    assert (code, err) == (0, "")
    assert not raw_controls(out), raw_controls(out)
    assert "pwned" in out
    assert "aGk=" in out


def test_markdown_export_never_prints_controls(
    store: CanvasStore, evil: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(store.data_dir, capsys, "export", "evil", "--format", "markdown")
    assert (code, err) == (0, "")
    assert not raw_controls(out), raw_controls(out)
    assert "pwned" in out


def test_json_and_toml_exports_round_trip_controls_exactly(
    store: CanvasStore, evil: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt, parse in (("json", json.loads), ("toml", tomllib.loads)):
        code, out, err = cli(store.data_dir, capsys, "export", "evil", "--format", fmt)
        assert (code, err) == (0, ""), fmt
        assert not raw_controls(out), (fmt, raw_controls(out))
        data = parse(out)
        assert data["title"] == EVIL_TITLE
        assert data["blocks"]["key_partners"] == EVIL_ITEMS
        assert data["blocks"]["key_activities"] == [EVIL_TITLE]


# -- names ---------------------------------------------------------------------------------

BAD_NAMES = ["..", "/abs", "CON", "con", "x" * 300, "../outside", "a/../../b"]


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder beside the data dir: nothing may appear in it, or at `/abs`."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before = {name: os.path.lexists(name) for name in ("/abs", "/abs.toml")}
    yield tmp_path
    assert {name: os.path.lexists(name) for name in ("/abs", "/abs.toml")} == before
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_and_write_nothing(
    store: CanvasStore, outside: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    write_canvas(store, "keep", make_canvas("Keep", ["k"]))
    before = tree(outside)
    with pytest.raises(InvalidNameError):
        store.path_for(name)
    with pytest.raises(InvalidNameError):
        store.create("Title", name=name)
    assert_one_line_error(*cli(store.data_dir, capsys, "new", "Title", "--name", name))
    code, out, err = cli(store.data_dir, capsys, "show", name)
    assert_one_line_error(code, out, err)
    assert tree(outside) == before


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("..", "canvas"),
        ("/abs", "abs"),
        ("../../outside", "outside"),
        ("CON", "con-canvas"),
        ("con", "con-canvas"),
        ("x" * 300, "x" * 64),
        ("\x1b]2;pwned\x07", "2-pwned"),
    ],
)
def test_hostile_titles_get_safe_names_inside_the_data_dir(
    store: CanvasStore, outside: Path, capsys: pytest.CaptureFixture[str], title: str, expected: str
) -> None:
    code, out, err = cli(store.data_dir, capsys, "new", title)
    assert (code, err) == (0, "")
    name = out.strip()
    assert name == expected
    assert NAME_RE.fullmatch(name)
    path = store.path_for(name)
    assert path.parent == store.canvases_dir
    assert load(path).canvas.title == title
    code, out, _ = cli(store.data_dir, capsys, "export", name, "--format", "json")
    assert json.loads(out)["title"] == title
    files = sorted(str(p.relative_to(outside)) for p in outside.rglob("*") if p.is_file())
    assert files == [f"data/canvases/{name}.toml"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")),
        ("Acme", "ACME"),
    ],
    ids=["nfc-nfd", "case"],
)
def test_titles_that_slug_alike_never_overwrite_each_other(
    store: CanvasStore, capsys: pytest.CaptureFixture[str], first: str, second: str
) -> None:
    assert first != second
    code, out, _ = cli(store.data_dir, capsys, "new", first)
    assert code == 0
    first_name = out.strip()
    first_state = file_state(store.path_for(first_name))
    code, out, _ = cli(store.data_dir, capsys, "new", second)
    assert code == 0
    second_name = out.strip()
    assert second_name != first_name
    assert second_name == f"{first_name}-2"
    assert file_state(store.path_for(first_name)) == first_state
    for name, title in ((first_name, first), (second_name, second)):
        code, out, _ = cli(store.data_dir, capsys, "export", name, "--format", "json")
        assert json.loads(out)["title"] == title  # kept exactly as typed
        code, out, _ = cli(store.data_dir, capsys, "show", name, "--width", "80")
        assert code == 0
        assert title in out
    # and through the store
    third = store.create(first)
    assert third == f"{first_name}-3"
    assert sorted(p.name for p in store.canvases_dir.iterdir()) == sorted(
        f"{n}.toml" for n in (first_name, second_name, third)
    )


# -- hostile file names in the canvases folder ---------------------------------------------


def test_list_never_prints_controls_from_file_names(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    (store.canvases_dir / f"{EVIL_FILE}.toml").write_text('title = "ok"\n', encoding="utf-8")
    code, out, _ = cli(store.data_dir, capsys, "list")
    assert code == 0
    assert "ok" in out
    assert not raw_controls(out), raw_controls(out)
    code, out, _ = cli(store.data_dir, capsys, "list", "--json")
    assert code == 0
    assert not raw_controls(out), raw_controls(out)
    assert json.loads(out)[0]["name"] == EVIL_FILE


# -- notes, tags and the keys of a missing template ----------------------------------------

EVIL_NOTE = "note " + "".join(SEQUENCES.values()) + " [bold]x[/] [@click=app.quit]q[/]\nline 2"


@pytest.fixture
def evil_note(store: CanvasStore) -> Path:
    item = Item("plain text", "validated", ("ok",), EVIL_NOTE)
    return write_canvas(store, "note", make_canvas("Notes", [item], [Item("b", note=EVIL_NOTE)]))


@pytest.mark.parametrize(
    "args",
    [
        ("show", "note", "--width", "60"),
        ("show", "note", "--width", "160"),
        ("show", "note", "--guide"),
        ("export", "note", "--format", "markdown"),
        ("export", "note", "--format", "html"),
        ("export", "note", "--format", "json"),
        ("export", "note", "--format", "toml"),
    ],
    ids=lambda args: "-".join(args[2:] if args[0] == "export" else args[:1] + args[2:]),
)
def test_a_hostile_note_never_prints_controls(
    store: CanvasStore, evil_note: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    before = file_state(evil_note)
    code, out, err = cli(store.data_dir, capsys, *args)
    assert (code, err) == (0, "")
    assert not raw_controls(out), raw_controls(out)
    assert file_state(evil_note) == before


def test_a_hostile_note_is_kept_exactly_by_json_toml_and_markdown(
    store: CanvasStore, evil_note: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = cli(store.data_dir, capsys, "export", "note", "--format", "json")
    assert json.loads(out)["blocks"]["key_partners"][0]["note"] == EVIL_NOTE
    _, out, _ = cli(store.data_dir, capsys, "export", "note", "--format", "toml")
    assert tomllib.loads(out)["blocks"]["key_activities"][0]["note"] == EVIL_NOTE
    _, out, _ = cli(store.data_dir, capsys, "export", "note", "--format", "markdown")
    assert "  > note ␛\\]2;pwned␇" in out  # shown, as placeholders
    assert "\\[bold\\]x\\[/\\]" in out  # markup as literal text
    assert not raw_controls(evil_note.read_text(encoding="utf-8"))  # the file is safe to `cat`


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ('{ text = "a", tags = ["\\u001b]2;pwned\\u0007"] }', "bad tag"),
        ('{ text = "a", tags = ["ok\\u202eevil"] }', "bad tag"),
        ('{ text = "a", status = "\\u001b[2J" }', "unknown status"),
        ('{ text = "a", status = "testing\\nvalidated" }', "unknown status"),
        ('{ text = 5, note = "\\u001b]52;c;aGk=\\u0007" }', "needs a 'text' string"),
    ],
    ids=["esc-tag", "bidi-tag", "esc-status", "newline-status", "bad-text"],
)
def test_a_hostile_tag_or_status_is_a_safe_one_line_error(
    store: CanvasStore, capsys: pytest.CaptureFixture[str], item: str, message: str
) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_text(f"[blocks]\nchannels = [{item}]\n", encoding="utf-8")
    before = file_state(path)
    for args in (["show", "bad"], ["export", "bad", "--format", "json"]):
        line = assert_one_line_error(*cli(store.data_dir, capsys, *args))
        assert "blocks.channels[0] (item 1 of channels)" in line
        assert message in line
    assert file_state(path) == before


HOSTILE_KEYS = """\
title = "From elsewhere"
template = "not-here"

[blocks]
"\\u001b]2;pwned\\u0007" = ["osc"]
"a b\\u202ec" = ["bidi"]
"line\\nbreak" = ["newline"]
"""


def test_the_keys_of_a_missing_template_are_shown_safely(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.canvases_dir / "elsewhere.toml"
    path.write_text(HOSTILE_KEYS, encoding="utf-8")
    before = file_state(path)
    for args in (
        ("show", "elsewhere", "--width", "60"),
        ("show", "elsewhere", "--width", "160", "--guide"),
        *(("export", "elsewhere", "--format", fmt) for fmt in ("markdown", "html", "json", "toml")),
        ("list",),
        ("list", "--json"),
    ):
        code, out, err = cli(store.data_dir, capsys, *args)
        assert (code, err) == (0, ""), args
        assert not raw_controls(out), (args, raw_controls(out))
    _, out, _ = cli(store.data_dir, capsys, "show", "elsewhere", "--width", "60")
    assert "␛]2;pwned␇ (1)" in out
    _, out, _ = cli(store.data_dir, capsys, "export", "elsewhere", "--format", "toml")
    assert tomllib.loads(out)["blocks"] == {
        "\x1b]2;pwned\x07": ["osc"],
        "a b\u202ec": ["bidi"],
        "line\nbreak": ["newline"],
    }
    assert file_state(path) == before


def test_an_error_naming_a_hostile_key_is_one_safe_line(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_text(
        'template = "not-here"\n[blocks]\n"\\u001b]2;pwned\\u0007\\nsecond line" = 3\n',
        encoding="utf-8",
    )
    for args in (["show", "bad"], ["export", "bad", "--format", "markdown"]):
        line = assert_one_line_error(*cli(store.data_dir, capsys, *args))
        assert "␛]2;pwned␇␊second line must be an array" in line
