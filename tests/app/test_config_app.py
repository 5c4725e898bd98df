"""The config file in the app: rebound keys work and show everywhere; a config that cannot be
used starts with the defaults and says why, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.app import CanvasApp
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.config import read_config
from canvas_tui.ui.dialogs import HelpScreen
from canvas_tui.ui.editor import EditorScreen
from helpers import screen_text, wait_for, write_canvas

SIZE = (160, 50)


def notices(app: CanvasApp) -> str:
    """The notices on screen, each as one line of words: a notice wraps where its words
    fall, and a long temporary path moves them."""
    from textual.widgets._toast import Toast

    return "\n".join(" ".join(toast.render().plain.split()) for toast in app.screen.query(Toast))


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def app_on(store: CanvasStore, config: Path, canvas: str | None = "acme") -> CanvasApp:
    write_canvas(store, "acme", Canvas.from_lists("Acme", [["one"], *[[]] * 8]))
    return CanvasApp(store=store, canvas=canvas, config=read_config(config))


def key_bar(app: CanvasApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_a_rebound_key_works_and_shows_in_the_key_bar_and_help(
    store: CanvasStore, tmp_path: Path
) -> None:
    config = config_file(tmp_path, '[keys]\nadd = "+"\ndelete = ["x", "delete"]\n')
    app = app_on(store, config)
    path = store.path_for("acme")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert " + Add" in key_bar(app)
        assert " x Delete" in key_bar(app)
        await pilot.press("a", "d")  # the old keys do nothing now
        await pilot.press("plus", *"two", "enter")
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == ("one", "two"), what="add")
        await pilot.press("x")
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == ("one",), what="delete")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "+  " in shown.split("Add an item at the end")[0].splitlines()[-1]
        assert "x / delete" in shown


async def test_a_rebound_key_works_in_the_browser_and_its_footer(
    store: CanvasStore, tmp_path: Path
) -> None:
    config = config_file(tmp_path, '[keys]\nopen = "o,enter"\nquit = "x"\n')
    app = app_on(store, config, canvas=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "acme" in screen_text(app), what="the list")
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="open")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Quit" in screen_text(app), what="the footer")
        assert "x Quit" in screen_text(app).replace("  ", " ")
        await pilot.press("x")
        await wait_for(pilot, lambda: not app.is_running, what="quit")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("theme = \n", "invalid TOML"),
        ('[keys]\nfly = "f"\n', "unknown action 'fly'"),
        ('[keys]\nadd = "ctrl+nothing"\n', "'ctrl+nothing' is not a key name"),
        ('[keys]\ndelete = "a"\n', "'a' is already the key of add"),
        ('theme = "no-such-theme"\n', "'no-such-theme' is not a Textual theme"),
        ('colour = "blue"\n', "unknown setting 'colour'"),
    ],
    ids=["bad-toml", "unknown-action", "bad-key", "clash", "unknown-theme", "unknown-setting"],
)
async def test_a_broken_config_starts_with_the_defaults_and_says_why(
    store: CanvasStore, tmp_path: Path, text: str, reason: str
) -> None:
    app = app_on(store, config_file(tmp_path, text))
    path = store.path_for("acme")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: reason in notices(app), what="the reason")
        await pilot.press("a", *"default keys", "enter", "d", "d")
        await wait_for(pilot, lambda: load(path).canvas.texts(0) == (), what="defaults")
        assert app.is_running


async def test_a_theme_from_the_config_is_used(store: CanvasStore, tmp_path: Path) -> None:
    app = app_on(store, config_file(tmp_path, 'theme = "textual-light"\n'))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_a_theme_chosen_while_editing_redraws_the_canvas_in_it(
    store: CanvasStore, tmp_path: Path
) -> None:
    """The canvas keeps the rows it drew until what they show changes: a new theme is such a
    change, so the screen must be the one a start in that theme shows."""
    light = app_on(store, config_file(tmp_path, 'theme = "textual-light"\n'))
    async with light.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "one" in screen_text(light), what="the canvas")
        expected = light.export_screenshot()
    app = app_on(store, config_file(tmp_path, 'theme = "textual-dark"\n'))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "one" in screen_text(app), what="the canvas")
        dark = app.export_screenshot()
        app.theme = "textual-light"
        await wait_for(pilot, lambda: app.export_screenshot() == expected, what="light theme")
    assert dark != expected
