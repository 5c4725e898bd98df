"""The canvas file format, schema 1 and 2: items as plain strings or inline tables
`{ text, status, tags, note }`, the template a canvas names, strict load errors, and saves
that keep what they do not understand (through the store's `save` and `load`)."""

from __future__ import annotations

import re
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.canvasfile import CanvasFileError, dump, parse, rewrite, schema_of
from canvas_tui.model import (
    STATUSES,
    Canvas,
    Item,
    Pos,
    add_item,
    edit_item,
    retitle,
    set_note,
    set_status,
    set_tags,
)
from canvas_tui.store import StoreError
from canvas_tui.store.files import Loaded, load, new_canvas, save
from canvas_tui.template import Template, built_in_templates

TEMPLATES = built_in_templates()
TECH = TEMPLATES.default
LEAN = TEMPLATES.get("lean")
assert LEAN is not None

RICH = Item("Saves 3 hours a week", "testing", ("pricing", "b2b"), "12 interviews.\nSee notes.")
RICH_LINE = (
    '    { text = "Saves 3 hours a week", status = "testing", tags = ["pricing", "b2b"],'
    ' note = "12 interviews.\\nSee notes." },'
)


def tech(*blocks: list[str | Item], title: str = "Acme") -> Canvas:
    padded = [*blocks, *([[]] * (9 - len(blocks)))]
    return Canvas.from_lists(title, padded)


def empty_blocks(keys: tuple[str, ...], skip: tuple[str, ...] = ()) -> str:
    return "".join(f"{key} = []\n" for key in keys if key not in skip)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def load_error(text: str) -> str:
    with pytest.raises(CanvasFileError) as caught:
        parse(text, TEMPLATES)
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- items: plain strings and inline tables ------------------------------------------------


def test_plain_strings_and_inline_tables_load() -> None:
    parsed = parse(
        "schema = 2\n"
        'title = "Acme"\n'
        "[blocks]\n"
        "value_proposition = [\n"
        '    "Every meeting summarised in 2 minutes",\n'
        '    { text = "Saves 3 hours a week", status = "testing", tags = ["pricing", "b2b"],'
        ' note = "12 interviews.\\nSee notes." },\n'
        '    { text = "Only a status", status = "validated" },\n'
        '    { text = "Only tags", tags = ["x-1"] },\n'
        '    { text = "Only a note", note = "why" },\n'
        '    { text = "A table with nothing else" },\n'
        "]\n",
        TEMPLATES,
    )
    assert parsed.schema == 2
    assert parsed.template is TECH
    assert parsed.canvas.items(3) == (
        Item("Every meeting summarised in 2 minutes"),
        RICH,
        Item("Only a status", status="validated"),
        Item("Only tags", tags=("x-1",)),
        Item("Only a note", note="why"),
        Item("A table with nothing else"),
    )
    assert parsed.canvas.item(Pos(3, 5)).plain  # written back as a plain string


def test_a_canvas_without_metadata_is_written_exactly_as_schema_1() -> None:
    canvas = tech(["AWS", "Stripe"], [], [], ["Fast"])
    assert schema_of(canvas) == 1
    assert dump(canvas, TECH.keys) == (
        "schema = 1\n"
        'title = "Acme"\n'
        "\n"
        "[blocks]\n"
        "key_partners = [\n"
        '    "AWS",\n'
        '    "Stripe",\n'
        "]\n"
        "key_activities = []\n"
        "key_resources = []\n"
        "value_proposition = [\n"
        '    "Fast",\n'
        "]\n" + empty_blocks(TECH.keys[4:])
    )


