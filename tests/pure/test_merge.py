"""The three-way merge of canvases (`canvas_tui.merge`) and the `merge` command (git's merge
driver): what merges cleanly, what conflicts and how nothing is ever lost; with hypothesis
properties over random edits on both sides."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canvas_tui import canvasfile
from canvas_tui.cli import main
from canvas_tui.merge import CONFLICT_TAG, MergeError, merge
from canvas_tui.model import STATUSES, Canvas, Item
from canvas_tui.template import built_in_templates

TECH = built_in_templates().default
KEYS = TECH.keys
KP, KA, KR, VP, CR, CH, CS, COST, REV = range(9)


def make(*blocks: list[str | Item], title: str = "T") -> Canvas:
    """A tech-bmc canvas whose first blocks hold the given items, the rest empty."""
    padded = [*blocks, *([[]] * (len(TECH.blocks) - len(blocks)))]
    return Canvas.from_lists(title, padded)


def texts(canvas: Canvas, block: int) -> list[str]:
    return list(canvas.texts(block))


BASE = make(
    ["Stripe", "Cloud hosting provider", "Law firm"],
    ["Build the product", "Sales calls"],
    [],
    ["Saves 3 hours a week"],
)


# -- what merges cleanly -------------------------------------------------------------------


def test_changes_to_different_blocks_merge_cleanly() -> None:
    ours = make(["Stripe", "Cloud hosting provider", "Law firm", "Bank"], *BASE.blocks[1:4])
    theirs = make(*BASE.blocks[:3], ["Saves 3 hours a week", "Works offline"])
    result = merge(BASE, ours, theirs)
    assert not result.conflicted
    assert texts(result.canvas, KP) == ["Stripe", "Cloud hosting provider", "Law firm", "Bank"]
    assert texts(result.canvas, VP) == ["Saves 3 hours a week", "Works offline"]


def test_changes_to_different_items_of_one_block_merge_whatever_their_order() -> None:
    ours = make(["Stripe Connect", "Cloud hosting provider", "Law firm"], *BASE.blocks[1:4])
    theirs = make(
        ["Stripe", "Cloud hosting provider", "Law firm, Berlin office"], *BASE.blocks[1:4]
    )
    result = merge(BASE, ours, theirs)
    assert not result.conflicted
    assert texts(result.canvas, KP) == [
        "Stripe Connect",
        "Cloud hosting provider",
        "Law firm, Berlin office",
    ]


def test_two_items_appended_to_one_block_merge_cleanly_ours_first() -> None:
    ours = make(["Stripe", "Cloud hosting provider", "Law firm", "Ours"], *BASE.blocks[1:4])
    theirs = make(["Stripe", "Cloud hosting provider", "Law firm", "Theirs"], *BASE.blocks[1:4])
    result = merge(BASE, ours, theirs)
    assert not result.conflicted
    assert texts(result.canvas, KP)[-2:] == ["Ours", "Theirs"]


def test_the_same_item_added_on_both_sides_is_kept_once() -> None:
    ours = make(["Stripe", "Cloud hosting provider", "Law firm", "Bank"], *BASE.blocks[1:4])
    result = merge(BASE, ours, ours)
    assert texts(result.canvas, KP).count("Bank") == 1
    theirs = make(["Bank", "Stripe", "Cloud hosting provider", "Law firm"], *BASE.blocks[1:4])
    assert texts(merge(BASE, ours, theirs).canvas, KP).count("Bank") == 1


def test_an_item_moved_to_another_block_on_one_side_and_edited_on_the_other() -> None:
    ours = make(
        ["Stripe", "Law firm"],
        ["Build the product", "Sales calls", "Cloud hosting provider"],
        [],
        BASE.blocks[VP],
    )
    theirs = make(["Stripe", "Cloud hosting provider (AWS)", "Law firm"], *BASE.blocks[1:4])
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(BASE, a, b)
        assert not result.conflicted
        assert texts(result.canvas, KP) == ["Stripe", "Law firm"]
        assert texts(result.canvas, KA) == [
            "Build the product",
            "Sales calls",
            "Cloud hosting provider (AWS)",
        ]


def test_an_item_moved_inside_its_block_on_one_side_and_edited_on_the_other() -> None:
    ours = make(["Law firm", "Stripe", "Cloud hosting provider"], *BASE.blocks[1:4])
    theirs = make(["Stripe", "Cloud hosting provider", "Law firm (Berlin)"], *BASE.blocks[1:4])
    result = merge(BASE, ours, theirs)
    assert not result.conflicted
    assert texts(result.canvas, KP) == ["Law firm (Berlin)", "Stripe", "Cloud hosting provider"]


def test_an_item_lengthened_beside_a_deletion_keeps_its_identity_and_the_other_sides_order() -> (
    None
):
    """Theirs deleted one item and added words to the next ("Stripe" grew to three times its
    length); ours moved that item to the top, added an item below it and gave it a note. The
    lengthened item is still the item ours moved (found by a property test): no conflict,
    ours's order, both changes."""
    base = make(["Cloud hosting provider", "Stripe"])
    ours = make([Item("Stripe", note="main processor"), "Bank", "Cloud hosting provider"])
    theirs = make(["Stripe, billing and payouts"])
    result = merge(base, ours, theirs)
    assert not result.conflicted
    assert result.canvas.blocks[KP] == (
        Item("Stripe, billing and payouts", note="main processor"),
        Item("Bank"),
    )


