"""Renderings for `show` and `export`: cell-exact wrapping and layout, and exports that treat
item text as data (escaped Markdown and HTML, exact JSON and TOML round trips)."""

from __future__ import annotations

import json
import re
import tomllib
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.cells import cell_len

from canvas_tui.canvasfile import parse
from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas, Item
from canvas_tui.render.export import to_html, to_json, to_markdown, to_toml
from canvas_tui.render.layout import canvas_lines, to_ansi
from canvas_tui.render.wrap import Line, item_lines, wrap
from canvas_tui.safetext import visible
from canvas_tui.template import Template, built_in_templates, stand_in

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
LEAN = TEMPLATES.get("lean")
assert LEAN is not None
BLOCKS = TECH.blocks
KEYS = list(TECH.keys)
ESC = "\x1b"
C1_CSI = "\x9b"
RLO = "\u202e"

# Printable text that a terminal draws in one or two cells: ASCII, accented Latin, CJK
# (two cells), emoji (two cells), and spaces to break at.
NARROW = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
LATIN = st.sampled_from("éüßøñçÅ")
WIDE = st.sampled_from("漢字仮名한국어テスト中文")
EMOJI = st.sampled_from("😀🚀🎉👍🔥🐍")
WORDS = st.text(st.one_of(NARROW, LATIN, WIDE, EMOJI, st.just(" ")), max_size=120)


def line_text(line: Line) -> str:
    return "".join(text for text, _ in line)


def line_cells(line: Line) -> int:
    return sum(cell_len(text) for text, _ in line)


def canvas(title: str = "Test", **blocks: list[str]) -> Canvas:
    return Canvas.from_lists(title, [blocks.get(key, []) for key in KEYS])


def plain_lines(lines: list) -> list[str]:  # type: ignore[type-arg]
    return [line.plain for line in lines]


def shown(canvas: Canvas, width: int, *, guide: bool = False, template: Template = TECH) -> str:
    """What `show` prints, as plain text."""
    return to_ansi(canvas_lines(canvas, template, width, guide=guide), color=False)


# -- wrap ----------------------------------------------------------------------------------


def test_wrap_short_text_is_one_line() -> None:
    assert wrap("hello world", 20) == ["hello world"]


def test_wrap_breaks_at_spaces() -> None:
    assert wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]


def test_wrap_counts_wide_characters_as_two_cells() -> None:
    # Six CJK characters are twelve cells: they do not fit in ten.
    lines = wrap("漢字漢字漢字", 10)
    assert lines == ["漢字漢字漢", "字"]
    assert all(cell_len(line) <= 10 for line in lines)


def test_wrap_wide_characters_never_split_over_the_edge() -> None:
    # Five cells hold two wide characters, never two and a half.
    lines = wrap("漢字仮名中文", 5)
    assert all(cell_len(line) <= 5 for line in lines)
    assert "".join(lines) == "漢字仮名中文"


def test_wrap_chops_a_word_longer_than_the_width() -> None:
    lines = wrap("a " + "x" * 25 + " b", 10)
    assert all(len(line) <= 10 for line in lines)
    assert "".join(lines).replace(" ", "") == "a" + "x" * 25 + "b"
    assert lines[0] == "a"
    assert lines[1] == "x" * 10


def test_wrap_always_gives_a_line() -> None:
    assert wrap("", 10) == [""]


@given(text=WORDS, width=st.integers(min_value=2, max_value=80))
def test_wrap_never_exceeds_the_width_and_keeps_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert lines
    assert all(cell_len(line) <= width for line in lines), lines
    # Only spaces are dropped or moved: every other character stays, in order.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


TAGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True), max_size=3)


@given(
    text=WORDS,
    width=st.integers(min_value=4, max_value=80),
    status=st.sampled_from([None, "assumption", "testing", "validated", "invalidated"]),
    tags=TAGS,
    note=st.sampled_from(["", "a note"]),
)
def test_item_lines_are_bulleted_and_fit(
    text: str, width: int, status: str | None, tags: list[str], note: str
) -> None:
    lines = [line_text(line) for line in item_lines(Item(text, status, tuple(tags), note), width)]
    assert lines[0].startswith("• ")
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(cell_len(line) <= width for line in lines), lines
    assert all(
        line_cells(line) <= width
        for line in item_lines(Item(text, status, tuple(tags), note), width)
    )


