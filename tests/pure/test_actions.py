"""The action table: one table of actions and their keys for the editor and the browser, key
names as Textual spells them, and the user's `[keys]` applied on top."""

from __future__ import annotations

import string
from collections import Counter

import pytest

from canvas_tui.actions import (
    ACTION_IDS,
    BROWSER_ACTIONS,
    EDITOR_ACTIONS,
    Action,
    Keymap,
    configured,
    key_label,
    keymap,
    keys_label,
    normalize_key,
)

TABLES = {"editor": EDITOR_ACTIONS, "browser": BROWSER_ACTIONS}


def owner(keymap: Keymap, key: str) -> Action | None:
    """The action `key` runs in `keymap`, if any."""
    return next((action for action in keymap.actions if key in action.keys), None)


def keys_of(actions: tuple[Action, ...], action_id: str) -> tuple[str, ...]:
    (found,) = [action for action in actions if action.id == action_id]
    return found.keys


# -- the default tables --------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_no_key_is_bound_to_two_actions(table: tuple[Action, ...]) -> None:
    counts = Counter(key for action in table for key in action.keys)
    assert [key for key, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_ids_are_unique_and_every_action_has_keys_and_a_description(
    table: tuple[Action, ...],
) -> None:
    ids = [action.id for action in table]
    assert len(ids) == len(set(ids))
    for action in table:
        assert action.keys, action.id
        assert action.description, action.id
        assert all(normalize_key(key) == key for key in action.keys), action


def test_the_editor_table_has_the_documented_keys() -> None:
    expected = {
        "add": ("a",),
        "insert_below": ("o",),
        "insert_above": ("O",),
        "edit": ("enter", "e"),
        "delete": ("d", "delete"),
        "move_down": ("J", "shift+down"),
        "move_up": ("K", "shift+up"),
        "undo": ("u",),
        "redo": ("U", "ctrl+r"),
        "status": ("s",),
        "status_back": ("S",),
        "tags": ("number_sign",),
        "note": ("i",),
        "filter": ("F",),
        "search": ("slash",),
        "help": ("question_mark", "f1"),
        "quit": ("q", "ctrl+q"),
    }
    for action_id, keys in expected.items():
        assert keys_of(EDITOR_ACTIONS, action_id) == keys, action_id
    jumps = [keys_of(EDITOR_ACTIONS, f"jump_{n}") for n in range(1, 10)]
    assert jumps == [(str(n),) for n in range(1, 10)]


def test_editing_actions_are_marked_so_read_only_mode_can_turn_them_off() -> None:
    edits = {action.id for action in EDITOR_ACTIONS if action.edits}
    assert {"add", "edit", "delete", "paste", "status", "tags", "note", "edit_title"} <= edits
    assert not edits & {"search", "zoom", "help", "quit", "copy", "save", "focus_left"}


def test_action_ids_cover_both_tables() -> None:
    assert {action.id for action in EDITOR_ACTIONS} | {
        action.id for action in BROWSER_ACTIONS
    } == ACTION_IDS


# -- key names -----------------------------------------------------------------------------

PRINTABLE = [char for char in string.printable if char not in "\t\n\r\x0b\x0c"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("a", "a"),
        ("A", "A"),
        (" a ", "a"),
        ("?", "question_mark"),
        ("#", "number_sign"),
        ("+", "plus"),
        ("@", "at"),
        ("question_mark", "question_mark"),
        ("Enter", "enter"),
        ("ESCAPE", "escape"),
        ("F1", "f1"),
        ("f24", "f24"),
        ("PageDown", "pagedown"),
        ("Ctrl+S", "ctrl+s"),
        ("ctrl+shift+up", "ctrl+shift+up"),
        ("shift+a", "A"),
        ("Shift+z", "Z"),
        ("ctrl+A", "ctrl+a"),
        ("ctrl++", "ctrl+plus"),
        ("alt+?", "alt+question_mark"),
        ("shift+tab", "shift+tab"),
    ],
)
def test_normalize_key(typed: str, name: str) -> None:
    assert normalize_key(typed) == name


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "banana", "ctrl+banana", "hyper+", "cmd+s", "return", "\x1b", "\t", "f25"],
)
def test_normalize_key_refuses_what_is_not_a_key(typed: str) -> None:
    assert normalize_key(typed) is None


def test_key_labels() -> None:
    assert key_label("question_mark") == "?"
    assert key_label("enter") == "⏎"
    assert key_label("escape") == "esc"
    assert key_label("up") == "↑"
    assert key_label("ctrl+s") == "ctrl+s"
    assert key_label("shift+number_sign") == "shift+#"
    assert keys_label(("question_mark", "f1")) == "? / f1"


# -- the user's [keys] ---------------------------------------------------------------------