def test_a_text_edit_and_a_status_or_tag_edit_merge_cleanly() -> None:
    ours = make(["Stripe Connect", *BASE.texts(KP)[1:]], *BASE.blocks[1:4])
    theirs = make(
        [Item("Stripe", "validated", ("payments",)), *BASE.blocks[KP][1:]], *BASE.blocks[1:4]
    )
    result = merge(BASE, ours, theirs)
    assert not result.conflicted
    assert result.canvas.blocks[KP][0] == Item("Stripe Connect", "validated", ("payments",))


def test_tags_merge_as_sets() -> None:
    base = make([Item("Stripe", tags=("a", "b"))])
    ours = make([Item("Stripe", tags=("a", "b", "c"))])
    theirs = make([Item("Stripe", tags=("b", "d"))])
    result = merge(base, ours, theirs)
    assert not result.conflicted
    assert result.canvas.blocks[KP][0].tags == ("b", "c", "d")


def test_notes_changed_on_both_sides_merge_line_by_line() -> None:
    base = make([Item("Stripe", note="one\ntwo\nthree")])
    ours = make([Item("Stripe", note="ONE\ntwo\nthree")])
    theirs = make([Item("Stripe", note="one\ntwo\nTHREE")])
    result = merge(base, ours, theirs)
    assert not result.conflicted
    assert result.canvas.blocks[KP][0].note == "ONE\ntwo\nTHREE"


def test_an_item_deleted_on_one_side_and_left_alone_on_the_other_is_deleted() -> None:
    ours = make(["Stripe", "Law firm"], *BASE.blocks[1:4])
    moved = make(["Law firm", "Stripe", "Cloud hosting provider"], *BASE.blocks[1:4])
    for theirs in (BASE, moved):  # a move alone is no change to the item
        result = merge(BASE, ours, theirs)
        assert not result.conflicted
        assert "Cloud hosting provider" not in texts(result.canvas, KP)


def test_the_title_changed_on_one_side_is_taken() -> None:
    theirs = dataclasses.replace(BASE, title="Acme Robotics")
    result = merge(BASE, BASE, theirs)
    assert result.canvas.title == "Acme Robotics"
    assert not result.conflicted


# -- conflicts -----------------------------------------------------------------------------