def test_item_lines_make_controls_visible() -> None:
    lines = item_lines(Item(f"{ESC}]0;pwned\x07{ESC}[2J"), 40)
    text = "".join(line_text(line) for line in lines)
    assert ESC not in text
    assert "\x07" not in text
    assert "␛" in text


def test_item_lines_show_status_glyph_tags_and_note_mark() -> None:
    item = Item("Saves 3 hours", "validated", ("pricing", "b2b"), "12 interviews")
    (line,) = item_lines(item, 60)
    assert line_text(line) == "• ✓ Saves 3 hours #pricing #b2b ¶"
    styles = {text.strip(): style for text, style in line if text.strip()}
    assert styles["✓"] == "status-validated"
    assert styles["#pricing"] == "tag"
    assert styles["¶"] == "note"
    assert styles["Saves 3 hours"] == ""


@pytest.mark.parametrize(
    ("status", "glyph"),
    [("assumption", "?"), ("testing", "~"), ("validated", "✓"), ("invalidated", "✗")],
)
def test_every_status_has_a_glyph_that_reads_without_colour(status: str, glyph: str) -> None:
    (line,) = item_lines(Item("x", status), 40)
    assert line_text(line) == f"• {glyph} x"


def test_item_lines_never_show_a_note_only_its_mark() -> None:
    text = "".join(
        line_text(line) for line in item_lines(Item("x", note=f"secret{ESC}[2J\nmore"), 40)
    )
    assert text == "• x ¶"


# -- canvas_lines --------------------------------------------------------------------------

LONG_WORD = "Supercalifragilisticexpialidocious-" * 4
MIXED = canvas(
    "漢字のタイトル 🚀 with a title that is far too long for any narrow terminal " * 3,
    key_partners=[LONG_WORD, "AWS and 中文合作伙伴 🤝 for the cloud", ""],
    key_activities=["🔥" * 70, "テスト" * 30],
    key_resources=["a " * 120],
    value_proposition=["한국어 텍스트 " * 20, "short"],
    customer_relationships=["x" * 300],
    channels=[f"{ESC}[31mred{ESC}[0m {C1_CSI}2J {RLO}evil"],
    customer_segments=["émigré naïve café " * 10],
    cost_structure=["🐍 " * 100],
    revenue_streams=["€" * 500],
)


@pytest.mark.parametrize("guide", [False, True])
def test_canvas_lines_fit_every_width_from_20_to_200(guide: bool) -> None:
    for width in range(20, 201):
        lines = plain_lines(canvas_lines(MIXED, TECH, width, guide=guide))
        too_wide = [(i, cell_len(line)) for i, line in enumerate(lines) if cell_len(line) > width]
        assert not too_wide, f"width {width}: lines over the width: {too_wide[:5]}"


@settings(max_examples=60, deadline=None)
@given(
    title=WORDS,
    items=st.lists(st.lists(WORDS, max_size=3), min_size=9, max_size=9),
    width=st.integers(min_value=20, max_value=200),
    guide=st.booleans(),
)
def test_canvas_lines_never_exceed_the_width(
    title: str, items: list[list[str]], width: int, guide: bool
) -> None:
    canvas = Canvas.from_lists(title, items)
    lines = plain_lines(canvas_lines(canvas, TECH, width, guide=guide))
    assert all(cell_len(line) <= width for line in lines), [
        (cell_len(line), line) for line in lines if cell_len(line) > width
    ]


def test_canvas_lines_never_pass_controls_to_the_terminal() -> None:
    evil = canvas(f"{ESC}]0;title{ESC}\\", channels=[f"{ESC}[2J{C1_CSI}H{RLO}x\r\n"])
    for width in (40, 120):
        text = "\n".join(plain_lines(canvas_lines(evil, TECH, width)))
        assert ESC not in text
        assert C1_CSI not in text
        assert RLO not in text
        assert "\r" not in text
        assert "␛" in text


