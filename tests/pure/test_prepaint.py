"""The pre-paint's frame, its colours and the guard, without a terminal."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text

from canvas_tui.actions import configured
from canvas_tui.example import EXAMPLE
from canvas_tui.prepaint.start import Start
from canvas_tui.prepaint.styles import (
    CACHE_FILE,
    LOG_FILE,
    PLAIN,
    Comparison,
    StyleCache,
    cache_key,
    encode,
    read_frame,
    role_cells,
)
from canvas_tui.prepaint.terminal import EarlyTerminal
from canvas_tui.render.editorframe import (
    bar_keys,
    editor_frame,
    ellipsized,
    key_row,
    save_state,
    status_row,
    title_row,
    titles,
)
from canvas_tui.template import default_template


def frame(
    width: int = 120, height: int = 40, read_only: bool = False
) -> list[list[tuple[str, str]]]:
    template = default_template()
    rows = editor_frame(
        template,
        EXAMPLE,
        heading=titles(EXAMPLE.title, "example", template, read_only),
        save=save_state(read_only=read_only, reason="", exists=True),
        keys=bar_keys(configured({})[0], read_only),
        width=width,
        height=height,
    )
    assert rows is not None
    return rows


def text(row: list[tuple[str, str]]) -> str:
    return "".join(part for part, _ in row)


def test_every_row_of_the_frame_fills_the_width_exactly() -> None:
    for width, height in ((120, 40), (160, 50), (80, 24), (100, 30), (60, 20), (20, 8)):
        rows = frame(width, height)
        assert len(rows) == height
        assert [cell_len(text(row)) for row in rows] == [width] * height


def test_the_frame_has_the_bars_and_every_block() -> None:
    rows = frame()
    assert "Nimbus Notes" in text(rows[0]) and "example" in text(rows[0])
    assert text(rows[-2]).strip() == "all changes saved"
    assert "Quit" in text(rows[-1]) and text(rows[-1]).endswith(" ^p palette ")
    assert "▸" in "".join(text(row) for row in rows[1:-2])  # the cursor of block 1
    for number in range(1, 10):
        assert any(f" {number} " in text(row) for row in rows[1:-2])


def test_a_narrow_screen_shows_one_block_and_the_strip() -> None:
    rows = frame(80, 24)
    assert text(rows[1]).startswith(" 1 ")  # the strip of blocks
    assert "Key Partners" in text(rows[2])


def test_a_title_wider_than_the_screen_is_cut_with_an_ellipsis() -> None:
    """As the title bar draws it (`text-overflow: ellipsis`): the last cell is "…"."""
    template = default_template()
    rows = editor_frame(
        template,
        EXAMPLE,
        heading=("x" * 200, "example"),
        save=("all changes saved", "dim"),
        keys=[],
        width=120,
        height=40,
    )
    assert rows is not None
    assert rows[0] == [("x" * 119 + "…", "titlebar-title")]


def test_a_title_cut_in_its_subtitle_ends_in_the_subtitle_s_role() -> None:
    row = title_row("Acme", "acme · Lean Canvas · read-only", 24)
    assert row == [
        ("Acme", "titlebar-title"),
        (" — ", "titlebar-dim"),
        ("acme · Lean Canv…", "titlebar-dim"),
    ]


def test_a_key_bar_wider_than_the_screen_ends_in_an_ellipsis() -> None:
    """Cut at 60 columns as the key bar widget cuts it (Rich's `Text.truncate`, the same
    rule as Textual's `Content.truncate`): 59 cells of it, then "…" in the label's role."""
    keys = bar_keys(configured({})[0], False)
    whole = key_row(keys, 200)
    plain = text(whole).rstrip()
    expected = Text(plain)
    expected.truncate(60, overflow="ellipsis")
    row = key_row(keys, 60)
    assert text(row) == expected.plain and text(row).endswith("…")
    assert row[-1][1] == "keybar"


def test_a_status_wider_than_the_screen_ends_in_an_ellipsis_inside_its_padding() -> None:
    save = ("read-only (the file is read-only): the file is never written", "bold")
    assert status_row(save, 30) == [
        (" ", "status"),
        ("read-only (the file is read…", "status-save"),
        (" ", "status"),
    ]


def test_a_wide_character_cut_in_half_becomes_a_space_before_the_ellipsis() -> None:
    assert ellipsized([("ab", "a"), ("漢c", "b")], 4) == [("ab", "a"), (" …", "b")]
    assert ellipsized([("fits", "a")], 4) == [("fits", "a")]


def test_encode_then_read_gives_the_cells_back(tmp_path: Path) -> None:
    rows = frame()
    cache = StyleCache(tmp_path, "key")
    cache.styles = {role: "38;5;1" for row in rows for _, role in row}
    drawn = read_frame(encode(rows, cache), len(rows))
    assert drawn is not None
    comparison = Comparison(role_cells(rows), drawn)
    assert comparison.difference is None and comparison.mixed is None
    assert comparison.learnt == cache.styles


def test_compare_finds_a_difference_in_text(tmp_path: Path) -> None:
    rows = frame()
    drawn = read_frame(encode(rows, StyleCache(tmp_path, "k")), len(rows))
    assert drawn is not None
    drawn[5][3] = ("X", drawn[5][3][1])
    difference = Comparison(role_cells(rows), drawn).difference
    assert difference is not None and difference.startswith("row 6")


def test_a_role_drawn_two_ways_is_not_learnt(tmp_path: Path) -> None:
    rows = [[("ab", "one")]]
    drawn = [[("a", "1"), ("b", "2")]]
    comparison = Comparison(role_cells(rows), drawn)
    assert comparison.difference is None
    assert comparison.mixed == "'one' drawn as '1' and '2' (row 1, 2)"


def test_a_partial_frame_is_not_read() -> None:
    assert read_frame("\x1b[1;1Hrow one\n\x1b[3;1Hrow three", 3) is None


def test_the_cache_is_used_only_for_its_key_and_when_valid(tmp_path: Path) -> None:
    key = cache_key("textual-dark", {"TERM": "xterm-256color"})
    cache = StyleCache(tmp_path, key)
    cache.styles = {"canvas:border": "38;5;239"}
    cache.write()
    assert StyleCache.read(tmp_path, key).codes("canvas:border") == "38;5;239"
    other = StyleCache.read(tmp_path, cache_key("nord", {"TERM": "xterm-256color"}))
    assert other.styles is None and other.codes("canvas:cursor") == PLAIN["canvas:cursor"]
    # Anything but digits and separators in a code is refused (it goes to the terminal).
    data = json.loads((tmp_path / CACHE_FILE).read_text())
    data["styles"]["canvas:border"] = "1m\x1b]0;pwned\x07"
    (tmp_path / CACHE_FILE).write_text(json.dumps(data))
    assert StyleCache.read(tmp_path, key).styles is None
    (tmp_path / CACHE_FILE).write_text("not json")
    assert StyleCache.read(tmp_path, key).styles is None


def guarded_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Start, list[list[tuple[str, str]]]]:
    rows = frame()
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((120, 40)))
    cache = StyleCache(tmp_path, "key")
    start = Start(EarlyTerminal(0, []), cache, role_cells(rows), (120, 40), None)
    return start, rows


def test_the_guard_turns_the_pre_paint_off_when_textual_drew_other_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, rows = guarded_start(tmp_path, monkeypatch)
    rows[0] = [("something else".ljust(120), "titlebar")]
    start.first_frame(encode(rows, StyleCache(tmp_path, "other")))
    assert start.verdict is not None and start.verdict.startswith("differs")
    assert StyleCache.read(tmp_path, "key").off is not None
    assert "pre-paint off" in (tmp_path / LOG_FILE).read_text()


def test_the_guard_learns_the_colours_of_a_matching_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, rows = guarded_start(tmp_path, monkeypatch)
    drawn = StyleCache(tmp_path / "drawn", "key")
    drawn.styles = {role: f"38;5;{len(role)}" for row in rows for _, role in row}
    start.first_frame(encode(rows, drawn))
    assert start.verdict == "same"
    assert StyleCache.read(tmp_path, "key").styles == drawn.styles


def test_the_guard_does_not_judge_a_frame_that_keys_changed_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, rows = guarded_start(tmp_path, monkeypatch)
    start.key_seen()
    rows[0] = [("something else".ljust(120), "titlebar")]
    start.first_frame(encode(rows, StyleCache(tmp_path, "other")))
    assert start.verdict == "not checked"
    assert StyleCache.read(tmp_path, "key").off is None
