"""The printed canvas's data (render/printdoc.py): what the typesetter is given to place as
text. No Typst here: these check that canvas text reaches it as plain, safe strings."""

from __future__ import annotations

import json

from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas, Item
from canvas_tui.render.printdoc import (
    BREAK_EVERY,
    PAPERS,
    PIECE,
    ZERO_WIDTH_SPACE,
    breakable,
    pieces,
    print_document,
)
from canvas_tui.safetext import has_unsafe
from canvas_tui.template import built_in_templates

TECH = built_in_templates().default
LEAN = built_in_templates().get("lean")


def strings(value: object) -> list[str]:
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


def test_the_document_follows_the_template_grid_and_carries_every_item() -> None:
    doc = print_document(EXAMPLE, TECH, date="2026-12-03")
    assert doc["grid"] == {"rows": 3, "columns": 10, "row_heights": [2, 2, 1]}
    assert [b["number"] for b in doc["blocks"]] == list(range(1, 10))
    places = [(b["row"], b["column"], b["rows"], b["columns"]) for b in doc["blocks"]]
    assert places == [
        (s.place.row, s.place.column, s.place.rows, s.place.columns) for s in TECH.blocks
    ]
    texts = [it["text"] for b in doc["blocks"] for it in b["items"]]
    assert texts == [item.text for items in EXAMPLE.blocks for item in items]
    assert doc["items"] == EXAMPLE.item_count == 44
    assert doc["date"] == "2026-12-03"
    assert doc["attribution"] == TECH.attribution
    assert doc["paper"] == {"width": 297.0, "height": 210.0}
    assert [entry["glyph"] for entry in doc["legend"]] == ["?", "~", "✓", "✗", "¶"]


def test_statuses_tags_and_counts() -> None:
    items = [Item("a", "validated", ("b2b",)), Item("b", "testing"), Item("c")]
    canvas = Canvas.from_lists("T", [items, *[[]] * 8])
    block = print_document(canvas, TECH, date="d")["blocks"][0]
    assert [(it["glyph"], it["status"], it["tags"]) for it in block["items"]] == [
        ("✓", "validated", ["#b2b"]),
        ("~", "testing", []),
        ("", "", []),
    ]
    assert block["count"] == "3\u00a0·\u00a0~1\u00a0✓1"


def test_notes_are_numbered_only_when_asked_for() -> None:
    plain = print_document(EXAMPLE, TECH, date="d")
    noted = [it for b in plain["blocks"] for it in b["items"] if it["has_note"]]
    assert len(noted) == 4
    assert {it["note"] for it in noted} == {0}
    assert plain["notes"] == []
    numbered = print_document(EXAMPLE, TECH, date="d", notes=True)
    marks = [it["note"] for b in numbered["blocks"] for it in b["items"] if it["has_note"]]
    assert marks == [1, 2, 3, 4]
    first = numbered["notes"][0]
    assert first["block"] == "4 Value Proposition"
    assert first["lines"] == ["Pilot with 12 teams: median summary ready 94 s after the call."]


def test_guide_gives_each_block_its_question() -> None:
    assert {b["question"] for b in print_document(EXAMPLE, TECH, date="d")["blocks"]} == {""}
    guided = print_document(EXAMPLE, TECH, date="d", guide=True)["blocks"]
    assert [b["question"] for b in guided] == [s.question for s in TECH.blocks]


def test_a_lean_canvas_has_the_lean_grid() -> None:
    canvas = Canvas.new("Lean", LEAN)
    doc = print_document(canvas, LEAN, date="d", paper="letter")
    assert [b["title"] for b in doc["blocks"]] == [s.title for s in LEAN.blocks]
    assert doc["paper"] == {"width": PAPERS["letter"][0], "height": PAPERS["letter"][1]}
    assert doc["title"] == "Lean"


def test_papers_are_landscape() -> None:
    assert all(width > height for width, height in PAPERS.values())


HOSTILE = [
    '#set text(fill: red) *bold* _em_ `raw` $x^2$ @ref <label> [link] \\ / ~ "#import "@preview/x"',
    "\x1b]52;c;aGk=\x07 clipboard \x1b[2J clear",
    "\u202eevil bidi\u202c and \u200b zero width",
    "x" * 300,
    "",
]


def test_hostile_text_reaches_the_typesetter_as_plain_visible_strings() -> None:
    canvas = Canvas.from_lists(
        HOSTILE[0], [HOSTILE, [Item(HOSTILE[1], None, (), HOSTILE[2])], *[[]] * 7]
    )
    doc = print_document(canvas, TECH, date="d", notes=True)
    json.dumps(doc)  # plain values only
    for text in strings(doc):
        assert not has_unsafe(text.replace(ZERO_WIDTH_SPACE, "")), text
    texts = [it["text"] for it in doc["blocks"][0]["items"]]
    assert texts[0] == HOSTILE[0]  # markup stays as it was: the template places it as text
    assert "␛]52;c;aGk=␇" in texts[1]
    assert "\ufffdevil bidi" in texts[2]
    assert texts[3].replace(ZERO_WIDTH_SPACE, "") == "x" * 300
    assert doc["notes"][0]["lines"] == [breakable(HOSTILE[2])]


def test_long_runs_get_break_opportunities_and_short_words_none() -> None:
    assert breakable("plain words stay as they are") == "plain words stay as they are"
    url = "https://example.com/a/very/long/path/that/would/run/over"
    broken = breakable(url)
    assert broken.replace(ZERO_WIDTH_SPACE, "") == url
    assert all(len(piece) <= BREAK_EVERY for piece in broken.split(ZERO_WIDTH_SPACE))


def test_a_very_long_item_is_set_in_pieces_that_read_on_as_one() -> None:
    words = " ".join(f"word{n}" for n in range(1000))
    assert "".join(pieces(words)) == words
    assert all(len(piece) <= PIECE for piece in pieces(words))
    assert all(piece.endswith(" ") for piece in pieces(words)[:-1])  # cut after a space
    unbroken = "x" * (PIECE * 2 + 5)
    assert [len(piece) for piece in pieces(unbroken)] == [PIECE, PIECE, 5]
    canvas = Canvas.from_lists("T", [[Item(words, "testing", ("long",), "a note")], *[[]] * 8])
    block = print_document(canvas, TECH, date="d", notes=True)["blocks"][0]
    entries = block["items"]
    assert len(entries) == len(pieces(words)) > 1
    assert [e["more"] for e in entries] == [False] + [True] * (len(entries) - 1)
    assert entries[0]["glyph"] == "~" and {e["glyph"] for e in entries[1:]} == {""}
    assert entries[-1]["tags"] == ["#long"] and entries[-1]["note"] == 1
    assert all(e["tags"] == [] and e["note"] == 0 for e in entries[:-1])
    assert block["count"] == "1\u00a0·\u00a0~1"