def test_an_item_edited_differently_on_both_sides_is_kept_twice_tagged_conflict() -> None:
    ours = make(["Stripe Connect", *BASE.texts(KP)[1:]], *BASE.blocks[1:4])
    theirs = make(["Stripe Billing", *BASE.texts(KP)[1:]], *BASE.blocks[1:4])
    result = merge(BASE, ours, theirs)
    assert result.conflicted
    assert result.canvas.blocks[KP][:2] == (
        Item("Stripe Connect", tags=(CONFLICT_TAG,)),
        Item("Stripe Billing", tags=(CONFLICT_TAG,)),
    )
    assert texts(result.canvas, KP)[2:] == ["Cloud hosting provider", "Law firm"]
    (conflict,) = result.conflicts
    assert conflict.block == KP
    assert conflict.ours == Item("Stripe Connect")
    assert conflict.theirs == Item("Stripe Billing")


def test_statuses_set_differently_conflict() -> None:
    ours = make([Item("Stripe", "validated"), *BASE.blocks[KP][1:]])
    theirs = make([Item("Stripe", "invalidated"), *BASE.blocks[KP][1:]])
    result = merge(make(BASE.blocks[KP]), ours, theirs)
    assert result.conflicted
    assert [item.status for item in result.canvas.blocks[KP][:2]] == ["validated", "invalidated"]


def test_an_item_deleted_on_one_side_and_changed_on_the_other_is_kept_tagged_conflict() -> None:
    ours = make(["Stripe", "Law firm"], *BASE.blocks[1:4])
    theirs = make(["Stripe", "Cloud hosting provider (AWS)", "Law firm"], *BASE.blocks[1:4])
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge(BASE, a, b)
        assert result.conflicted
        assert result.canvas.blocks[KP] == (
            Item("Stripe"),
            Item("Cloud hosting provider (AWS)", tags=(CONFLICT_TAG,)),
            Item("Law firm"),
        )


def test_titles_changed_differently_keep_ours_and_report_theirs() -> None:
    ours = dataclasses.replace(BASE, title="Ours")
    theirs = dataclasses.replace(BASE, title="Theirs")
    result = merge(BASE, ours, theirs)
    assert result.canvas.title == "Ours"
    assert result.theirs_title == "Theirs"
    assert result.conflicted


def test_versions_with_different_blocks_are_refused() -> None:
    lean = built_in_templates().get("lean")
    assert lean is not None
    other = Canvas("T", ((),) * 3, "other")
    with pytest.raises(MergeError):
        merge(BASE, BASE, other)


def test_conflicted_results_still_write_and_read_back() -> None:
    ours = make([Item("Stripe Connect", note="x\ny")])
    theirs = make([Item("Stripe Billing", "testing")])
    result = merge(make(["Stripe"]), ours, theirs)
    text = canvasfile.dump(result.canvas, KEYS)
    assert canvasfile.parse(text, built_in_templates()).canvas == result.canvas


# -- properties ----------------------------------------------------------------------------

