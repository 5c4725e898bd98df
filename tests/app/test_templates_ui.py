"""Templates in the app: a Lean canvas end to end, a user's own template, a canvas whose
template is missing (read-only, nothing rewritten), and the browser's Template column and
template choice."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.app import CanvasApp
from canvas_tui.store import CanvasStore, load
from canvas_tui.store.config import read_config
from canvas_tui.template import load_templates
from canvas_tui.ui.browser import BrowserScreen
from canvas_tui.ui.dialogs import HelpScreen, MoveScreen
from canvas_tui.ui.editor import EditorScreen
from helpers import editor, screen_text, wait_for

WIDE, NARROW = (160, 50), (80, 24)

SWOT = """
id = "swot"
title = "SWOT"
grid = { rows = 2, columns = 2 }

[[blocks]]
key = "strengths"
title = "Strengths"
short = "S"
question = "What do we do well?"
place = { row = 0, column = 0 }

[[blocks]]
key = "weaknesses"
title = "Weaknesses"
short = "W"
place = { row = 0, column = 1 }

[[blocks]]
key = "opportunities"
title = "Opportunities"
short = "O"
place = { row = 1, column = 0 }

[[blocks]]
key = "threats"
title = "Threats"
short = "T"
place = { row = 1, column = 1 }
"""


async def test_a_lean_canvas_end_to_end_wide_and_narrow(store: CanvasStore) -> None:
    name = store.create("Lean idea", template="lean")
    path = store.path_for(name)
    app = CanvasApp(store=store, canvas=name)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        for title in ("1 Problem", "2 Solution", "3 Key Metrics", "5 Unfair Advantage"):
            assert title in shown
        assert "Lean Canvas" in shown  # the title bar names the template
        await pilot.press("a", *"Meetings are lost", "enter", "l", "a", *"Auto summaries", "enter")
        await wait_for(
            pilot,
            lambda: load(path).canvas.texts(1) == ("Auto summaries",),
            what="the solution on disk",
        )
        await pilot.press("m")
        assert isinstance(app.screen, MoveScreen)
        assert "Unique Value Proposition" in screen_text(app)
        await pilot.press("4")
        await wait_for(pilot, lambda: load(path).canvas.texts(3) == ("Auto summaries",), what="4")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert "A single, clear, compelling message" in help_text
        assert "CC BY-SA 3.0" in help_text
    text = path.read_text(encoding="utf-8")
    assert 'template = "lean"' in text and "problem = [" in text
    app = CanvasApp(store=store, canvas=name)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "1 PR │ 2 SO │ 3 KM │ 4 UV" in shown
        assert "1 Problem (1)" in shown
        await pilot.press("4")
        assert "4 Unique Value Proposition (1)" in screen_text(app)


async def test_a_user_template_from_the_config_folder(store: CanvasStore, tmp_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    (config.parent / "templates").mkdir(parents=True)
    (config.parent / "templates" / "swot.toml").write_text(SWOT, encoding="utf-8")
    user_store = CanvasStore(store.data_dir, load_templates(config.parent / "templates"))
    name = user_store.create("Our SWOT", template="swot")
    app = CanvasApp(store=user_store, canvas=name, config=read_config(config))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        for title in ("1 Strengths", "2 Weaknesses", "3 Opportunities", "4 Threats"):
            assert title in shown
        assert "What do we do well?" in shown  # guidance of an empty block
        await pilot.press("4", "a", *"A rival", "enter", "5", "k")  # 5: no such block
        opened = editor(app)
        assert opened.session.block == 1  # from Threats, up: Weaknesses
        await wait_for(
            pilot,
            lambda: (
                load(user_store.path_for(name), user_store.templates).canvas.texts(3)
                == ("A rival",)
            ),
            what="the item",
        )


async def test_a_canvas_whose_template_is_missing_opens_read_only_and_stacked(
    store: CanvasStore,
) -> None:
    path = store.path_for("elsewhere")
    text = (
        'schema = 1\ntitle = "From elsewhere"\ntemplate = "gone"\n\n[blocks]\n'
        'first_box = ["kept as is"]\nsecond_box = ["also kept"]\n'
    )
    path.write_text(text, encoding="utf-8")
    before = path.stat().st_mtime_ns
    app = CanvasApp(store=store, canvas="elsewhere")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "read-only" in shown and "'gone' is not installed" in shown
        lines = shown.splitlines()
        first = next(i for i, line in enumerate(lines) if "1 first_box" in line)
        second = next(i for i, line in enumerate(lines) if "2 second_box" in line)
        assert second > first  # one under another
        await pilot.press("a", *"nope", "enter", "d", "s", "q")
    assert path.read_text(encoding="utf-8") == text
    assert path.stat().st_mtime_ns == before


async def test_the_browser_shows_templates_and_n_asks_for_one(store: CanvasStore) -> None:
    store.create("Old plan")
    app = CanvasApp(store=store)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: "Old plan" in screen_text(app), what="the list")
        assert "Tech Business Model Canvas" in screen_text(app)
        await pilot.press("n", *"Lean one")
        assert "(•) Tech Business Model Canvas" in screen_text(app)
        await pilot.press("tab")
        assert "(•) Lean Canvas" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen), what="the editor")
        assert "1 Problem" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowserScreen), what="browser")
        await wait_for(pilot, lambda: "Lean Canvas" in screen_text(app), what="its template")
    assert load(store.path_for("lean-one")).canvas.template == "lean"
