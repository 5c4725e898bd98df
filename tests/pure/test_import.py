"""`canvas-tui import`: Markdown (our own export and ordinary notes), JSON and TOML, and the
round trip export → import over arbitrary canvases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.canvasfile.markdown import (
    ImportedMarkdown,
    named_template,
    parse_document,
    read_export,
    read_markdown,
)
from canvas_tui.example import EXAMPLE
from canvas_tui.model import STATUSES, Canvas, Item
from canvas_tui.render.export import to_json, to_markdown, to_toml
from canvas_tui.safetext import UNSAFE
from canvas_tui.store import CanvasStore, load
from canvas_tui.template import Template, built_in_templates
from canvas_tui.template.names import match_block
from clitools import cli, one_line_error

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
LEAN = TEMPLATES.get("lean")
assert LEAN is not None

pytestmark = pytest.mark.usefixtures("plain_output")


def canvases(data_dir: Path) -> list[str]:
    return sorted(path.name for path in (data_dir / "canvases").iterdir())


def blocks(canvas: Canvas, template: Template = TECH) -> dict[str, list[str]]:
    """The non-empty blocks of `canvas` by key, as texts."""
    return {
        spec.key: [item.text for item in canvas.blocks[spec.index]]
        for spec in template.blocks
        if canvas.blocks[spec.index]
    }


def parse_markdown(text: str, template: Template) -> ImportedMarkdown:
    return read_markdown(parse_document(text), template)


def md(text: str, template: Template = TECH) -> Canvas:
    return parse_markdown(text, template).canvas


def find_heading_block(heading: str, template: Template) -> object:
    return match_block(heading, template)


# -- Markdown: our own export --------------------------------------------------------------


def test_the_example_round_trips_through_markdown() -> None:
    for guide in (False, True):
        assert md(to_markdown(EXAMPLE, TECH, guide=guide)) == EXAMPLE


def test_status_tags_and_notes_are_read_back() -> None:
    text = (
        "# Acme\n\n## 4. Value Proposition\n\n"
        "- ✓ Saves 3 hours a week #pricing #b2b\n  > 12 interviews.\n  >\n  > See notes.\n"
        "- ? Works offline\n- ~\n- #only-tags\n- A plain item\n"
    )
    assert md(text).blocks[3] == (
        Item(
            "Saves 3 hours a week", "validated", ("pricing", "b2b"), "12 interviews.\n\nSee notes."
        ),
        Item("Works offline", "assumption"),
        Item("", "testing"),
        Item("", tags=("only-tags",)),
        Item("A plain item"),
    )


def test_escaped_text_is_read_literally() -> None:
    text = (
        "# T\n\n## KP\n\n"
        "- \\# x\n- 1\\. x\n- \\- x\n- \\&amp;\n- \\\\\n- &#32;lead\n- trail&#32;\n"
        "- &#10003; x\n- \\#notatag in text\n- \\_(empty)\\_\n- &#63; question\n"
    )
    assert md(text).texts(0) == (
        "# x", "1. x", "- x", "&amp;", "\\", " lead", "trail ",
        "✓ x", "#notatag in text", "_(empty)_", "? question",
    )  # fmt: skip


def test_an_untitled_canvas_and_empty_blocks() -> None:
    canvas = Canvas.new("", TECH)
    text = to_markdown(canvas, TECH)
    assert text.startswith("# _(untitled)_\n")
    parsed = parse_markdown(text, TECH)
    assert parsed.canvas == canvas
    assert parsed.titled


def test_escapes_and_references_are_decoded() -> None:
    def text(item: str) -> str:
        return md(f"# T\n## KP\n- {item}\n").texts(0)[0]

    assert text(r"\# \* \\ \a") == "# * \\ \\a"  # only punctuation is escaped
    assert text("&amp; &lt; &#32; &#x2713; &#0; &#xD800; &bogus; & x") == (
        "& < \u0020 ✓ \ufffd \ufffd &bogus; & x"
    )


def test_named_template() -> None:
    def named(text: str) -> str | None:
        return named_template(parse_document(text))

    lean = Canvas.new("Lean idea", LEAN)
    assert named(to_markdown(lean, LEAN)) == "lean"
    assert named(to_markdown(EXAMPLE, TECH)) is None
    assert named("# T\n\n## Problem\n\nTemplate: Lean Canvas (`lean`)\n") is None


# -- Markdown: ordinary notes --------------------------------------------------------------


def test_headings_name_blocks_by_title_key_short_label_or_number() -> None:
    for heading in (
        "Key Partners",
        "key partners",
        "key_partners",
        "KP",
        "kp",
        "1",
        "1. Key Partners",
    ):
        assert find_heading_block(heading, TECH) is TECH.blocks[0], heading
    assert find_heading_block("4) value proposition", TECH) is TECH.blocks[3]
    assert find_heading_block("1. Problem", TECH) is None  # the title decides, not the number
    assert find_heading_block("Partners", TECH) is None
    assert find_heading_block("0", TECH) is None


def test_ordinary_bullet_lists_under_headings() -> None:
    text = """# My idea