def test_schema_2_only_when_an_item_is_a_table() -> None:
    canvas = tech([], [], [], ["Plain", RICH])
    assert schema_of(canvas) == 2
    text = dump(canvas, TECH.keys)
    assert text.startswith('schema = 2\ntitle = "Acme"\n\n[blocks]\n')
    assert f'value_proposition = [\n    "Plain",\n{RICH_LINE}\n]\n' in text
    assert tomllib.loads(text)["blocks"]["value_proposition"][1] == {
        "text": "Saves 3 hours a week",
        "status": "testing",
        "tags": ["pricing", "b2b"],
        "note": "12 interviews.\nSee notes.",
    }


@pytest.mark.parametrize(
    ("item", "line"),
    [
        (Item("a", status="assumption"), '{ text = "a", status = "assumption" }'),
        (Item("a", tags=("b2b",)), '{ text = "a", tags = ["b2b"] }'),
        (Item("a", note="n"), '{ text = "a", note = "n" }'),
    ],
)
def test_each_kind_of_metadata_alone_makes_a_table(item: Item, line: str) -> None:
    text = dump(tech([item]), TECH.keys)
    assert text.startswith("schema = 2\n")
    assert f"    {line},\n" in text


def test_removing_the_last_metadata_goes_back_to_schema_1_through_dump() -> None:
    canvas = tech(["a", RICH])
    assert dump(canvas, TECH.keys).startswith("schema = 2\n")
    plain = set_status(canvas, Pos(0, 1), None).canvas
    plain = set_tags(plain, Pos(0, 1), []).canvas
    plain = set_note(plain, Pos(0, 1), "").canvas
    assert dump(plain, TECH.keys) == dump(tech(["a", "Saves 3 hours a week"]), TECH.keys)
    assert dump(plain, TECH.keys).startswith("schema = 1\n")


HAND = """\
# Acme, by hand
title = 'Acme'   # the company
owner = "ops"

[blocks]
key_partners = ['AWS', 'Stripe']   # inline on purpose
channels = [
  'web',   # the site
]
"""


def test_a_hand_edited_file_goes_to_schema_2_and_back_keeping_its_style() -> None:
    base = parse(HAND, TEMPLATES).canvas
    marked = set_status(base, Pos(0, 1), "testing").canvas
    text, canonical = rewrite(HAND, base, marked, TECH.keys)
    assert not canonical
    data = tomllib.loads(text)
    assert data["schema"] == 2
    assert data["blocks"]["key_partners"] == ["AWS", {"text": "Stripe", "status": "testing"}]
    for kept in ("# Acme, by hand", "title = 'Acme'   # the company", 'owner = "ops"'):
        assert kept in text
    assert "channels = [\n  'web',   # the site\n]" in text
    assert parse(text, TEMPLATES).canvas == marked

    back, _ = rewrite(text, marked, base, TECH.keys)
    assert tomllib.loads(back)["schema"] == 1
    assert parse(back, TEMPLATES).canvas == base
    assert "channels = [\n  'web',   # the site\n]" in back
    assert "title = 'Acme'   # the company" in back


def test_a_hand_edited_file_without_metadata_gets_no_schema_2(tmp_path: Path) -> None:
    path = write(tmp_path / "hand.toml", HAND)
    loaded = load(path, TEMPLATES)
    save(loaded, add_item(loaded.canvas, 5, "mail").canvas)
    text = path.read_text(encoding="utf-8")
    assert "schema" not in text  # it had none, and needs none
    assert tomllib.loads(text)["blocks"]["channels"] == ["web", "mail"]


def test_both_schemas_load(tmp_path: Path) -> None:
    one = write(tmp_path / "one.toml", 'schema = 1\ntitle = "One"\n[blocks]\nchannels = ["web"]\n')
    two = write(
        tmp_path / "two.toml",
        'schema = 2\ntitle = "Two"\n[blocks]\n'
        'channels = ["web", { text = "mail", tags = ["b2b"] }]\n',
    )
    two_plain = write(tmp_path / "plain2.toml", 'schema = 2\n[blocks]\nchannels = ["web"]\n')
    for path, schema, items in (
        (one, 1, (Item("web"),)),
        (two, 2, (Item("web"), Item("mail", tags=("b2b",)))),
        (two_plain, 2, (Item("web"),)),
    ):
        loaded = load(path, TEMPLATES)
        assert loaded.schema == schema
        assert loaded.writable
        assert loaded.canvas.items(5) == items