def test_canvas_lines_wide_layout_is_the_classic_canvas() -> None:
    lines = plain_lines(canvas_lines(EXAMPLE, TECH, 160))
    assert lines[0].startswith("Nimbus Notes")
    top = lines[2]
    starts = [top.find(f"{n} {BLOCKS[n - 1].title}") for n in (1, 2, 4, 5, 7)]
    assert all(x >= 0 for x in starts), top
    assert starts == sorted(starts)
    middle = next(line for line in lines if "3 Key Resources" in line)
    assert "6 Channels" in middle
    assert middle.find("3 Key Resources") == starts[1]
    assert middle.find("6 Channels") == starts[3]
    bottom_index = next(i for i, line in enumerate(lines) if "8 Cost Structure" in line)
    assert "9 Revenue Streams" in lines[bottom_index]
    assert lines.index(middle) < bottom_index
    assert lines[bottom_index].find("8 Cost Structure") == starts[0]


def test_canvas_lines_narrow_layout_stacks_the_blocks_in_order() -> None:
    lines = plain_lines(canvas_lines(EXAMPLE, TECH, 60))
    rows = []
    for spec in BLOCKS:
        found = [i for i, line in enumerate(lines) if f"{spec.number} {spec.title}" in line]
        assert len(found) == 1, spec.title
        rows.append(found[0])
        # Alone on its line: no other block sits beside it.
        others = [f"{o.number} {o.title}" for o in BLOCKS if o is not spec]
        assert not any(other in lines[found[0]] for other in others)
    assert rows == sorted(rows)


def test_canvas_lines_show_item_counts_and_empty_blocks() -> None:
    lines = plain_lines(canvas_lines(canvas(key_partners=["a", "b"]), TECH, 80))
    text = "\n".join(lines)
    assert "1 Key Partners (2)" in text
    assert "9 Revenue Streams (0)" in text
    # An empty block shows the template's question as guidance.
    assert BLOCKS[8].question in text


# -- Markdown ------------------------------------------------------------------------------


def markdown_items(markdown: str) -> list[str]:
    """The text of the top-level list items, as a Markdown renderer shows them."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    texts: list[str] = []
    depth = 0
    inside: list[str] | None = None
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                inside = []
        elif token.type == "list_item_close":
            depth -= 1
            if depth == 0 and inside is not None:
                texts.append("".join(inside))
                inside = None
        elif inside is not None and token.type == "inline":
            inside.append(_inline_text(token))
    return texts


def markdown_plain(markdown: str) -> str:
    """All the text a Markdown renderer shows, one inline run per line."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return "\n".join(_inline_text(token) for token in tokens if token.type == "inline")


def _inline_text(token: object) -> str:
    parts = []
    for child in token.children or []:  # type: ignore[attr-defined]
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("html_inline",):
            parts.append(child.content)
    return "".join(parts)


def test_markdown_has_title_and_every_block() -> None:
    text = to_markdown(EXAMPLE, TECH)
    assert text.startswith("# Nimbus Notes")
    for spec in BLOCKS:
        assert f"## {spec.number}. {spec.title}" in text


def test_markdown_escapes_textual_markup_and_emphasis() -> None:
    text = to_markdown(canvas(key_partners=["[@click=app.quit]x[/]", "*bold*", "_em_"]), TECH)
    assert "[@click=app.quit]x[/]" not in text
    assert "\\*bold\\*" in text
    assert markdown_items(text) == ["[@click=app.quit]x[/]", "*bold*", "_em_"]


def test_markdown_shows_controls_as_placeholders() -> None:
    text = to_markdown(
        canvas(f"T{ESC}]0;x", key_partners=[f"a{ESC}[2Jb", f"c{C1_CSI}d{RLO}e"]), TECH
    )
    assert ESC not in text
    assert C1_CSI not in text
    assert RLO not in text
    assert markdown_items(text) == ["a␛[2Jb", "c\ufffdd\ufffde"]