def test_no_overrides_is_the_default_table() -> None:
    editor = keymap(EDITOR_ACTIONS, {})
    assert editor.actions == EDITOR_ACTIONS
    assert editor.problems == ()
    assert editor.changed(EDITOR_ACTIONS) == {}
    assert owner(editor, "a") == editor.get("add")
    assert owner(editor, "number_sign") == editor.get("tags")
    assert owner(editor, "x") is None


def test_a_rebound_key_replaces_the_actions_keys() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "a, +", "delete": "x,delete"})
    assert editor.problems == ()
    assert keys_of(editor.actions, "add") == ("a", "plus")
    assert keys_of(editor.actions, "delete") == ("x", "delete")
    assert owner(editor, "plus") == editor.get("add")
    assert owner(editor, "d") is None  # no longer delete's
    assert editor.changed(EDITOR_ACTIONS) == {"add": "a,plus", "delete": "x,delete"}
    assert [a.id for a in editor.actions] == [a.id for a in EDITOR_ACTIONS]  # order kept


def test_two_actions_can_swap_their_keys() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "d", "delete": "a"})
    assert editor.problems == ()
    assert owner(editor, "d") == editor.get("add")
    assert owner(editor, "a") == editor.get("delete")


def test_shift_letter_is_the_uppercase_letter() -> None:
    editor = keymap(EDITOR_ACTIONS, {"note": "shift+x"})
    assert editor.problems == ()
    assert keys_of(editor.actions, "note") == ("X",)


def test_an_unknown_action_is_one_line_and_changes_nothing() -> None:
    editor = keymap(EDITOR_ACTIONS, {"launch_rockets": "r"})
    assert editor.actions == EDITOR_ACTIONS
    (problem,) = editor.problems
    assert "unknown action 'launch_rockets'" in problem
    assert "\n" not in problem


def test_a_bad_key_name_keeps_the_actions_defaults() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "a,banana", "undo": "ctrl+z"})
    (problem,) = editor.problems
    assert problem == "keys.add: 'banana' is not a key name"
    assert keys_of(editor.actions, "add") == ("a",)
    assert keys_of(editor.actions, "undo") == ("ctrl+z",)  # the good override still applies


def test_no_keys_at_all_is_a_problem() -> None:
    for empty in ("", " , "):
        editor = keymap(EDITOR_ACTIONS, {"add": empty})
        assert editor.problems == ("keys.add: no keys given",)
        assert keys_of(editor.actions, "add") == ("a",)


def test_empty_pieces_between_commas_are_skipped() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "a,,plus,"})
    assert editor.problems == ()
    assert keys_of(editor.actions, "add") == ("a", "plus")


def test_a_clash_keeps_the_defaults_of_the_offending_action() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "d"}, context="editor")
    (problem,) = editor.problems
    assert problem == (
        "keys.add: 'd' is already the key of delete in the editor; add keeps its default keys"
    )
    assert keys_of(editor.actions, "add") == ("a",)
    assert keys_of(editor.actions, "delete") == ("d", "delete")
    assert owner(editor, "d") == editor.get("delete")


def test_two_rebound_actions_on_one_key_keep_the_first() -> None:
    editor = keymap(EDITOR_ACTIONS, {"add": "x", "note": "x"})
    (problem,) = editor.problems
    assert problem.startswith("keys.note: 'x' is already the key of add")
    assert owner(editor, "x") == editor.get("add")
    assert keys_of(editor.actions, "note") == ("i",)


def test_several_problems_are_one_line_each() -> None:
    editor = keymap(EDITOR_ACTIONS, {"nope": "n", "add": "??x", "zoom": "s"})
    assert len(editor.problems) == 3
    assert all("\n" not in problem for problem in editor.problems)
    counts = Counter(key for action in editor.actions for key in action.keys)
    assert max(counts.values()) == 1  # whatever was asked, no key does two things


def test_configured_gives_both_keymaps_and_reports_an_unknown_action_once() -> None:
    editor, browser = configured({"add": "+", "open": "enter,o", "nope": "x"})
    assert keys_of(editor.actions, "add") == ("plus",)
    assert keys_of(browser.actions, "open") == ("enter", "o")
    assert keys_of(editor.actions, "edit") == ("enter", "e")  # another screen's key is fine
    problems = [*editor.problems, *browser.problems]
    assert len([p for p in problems if "unknown action 'nope'" in p]) == 1
    editor, browser = configured({})
    assert editor.actions == EDITOR_ACTIONS
    assert browser.actions == BROWSER_ACTIONS


def test_an_action_of_both_screens_is_rebound_on_both() -> None:
    editor, browser = configured({"quit": "ctrl+q,Q"})
    assert keys_of(editor.actions, "quit") == ("ctrl+q", "Q")
    assert keys_of(browser.actions, "quit") == ("ctrl+q", "Q")
