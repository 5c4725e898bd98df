"""The merge of canvas files' text (`mergetext.merge_files`, what git's merge driver runs):
each case of "merges a team can trust" — a reorder with an append, an item rewritten on both
sides or rewritten and moved, comments, unknown keys and tables from both sides, line
endings, a block the template does not know, and reorders that clash."""

from __future__ import annotations

import pytest

from canvas_tui import canvasfile
from canvas_tui.identity import match_items
from canvas_tui.merge import CONFLICT_TAG
from canvas_tui.mergetext import THEIRS_LINE, MergeOutcome, merge_files
from canvas_tui.model import Canvas, Item, Pos
from canvas_tui.template import built_in_templates

TEMPLATES = built_in_templates()
KEYS = TEMPLATES.default.keys


def canvas_text(
    partners: list[str] | None = None,
    *,
    head: str = "",
    blocks: dict[str, list[str]] | None = None,
    tail: str = "",
) -> str:
    """A tech-bmc canvas file: `partners` (raw item lines, or comment lines) in key_partners,
    `blocks` for other keys (raw lines, any key), `head` lines above the title, `tail` after."""
    lines = [*(head.splitlines()), "schema = 1", 'title = "Plan"', "", "[blocks]"]
    content = {KEYS[0]: partners or [], **(blocks or {})}
    for key in [*KEYS, *(k for k in content if k not in KEYS)]:
        rows = content.get(key, [])
        if not rows:
            lines.append(f"{key} = []")
            continue
        lines += [f"{key} = [", *(f"    {row}" for row in rows), "]"]
    return "\n".join(lines) + "\n" + tail


def q(*texts: str) -> list[str]:
    return [f'"{text}",' for text in texts]


def items(outcome: MergeOutcome, key: str = KEYS[0]) -> list[Item]:
    assert outcome.ok, outcome.conflicts
    parsed = canvasfile.parse(outcome.text, TEMPLATES)
    if key in KEYS:
        return list(parsed.canvas.blocks[KEYS.index(key)])
    import tomllib

    return [Item(text) for text in tomllib.loads(outcome.text)["blocks"][key]]


def texts(outcome: MergeOutcome, key: str = KEYS[0]) -> list[str]:
    return [item.text for item in items(outcome, key)]


# -- order ---------------------------------------------------------------------------------


def test_their_move_to_the_top_survives_our_append() -> None:
    base = canvas_text(q("A", "B", "C", "D"))
    ours = canvas_text(q("A", "B", "C", "D", "E"))
    theirs = canvas_text(q("D", "A", "B", "C"))
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert texts(outcome) == ["D", "A", "B", "C", "E"]
    assert outcome.conflicts == [] and outcome.notes == []
    # and the other way round (in `git pull --rebase` the sides swap)
    outcome = merge_files(base, theirs, ours, TEMPLATES)
    assert texts(outcome) == ["D", "A", "B", "C", "E"]


def test_a_reorder_survives_inserts_and_deletes_on_the_other_side() -> None:
    base = canvas_text(q("A", "B", "C", "D", "E"))
    ours = canvas_text(q("E", "D", "C", "B", "A"))  # reversed
    theirs = canvas_text(q("A", "X", "C", "D", "E", "Y"))  # B deleted, X and Y added
    merged = texts(merge_files(base, ours, theirs, TEMPLATES))
    assert [t for t in merged if t in "ABCDE"] == ["E", "D", "C", "A"]
    assert "X" in merged and "Y" in merged and "B" not in merged


def test_the_same_items_reordered_differently_keep_ours_and_say_so() -> None:
    base = canvas_text(q("A", "B", "C"))
    ours = canvas_text(q("B", "A", "C"))
    theirs = canvas_text(q("A", "C", "B"))
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert texts(outcome) == ["B", "A", "C"]
    assert outcome.conflicts == []
    assert outcome.notes == [
        "1 Key Partners: both sides reordered the same items differently: kept our order"
    ]


# -- identity ------------------------------------------------------------------------------


def test_an_item_rewritten_in_place_is_the_same_item_however_different() -> None:
    old = Canvas.from_lists("T", [["Stripe", "SMBs", "Law firm"]])
    new = Canvas.from_lists("T", [["Stripe", "Freelancers in Europe", "Law firm"]])
    assert match_items(old, new, in_place=True)[0][1] == Pos(0, 1)
    assert match_items(old, new)[0][1] is None  # `diff` still pairs by similarity only


def test_the_same_item_rewritten_differently_on_both_sides_conflicts() -> None:
    base = canvas_text(q("Stripe", "SMBs", "Law firm"))
    ours = canvas_text(q("Stripe", "SMBs in the US", "Law firm"))
    theirs = canvas_text(q("Stripe", "Freelancers in Europe", "Law firm"))
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    merged = items(outcome)
    assert [item.text for item in merged] == [
        "Stripe",
        "SMBs in the US",
        "Freelancers in Europe",
        "Law firm",
    ]
    assert [CONFLICT_TAG in item.tags for item in merged] == [False, True, True, False]
    assert outcome.conflicts == [
        "conflict in 1 Key Partners: both sides changed an item: kept 'SMBs in the US' and"
        " 'Freelancers in Europe', tagged #conflict"
    ]