# -- strict, helpful load errors -----------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ('{ status = "testing" }', r"needs a 'text' string, found nothing"),
        ("{ text = 1 }", r"needs a 'text' string, found an integer"),
        ("{ text = ['a'] }", r"needs a 'text' string, found an array"),
        ('{ text = "a", status = "done" }', r"unknown status 'done' \(one of: assumption, test"),
        ('{ text = "a", status = "Testing" }', r"unknown status 'Testing'"),
        ('{ text = "a", status = 1 }', r"unknown status 1"),
        ('{ text = "a", tags = ["Pricing"] }', r"bad tag 'Pricing' \(lowercase letters, digits"),
        ('{ text = "a", tags = ["b2b", "two words"] }', r"bad tag 'two words'"),
        ('{ text = "a", tags = ["-x"] }', r"bad tag '-x'"),
        ('{ text = "a", tags = [""] }', r"bad tag ''"),
        ('{ text = "a", tags = [1] }', r"'tags' must be an array of strings"),
        ('{ text = "a", tags = "b2b" }', r"'tags' must be an array of strings"),
        ('{ text = "a", note = 3 }', r"'note' must be a string, found an integer"),
        ('{ text = "a", note = ["x"] }', r"'note' must be a string, found an array"),
        ("3", r"must be a string or a table, found an integer"),
        ("true", r"must be a string or a table, found a boolean"),
        ("[['a']]", r"must be a string or a table, found an array"),
    ],
)
def test_a_bad_item_names_block_and_item(item: str, message: str) -> None:
    error = load_error(f'[blocks]\nchannels = ["ok", "fine", {item}]\n')
    assert error.startswith("blocks.channels[2] (item 3 of channels)"), error
    assert re.search(message, error), error


def test_a_bad_item_in_a_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    content = b'[blocks]\nkey_partners = [{ text = "a", status = "maybe" }]\n'
    path = write(tmp_path / "bad.toml", content)
    with pytest.raises(CanvasFileError, match=r"blocks\.key_partners\[0\].*'maybe'"):
        load(path, TEMPLATES)
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("template = 3\n", r"'template' must be a template id, found an integer"),
        ('template = ""\n', r"'template' must be a template id"),
        ("template = ['lean']\n", r"'template' must be a template id, found an array"),
    ],
)
def test_a_bad_template_field_is_an_error(text: str, message: str) -> None:
    assert re.search(message, load_error(text))


# -- unknown item fields are kept ----------------------------------------------------------

EXTRA_ITEM = '{ text = "Mobile", colour = "red", "odd key" = [1, 2], since = 2024-01-02 }'


def test_unknown_item_fields_are_read_and_kept_by_dump() -> None:
    parsed = parse(f'[blocks]\nchannels = ["web", {EXTRA_ITEM}]\n', TEMPLATES)
    item = parsed.canvas.item(Pos(5, 1))
    assert item.text == "Mobile"
    assert not item.plain
    assert [key for key, _ in item.extra] == ["colour", "odd key", "since"]
    text = dump(parsed.canvas, TECH.keys)
    assert text.startswith("schema = 2\n")
    assert parse(text, TEMPLATES).canvas == parsed.canvas