def test_markdown_guide_adds_the_template_questions_and_prompts() -> None:
    plain = markdown_plain(to_markdown(EXAMPLE, TECH))
    guided = markdown_plain(to_markdown(EXAMPLE, TECH, guide=True))
    for spec in BLOCKS:
        assert spec.question not in plain
        assert spec.question in guided
        assert all(prompt in guided for prompt in spec.prompts)


LITERAL_ITEMS = [
    "*bold* and **strong**",
    "_under_ and __double__",
    "[@click=app.quit]x[/]",
    "[link](https://example.com)",
    "![image](x.png)",
    "`code` span",
    "<b>html</b> and <script>alert(1)</script>",
    "a | table | row",
    "~~strike~~",
    "back\\slash",
    "# not a heading",
    "1. not a numbered list",
    "- not a nested list",
    "+ not a nested list",
    "> not a quote",
    "AT&amp;T and &lt;tag&gt;",
    "---",
]


@pytest.mark.parametrize("item", LITERAL_ITEMS)
def test_markdown_items_render_literally(item: str) -> None:
    text = to_markdown(canvas(key_partners=[item]), TECH)
    assert markdown_items(text) == [item]


# -- JSON ----------------------------------------------------------------------------------


def test_json_has_schema_title_and_all_nine_keys_in_order() -> None:
    data = json.loads(to_json(canvas("Acme", channels=["web"]), TECH))
    assert data["schema"] == 1
    assert data["template"] == "tech-bmc"
    assert data["title"] == "Acme"
    assert list(data["blocks"]) == KEYS
    assert data["blocks"]["channels"] == ["web"]
    assert data["blocks"]["key_partners"] == []


@given(title=st.text(), items=st.lists(st.lists(st.text(), max_size=3), min_size=9, max_size=9))
def test_json_round_trips_any_text_exactly(title: str, items: list[list[str]]) -> None:
    data = json.loads(to_json(Canvas.from_lists(title, items), TECH))
    assert data == {
        "schema": 1,
        "title": title,
        "template": "tech-bmc",
        "blocks": dict(zip(KEYS, items, strict=True)),
    }


def test_json_round_trips_control_characters() -> None:
    nasty = "".join(chr(code) for code in range(0x20)) + "\x7f" + C1_CSI + RLO + "\u2028"
    data = json.loads(to_json(canvas(nasty, key_partners=[nasty]), TECH))
    assert data["title"] == nasty
    assert data["blocks"]["key_partners"] == [nasty]


# -- TOML ----------------------------------------------------------------------------------


@given(title=st.text(), items=st.lists(st.lists(st.text(), max_size=3), min_size=9, max_size=9))
def test_toml_export_parses_to_the_same_canvas(title: str, items: list[list[str]]) -> None:
    original = Canvas.from_lists(title, items)
    text = to_toml(original, TECH)
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert data["title"] == title
    assert data["blocks"] == dict(zip(KEYS, items, strict=True))
    assert parse(text, TEMPLATES).canvas == original


def test_toml_export_is_one_item_per_line() -> None:
    text = to_toml(canvas("Acme", key_partners=["Stripe", "AWS"]), TECH)
    assert 'key_partners = [\n    "Stripe",\n    "AWS",\n]' in text
    assert "key_activities = []" in text


# -- HTML ----------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects the sections, their styles, the text of list items and every URL-ish attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.items: list[str] = []
        self._item: list[str] | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)
        if tag == "section":
            self.sections.append(dict(attrs))
        elif tag == "li":
            self._item = []
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self.items.append("".join(self._item))
            self._item = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)
        if self._in_title:
            self.title += data


def page(text: str) -> _Page:
    parser = _Page()
    parser.feed(text)
    parser.close()
    return parser


def test_html_escapes_item_text() -> None:
    attack = "<script>alert(1)</script>"
    text = to_html(canvas(attack, key_partners=[attack, '" onmouseover="x', "<img src=x>"]), TECH)
    assert attack not in text
    assert "<img src=x>" not in text
    parsed = page(text)
    assert "script" not in parsed.tags
    assert "img" not in parsed.tags
    assert parsed.items == [attack, '" onmouseover="x', "<img src=x>"]
    assert parsed.title == attack


HTML_TEXT = st.text(st.one_of(st.sampled_from("<>&\"'/=; abc#x0123456789"), st.characters()))