WORDS = ("Stripe", "Bank", "Cloud", "Cloud host", "Law", "x", "", "Sales", "sales")
items = st.builds(
    Item,
    st.sampled_from(WORDS),
    st.sampled_from((None, *STATUSES)),
    st.lists(st.sampled_from(("a", "b", "c")), max_size=2, unique=True).map(tuple),
    st.sampled_from(("", "note", "note\nmore")),
)
blocks = st.lists(items, max_size=5).map(tuple)
canvases = st.builds(
    lambda title, content: Canvas(title, (*content, *([()] * (9 - len(content))))),
    st.sampled_from(("A", "B", "")),
    st.lists(blocks, min_size=1, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(canvases, canvases)
def test_merging_with_one_side_unchanged_gives_the_other(base: Canvas, other: Canvas) -> None:
    assert merge(base, other, base).canvas == other
    assert merge(base, base, other).canvas == other
    assert not merge(base, other, base).conflicted
    assert not merge(base, base, other).conflicted


@settings(max_examples=300, deadline=None)
@given(canvases, canvases)
def test_merging_the_same_change_twice_gives_it_once(base: Canvas, other: Canvas) -> None:
    result = merge(base, other, other)
    assert result.canvas == other
    assert not result.conflicted


@settings(max_examples=300, deadline=None)
@given(canvases, canvases, canvases)
def test_every_new_text_of_either_side_is_in_the_result(
    base: Canvas, ours: Canvas, theirs: Canvas
) -> None:
    result = merge(base, ours, theirs)
    base_texts = {item.text for items in base.blocks for item in items}
    merged_texts = {item.text for items in result.canvas.blocks for item in items}
    for side in (ours, theirs):
        for items_ in side.blocks:
            for item in items_:
                assert item.text in base_texts or item.text in merged_texts
    text = canvasfile.dump(result.canvas, KEYS)
    assert canvasfile.parse(text, built_in_templates()).canvas == result.canvas


# -- the merge command ---------------------------------------------------------------------


def _write(path: Path, canvas: Canvas, head: str = "") -> Path:
    path.write_text(head + canvasfile.dump(canvas, KEYS), encoding="utf-8")
    return path


def test_the_merge_command_writes_ours_and_keeps_its_comments_and_unknown_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _write(tmp_path / "base", BASE)
    ours_text = (
        canvasfile.dump(BASE, KEYS)
        .replace('title = "T"', '# Our plan, reviewed weekly\ntitle = "T"\nowner = "sam"')
        .replace('    "Law firm",', '    "Law firm",  # the one in Berlin\n    "Bank",')
    )
    ours = tmp_path / "ours"
    ours.write_text(ours_text, encoding="utf-8")
    theirs = _write(
        tmp_path / "theirs", make(*BASE.blocks[:3], ["Saves 3 hours a week", "Offline"])
    )
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    text = ours.read_text(encoding="utf-8")
    assert "# Our plan, reviewed weekly" in text
    assert 'owner = "sam"' in text
    assert "# the one in Berlin" in text
    merged = canvasfile.parse(text, built_in_templates()).canvas
    assert texts(merged, KP)[-1] == "Bank"
    assert texts(merged, VP) == ["Saves 3 hours a week", "Offline"]
    assert capsys.readouterr().err == ""


def test_the_merge_command_exits_1_on_a_conflict_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = _write(tmp_path / "base", BASE)
    ours = _write(
        tmp_path / "ours",
        dataclasses.replace(
            make(["Stripe Connect", *BASE.texts(KP)[1:]], *BASE.blocks[1:4]), title="Ours"
        ),
    )
    theirs = _write(
        tmp_path / "theirs",
        dataclasses.replace(
            make(["Stripe Billing", *BASE.texts(KP)[1:]], *BASE.blocks[1:4]), title="Theirs\x1b[2J"
        ),
    )
    assert main(["merge", str(base), str(ours), str(theirs)]) == 1
    err = capsys.readouterr().err
    assert "1 Key Partners" in err and "Stripe Connect" in err and "Stripe Billing" in err
    assert "title" in err and "\x1b" not in err
    text = ours.read_text(encoding="utf-8")
    lines = text.splitlines()
    title_line = next(i for i, line in enumerate(lines) if line.startswith("title"))
    assert lines[title_line] == 'title = "Ours"'
    assert lines[title_line - 1] == '# canvas-tui merge: their title was "Theirs\\u001b[2J"'
    merged = canvasfile.parse(text, built_in_templates()).canvas
    assert [item.text for item in merged.blocks[KP] if CONFLICT_TAG in item.tags] == [
        "Stripe Connect",
        "Stripe Billing",
    ]


def test_an_empty_base_merges_two_added_files(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.write_text("", encoding="utf-8")
    ours = _write(tmp_path / "ours", make(["A"], title="Plan"))
    theirs = _write(tmp_path / "theirs", make(["B"], title="Plan"))
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    merged = canvasfile.parse(ours.read_text(encoding="utf-8"), built_in_templates()).canvas
    assert texts(merged, KP) == ["A", "B"]
