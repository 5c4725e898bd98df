"""The semantic diff of two canvases (`canvas_tui.diff`), its rendering for the terminal and for
git's textconv (`canvas_tui.render.diff_text`), and the `diff` and `textconv` commands."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui import canvasfile
from canvas_tui.cli import main
from canvas_tui.diff import diff, match_items
from canvas_tui.model import STATUSES, Canvas, Item, Pos
from canvas_tui.render.diff_text import canvas_text, diff_lines, to_text
from canvas_tui.template import built_in_templates

TECH = built_in_templates().default
LEAN = built_in_templates().get("lean")
assert LEAN is not None
KP, KA, KR, VP, CR, CH, CS, COST, REV = range(9)


def make(*blocks: list[str | Item], title: str = "T") -> Canvas:
    padded = [*blocks, *([[]] * (len(TECH.blocks) - len(blocks)))]
    return Canvas.from_lists(title, padded)


def lines_of(old: Canvas, new: Canvas) -> list[str]:
    return [line.text for line in diff_lines(diff(old, new), TECH, summary=False)]


BASE = make(["Stripe", "Cloud hosting provider", "Law firm"], ["Build the product", "Sales calls"])


def test_equal_canvases_have_no_diff() -> None:
    result = diff(BASE, BASE)
    assert result.same
    assert result.changes == ()
    assert diff_lines(result, TECH) == []


def test_added_and_removed_items() -> None:
    new = make(["Stripe", "Law firm", "Bank"], BASE.blocks[KA])
    result = diff(BASE, new)
    assert [(c.kind, (c.old or c.new).text) for c in result.changes] == [  # type: ignore[union-attr]
        ("removed", "Cloud hosting provider"),
        ("added", "Bank"),
    ]
    assert lines_of(BASE, new) == ["1 Key Partners", "  - Cloud hosting provider", "  + Bank"]


def test_an_edited_item_is_paired_with_its_old_text_by_similarity() -> None:
    new = make(["Stripe Connect", "Cloud hosting provider", "Law firm"], BASE.blocks[KA])
    result = diff(BASE, new)
    (change,) = result.changes
    assert change.kind == "changed"
    assert change.fields == ("text",)
    assert lines_of(BASE, new) == ["1 Key Partners", "  ~ Stripe → Stripe Connect"]
    assert result.counts() == {"added": 0, "removed": 0, "edited": 1, "moved": 0}


def test_an_item_with_words_added_in_place_is_an_edit_however_long_it_grew() -> None:
    """Beside a deletion (so not one item for one), "Law firm" that became a sentence holding
    it whole is the same item edited; a text merely sharing letters is not."""
    new = make(["Stripe", "Law firm in Berlin for contracts and the GmbH"], BASE.blocks[KA])
    assert lines_of(BASE, new) == [
        "1 Key Partners",
        "  - Cloud hosting provider",
        "  ~ Law firm → Law firm in Berlin for contracts and the GmbH",
    ]
    unlike = make(["Stripe", "Lawful firmware updates for the cloud fleet"], BASE.blocks[KA])
    assert [c.kind for c in diff(BASE, unlike).changes] == ["removed", "removed", "added"]


def test_a_replaced_item_unlike_the_old_one_is_removed_and_added() -> None:
    new = make(["Quokka breeders", "Cloud hosting provider", "Law firm"], BASE.blocks[KA])
    assert [c.kind for c in diff(BASE, new).changes] == ["removed", "added"]


def test_moves_inside_a_block_and_to_another_block() -> None:
    new = make(
        ["Law firm", "Stripe"], ["Build the product", "Sales calls", "Cloud hosting provider"]
    )
    result = diff(BASE, new)
    assert lines_of(BASE, new) == [
        "1 Key Partners",
        "  → Cloud hosting provider (to 2 Key Activities)",
        "  ↕ Law firm (3 → 1)",
    ]
    assert result.counts()["moved"] == 2
    assert [c.moved_to_block for c in result.changes] == [True, False]


def test_an_item_shifted_by_an_insertion_is_not_moved() -> None:
    new = make(["New first", *BASE.texts(KP)], BASE.blocks[KA])
    assert [c.kind for c in diff(BASE, new).changes] == ["added"]


def test_an_item_moved_and_edited_shows_both() -> None:
    new = make(["Stripe", "Law firm"], ["Build the product", "Sales calls", "Cloud hosting (AWS)"])
    assert lines_of(BASE, new) == [
        "1 Key Partners",
        "  → Cloud hosting provider (to 2 Key Activities)",
        "  ~ Cloud hosting provider → Cloud hosting (AWS)",
    ]


def test_status_tags_and_note_changes() -> None:
    old = make(
        [Item("Stripe", "testing", ("a", "b"), "old note"), "Bank", Item("Law", extra=(("x", 1),))]
    )
    new = make(
        [
            Item("Stripe", "validated", ("b", "c")),
            Item("Bank", note="why"),
            Item("Law", extra=(("x", 2),)),
        ]
    )
    assert lines_of(old, new) == [
        "1 Key Partners",
        "  ~ Stripe: status testing → validated",
        "  ~ Stripe: tags +#c -#a",
        "  ~ Stripe: note removed",
        "  ~ Bank: note added",
        "  ~ Law: other fields changed",
    ]


def test_title_and_template_changes() -> None:
    new = dataclasses.replace(BASE, title="Acme Robotics")
    assert lines_of(BASE, new) == ["title: T → Acme Robotics"]
    assert not diff(BASE, new).same


def test_duplicate_texts_are_paired_in_order() -> None:
    old = make(["Same", "Other", "Same"])
    new = make(["Same", "Other"])
    result = diff(old, new)
    (change,) = result.changes
    assert change.kind == "removed" and change.old_pos == Pos(KP, 2)


def test_block_titles_follow_the_template() -> None:
    old = Canvas("L", ((),) * len(LEAN.blocks), "lean")
    new = old.with_block(0, (Item("Slow invoices"),))
    assert [line.text for line in diff_lines(diff(old, new), LEAN, summary=False)] == [
        "1 Problem",
        "  + Slow invoices",
    ]


def test_untrusted_text_is_shown_safely() -> None:
    new = make(
        ["Stripe\x1b]0;owned\x07", "Cloud hosting provider", "Law firm\u202e"],
        BASE.blocks[KA],
        title="T\x1b[2J",
    )
    text = to_text(diff_lines(diff(BASE, new), TECH), color=True)
    assert "␛]0;owned␇" in text
    assert "\x07" not in text and "\u202e" not in text and "\x1b[2J" not in text
    # Colour comes only from the renderer's own escapes.
    assert all(part.startswith(("[", "0m")) for part in text.split("\x1b")[1:])


def test_the_json_form() -> None:
    new = make(
        ["Law firm", Item("Stripe Connect", "testing")],
        ["Build the product", "Sales calls", "Cloud hosting provider"],
        title="New",
    )
    data = diff(BASE, new).as_json(TECH)
    json.dumps(data)  # JSON-able
    assert data["same"] is False
    assert data["title"] == {"old": "T", "new": "New"}
    (block,) = data["blocks"]
    assert block["key"] == "key_partners" and block["number"] == 1
    changes = {
        change["old"] if isinstance(change["old"], str) else change["old"]["text"]: change
        for change in block["changes"]
    }
    assert changes["Stripe"]["new"] == {"text": "Stripe Connect", "status": "testing"}
    assert changes["Stripe"]["fields"] == ["text", "status"]
    assert changes["Cloud hosting provider"]["moved"] == "block"
    assert changes["Cloud hosting provider"]["to"] == {"block": "key_activities", "index": 3}


def test_textconv_text_lists_items_under_block_titles() -> None:
    canvas = make(
        ["Stripe", Item("Bank", "validated", ("b2b",), "line one\nline\x1b two")], title="Acme"
    )
    text = canvas_text(canvas, TECH)
    question = " ".join(TECH.blocks[0].question.split())
    assert text.startswith(
        f"# Acme\n\n## 1 Key Partners\n\n({question})\n\n"  # 3 lines: git's hunk headers
        "- Stripe\n- ✓ Bank #b2b ¶\n    line one\n    line␛ two\n"
    )
    assert "## 9 Revenue Streams" in text
    assert "\x1b" not in text


# -- properties ----------------------------------------------------------------------------

items = st.builds(
    Item,
    st.sampled_from(("Stripe", "Stripe Connect", "Bank", "Cloud", "x", "")),
    st.sampled_from((None, *STATUSES)),
    st.lists(st.sampled_from(("a", "b")), max_size=2, unique=True).map(tuple),
    st.sampled_from(("", "note")),
)
canvases = st.builds(
    lambda title, content: Canvas(title, (*content, *([()] * (9 - len(content))))),
    st.sampled_from(("A", "B")),
    st.lists(st.lists(items, max_size=5).map(tuple), min_size=1, max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(canvases, canvases)
def test_the_diff_accounts_for_every_item(old: Canvas, new: Canvas) -> None:
    result = diff(old, new)
    assert result.same == (old == new)
    assert bool(diff_lines(result, TECH)) == (old != new)
    matched = [pos for row in match_items(old, new) for pos in row if pos is not None]
    assert len(set(matched)) == len(matched)  # each old item paired at most once
    kinds = [change.kind for change in result.changes]
    assert kinds.count("added") + len(matched) == new.item_count
    assert kinds.count("removed") + len(matched) == old.item_count


# -- the commands --------------------------------------------------------------------------


@pytest.fixture
def two_canvases(data_dir: Path) -> tuple[Path, Path]:
    keys = TECH.keys
    old = data_dir / "canvases" / "old.toml"
    new = data_dir / "canvases" / "new.toml"
    old.write_text(canvasfile.dump(BASE, keys), encoding="utf-8")
    new.write_text(
        canvasfile.dump(make(["Stripe", "Law firm", "Bank"], BASE.blocks[KA]), keys),
        encoding="utf-8",
    )
    return old, new


def test_the_diff_command_exit_status(
    data_dir: Path, two_canvases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = two_canvases
    base = ["--data-dir", str(data_dir), "diff"]
    assert main([*base, "old", "new"]) == 1
    assert capsys.readouterr().out == (
        "1 Key Partners\n  - Cloud hosting provider\n  + Bank\n"
        "1 added, 1 removed, 0 edited, 0 moved\n"
    )
    assert main([*base, "old", str(old)]) == 0  # a name and a path
    assert capsys.readouterr().out == ""
    assert main([*base, "old", "missing"]) == 2
    assert (
        capsys.readouterr().err
        == "canvas-tui: error: no canvas 'missing' (see 'canvas-tui list')\n"
    )
    broken = data_dir / "broken.toml"
    broken.write_text("title = ", encoding="utf-8")
    assert main([*base, str(broken), "old"]) == 2
    assert "invalid TOML" in capsys.readouterr().err


def test_the_diff_command_json(
    data_dir: Path, two_canvases: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "diff", "old", "new", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"added": 1, "removed": 1, "edited": 0, "moved": 0}


def test_textconv_prints_a_file_that_is_not_a_canvas_as_it_is(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    other = tmp_path / "pyproject.toml"
    other.write_bytes(b"[tool]\nname = 1\n")
    assert main(["textconv", str(other)]) == 0
    assert capsysbinary.readouterr().out == b"[tool]\nname = 1\n"