@settings(max_examples=50)
@given(items=st.lists(HTML_TEXT, min_size=1, max_size=5), title=HTML_TEXT)
def test_html_shows_any_text_literally(items: list[str], title: str) -> None:
    parsed = page(to_html(canvas(title, channels=items), TECH))
    assert parsed.items == [visible(item) for item in items]
    assert "script" not in parsed.tags


def test_html_makes_controls_visible() -> None:
    text = to_html(canvas(f"T{ESC}]0;x", key_partners=[f"a{ESC}[2J{C1_CSI}b{RLO}c"]), TECH)
    assert ESC not in text
    assert C1_CSI not in text
    assert RLO not in text
    assert "a␛[2J" in text


def test_html_is_self_contained() -> None:
    text = to_html(EXAMPLE, TECH, guide=True)
    assert "http://" not in text
    assert "https://" not in text
    assert "@import" not in text
    assert "url(" not in text
    parsed = page(text)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert tag not in parsed.tags
    assert not [(name, value) for name, value in parsed.attributes if name in ("src", "href")]


def test_html_item_with_a_url_adds_no_reference() -> None:
    parsed = page(to_html(canvas(key_partners=["see https://example.com/x.js"]), TECH))
    assert not [(name, value) for name, value in parsed.attributes if name in ("src", "href")]
    assert parsed.items == ["see https://example.com/x.js"]


# Block number -> (row, row span, column, column span) on a 3 x 10 grid, 1-based.
CLASSIC_GRID = {
    1: (1, 2, 1, 2),
    2: (1, 1, 3, 2),
    3: (2, 1, 3, 2),
    4: (1, 2, 5, 2),
    5: (1, 1, 7, 2),
    6: (2, 1, 7, 2),
    7: (1, 2, 9, 2),
    8: (3, 1, 1, 5),
    9: (3, 1, 6, 5),
}


def test_html_has_nine_sections_on_the_classic_grid() -> None:
    text = to_html(EXAMPLE, TECH)
    assert "grid-template-columns: repeat(10, 1fr)" in text
    sections = page(text).sections
    assert [section.get("id") for section in sections] == KEYS
    for number, section in enumerate(sections, start=1):
        style = section.get("style") or ""
        row = re.search(r"grid-row:\s*(\d+)\s*/\s*span\s*(\d+)", style)
        column = re.search(r"grid-column:\s*(\d+)\s*/\s*span\s*(\d+)", style)
        assert row and column, style
        place = (int(row[1]), int(row[2]), int(column[1]), int(column[2]))
        assert place == CLASSIC_GRID[number], (number, style)


def test_html_shows_titles_counts_and_guide() -> None:
    text = to_html(canvas(key_partners=["a", "b"]), TECH)
    assert "1 Key Partners" in text
    assert "(2)" in text
    guided = to_html(EXAMPLE, TECH, guide=True)
    assert all(spec.question in guided for spec in BLOCKS)


# -- status, tags and notes in every rendering ---------------------------------------------

MARKED = Item("Saves 3 hours a week", "validated", ("pricing", "b2b"), "12 interviews.\nSee notes.")
EVIDENCE = canvas(
    "Evidence",
    value_proposition=[MARKED, Item("Fast setup", "testing"), "Plain"],
    channels=[Item("Webinars", "invalidated", note="Nobody came")],
)


def test_show_has_glyphs_tags_note_marks_and_status_counts() -> None:
    text = shown(EVIDENCE, 80)
    assert "4 Value Proposition (3 · ~1 ✓1)" in text
    assert "6 Channels (1 · ✗1)" in text
    assert "1 Key Partners (0)" in text
    assert "• ✓ Saves 3 hours a week #pricing #b2b ¶" in text
    assert "• ~ Fast setup" in text
    assert "• ✗ Webinars ¶" in text
    assert "12 interviews" not in text  # a note shows as its mark only