@pytest.mark.parametrize("swap", [False, True], ids=["ours-rewrites", "theirs-rewrites"])
def test_an_item_rewritten_on_one_side_and_moved_on_the_other_is_both(swap: bool) -> None:
    base = canvas_text(q("Stripe", "SMBs", "Law firm"))
    rewritten = canvas_text(q("Stripe", "Freelancers in Europe", "Law firm"))
    moved = canvas_text(q("Stripe", "Law firm"), blocks={"customer_segments": q("SMBs")})
    sides = (moved, rewritten) if swap else (rewritten, moved)
    outcome = merge_files(base, *sides, TEMPLATES)
    assert texts(outcome) == ["Stripe", "Law firm"]
    assert texts(outcome, "customer_segments") == ["Freelancers in Europe"]
    assert outcome.conflicts == []


# -- the file, not only the items ----------------------------------------------------------


def test_comments_unknown_keys_and_tables_of_both_sides_are_kept() -> None:
    base = canvas_text(q("Stripe", "Bank"), tail="\n[meta]\nreviewed = false\n")
    ours = canvas_text(
        ["# who we depend on", '"Stripe",  # payments', '"Bank",', '"Law firm",'],
        head="# Our plan, reviewed weekly",
        tail="\n[meta]\nreviewed = false\n",
    ).replace('title = "Plan"', 'title = "Plan"\nowner = "sam"')
    theirs = canvas_text(
        ['"Stripe",', "# the one in Berlin", '"Bank",'],
        blocks={"value_proposition": q("Saves time")},
        tail="\n[meta]\nreviewed = false\nreviewer = 'kim'\n",
    )
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert outcome.conflicts == [] and outcome.ok
    text = outcome.text
    for line in (
        "# Our plan, reviewed weekly",
        'owner = "sam"',
        "    # who we depend on",
        '    "Stripe",  # payments',
        "    # the one in Berlin",
        "reviewer = 'kim'",
        "[meta]",
    ):
        assert line in text.splitlines(), line
    assert texts(outcome) == ["Stripe", "Bank", "Law firm"]
    assert texts(outcome, "value_proposition") == ["Saves time"]
    lines = text.splitlines()
    assert lines.index("    # the one in Berlin") + 1 == lines.index('    "Bank",')


def test_a_line_both_sides_changed_differently_is_a_conflict_ours_kept_theirs_in_a_comment() -> (
    None
):
    base = canvas_text(q("Stripe"), tail="\n[meta]\nowner = 'sam'\n")
    ours = canvas_text(q("Stripe", "Bank"), tail="\n[meta]\nowner = 'alex'\n")
    theirs = canvas_text(q("Stripe"), tail="\n[meta]\nowner = 'kim'\n")
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert outcome.ok
    assert "owner = 'alex'" in outcome.text.splitlines()
    assert f"{THEIRS_LINE}owner = 'kim'" in outcome.text.splitlines()
    assert len(outcome.conflicts) == 1
    assert "both sides changed the same lines outside the items" in outcome.conflicts[0]
    assert texts(outcome) == ["Stripe", "Bank"]


def test_comments_inside_a_block_both_sides_changed_survive() -> None:
    base = canvas_text(q("A", "B", "C"))
    ours = canvas_text(["# first", '"A",', '"B",', '"C",', '"D",'])
    theirs = canvas_text(['"A",', '"B",', "# before C", '"C",', "# at the end"])
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert outcome.conflicts == []
    assert outcome.text.count("# first") == 1
    lines = [line.strip() for line in outcome.text.splitlines()]
    block = lines[lines.index("key_partners = [") : lines.index("key_activities = []")]
    assert block == [
        "key_partners = [",
        "# first",
        '"A",',
        '"B",',
        "# before C",
        '"C",',
        '"D",',
        "# at the end",
        "]",
    ]


def test_a_comment_above_an_item_the_other_side_deleted_is_kept() -> None:
    base = canvas_text(q("A", "B"))
    ours = canvas_text(q("A"))
    theirs = canvas_text(['"A",', "# why B matters", '"B",'])
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert texts(outcome) == ["A"]
    assert "    # why B matters" in outcome.text.splitlines()
    assert outcome.notes


