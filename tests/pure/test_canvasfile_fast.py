"""Reading a canvas file is fast for the text canvas-tui writes, and exactly as strict as
before for anything else: whatever the fast reader takes, `tomllib` must read the same way.

A trailing comment makes a file "not what canvas-tui writes" without changing what it says,
so `parse(text)` against `parse(text + comment)` compares the two readers through the public
function only.
"""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_canvasfile import canvases_of

from canvas_tui.canvasfile import CanvasFileError, Parsed, dump, parse
from canvas_tui.model import Canvas, Item
from canvas_tui.template import built_in_templates

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
LEAN = TEMPLATES.get("lean")
assert LEAN is not None
TRAILER = "# read by tomllib: a comment is not in the form canvas-tui writes\n"


def read(text: str) -> Parsed | str:
    """What `parse` makes of `text`: the result, or the error's message."""
    try:
        return parse(text, TEMPLATES)
    except CanvasFileError as error:
        return str(error)


def read_both(text: str) -> tuple[Parsed | str, Parsed | str]:
    """`text` read as it is, and with a trailing comment (so by tomllib). Errors compare
    as errors: the fast reader never makes one (it leaves the text to tomllib), and the
    comment can move where tomllib says the text ends."""
    results = [read(text), read(text + TRAILER if text.endswith("\n") else text + "\n" + TRAILER)]
    fast, slow = ("an error" if isinstance(r, str) else r for r in results)
    return fast, slow


@settings(max_examples=150, deadline=None)
@given(canvas=st.one_of(canvases_of(TECH), canvases_of(LEAN)))
def test_what_canvas_tui_writes_reads_back_the_same_either_way(canvas: Canvas) -> None:
    template = TECH if canvas.template == TECH.id else LEAN
    text = dump(canvas, template.keys)
    fast, slow = read_both(text)
    assert isinstance(fast, Parsed)
    assert fast == slow
    assert fast.canvas == canvas


CANONICAL = dump(
    Canvas.from_lists(
        'Acme "quoted" \\ café ✓',
        [
            ["plain", Item("rich", "testing", ("b2b", "x-1"), "line one\nline two")],
            [Item("only text")],
            *[[]] * 7,
        ],
    ),
    TECH.keys,
)


def test_the_example_text_is_read_the_same_either_way() -> None:
    fast, slow = read_both(CANONICAL)
    assert isinstance(fast, Parsed) and fast == slow


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_any_small_change_to_such_a_text_reads_the_same_either_way(data: st.DataObject) -> None:
    """Every edit of the text canvas-tui writes is read by the fast reader exactly as tomllib
    reads it, or left to tomllib: the same canvas, or the same error."""
    text = CANONICAL
    position = data.draw(st.integers(0, len(text)))
    kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
    alphabet = st.sampled_from(list("\"\\{}[],=# \n\tabc~✓\x1b\x00'ux0123456789"))
    piece = data.draw(st.text(alphabet=alphabet, min_size=1, max_size=3))
    if kind == "insert":
        text = text[:position] + piece + text[position:]
    elif kind == "delete":
        text = text[:position] + text[position + len(piece) :]
    else:
        text = text[:position] + piece + text[position + len(piece) :]
    fast, slow = read_both(text)
    assert fast == slow


def test_texts_near_the_written_form_read_the_same_either_way() -> None:
    near = [
        CANONICAL.replace("\n", "\r\n"),  # CRLF
        CANONICAL.rstrip("\n"),  # no final line break
        CANONICAL.replace('"plain"', "'plain'"),  # a literal string
        CANONICAL.replace('"plain"', '"pl\\U0001F600in"'),
        CANONICAL.replace('"plain"', '"pl\\ud83din"'),  # a lone surrogate: an error
        CANONICAL.replace('"plain"', '"pl\\ein"'),
        CANONICAL.replace("schema = 2", "schema = 02"),
        CANONICAL.replace('status = "testing"', 'status = "unknown"'),
        CANONICAL.replace(', status = "testing"', ""),
        CANONICAL.replace('tags = ["b2b", "x-1"]', "tags = []"),
        CANONICAL.replace(
            '{ text = "rich", status = "testing"', '{ status = "testing", text = "rich"'
        ),
        CANONICAL.replace("key_activities = [", "key_resources = ["),  # out of order, doubled
        CANONICAL.replace("channels = []\n", ""),  # a block missing
        CANONICAL.replace('title = "', 'template = "gone"\ntitle = "'),
        "\ufeff" + CANONICAL,  # a BOM
    ]
    for text in near:
        fast, slow = read_both(text)
        assert fast == slow, text


def test_the_written_form_is_read_without_tomllib(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the fast reader: canvas-tui's own files (nearly all files read) never
    pay for tomllib; anything else still goes to it."""

    def no_tomllib(text: str) -> object:
        raise AssertionError("tomllib was used")

    monkeypatch.setattr(tomllib, "loads", no_tomllib)
    assert isinstance(read(CANONICAL), Parsed)
    with pytest.raises(AssertionError, match="tomllib was used"):
        parse(CANONICAL + TRAILER, TEMPLATES)