def test_show_colours_glyphs_and_dims_tags_only_when_asked() -> None:
    lines = canvas_lines(EVIDENCE, TECH, 80)
    coloured = to_ansi(lines, color=True)
    assert "\x1b[32m✓\x1b[0m" in coloured  # validated: green
    assert "\x1b[31m✗\x1b[0m" in coloured  # invalidated: red
    assert "\x1b[2m#pricing" in coloured  # tags dimmed
    plain = to_ansi(lines, color=False)
    assert ESC not in plain
    assert "✓ Saves" in plain


def test_markdown_items_carry_status_tags_and_notes() -> None:
    text = to_markdown(EVIDENCE, TECH)
    assert (
        "## 4. Value Proposition\n\n"
        "- ✓ Saves 3 hours a week #pricing #b2b\n"
        "  > 12 interviews.\n"
        "  > See notes.\n"
        "- ~ Fast setup\n"
        "- Plain\n"
    ) in text
    assert "- ✗ Webinars\n  > Nobody came\n" in text


def test_markdown_text_that_looks_like_a_glyph_or_tag_stays_text() -> None:
    text = to_markdown(canvas(key_partners=["✓ not a status", "#not-a-tag", "a #b"]), TECH)
    assert "- &#10003; not a status\n" in text
    assert "- \\#not-a-tag\n" in text
    assert markdown_items(text) == ["✓ not a status", "#not-a-tag", "a #b"]


def test_json_items_are_strings_or_the_same_object_as_in_toml() -> None:
    extra = Item("Odd", extra=(("colour", "red"),))
    data = json.loads(to_json(canvas("J", value_proposition=[MARKED, "Plain", extra]), TECH))
    assert data["schema"] == 2
    assert data["blocks"]["value_proposition"] == [
        {
            "text": "Saves 3 hours a week",
            "status": "validated",
            "tags": ["pricing", "b2b"],
            "note": "12 interviews.\nSee notes.",
        },
        "Plain",
        {"text": "Odd", "colour": "red"},
    ]


def test_toml_export_of_items_with_metadata_reads_back() -> None:
    text = to_toml(EVIDENCE, TECH)
    assert tomllib.loads(text)["schema"] == 2
    assert parse(text, TEMPLATES).canvas == EVIDENCE


def test_html_shows_status_tags_and_note_lines() -> None:
    text = to_html(EVIDENCE, TECH)
    assert '<span class="status status-validated" title="validated">✓</span>' in text
    assert '<span class="tag">#pricing</span>' in text
    assert '<div class="note" title="note">¶ 12 interviews.\nSee notes.</div>' in text
    assert "␊" not in text  # a note's line breaks are not shown as placeholders
    assert "(3 · ~1 ✓1)" in text


def test_notes_and_tags_are_untrusted_text_in_every_rendering() -> None:
    note = f"[@click=app.quit]x[/] <script>alert(1)</script> {ESC}]0;pwned\x07 {RLO}evil\nline 2"
    item = Item("x", "testing", ("ok",), note)
    evil = canvas("T", key_partners=[item])
    markdown = to_markdown(evil, TECH)
    html_text = to_html(evil, TECH)
    for text in (markdown, html_text, shown(evil, 120), to_json(evil, TECH), to_toml(evil, TECH)):
        assert ESC not in text
        assert "\x07" not in text
        assert RLO not in text
    assert "<script>" not in html_text
    assert "script" not in page(html_text).tags
    assert "&lt;script&gt;" in html_text
    assert "␛]0;pwned␇" in html_text
    assert "\\[@click=app.quit\\]" in markdown
    assert json.loads(to_json(evil, TECH))["blocks"]["key_partners"][0]["note"] == note
    assert parse(to_toml(evil, TECH), TEMPLATES).canvas == evil


def test_a_1mb_note_is_shown_as_its_mark() -> None:
    note = "word " * 200_000  # 1 MB
    evil = canvas("Big", key_partners=[Item("x", note=note)])
    assert "• x ¶" in shown(evil, 80)
    assert to_markdown(evil, TECH).count("\n") < 100
    assert json.loads(to_json(evil, TECH))["blocks"]["key_partners"][0]["note"] == note


# -- a Lean Canvas, and a canvas whose template is missing ---------------------------------

