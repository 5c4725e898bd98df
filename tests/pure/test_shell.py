"""Changing a canvas from the shell: `add`, `rm`, `mv`, `set` and `retitle`, in-process through
`main()`, as real processes, and against an editor running in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from canvas_tui.canvasfile import dump
from canvas_tui.model import Canvas, Item
from canvas_tui.store import CanvasStore, Loaded, load
from canvas_tui.store import files as store_files
from clitools import cli, one_line_error
from helpers import SHELL_ACME, texts, write_canvas

ESC = "\x1b"

pytestmark = pytest.mark.usefixtures("plain_output")


@pytest.fixture
def acme(store: CanvasStore) -> Path:
    return write_canvas(store, "acme", SHELL_ACME)


def blocks_of(path: Path) -> tuple[tuple[Item, ...], ...]:
    return load(path).canvas.blocks


# -- add -----------------------------------------------------------------------------------


def test_add_appends_and_prints_block_number_and_text(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "add", "acme", "KP", "Payment partner")
    assert (code, err) == (0, "")
    assert out == "key_partners 3: Payment partner\n"
    assert texts(acme, 1) == ["Cloud host", "Stripe", "Payment partner"]


@pytest.mark.parametrize("block", ["1", "key_partners", "KEY_Partners", "kp", "Kp", " KP "])
def test_block_is_a_number_key_or_short_label_in_any_case(
    block: str, data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(data_dir, capsys, "add", "acme", block, "x")
    assert code == 0
    assert out.startswith("key_partners 3: ")


@pytest.mark.parametrize("block", ["0", "10", "-1", "zz", "Key Partners", "", "1.5"])
@pytest.mark.parametrize(
    "command",
    [
        ("add", "acme", "{block}", "text"),
        ("rm", "acme", "{block}", "1"),
        ("mv", "acme", "{block}", "1", "CS"),
        ("mv", "acme", "KP", "1", "{block}"),
        ("set", "acme", "{block}", "1", "--text", "x"),
    ],
    ids=["add", "rm", "mv-from", "mv-to", "set"],
)
def test_a_bad_block_is_a_one_line_error_and_nothing_changes(
    command: tuple[str, ...],
    block: str,
    data_dir: Path,
    acme: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = acme.read_bytes()
    args = [word.replace("{block}", block) for word in command]
    line = one_line_error(*cli(data_dir, capsys, *args), "no block")
    assert "KP" in line  # it says what would do
    assert acme.read_bytes() == before


def test_add_to_a_canvas_that_does_not_exist_creates_it(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "add", "new-idea", "VP", "Faster notes")
    assert code == 0
    assert out == "value_proposition 1: Faster notes\n"
    assert "created the canvas new-idea" in err
    canvas = load(store.path_for("new-idea")).canvas
    assert canvas.title == "New Idea"
    assert canvas.texts(3) == ("Faster notes",)


def test_add_creates_a_canvas_of_the_template_asked_for(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        data_dir, capsys, "add", "lean-idea", "PR", "Meetings waste time", "--template", "lean"
    )
    assert code == 0
    assert out == "problem 1: Meetings waste time\n"
    canvas = load(store.path_for("lean-idea")).canvas
    assert canvas.template == "lean"
    code, out, _ = cli(data_dir, capsys, "add", "lean-idea", "uv", "Minutes in 2 minutes")
    assert out == "unique_value_proposition 1: Minutes in 2 minutes\n"


def test_add_with_a_template_other_than_the_canvas_is_an_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = acme.read_bytes()
    one_line_error(
        *cli(data_dir, capsys, "add", "acme", "1", "x", "--template", "lean"), "tech-bmc"
    )
    one_line_error(*cli(data_dir, capsys, "add", "acme", "1", "x", "--template", "nope"), "nope")
    assert acme.read_bytes() == before


def test_add_at_a_place(data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli(data_dir, capsys, "add", "acme", "KP", "first", "--at", "1")[1]
        == "key_partners 1: first\n"
    )
    assert (
        cli(data_dir, capsys, "add", "acme", "KP", "last", "--at", "4")[1]
        == "key_partners 4: last\n"
    )
    assert texts(acme, 1) == ["first", "Cloud host", "Stripe", "last"]


@pytest.mark.parametrize("at", ["0", "4", "-2"])
def test_add_at_a_place_out_of_range_is_an_error(
    at: str, data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = acme.read_bytes()
    one_line_error(*cli(data_dir, capsys, "add", "acme", "KP", "x", "--at", at), "1 to 3")
    assert acme.read_bytes() == before


def test_add_with_status_tags_and_note(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        data_dir, capsys, "add", "acme", "VP", "Saves 3 hours", "--status", "Testing",
        "--tag", "pricing", "--tag", "B2B, #growth", "--note", "12 interviews.\nSee notes.",
    )  # fmt: skip
    assert code == 0
    assert out == "value_proposition 2: ~ Saves 3 hours #pricing #b2b #growth\n"
    item = load(acme).canvas.blocks[3][1]
    assert item == Item(
        "Saves 3 hours", "testing", ("pricing", "b2b", "growth"), "12 interviews.\nSee notes."
    )


def test_add_text_is_trimmed_and_must_be_one_nonempty_line(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = acme.read_bytes()
    one_line_error(*cli(data_dir, capsys, "add", "acme", "KP", "   "), "empty")
    one_line_error(*cli(data_dir, capsys, "add", "acme", "KP", "two\nlines"), "one line")
    one_line_error(
        *cli(data_dir, capsys, "add", "acme", "KP", "x", "--tag", "ok, bad_tag"), "'bad_tag'"
    )
    assert acme.read_bytes() == before
    cli(data_dir, capsys, "add", "acme", "KP", "  padded  ")
    assert texts(acme, 1)[-1] == "padded"


def test_a_bad_status_is_a_usage_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(data_dir, capsys, "add", "acme", "KP", "x", "--status", "done")
    assert code == 2
    assert "invalid choice" in err


def test_a_plain_item_is_written_as_a_plain_string(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_canvas(store, "plain", Canvas.from_lists("Plain", [["a"], *[[]] * 8]))
    cli(data_dir, capsys, "add", "plain", "KP", "b")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("schema = 1\n")
    assert '    "b",\n' in text


def test_add_keeps_the_comments_of_a_hand_edited_file(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.path_for("notes")
    text = dump(SHELL_ACME, store.templates.default.keys).replace(
        "[blocks]\n", "# our partners, reviewed monthly\n[blocks]\n"
    )
    path.write_text("# written by hand\n" + text, encoding="utf-8")
    assert cli(data_dir, capsys, "add", "notes", "CH", "Podcasts")[0] == 0
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# written by hand\n")
    assert "# our partners, reviewed monthly\n" in written
    assert texts(path, 6) == ["Podcasts"]


def test_add_to_a_canvas_given_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "loose.toml"
    code, out, _ = cli(tmp_path / "data", capsys, "add", str(path), "7", "Students")
    assert code == 0
    assert texts(path, 7) == ["Students"]
    code, out, _ = cli(tmp_path / "data", capsys, "add", str(path), "7", "Teachers", "--json")
    assert json.loads(out)["canvas"] is None
    assert json.loads(out)["path"] == str(path)


def test_text_is_shown_safely_and_stored_exactly(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attack = f"a{ESC}]0;pwned\x07b [bold]x[/] \u202eevil"
    code, out, _ = cli(data_dir, capsys, "add", "acme", "KP", attack)
    assert code == 0
    assert ESC not in out and "\x07" not in out and "\u202e" not in out
    assert "␛]0;pwned␇b [bold]x[/]" in out
    assert texts(acme, 1)[-1] == attack
    code, out, _ = cli(data_dir, capsys, "set", "acme", "KP", "3", "--note", attack, "--json")
    assert ESC not in out and "\u202e" not in out
    assert json.loads(out)["text"] == attack
    assert json.loads(out)["note"] == attack


# -- rm ------------------------------------------------------------------------------------


def test_rm_removes_the_item_by_its_1_based_number(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "rm", "acme", "KP", "1")
    assert (code, err) == (0, "")
    assert out == "removed key_partners 1: Cloud host\n"
    assert texts(acme, 1) == ["Stripe"]


@pytest.mark.parametrize(("block", "number", "says"), [
    ("KP", "0", "1 to 2"), ("KP", "3", "1 to 2"), ("KP", "-1", "1 to 2"), ("KA", "1", "empty"),
])  # fmt: skip
def test_an_item_number_out_of_range_is_an_error(
    block: str,
    number: str,
    says: str,
    data_dir: Path,
    acme: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = acme.read_bytes()
    for command in (
        ("rm", "acme", block, number),
        ("mv", "acme", block, number, "CS"),
        ("set", "acme", block, number, "--text", "x"),
    ):
        one_line_error(*cli(data_dir, capsys, *command), f"no item {number}", says)
    assert acme.read_bytes() == before


def test_an_item_number_that_is_not_a_number_is_a_usage_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(data_dir, capsys, "rm", "acme", "KP", "first")
    assert code == 2
    assert "invalid int value" in err


@pytest.mark.parametrize(
    "command",
    [
        ("rm", "nope", "KP", "1"),
        ("mv", "nope", "KP", "1", "CS"),
        ("set", "nope", "KP", "1", "--text", "x"),
        ("retitle", "nope", "New"),
    ],
    ids=["rm", "mv", "set", "retitle"],
)
def test_an_unknown_canvas_is_an_error_and_nothing_is_created(
    command: tuple[str, ...], data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    one_line_error(*cli(data_dir, capsys, *command), "no canvas 'nope'")
    assert not store.path_for("nope").exists()


def test_an_invalid_name_is_an_error(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one_line_error(
        *cli(data_dir, capsys, "add", "Not A Name", "KP", "x"), "not a valid canvas name"
    )


def test_an_unreadable_canvas_is_never_written(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.path_for("broken")
    path.write_text("title = 'broken\n", encoding="utf-8")
    one_line_error(
        *cli(data_dir, capsys, "add", "broken", "KP", "x"), "broken.toml: invalid TOML", "line 2"
    )
    assert path.read_text(encoding="utf-8") == "title = 'broken\n"


def test_a_canvas_of_a_newer_version_is_never_written(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.path_for("future")
    path.write_text('schema = 99\ntitle = "Future"\n[blocks]\nkey_partners = ["a"]\n', "utf-8")
    before = path.read_bytes()
    one_line_error(*cli(data_dir, capsys, "add", "future", "KP", "x"), "newer")
    one_line_error(*cli(data_dir, capsys, "rm", "future", "KP", "1"), "newer")
    assert path.read_bytes() == before


# -- mv ------------------------------------------------------------------------------------


def test_mv_to_the_end_of_another_block_carries_everything(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(data_dir, capsys, "mv", "acme", "CS", "1", "VP")
    assert code == 0
    assert out == "value_proposition 2: ✓ Managers #b2b\n"
    blocks = blocks_of(acme)
    assert blocks[3] == (
        Item("Saves time"),
        Item("Managers", "validated", ("b2b",), "12 interviews"),
    )
    assert blocks[6] == ()


def test_mv_to_a_place(data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(data_dir, capsys, "mv", "acme", "KP", "2", "VP", "--at", "1")
    assert (code, out) == (0, "value_proposition 1: Stripe\n")
    assert texts(acme, 4) == ["Stripe", "Saves time"]
    assert texts(acme, 1) == ["Cloud host"]


def test_mv_inside_a_block_reorders_it(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(data_dir, capsys, "mv", "acme", "KP", "1", "KP")[1] == "key_partners 2: Cloud host\n"
    assert texts(acme, 1) == ["Stripe", "Cloud host"]
    assert (
        cli(data_dir, capsys, "mv", "acme", "1", "2", "1", "--at", "1")[1]
        == "key_partners 1: Cloud host\n"
    )
    assert texts(acme, 1) == ["Cloud host", "Stripe"]


def test_mv_to_a_place_out_of_range_is_an_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = acme.read_bytes()
    one_line_error(*cli(data_dir, capsys, "mv", "acme", "KP", "1", "VP", "--at", "3"), "1 to 2")
    one_line_error(*cli(data_dir, capsys, "mv", "acme", "KP", "1", "KP", "--at", "3"), "1 to 2")
    one_line_error(*cli(data_dir, capsys, "mv", "acme", "KP", "1", "VP", "--at", "0"), "1 to 2")
    assert acme.read_bytes() == before


# -- set -----------------------------------------------------------------------------------


def test_set_text_keeps_status_tags_and_note(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(data_dir, capsys, "set", "acme", "CS", "1", "--text", "Team leads")
    assert (code, out) == (0, "customer_segments 1: ✓ Team leads #b2b\n")
    assert blocks_of(acme)[6][0] == Item("Team leads", "validated", ("b2b",), "12 interviews")


def test_set_status_tags_and_note(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(
        data_dir,
        capsys,
        "set",
        "acme",
        "KP",
        "2",
        "--status",
        "assumption",
        "--tag",
        "pay",
        "--note",
        "why?",
    )
    assert blocks_of(acme)[0][1] == Item("Stripe", "assumption", ("pay",), "why?")
    cli(data_dir, capsys, "set", "acme", "KP", "2", "--tag", "money", "--tag", "fees")
    assert blocks_of(acme)[0][1].tags == ("money", "fees")  # replaced, not added
    cli(data_dir, capsys, "set", "acme", "KP", "2", "--no-tags", "--status", "invalidated")
    assert blocks_of(acme)[0][1] == Item("Stripe", "invalidated", (), "why?")


def test_set_can_leave_an_item_plain_and_it_is_written_as_a_string(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(
        data_dir, capsys, "set", "acme", "CS", "1", "--status", "none", "--no-tags", "--note", ""
    )
    assert (code, out) == (0, "customer_segments 1: Managers\n")
    text = acme.read_text(encoding="utf-8")
    assert '    "Managers",\n' in text
    assert text.startswith("schema = 1\n")  # no item carries more than text any more


def test_set_with_nothing_to_change_is_a_usage_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(data_dir, capsys, "set", "acme", "KP", "1")
    assert code == 2
    assert "nothing to change" in err
    code, _, err = cli(data_dir, capsys, "set", "acme", "KP", "1", "--tag", "a", "--no-tags")
    assert code == 2


def test_set_to_an_empty_text_is_an_error(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_line_error(*cli(data_dir, capsys, "set", "acme", "KP", "1", "--text", " "), "rm")


# -- retitle -------------------------------------------------------------------------------


def test_retitle_changes_the_title_and_keeps_the_name(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(data_dir, capsys, "retitle", "acme", "Acme  Robotics ")
    assert (code, out) == (0, "Acme Robotics\n")
    assert load(acme).canvas.title == "Acme Robotics"
    assert load(acme).canvas.blocks == SHELL_ACME.blocks
    one_line_error(*cli(data_dir, capsys, "retitle", "acme", "  "), "empty")


# -- --json --------------------------------------------------------------------------------


def test_json_output_of_every_item_command(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(data_dir, capsys, "add", "acme", "KP", "Bank", "--tag", "pay", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "canvas": "acme",
        "path": str(acme),
        "created": False,
        "block": "key_partners",
        "block_number": 1,
        "item": 3,
        "text": "Bank",
        "status": None,
        "tags": ["pay"],
        "note": "",
    }
    moved = json.loads(cli(data_dir, capsys, "mv", "acme", "KP", "3", "CH", "--json")[1])
    assert moved["moved_from"] == {"block": "key_partners", "block_number": 1, "item": 3}
    assert (moved["block"], moved["block_number"], moved["item"]) == ("channels", 6, 1)
    changed = json.loads(
        cli(data_dir, capsys, "set", "acme", "CH", "1", "--status", "testing", "--json")[1]
    )
    assert (changed["text"], changed["status"], changed["tags"]) == ("Bank", "testing", ["pay"])
    removed = json.loads(cli(data_dir, capsys, "rm", "acme", "CH", "1", "--json")[1])
    assert (removed["block"], removed["item"], removed["text"]) == ("channels", 1, "Bank")
    titled = json.loads(cli(data_dir, capsys, "retitle", "acme", "Acme 2", "--json")[1])
    assert titled == {
        "canvas": "acme",
        "path": str(acme),
        "title": "Acme 2",
        "previous_title": "Acme",
    }
    created = json.loads(cli(data_dir, capsys, "add", "fresh", "1", "x", "--json")[1])
    assert created["created"] is True


def test_errors_with_json_are_still_one_line_on_stderr(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_line_error(*cli(data_dir, capsys, "rm", "acme", "KP", "9", "--json"), "no item 9")


# -- a file that changes underneath --------------------------------------------------------


def _other_writer_before_first_save(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[Path], None], times: int = 1
) -> list[int]:
    """Make `change` happen to the file just before each of the first `times` saves (another
    program saving at that very moment); returns the list of save calls seen."""
    real_save = store_files.save
    calls: list[int] = []

    def save(base: Loaded, canvas: Canvas) -> Loaded:
        calls.append(1)
        if len(calls) <= times:
            change(base.path)
        return real_save(base, canvas)

    monkeypatch.setattr(store_files, "save", save)
    monkeypatch.setattr("canvas_tui.store.save", save)
    return calls


def _theirs(*partners: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        canvas = Canvas.from_lists(SHELL_ACME.title, [list(partners), *SHELL_ACME.blocks[1:]])
        path.write_text(dump(canvas, tuple(load(path).template.keys)), encoding="utf-8")
        later = time.time() + 5
        os.utime(path, (later, later))

    return write


def test_a_write_that_meets_a_changed_file_reads_it_again_and_keeps_both(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _other_writer_before_first_save(monkeypatch, _theirs("Cloud host", "Stripe", "Theirs"))
    code, out, err = cli(data_dir, capsys, "add", "acme", "KP", "Mine")
    assert (code, err) == (0, "")
    assert len(calls) == 2  # refused once, then written over the new version
    assert out == "key_partners 4: Mine\n"
    assert texts(acme, 1) == ["Cloud host", "Stripe", "Theirs", "Mine"]


def test_a_changed_file_where_the_item_is_no_longer_the_same_is_left_alone(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _other_writer_before_first_save(monkeypatch, _theirs("Stripe"))  # item 1 is now Stripe
    line = one_line_error(*cli(data_dir, capsys, "rm", "acme", "KP", "1"), "changed on disk")
    assert "nothing written" in line
    assert texts(acme, 1) == ["Stripe"]


def test_a_changed_file_where_the_item_is_the_same_gets_the_change(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _other_writer_before_first_save(monkeypatch, _theirs("Cloud host", "Stripe", "Theirs"))
    assert cli(data_dir, capsys, "set", "acme", "KP", "2", "--status", "testing")[0] == 0
    assert [(i.text, i.status) for i in blocks_of(acme)[0]] == [
        ("Cloud host", None), ("Stripe", "testing"), ("Theirs", None),
    ]  # fmt: skip


def test_a_file_that_keeps_changing_is_never_overwritten(
    data_dir: Path, acme: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    versions = iter(["One", "Two"])
    _other_writer_before_first_save(
        monkeypatch, lambda path: _theirs(next(versions))(path), times=2
    )
    one_line_error(
        *cli(data_dir, capsys, "add", "acme", "KP", "Mine"), "kept changing", "nothing written"
    )
    assert texts(acme, 1) == ["Two"]