@pytest.mark.parametrize("hand_edited", [False, True], ids=["canonical", "hand-edited"])
def test_unknown_item_fields_survive_load_edit_and_save(tmp_path: Path, hand_edited: bool) -> None:
    canonical = parse(f'[blocks]\nchannels = ["web", {EXTRA_ITEM}]\n', TEMPLATES).canvas
    text = dump(canonical, TECH.keys)
    if hand_edited:
        text = "# mine\n" + text
    path = write(tmp_path / "extra.toml", text)
    loaded = load(path, TEMPLATES)
    assert loaded.canvas == canonical
    # an edit of another item of the same block, and of the item itself
    changed = edit_item(loaded.canvas, Pos(5, 0), "website").canvas
    changed = edit_item(changed, Pos(5, 1), "Mobile app").canvas
    changed = set_status(changed, Pos(5, 1), "validated").canvas
    save(loaded, changed)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    item = data["blocks"]["channels"][1]
    assert item["text"] == "Mobile app"
    assert item["status"] == "validated"
    assert item["colour"] == "red"
    assert item["odd key"] == [1, 2]
    assert str(item["since"]) == "2024-01-02"
    assert load(path, TEMPLATES).canvas == changed


def test_a_block_key_the_template_does_not_know_is_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "more.toml",
        'title = "x"\n[blocks]\nchannels = ["web"]\nparking_lot = ["idea"]\n',
    )
    loaded = load(path, TEMPLATES)
    assert loaded.canvas.items(5) == (Item("web"),)
    save(loaded, add_item(loaded.canvas, 5, "mail").canvas)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["blocks"]["parking_lot"] == ["idea"]
    assert data["blocks"]["channels"] == ["web", "mail"]


# -- the template a canvas names -----------------------------------------------------------


def test_template_is_written_only_for_a_non_default_template() -> None:
    assert "template" not in dump(Canvas.new("x", TECH), TECH.keys)
    lean = dump(Canvas.new("Lean idea", LEAN), LEAN.keys)
    assert lean == (
        'schema = 1\ntitle = "Lean idea"\ntemplate = "lean"\n\n[blocks]\n' + empty_blocks(LEAN.keys)
    )
    parsed = parse(lean, TEMPLATES)
    assert parsed.template is LEAN
    assert parsed.canvas.template == "lean"
    assert parsed.canvas == Canvas.new("Lean idea", LEAN)


def test_a_lean_canvas_saves_and_loads_with_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "lean.toml"
    canvas = add_item(
        Canvas.new("Lean idea", LEAN), 0, Item("Too many meetings", "validated")
    ).canvas
    save(new_canvas(path, "Lean idea", LEAN), canvas)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["template"] == "lean"
    assert list(data["blocks"]) == list(LEAN.keys)
    assert data["blocks"]["problem"] == [{"text": "Too many meetings", "status": "validated"}]
    loaded = load(path, TEMPLATES)
    assert loaded.template is LEAN
    assert loaded.canvas == canvas
    assert loaded.writable


def test_an_absent_template_means_tech_bmc() -> None:
    parsed = parse('title = "x"\n[blocks]\nkey_partners = ["AWS"]\n', TEMPLATES)
    assert parsed.template is TECH
    assert parsed.canvas.template == "tech-bmc"


MISSING = """\
schema = 2
title = "From a colleague"
template = "hexagon"

[blocks]
alpha = ["one", { text = "two", status = "testing" }]
beta = []
gamma = ["three"]
"""


def test_a_canvas_of_a_missing_template_loads_with_a_stand_in() -> None:
    parsed = parse(MISSING, TEMPLATES)
    assert not parsed.template.installed
    assert parsed.template.id == "hexagon"
    assert parsed.template.keys == ("alpha", "beta", "gamma")
    assert parsed.canvas.template == "hexagon"
    assert parsed.canvas.blocks == (
        (Item("one"), Item("two", status="testing")),
        (),
        (Item("three"),),
    )


def test_a_canvas_of_a_missing_template_is_never_rewritten(tmp_path: Path) -> None:
    path = write(tmp_path / "hex.toml", MISSING)
    loaded = load(path, TEMPLATES)
    assert not loaded.writable
    assert "not installed" in loaded.read_only_reason
    assert "hexagon" in loaded.read_only_reason
    with pytest.raises(StoreError, match="read-only"):
        save(loaded, add_item(loaded.canvas, 0, "x").canvas)
    assert path.read_text(encoding="utf-8") == MISSING
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hex.toml"]