LEAN_CANVAS = Canvas.from_lists(
    "Lean idea",
    [
        [Item("Meetings waste time", "validated")],
        ["Auto summaries"],
        ["Weekly active teams"],
        ["Meetings that write themselves"],
        ["Our eval set"],
        ["Marketplaces"],
        ["Remote teams"],
        ["LLM API costs"],
        ["Per-seat subscriptions"],
    ],
    template="lean",
)


def test_show_of_a_lean_canvas_follows_its_layout() -> None:
    lines = shown(LEAN_CANVAS, 160, template=LEAN).splitlines()
    top = next(line for line in lines if "1 Problem" in line)
    assert top.find("1 Problem") < top.find("2 Solution") < top.find("4 Unique Value")
    assert top.find("4 Unique Value") < top.find("5 Unfair Advantage")
    assert top.find("5 Unfair Advantage") < top.find("7 Customer Segments")
    middle = next(line for line in lines if "3 Key Metrics" in line)
    assert middle.find("3 Key Metrics") == top.find("2 Solution")
    bottom = next(line for line in lines if "8 Cost Structure" in line)
    assert "9 Revenue Streams" in bottom
    text = "\n".join(lines)
    assert "Key Partners" not in text
    assert "• ✓ Meetings waste time" in text
    guided = shown(LEAN_CANVAS, 80, guide=True, template=LEAN)
    assert "Top 3 problems your customers have:" in guided
    assert "Lean Canvas. Lean Canvas is adapted" in guided
    for width in (20, 40, 60, 100):  # the attribution is wrapped, never cut
        lines = shown(LEAN_CANVAS, width, guide=True, template=LEAN).splitlines()
        end = " ".join(lines[lines.index(next(x for x in lines if x.startswith("Lean Canvas."))) :])
        assert LEAN.attribution in " ".join(end.split()), width


def test_exports_of_a_lean_canvas_follow_its_template() -> None:
    markdown = to_markdown(LEAN_CANVAS, LEAN, guide=True)
    assert markdown.startswith("# Lean idea\n\nTemplate: Lean Canvas (`lean`)\n")
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [f"## {spec.number}. {spec.title}" for spec in LEAN.blocks]
    assert "CC BY-SA" in markdown
    data = json.loads(to_json(LEAN_CANVAS, LEAN))
    assert data["template"] == "lean"
    assert list(data["blocks"]) == list(LEAN.keys)
    assert data["blocks"]["problem"] == [{"text": "Meetings waste time", "status": "validated"}]
    toml_text = to_toml(LEAN_CANVAS, LEAN)
    assert 'template = "lean"' in toml_text
    assert parse(toml_text, TEMPLATES).canvas == LEAN_CANVAS
    html_text = to_html(LEAN_CANVAS, LEAN)
    assert [section.get("id") for section in page(html_text).sections] == list(LEAN.keys)
    assert "1 Problem" in html_text
    assert "Lean Canvas is adapted" in html_text


def test_tech_bmc_exports_say_nothing_about_their_template() -> None:
    assert "Template:" not in to_markdown(EXAMPLE, TECH)


GHOST = stand_in("hexagon", ["alpha", "beta"])
GHOST_CANVAS = Canvas.from_lists("Hex", [["one"], ["two"]], template="hexagon")


def test_a_canvas_of_a_missing_template_is_shown_block_under_block_by_its_keys() -> None:
    lines = shown(GHOST_CANVAS, 160, template=GHOST).splitlines()
    alpha = next(i for i, line in enumerate(lines) if "1 alpha (1)" in line)
    beta = next(i for i, line in enumerate(lines) if "2 beta (1)" in line)
    assert alpha < beta  # one under another, even on a wide terminal
    assert "2 beta" not in lines[alpha]
    assert "not installed" in lines[-1]
    assert "hexagon" in lines[-1]


def test_exports_of_a_canvas_of_a_missing_template_keep_its_keys() -> None:
    data = json.loads(to_json(GHOST_CANVAS, GHOST))
    assert data["template"] == "hexagon"
    assert data["blocks"] == {"alpha": ["one"], "beta": ["two"]}
    assert "## 1. alpha" in to_markdown(GHOST_CANVAS, GHOST)