def test_crlf_files_stay_crlf() -> None:
    def crlf(text: str) -> str:
        return text.replace("\n", "\r\n")

    base = crlf(canvas_text(q("A", "B")))
    ours = crlf(canvas_text(["# ours", *q("A", "B")]))
    theirs = crlf(canvas_text(q("A", "B", "C")))
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert texts(outcome) == ["A", "B", "C"]
    assert outcome.text.count("\n") == outcome.text.count("\r\n") > 10
    # the same in canonical form (nothing but items: the fast path)
    canonical = merge_files(base, crlf(canvas_text(q("A"))), theirs, TEMPLATES)
    assert texts(canonical) == ["A", "C"]
    assert canonical.text.count("\n") == canonical.text.count("\r\n") > 10
    # one side converted its line endings: the conversion is a change, and it wins
    outcome = merge_files(base.replace("\r\n", "\n"), ours, theirs.replace("\r\n", "\n"), TEMPLATES)
    assert outcome.text.count("\n") == outcome.text.count("\r\n")


def test_titles_changed_differently_keep_ours_and_theirs_in_a_comment_above() -> None:
    base = canvas_text(q("A"))
    ours = base.replace('title = "Plan"', 'title = "Ours"')
    theirs = base.replace('title = "Plan"', 'title = "Theirs\\u001b"')
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    lines = outcome.text.splitlines()
    at = lines.index('title = "Ours"')
    assert lines[at - 1] == '# canvas-tui merge: their title was "Theirs\\u001b"'
    assert outcome.conflicts and "\x1b" not in outcome.conflicts[0]


def test_a_block_the_template_does_not_know_is_never_dropped() -> None:
    """Alice renamed a block of her template (threats -> risks); Bob's template has no
    `risks`: Bob's merge keeps its items, and says so."""
    base = canvas_text(q("Stripe"), blocks={"threats": q("Churn", "Price war")})
    alice = canvas_text(q("Stripe"), blocks={"risks": q("Churn", "Price war", "Regulation")})
    bob = canvas_text(q("Stripe", "Bank"), blocks={"threats": q("Churn", "Price war")})
    outcome = merge_files(base, bob, alice, TEMPLATES)
    assert outcome.conflicts == []
    assert texts(outcome, "risks") == ["Churn", "Price war", "Regulation"]
    assert "threats" not in outcome.text
    assert texts(outcome) == ["Stripe", "Bank"]
    assert outcome.notes == [
        "blocks.risks: 3 items under a block the template 'tech-bmc' does not have: kept"
    ]


def test_an_unchanged_block_keeps_its_formatting() -> None:
    base = canvas_text(blocks={"channels": ['"Web",  "Shops" ,']}).replace(
        'channels = [\n    "Web",  "Shops" ,\n]', 'channels = [ "Web",  "Shops" ]  # both'
    )
    ours = base.replace("key_activities = []", 'key_activities = [\n    "Build",\n]')
    theirs = base.replace("revenue_streams = []", 'revenue_streams = [\n    "Fees",\n]')
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert 'channels = [ "Web",  "Shops" ]  # both' in outcome.text.splitlines()
    assert texts(outcome, "key_activities") == ["Build"]
    assert texts(outcome, "revenue_streams") == ["Fees"]


def test_an_empty_base_two_added_files_merge() -> None:
    ours = canvas_text(q("A"))
    theirs = canvas_text(q("B"))
    outcome = merge_files("", ours, theirs, TEMPLATES)
    assert texts(outcome) == ["A", "B"]
    assert outcome.conflicts == []


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ('title = "Pl\n[blocks]\n', "theirs is not a canvas (invalid TOML"),
        ("[tool]\nx = 1\n", "theirs is not a canvas (it has no [blocks] table)"),
    ],
)
def test_a_version_that_is_not_a_canvas_is_not_merged_item_by_item(
    broken: str, reason: str
) -> None:
    outcome = merge_files(canvas_text(q("A")), canvas_text(q("A", "B")), broken, TEMPLATES)
    assert not outcome.ok
    assert outcome.conflicts[0].startswith(reason)


def test_a_status_added_on_one_side_raises_the_schema() -> None:
    base = canvas_text(q("A", "B"))
    ours = canvas_text(q("A", "B", "C"))
    theirs = canvas_text(['{ text = "A", status = "testing" },', '"B",']).replace(
        "schema = 1", "schema = 2"
    )
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert [item.status for item in items(outcome)] == ["testing", None, None]
    assert "schema = 2" in outcome.text.splitlines()


def test_a_comment_added_next_to_a_line_the_other_side_changed_is_not_a_conflict() -> None:
    """The schema line is canvas-tui's: a comment added above it on one side and the schema
    raised on the other merge cleanly (git would report adjacent changes as a conflict)."""
    base = canvas_text(q("A"), tail="\n[meta]\nreviewed = false\n")
    ours = "# Our plan\n" + base
    theirs = canvas_text(
        ['{ text = "A", status = "validated" },'], tail="\n[meta]\nreviewed = true\n"
    ).replace("schema = 1", "schema = 2")
    outcome = merge_files(base, ours, theirs, TEMPLATES)
    assert outcome.conflicts == []
    lines = outcome.text.splitlines()
    assert lines[:2] == ["# Our plan", "schema = 2"]
    assert lines[-1] == "reviewed = true"
    assert [item.status for item in items(outcome)] == ["validated"]