Some words about it, which are not items.

## Problem
- Meetings waste time
* Nobody reads the notes
+ Decisions get lost
1. Action items are forgotten
2) Owners are unclear
   - a nested point
- a long item that was
  wrapped onto a second line
- [ ] a task
- [x] a done task

### solution

```
- not an item: inside a code block
```

> a quote right under a heading is not an item

- Summaries in 2 minutes

---

## UV
- Minutes without the work
"""
    canvas = md(text, LEAN)
    assert canvas.title == "My idea"
    assert canvas.blocks[0][4].note == "a nested point"  # a nested list is the item's note
    assert blocks(canvas, LEAN) == {
        "problem": [
            "Meetings waste time",
            "Nobody reads the notes",
            "Decisions get lost",
            "Action items are forgotten",
            "Owners are unclear",
            "a long item that was wrapped onto a second line",
            "a task",
            "a done task",
        ],
        "solution": ["Summaries in 2 minutes"],
        "unique_value_proposition": ["Minutes without the work"],
    }


def test_a_document_without_a_title() -> None:
    parsed = parse_markdown("## KP\n- Stripe\n", TECH)
    assert not parsed.titled
    assert parsed.canvas.title == ""
    assert parsed.canvas.texts(0) == ("Stripe",)


def test_headings_that_name_no_block_end_the_block_and_are_reported() -> None:
    text = "# T\n\n## Partners\n- a\n\n## KP\n- b\n\n## Next \x1b[2J steps\n- c\n"
    read = parse_markdown(text, TECH)
    assert blocks(read.canvas) == {"key_partners": ["b"]}
    assert [(skip.line, skip.text) for skip in read.skipped_sections] == [
        (3, "## Partners"),
        (9, "## Next \x1b[2J steps"),
    ]


def test_items_before_the_first_block_are_skipped() -> None:
    read = parse_markdown("# T\n\n- an item before any block\n\n## KP\n- b\n", TECH)
    assert blocks(read.canvas) == {"key_partners": ["b"]}
    assert (3, "before the first block") in [(skip.line, skip.reason) for skip in read.skipped]


def test_text_with_no_block_heading_names_no_block() -> None:
    read = parse_markdown("# Just a title\n\nAnd a paragraph.\n", TECH)
    assert not read.named_a_block
    assert read.canvas.item_count == 0


def test_windows_line_endings_and_a_byte_order_mark() -> None:
    text = "\ufeff# T\r\n\r\n## KP\r\n- a #x\r\n  > note\r\n"
    assert md(text) == Canvas.from_lists("T", [[Item("a", tags=("x",), note="note")]] + [[]] * 8)


# -- the round trip over arbitrary canvases ------------------------------------------------

# Text that Markdown would take for syntax, and text that looks like our own markers.
AWKWARD = [
    "# x", "## 2. Key Activities", "1. x", "1) x", "- x", "* x", "+ x", "> x", "---", "***",
    "&amp;", "&#32;", "&#10003;", "\\", "\\#", "a\\", "`code`", "[ ] x", "[x] y", "_(empty)_",
    "_(untitled)_", " lead", "trail ", "  both  ", " ", "", "✓ x", "? x", "~ x", "✗", "?", "~",
    "#notatag", "text #tag", "x #y z", "Template: Lean Canvas (`lean`)", "日本語の計画",
    "emoji 👩‍💻 zwj", "\u00a0nbsp\u00a0", "ideographic\u3000", "tab-free	"[:-1], "**bold**",
    "<b>html</b>", "a | b", "=== x", "-", "1.", "2024. a year",
]  # fmt: skip
SAFE = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(chr(c) for c in range(0x110000) if UNSAFE.match(chr(c))),
)
PIECE = st.one_of(st.sampled_from(AWKWARD), st.text(SAFE, max_size=12))
TEXT = st.lists(PIECE, max_size=3).map("".join)
TAGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,6}", fullmatch=True), max_size=3).map(tuple)
NOTE = st.one_of(st.just(""), st.lists(TEXT, min_size=1, max_size=4).map("\n".join))
ITEM = st.builds(Item, TEXT, st.sampled_from([None, *STATUSES]), TAGS, NOTE)


@st.composite
def canvases_of(draw: st.DrawFn) -> tuple[Canvas, Template]:
    template = draw(st.sampled_from([TECH, LEAN]))
    items = [draw(st.lists(ITEM, max_size=3)) for _ in template.blocks]
    return Canvas.from_lists(draw(TEXT), items, template.id), template


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canvas_and_template=canvases_of(), guide=st.booleans())
def test_export_then_import_gives_the_same_canvas(
    canvas_and_template: tuple[Canvas, Template], guide: bool
) -> None:
    canvas, template = canvas_and_template
    text = to_markdown(canvas, template, guide=guide)
    found = TEMPLATES.get(named_template(parse_document(text)) or "tech-bmc")
    assert found is template
    assert parse_markdown(text, template).canvas == canvas
    quick = read_export(text, template)  # the import command's shortcut for its own export
    assert (quick is None) if guide else (quick is not None and quick.canvas == canvas)


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_any_item_text_round_trips(text: str) -> None:
    canvas = Canvas.from_lists(text, [[Item(text), Item(text, "testing", ("t",), text)]] + [[]] * 8)
    assert md(to_markdown(canvas, TECH)) == canvas


# -- the import command --------------------------------------------------------------------


def test_import_of_our_markdown_makes_the_same_canvas(
    tmp_path: Path, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "notes.md"
    source.write_text(to_markdown(EXAMPLE, TECH), encoding="utf-8")
    code, out, err = cli(data_dir, capsys, "import", str(source))
    assert code == 0
    assert err == (
        "canvas-tui: template tech-bmc (Tech Business Model Canvas): the file names 9 of its 9"
        " blocks\n"
    )
    name = out.strip()
    assert name == "nimbus-notes-ai-meeting-notes-example"
    assert load(store.path_for(name)).canvas == EXAMPLE


def test_import_from_stdin_with_name_and_title(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# Ignored title\n\n## VP\n- Fast\n"
    code, out, _ = cli(
        data_dir,
        capsys,
        "import",
        "-",
        "--name",
        "fast",
        "--title",
        "Fast notes",
        stdin=text.encode(),
    )
    assert (code, out) == (0, "fast\n")
    canvas = load(store.path_for("fast")).canvas
    assert (canvas.title, canvas.texts(3)) == ("Fast notes", ("Fast",))


def test_import_takes_a_free_name_and_refuses_a_taken_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"# Acme\n\n## KP\n- a\n"
    assert cli(data_dir, capsys, "import", "-", stdin=text)[1] == "acme\n"
    assert cli(data_dir, capsys, "import", "-", stdin=text)[1] == "acme-2\n"
    before = (data_dir / "canvases" / "acme.toml").read_bytes()
    one_line_error(
        *cli(data_dir, capsys, "import", "-", "--name", "acme", stdin=text), "already exists"
    )
    assert (data_dir / "canvases" / "acme.toml").read_bytes() == before


def test_import_without_a_title_takes_one_from_the_file_name(
    tmp_path: Path, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "team-offsite.md"
    source.write_text("## Channels\n- Podcasts\n", encoding="utf-8")
    assert cli(data_dir, capsys, "import", str(source))[1] == "team-offsite\n"
    assert load(store.path_for("team-offsite")).canvas.title == "Team Offsite"


def test_import_of_a_lean_export_makes_a_lean_canvas(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    lean = Canvas.from_lists("Lean idea", [["Slow meetings"], *[[]] * 8], "lean")
    code, out, _ = cli(data_dir, capsys, "import", "-", stdin=to_markdown(lean, LEAN).encode())
    assert code == 0
    assert load(store.path_for(out.strip())).canvas == lean
    code, out, _ = cli(
        data_dir, capsys, "import", "-", "--template", "lean", stdin=b"# L\n## Problem\n- x\n"
    )
    assert load(store.path_for(out.strip())).canvas.template == "lean"


def test_import_skips_sections_whose_headings_name_no_block_with_one_warning(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"# Acme\n\n## KP\n- a\n\n## Risks\n- b\n\n## Team\n- c\n"
    code, out, err = cli(data_dir, capsys, "import", "-", stdin=text)
    assert (code, out) == (0, "acme\n")
    assert err.splitlines()[1:] == [
        "canvas-tui: warning: skipped 2 sections whose heading names no block of tech-bmc:",
        "  line 6: ## Risks",
        "  line 9: ## Team",
    ]
    assert blocks(load(store.path_for("acme")).canvas) == {"key_partners": ["a"]}


def test_lean_headings_make_a_lean_canvas_unless_the_template_is_given(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    text = b"# L\n\n## Problem\n- x\n"
    code, out, err = cli(data_dir, capsys, "import", "-", stdin=text)
    assert code == 0
    assert "template lean (Lean Canvas)" in err
    assert load(store.path_for(out.strip())).canvas.template == "lean"
    code, out, err = cli(data_dir, capsys, "import", "-", "--template", "tech-bmc", stdin=text)
    assert (code, out) == (1, "")
    assert err.startswith("canvas-tui: error: nothing in this Markdown names a block")
    assert "'Problem': no block by that name" in err
    assert canvases(data_dir) == ["l.toml"]


def test_import_json_as_exported(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas = Canvas.from_lists(
        "J",
        [[Item("a", "testing", ("x",), "n\nm", (("source", "crm"), ("score", 3)))], ["b"]]
        + [[]] * 7,
    )
    code, out, _ = cli(data_dir, capsys, "import", "-", stdin=to_json(canvas, TECH).encode())
    assert code == 0
    assert load(store.path_for(out.strip())).canvas == canvas  # unknown fields kept too


def test_import_toml_keeps_everything(
    tmp_path: Path, data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "acme.toml"
    source.write_text("# a comment\n" + to_toml(EXAMPLE, TECH), encoding="utf-8")
    code, out, _ = cli(data_dir, capsys, "import", str(source), "--name", "copy")
    assert (code, out) == (0, "copy\n")
    assert load(store.path_for("copy")).canvas == EXAMPLE


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ('{"title": "J", "blocks": {"channels": ["x"]}}', "json"),
        ('  [blocks]\nchannels = ["x"]\n', "toml"),
        ('schema = 1\ntitle = "T"\n[blocks]\nchannels = ["x"]\n', "toml"),
        ("# T\n## channels\n- x\n", "markdown"),
    ],
)
def test_the_format_of_stdin_is_recognised(
    text: str, form: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "import", "-", "--json", stdin=text.encode())
    assert code == 0, err
    report = json.loads(out)
    assert report["format"] == form
    assert report["blocks"]["channels"] == 1
    assert report["items"] == 1


def test_json_report_of_import(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(
        data_dir, capsys, "import", "-", "--json", "--template", "lean",
        stdin=b"# Lean idea\n## PR\n- a\n- b\n## 9\n- c\n",
    )  # fmt: skip
    report = json.loads(out)
    assert report == {
        "canvas": "lean-idea",
        "path": str(data_dir / "canvases" / "lean-idea.toml"),
        "title": "Lean idea",
        "template": "lean",
        "format": "markdown",
        "items": 3,
        "blocks": {spec.key: {0: 2, 8: 1}.get(spec.index, 0) for spec in LEAN.blocks},
    }


@pytest.mark.parametrize(
    ("text", "form", "says"),
    [
        ('{"blocks": {"channels": [null]}}', "json", "blocks.channels[0] is null"),
        ('{"blocks": {"channels": [{"text": "x", "status": "done"}]}}', "json", "unknown status"),
        ('{"blocks": {"channels": [{"status": "testing"}]}}', "json", "needs a 'text'"),
        ('{"blocks": {"channels": [{"text": "x", "tags": ["Bad Tag"]}]}}', "json", "bad tag"),
        ('{"blocks": {"channels": [1]}}', "json", "must be a string or a table"),
        ("{not json", "json", "not valid JSON"),
        ('{"schema": 9, "blocks": {}}', "json", "newer"),
        ('{"template": "nope", "blocks": {}}', "json", "no template 'nope'"),
        ('title = "x\n', "toml", "line 1"),
        ('template = "nope"\n[blocks]\n', "toml", "no template 'nope'"),
        ('[blocks]\nrisks = ["x"]\n', "toml", "'risks'"),
        ("## KP\n- x\n", "markdown --template nope", "no template 'nope'"),
    ],
)
def test_import_errors_are_one_line_and_write_nothing(
    text: str, form: str, says: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import", "-", "--format", *form.split()]
    one_line_error(*cli(data_dir, capsys, *args, stdin=text.encode()), says)
    assert canvases(data_dir) == []


def test_import_of_a_file_that_is_missing_or_not_text(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_line_error(*cli(data_dir, capsys, "import", str(tmp_path / "missing.md")), "missing.md")
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"# T\n\xff\xfe\n")
    one_line_error(*cli(data_dir, capsys, "import", str(binary)), "UTF-8", "line 2")
