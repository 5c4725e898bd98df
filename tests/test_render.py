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

from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas
from canvas_tui.render.export import to_html, to_json, to_markdown, to_toml
from canvas_tui.render.layout import canvas_lines
from canvas_tui.render.wrap import item_lines, wrap
from canvas_tui.safetext import visible
from canvas_tui.store.fileformat import parse
from canvas_tui.template import BLOCKS

KEYS = [spec.key for spec in BLOCKS]
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


def canvas(title: str = "Test", **blocks: list[str]) -> Canvas:
    return Canvas.from_lists(title, [blocks.get(key, []) for key in KEYS])


def plain_lines(lines: list) -> list[str]:
    return [line.plain for line in lines]


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


@given(text=WORDS, width=st.integers(min_value=4, max_value=80))
def test_item_lines_are_bulleted_and_fit(text: str, width: int) -> None:
    lines = item_lines(text, width)
    assert lines[0].startswith("• ")
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(cell_len(line) <= width for line in lines), lines


def test_item_lines_make_controls_visible() -> None:
    lines = item_lines(f"{ESC}]0;pwned\x07{ESC}[2J", 40)
    text = "".join(lines)
    assert ESC not in text
    assert "\x07" not in text
    assert "␛" in text


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
        lines = plain_lines(canvas_lines(MIXED, width, guide=guide))
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
    lines = plain_lines(canvas_lines(Canvas.from_lists(title, items), width, guide=guide))
    assert all(cell_len(line) <= width for line in lines), [
        (cell_len(line), line) for line in lines if cell_len(line) > width
    ]


def test_canvas_lines_never_pass_controls_to_the_terminal() -> None:
    evil = canvas(f"{ESC}]0;title{ESC}\\", channels=[f"{ESC}[2J{C1_CSI}H{RLO}x\r\n"])
    for width in (40, 120):
        text = "\n".join(plain_lines(canvas_lines(evil, width)))
        assert ESC not in text
        assert C1_CSI not in text
        assert RLO not in text
        assert "\r" not in text
        assert "␛" in text


def test_canvas_lines_wide_layout_is_the_classic_canvas() -> None:
    lines = plain_lines(canvas_lines(EXAMPLE, 160))
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
    lines = plain_lines(canvas_lines(EXAMPLE, 60))
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
    lines = plain_lines(canvas_lines(canvas(key_partners=["a", "b"]), 80))
    text = "\n".join(lines)
    assert "1 Key Partners (2)" in text
    assert "9 Revenue Streams (0)" in text
    # An empty block shows the seed's question as guidance.
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
    text = to_markdown(EXAMPLE)
    assert text.startswith("# Nimbus Notes")
    for spec in BLOCKS:
        assert f"## {spec.number}. {spec.title}" in text


def test_markdown_escapes_textual_markup_and_emphasis() -> None:
    text = to_markdown(canvas(key_partners=["[@click=app.quit]x[/]", "*bold*", "_em_"]))
    assert "[@click=app.quit]x[/]" not in text
    assert "\\*bold\\*" in text
    assert markdown_items(text) == ["[@click=app.quit]x[/]", "*bold*", "_em_"]


def test_markdown_shows_controls_as_placeholders() -> None:
    text = to_markdown(canvas(f"T{ESC}]0;x", key_partners=[f"a{ESC}[2Jb", f"c{C1_CSI}d{RLO}e"]))
    assert ESC not in text
    assert C1_CSI not in text
    assert RLO not in text
    assert markdown_items(text) == ["a␛[2Jb", "c\ufffdd\ufffde"]


def test_markdown_guide_adds_the_seed_questions() -> None:
    plain = to_markdown(EXAMPLE)
    guided = to_markdown(EXAMPLE, guide=True)
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
    text = to_markdown(canvas(key_partners=[item]))
    assert markdown_items(text) == [item]


# -- JSON ----------------------------------------------------------------------------------


def test_json_has_schema_title_and_all_nine_keys_in_order() -> None:
    data = json.loads(to_json(canvas("Acme", channels=["web"])))
    assert data["schema"] == 1
    assert data["title"] == "Acme"
    assert list(data["blocks"]) == KEYS
    assert data["blocks"]["channels"] == ["web"]
    assert data["blocks"]["key_partners"] == []


@given(title=st.text(), items=st.lists(st.lists(st.text(), max_size=3), min_size=9, max_size=9))
def test_json_round_trips_any_text_exactly(title: str, items: list[list[str]]) -> None:
    data = json.loads(to_json(Canvas.from_lists(title, items)))
    assert data == {"schema": 1, "title": title, "blocks": dict(zip(KEYS, items, strict=True))}


def test_json_round_trips_control_characters() -> None:
    nasty = "".join(chr(code) for code in range(0x20)) + "\x7f" + C1_CSI + RLO + "\u2028"
    data = json.loads(to_json(canvas(nasty, key_partners=[nasty])))
    assert data["title"] == nasty
    assert data["blocks"]["key_partners"] == [nasty]


# -- TOML ----------------------------------------------------------------------------------


@given(title=st.text(), items=st.lists(st.lists(st.text(), max_size=3), min_size=9, max_size=9))
def test_toml_export_parses_to_the_same_canvas(title: str, items: list[list[str]]) -> None:
    original = Canvas.from_lists(title, items)
    text = to_toml(original)
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert data["title"] == title
    assert data["blocks"] == dict(zip(KEYS, items, strict=True))
    assert parse(text).canvas == original


def test_toml_export_is_one_item_per_line() -> None:
    text = to_toml(canvas("Acme", key_partners=["Stripe", "AWS"]))
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
    text = to_html(canvas(attack, key_partners=[attack, '" onmouseover="x', "<img src=x>"]))
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
    parsed = page(to_html(canvas(title, channels=items)))
    assert parsed.items == [visible(item) for item in items]
    assert "script" not in parsed.tags


def test_html_makes_controls_visible() -> None:
    text = to_html(canvas(f"T{ESC}]0;x", key_partners=[f"a{ESC}[2J{C1_CSI}b{RLO}c"]))
    assert ESC not in text
    assert C1_CSI not in text
    assert RLO not in text
    assert "a␛[2J" in text


def test_html_is_self_contained() -> None:
    text = to_html(EXAMPLE, guide=True)
    assert "http://" not in text
    assert "https://" not in text
    assert "@import" not in text
    assert "url(" not in text
    parsed = page(text)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert tag not in parsed.tags
    assert not [(name, value) for name, value in parsed.attributes if name in ("src", "href")]


def test_html_item_with_a_url_adds_no_reference() -> None:
    parsed = page(to_html(canvas(key_partners=["see https://example.com/x.js"])))
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
    text = to_html(EXAMPLE)
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
    text = to_html(canvas(key_partners=["a", "b"]))
    assert "1 Key Partners" in text
    assert "(2)" in text
    guided = to_html(EXAMPLE, guide=True)
    assert all(spec.question in guided for spec in BLOCKS)