def test_a_newer_schema_is_read_but_never_written(tmp_path: Path) -> None:
    content = 'schema = 3\ntitle = "Future"\n[blocks]\nchannels = ["web"]\n'
    path = write(tmp_path / "future.toml", content)
    loaded = load(path, TEMPLATES)
    assert loaded.schema == 3
    assert not loaded.writable
    assert "newer" in loaded.read_only_reason
    assert loaded.canvas.items(5) == (Item("web"),)
    with pytest.raises(StoreError, match="newer"):
        save(loaded, retitle(loaded.canvas, "Now"))
    assert path.read_text(encoding="utf-8") == content


# -- properties: any canvas round-trips ----------------------------------------------------

tricky = st.sampled_from(
    [
        *['"', "\\", "\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff"],
        *["\u202e", "\ud7ff", "\U0010ffff", "'", "#", "{", "}", "[", "]", ",", "é", "🚀", "日本"],
        *['"""', "'''", "\\u0041", "[blocks]", "= ", "\r\n", "\\n"],
    ]
)
any_text = st.lists(
    st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=6), tricky), max_size=4
).map("".join)
tag = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
items = st.one_of(
    any_text.map(Item),
    st.builds(
        Item,
        any_text,
        st.sampled_from([None, *STATUSES]),
        st.lists(tag, max_size=3, unique=True).map(tuple),
        any_text,
    ),
)


def canvases_of(template: Template) -> st.SearchStrategy[Canvas]:
    size = len(template.blocks)
    return st.builds(
        lambda title, blocks: Canvas.from_lists(title, blocks, template.id),
        any_text,
        st.lists(st.lists(items, max_size=3), min_size=size, max_size=size),
    )


@st.composite
def canvases(draw: st.DrawFn) -> tuple[Canvas, Canvas, Template]:
    """Two canvases of one template (tech-bmc or lean): before and after an edit."""
    template = draw(st.sampled_from([TECH, LEAN]))
    return draw(canvases_of(template)), draw(canvases_of(template)), template


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def fresh(folder: Path, name: str) -> Path:
    path = folder / name
    path.unlink(missing_ok=True)
    (folder / f"{name}.bak").unlink(missing_ok=True)
    return path


PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(case=canvases())
def test_any_canvas_round_trips_through_a_canonical_file(
    scratch: Path, case: tuple[Canvas, Canvas, Template]
) -> None:
    canvas, _, template = case
    path = fresh(scratch, "canonical.toml")
    saved = save(new_canvas(path, "", template), canvas)
    loaded = load(path, TEMPLATES)
    assert loaded.canvas == canvas
    assert loaded.text == saved.text
    assert loaded.template is template
    assert loaded.schema == schema_of(canvas)
    data = path.read_bytes()
    assert b"\r" not in data
    save(loaded, canvas)  # a save that changes nothing
    assert path.read_bytes() == data


@PROPERTY
@given(
    case=canvases(), taken=st.lists(st.booleans(), min_size=9, max_size=9), retitled=st.booleans()
)
def test_edits_saved_over_a_canonical_file_write_exactly_the_canonical_text(
    scratch: Path,
    case: tuple[Canvas, Canvas, Template],
    taken: list[bool],
    retitled: bool,
) -> None:
    """The second save onwards writes only the changed blocks: the file is still exactly what
    `dump` writes, and reads back as the canvas."""
    before, after, template = case
    path = fresh(scratch, "edits.toml")
    base = save(new_canvas(path, "", template), before)
    canvas = before
    for block, take in enumerate(taken[: len(template.blocks)]):
        if take:  # one edit at a time, as the editor saves them; the other blocks are shared
            canvas = canvas.with_block(block, after.blocks[block])
            base = save(base, canvas)
            assert path.read_text(encoding="utf-8") == dump(canvas, template.keys)
    if retitled:
        canvas = retitle(canvas, after.title)
        save(base, canvas)
    assert path.read_text(encoding="utf-8") == dump(canvas, template.keys)
    assert load(path, TEMPLATES).canvas == canvas


