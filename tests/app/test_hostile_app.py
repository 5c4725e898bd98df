"""Hostile and broken canvas files and text in the app (the editor, the browser, a real
terminal): a bad file is reported and never changed, untrusted text is shown as data and
never reaches the terminal as controls.

These tests drive `CanvasApp` with Pilot or in a pty. The same files through `load`, `show`,
`export`, `new` and `list` are in test_hostile.py, whose cases and helpers they share.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.events import Paste

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas, add_item, retitle
from canvas_tui.store import CanvasStore, StoreError, load, save
from canvas_tui.template import default_template
from canvas_tui.ui.editor import EditorScreen
from clitools import cli
from helpers import (
    file_state,
    quit_or_warned,
    screen_text,
    screen_until,
    wait_for,
    wait_for_disk,
    write_canvas,
)
from hostile import (
    BROKEN,
    EVIL_FILE,
    EVIL_ITEMS,
    EVIL_TITLE,
    MARKUP,
    assert_one_line_error,
    make_canvas,
    raw_controls,
)
from ptyapp import pty_editor

SIZE = (160, 50)
BLOCKS = default_template().blocks
KEYS = [spec.key for spec in BLOCKS]
APP_CASES = {"deep-arrays-2000", "esc-in-title", "title-table", "blocks-array", "schema-bool"}

pytestmark = pytest.mark.usefixtures("plain_output")


@pytest.fixture
def evil(store: CanvasStore) -> Path:
    return write_canvas(store, "evil", make_canvas(EVIL_TITLE, EVIL_ITEMS, [EVIL_TITLE]))


def session_canvas(app: CanvasApp) -> Canvas:
    """The canvas the open editor holds (what the user sees and edits)."""
    screen = app.screen
    assert isinstance(screen, EditorScreen), screen
    return screen.session.canvas


async def open_app(app: CanvasApp, size: tuple[int, int] = SIZE) -> str:
    """Start `app` and return what its first screen shows."""
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return screen_text(app)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(content, message, id=case)
        for case, content, message in BROKEN
        if case in APP_CASES
    ],
)
async def test_broken_file_in_the_app_exits_1_and_is_left_alone(
    store: CanvasStore, content: bytes, message: str
) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_bytes(content)
    before = file_state(path)
    app = CanvasApp(store=store, canvas="bad")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", "x", "enter", "q")
    assert app.return_code == 1
    assert file_state(path) == before
    assert sorted(p.name for p in store.canvases_dir.iterdir()) == ["bad.toml"]


async def test_broken_file_opened_from_the_browser_shows_the_error(store: CanvasStore) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_bytes(b"title = [1]\n")
    before = file_state(path)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: "unreadable" in screen_text(app), what="the list")
        await pilot.press("enter")
        # The list's row says why already; the notification says that opening it failed.
        await wait_for(pilot, lambda: "Cannot open bad" in screen_text(app), what="the error")
        assert screen_text(app).count("'title' must be a string") == 2  # the row and the toast
        assert app.is_running
        assert not isinstance(app.screen, EditorScreen)
    assert file_state(path) == before


@pytest.mark.parametrize("key", ["c", "r"])
async def test_duplicate_or_rename_of_a_broken_file_in_the_browser_does_not_crash(
    store: CanvasStore, key: str
) -> None:
    path = store.canvases_dir / "bad.toml"
    path.write_bytes(b"title = 5\n")
    before = file_state(path)
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: "unre" in screen_text(app), what="the list")
        await pilot.press(key)
        if key == "r":
            await pilot.press(*"New", "enter")
        await screen_until(pilot, app, "Could not do that")
        assert app.is_running
        assert "must be a string" in screen_text(app)  # the error, in a notification
    assert app.return_code in (None, 0)
    assert file_state(path) == before
    assert sorted(p.name for p in store.canvases_dir.iterdir()) == ["bad.toml"]


async def test_a_link_to_a_device_is_refused(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """A canvas folder from git may hold a link to /dev/zero, which never ends; /dev/null is
    the safe stand-in here (an unfixed reader sees an empty canvas, and the test fails)."""
    link = store.canvases_dir / "device.toml"
    link.symlink_to("/dev/null")
    with pytest.raises(OSError, match="not a regular file"):
        load(link)
    assert_one_line_error(*cli(store.data_dir, capsys, "show", "device"))
    app = CanvasApp(store=store, canvas="device")
    await open_app(app)
    assert app.return_code == 1
    assert link.is_symlink()
    assert link.readlink() == Path("/dev/null")


async def test_an_empty_file_is_an_empty_canvas_everywhere(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.canvases_dir / "blank.toml"
    path.write_bytes(b"")
    before = file_state(path)
    loaded = load(path)
    assert loaded.canvas == Canvas.new("", default_template())
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
    app = CanvasApp(store=store, canvas="blank")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "blank" in screen_text(app), what="the editor")
        assert isinstance(app.screen, EditorScreen)  # the name stands in for the missing title
        assert file_state(path) == before  # opening is not a change
        await pilot.press("q")
    assert file_state(path) == before
    assert app.return_code in (None, 0)


async def test_a_file_that_cannot_be_rewritten_in_place_is_never_damaged(
    store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """tomllib reads keys nested 2,000 levels deep, tomlkit (which keeps the user's layout on
    a save) refuses more than 100: a save must say so, never crash or drop the key."""
    path = store.canvases_dir / "deep.toml"
    path.write_bytes(b'title = "Deep"\n' + b"x" + b".x" * 2000 + b" = 1\n[blocks]\nchannels = []\n")
    before = file_state(path)
    loaded = load(path)
    assert loaded.canvas == Canvas.new("Deep", default_template())
    code, out, _ = cli(store.data_dir, capsys, "show", "deep", "--width", "60")
    assert code == 0
    assert "Deep" in out
    with pytest.raises(StoreError, match="cannot update"):
        save(loaded, add_item(loaded.canvas, 0, "x").canvas)
    assert file_state(path) == before
    app = CanvasApp(store=store, canvas="deep")
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # the quit warns
        await pilot.pause()
        await pilot.press("a", *"mine", "enter")
        shown = await screen_until(pilot, app, "not saved")
        assert "not saved" in shown
        assert "cannot update" in shown
        assert session_canvas(app).texts(0) == ("mine",)
        assert file_state(path) == before
        await pilot.press("q")  # cannot save: warns and stays
        await wait_for(pilot, lambda: quit_or_warned(app), what="the quit to warn or leave")
        assert app.is_running
        await pilot.press("q")  # knowingly
    assert file_state(path) == before


async def test_a_2mb_item_loads_shows_and_round_trips(
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
    shown = await open_app(CanvasApp(store=store, canvas="big"))  # and in the editor
    assert "1 Key Partners (3)" in shown
    assert "START w0" in shown
    changed = add_item(loaded.canvas, 0, "added").canvas
    save(loaded, changed)
    again = load(path)
    assert again.canvas == changed
    assert again.canvas.texts(0)[1] == big
    save(again, retitle(again.canvas, "Big 2"))  # and the saved file saves again
    assert load(path).canvas.texts(0)[1] == big


async def test_20000_items_load_open_and_take_an_add(store: CanvasStore) -> None:
    per_block = [[f"item {block}.{index}" for index in range(2223)] for block in range(9)]
    canvas = make_canvas("Many", *per_block)
    assert canvas.item_count >= 20_000
    path = write_canvas(store, "many", canvas)
    assert load(path).canvas == canvas
    app = CanvasApp(store=store, canvas="many")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "1 Key Partners (2223)" in shown
        assert "▸ item 0.0" in shown
        await pilot.press("a", *"one more", "enter")
        assert "1 Key Partners (2224)" in screen_text(app)
        expected = add_item(canvas, 0, "one more").canvas
        await wait_for_disk(pilot, path, lambda canvas: canvas == expected, what="the save")
        assert load(path).canvas == expected


async def test_markup_is_shown_literally_in_the_editor_and_does_nothing(
    store: CanvasStore,
) -> None:
    canvas = make_canvas("[bold]T[/ [@click=app.quit]q[/]", *[[text] for text in MARKUP])
    path = write_canvas(store, "markup", canvas)
    before = file_state(path)
    app = CanvasApp(store=store, canvas="markup")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "[bold]T[/ [@click=app.quit]q[/] — markup" in shown
        for text in MARKUP:
            assert text in shown
        for number in range(1, 5):  # on each item: edit and cancel, copy, search for it
            await pilot.press(str(number), "enter", "escape", "e", "escape")
            assert app.is_running
        await pilot.press("slash")
        app.post_message(Paste("[bold]"))
        await pilot.pause()
        await pilot.press("enter")
        assert "/[bold]" in screen_text(app)
        await pilot.click(offset=(SIZE[0] // 2, 0))  # the title bar
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert session_canvas(app) == canvas
    assert file_state(path) == before  # nothing changed, nothing written


@pytest.mark.parametrize("no_color", [False, True], ids=["color", "no-color"])
async def test_the_editor_never_shows_controls(
    store: CanvasStore, evil: Path, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    before = file_state(evil)
    app = CanvasApp(store=store, canvas="evil")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
        assert "␛]2;pwned␇" in shown  # visible placeholders instead
        assert "␛]52;c;aGk=␇" in shown
        assert "a␛[2Jb" in shown
        await pilot.press("z")  # zoomed
        assert not raw_controls(screen_text(app))
        await pilot.press("z", "question_mark")
        assert not raw_controls(screen_text(app))
        await pilot.press("escape", "2", "j")  # the cursor on the title copied as an item
        assert not raw_controls(screen_text(app))
        assert session_canvas(app).title == EVIL_TITLE
        await pilot.press("q")
    assert file_state(evil) == before


@pytest.mark.parametrize("key", ["e", "t"], ids=["item-field", "title-field"])
async def test_the_edit_fields_never_show_controls(
    store: CanvasStore, evil: Path, key: str
) -> None:
    """The one-line field that edits an item (e) or the title (t) shows the same text."""
    before = file_state(evil)
    app = CanvasApp(store=store, canvas="evil")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        shown = screen_text(app)
        await pilot.press("escape")
        assert session_canvas(app).title == EVIL_TITLE
        await pilot.press("q")
    assert "pwned" in shown
    assert not raw_controls(shown), raw_controls(shown)
    assert file_state(evil) == before


def test_the_real_terminal_never_receives_sequences_from_the_canvas(store: CanvasStore) -> None:
    """The bytes the program writes to a real terminal (a pty), not just what Textual's
    compositor holds: no OSC title or clipboard write made of item text, at any step."""
    write_canvas(store, "evil", make_canvas("T", [EVIL_ITEMS[0] + EVIL_ITEMS[1]]))
    app = pty_editor(store.data_dir, "evil")  # its first screen is drawn
    try:
        mark = app.mark()
        app.type("e")  # the item's text field
        app.wait_for(b"Cancel", start=mark)  # the field's key bar: the field is drawn
        mark = app.mark()
        app.type("\x1b")
        app.wait_for(b"Quit", start=mark)  # the editor's key bar again
        app.type("q")
        app.wait()
    finally:
        app.close()
    output = bytes(app.output)
    assert b"pwned" in output
    assert b"\x1b]2;pwned" not in output
    assert b"\x1b]52;c;aGk=" not in output


async def test_hostile_text_typed_in_keeps_the_stored_text_exact(store: CanvasStore) -> None:
    path = write_canvas(store, "plain", make_canvas("Plain"))
    app = CanvasApp(store=store, canvas="plain")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        app.post_message(Paste(EVIL_ITEMS[0]))  # as a terminal delivers a paste
        await pilot.pause()
        await pilot.press("enter")
        assert not raw_controls(screen_text(app))
        await pilot.press("q")
    assert load(path).canvas.texts(0) == (EVIL_ITEMS[0],)
    assert not raw_controls(path.read_text(encoding="utf-8"))  # the file is safe to `cat`


async def test_browser_never_shows_controls_from_file_names(store: CanvasStore) -> None:
    (store.canvases_dir / f"{EVIL_FILE}.toml").write_text('title = "ok"\n', encoding="utf-8")
    app = CanvasApp(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "ok" in screen_text(app), what="the list")
        shown = screen_text(app)
        assert not raw_controls(shown), raw_controls(shown)