@PROPERTY
@given(case=canvases())
def test_any_canvas_round_trips_through_a_hand_edited_file(
    scratch: Path, case: tuple[Canvas, Canvas, Template]
) -> None:
    before, after, template = case
    path = fresh(scratch, "hand.toml")
    save(new_canvas(path, "", template), before)
    hand = "# my notes\nextra = 'kept'\n" + path.read_text(encoding="utf-8").replace(
        "[blocks]\n", "[blocks]  # the blocks\n"
    )
    path.write_text(hand, encoding="utf-8")
    loaded = load(path, TEMPLATES)
    assert loaded.canvas == before
    save(loaded, after)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my notes\nextra = 'kept'\n")
    assert "[blocks]  # the blocks" in text
    again = load(path, TEMPLATES)
    assert again.canvas == after
    assert tomllib.loads(text).get("schema", 1) == schema_of(after)


# Trimmed, never empty; mapped rather than filtered (a filter threw away so many examples
# that Hypothesis's health check failed now and then).
plain_text = any_text.map(lambda text: text.strip() or "x")


@PROPERTY
@given(
    blocks=st.lists(st.lists(plain_text, max_size=3), min_size=9, max_size=9),
    block=st.integers(0, 8),
    new=plain_text,
)
def test_a_schema_1_file_keeps_schema_1_and_its_untouched_lines(
    scratch: Path, blocks: list[list[str]], block: int, new: str
) -> None:
    canvas = Canvas.from_lists("Plain", blocks)
    path = fresh(scratch, "plain.toml")
    hand = "# kept as written\n" + dump(canvas, TECH.keys).replace(
        "[blocks]\n", "[blocks]\nnot_a_block = 'mine'  # kept\n"
    )
    path.write_text(hand, encoding="utf-8")
    loaded = load(path, TEMPLATES)
    assert loaded.schema == 1
    unchanged = save(loaded, loaded.canvas)  # a save that changes nothing
    assert path.read_text(encoding="utf-8") == hand
    edited = add_item(canvas, block, new).canvas  # an edit that adds no metadata
    save(unchanged, edited)
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["schema"] == 1
    assert load(path, TEMPLATES).canvas == edited
    key = TECH.keys[block]
    before_lines = _lines_outside(hand, key)
    after_lines = _lines_outside(text, key)
    assert after_lines == before_lines


def _lines_outside(text: str, key: str) -> list[str]:
    """The lines of `text` except the array of block `key`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
    end = start
    if not lines[start].endswith("[]"):
        end = next(i for i in range(start, len(lines)) if lines[i] == "]")
    return lines[:start] + lines[end + 1 :]


def test_a_schema_1_file_is_byte_identical_after_a_save_that_changes_nothing(
    tmp_path: Path,
) -> None:
    complete_hand = HAND + empty_blocks(TECH.keys, skip=("key_partners", "channels"))
    for text in (dump(tech(["AWS"], ["Build"]), TECH.keys), complete_hand):
        path = write(tmp_path / "same.toml", text)
        loaded = load(path, TEMPLATES)
        save(loaded, loaded.canvas)
        assert path.read_text(encoding="utf-8") == text


def test_a_new_loaded_has_no_file_until_saved(tmp_path: Path) -> None:
    loaded = new_canvas(tmp_path / "new.toml", "New", LEAN)
    assert isinstance(loaded, Loaded)
    assert not loaded.exists
    assert loaded.writable
    assert loaded.canvas == Canvas.new("New", LEAN)
    assert not (tmp_path / "new.toml").exists()
