"""Every action a key can run, as one table: the editor's and the browser's bindings, the key
bar, the help screen, the command palette and `canvas-tui keys` are all made from it, so they
never disagree. The user's `[keys]` (config.toml) rebind actions by their ids.

Pure: no Textual here (plain commands print the table without starting the UI). Key names are
Textual's ("a", "A", "ctrl+s", "question_mark", "shift+up"); `normalize_key` also accepts the
characters themselves ("?", "#", "+").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a user can do: its id, default keys and what it runs."""

    id: str  # shown in help and the palette; the name in config.toml's [keys]
    keys: tuple[str, ...]  # Textual key names, the first one shown in the key bar
    method: str  # the screen's action it runs: "add", "step(1)"
    description: str
    group: str = ""  # the help screen's section
    edits: bool = False  # changes the canvas: off in read-only mode
    bar: str = ""  # its label in the key bar (empty: not in the key bar)
    palette: bool = True  # offered in the command palette

    @property
    def name(self) -> str:
        """The screen method it runs, without arguments."""
        return self.method.split("(", 1)[0]


MOVE, ITEMS, EVIDENCE, FIND, CANVAS = "Move", "Items", "Evidence", "Find and view", "Canvas"

EDITOR_ACTIONS: tuple[Action, ...] = (
    Action("focus_left", ("left", "h"), "neighbour('left')", "Focus the block to the left", MOVE),
    Action("focus_right", ("right", "l"), "neighbour('right')", "Focus the block to the right", MOVE),
    Action("cursor_up", ("up", "k"), "step(-1)", "Previous item (into the block above)", MOVE, palette=False),
    Action("cursor_down", ("down", "j"), "step(1)", "Next item (into the block below)", MOVE, palette=False),
    Action("next_block", ("tab",), "next_block(1)", "Next block, in the order 1 → 9", MOVE),
    Action("previous_block", ("shift+tab",), "next_block(-1)", "Previous block", MOVE),
    *(
        Action(f"jump_{n}", (str(n),), f"jump({n - 1})", f"Jump to block {n}", MOVE, palette=False)
        for n in range(1, 10)
    ),
    Action("first_item", ("g", "home"), "first", "First item of the block", MOVE),
    Action("last_item", ("G", "end"), "last", "Last item of the block", MOVE),
    Action("add", ("a",), "add", "Add an item at the end of the block", ITEMS, edits=True, bar="Add"),
    Action("insert_below", ("o",), "insert(True)", "Insert an item below the cursor", ITEMS, edits=True),
    Action("insert_above", ("O",), "insert(False)", "Insert an item above the cursor", ITEMS, edits=True),
    Action("edit", ("enter", "e"), "edit", "Edit the item (on an empty block: add)", ITEMS, edits=True, bar="Edit"),
    Action("delete", ("d", "delete"), "delete", "Delete the item (p pastes it back)", ITEMS, edits=True, bar="Delete"),
    Action("move_down", ("J", "shift+down"), "move(1)", "Move the item down", ITEMS, edits=True),
    Action("move_up", ("K", "shift+up"), "move(-1)", "Move the item up", ITEMS, edits=True),
    Action("move_left", ("H", "shift+left"), "move_beside('left')", "Move the item to the block on the left", ITEMS, edits=True),
    Action("move_right", ("L", "shift+right"), "move_beside('right')", "Move the item to the block on the right", ITEMS, edits=True),
    Action("move_to_block", ("m",), "move_mode", "Move the item to block N (then 1 … 9)", ITEMS, edits=True),
    Action("copy", ("y",), "copy", "Copy the item", ITEMS),
    Action("paste", ("p",), "paste", "Paste below the cursor", ITEMS, edits=True),
    Action("undo", ("u",), "undo", "Undo (every change, 500 steps)", ITEMS, edits=True, bar="Undo"),
    Action("redo", ("U", "ctrl+r"), "redo", "Redo", ITEMS, edits=True),
    Action("status", ("s",), "status(1)", "Next status: ? assumption → ~ testing → ✓ validated → ✗ invalidated → none", EVIDENCE, edits=True, bar="Status"),
    Action("status_back", ("S",), "status(-1)", "Previous status", EVIDENCE, edits=True),
    Action("tags", ("number_sign",), "tags", "Edit the item's tags (pricing, b2b)", EVIDENCE, edits=True),
    Action("note", ("i",), "note", "Open the item's note (ctrl+e: $EDITOR)", EVIDENCE, edits=True),
    Action("search", ("slash",), "search", "Search: words, #tag, is:status; enter jumps", FIND, bar="Search"),
    Action("search_next", ("n",), "search_next(1)", "Next match", FIND),
    Action("search_previous", ("N",), "search_next(-1)", "Previous match", FIND),
    Action("filter", ("F",), "filter", "Filter: show only the matches (F again: all)", FIND),
    Action("zoom", ("z",), "zoom", "Zoom: the block fills the screen (z again returns)", FIND),
    Action("history", ("v",), "history", "Versions: git commits and snapshots; diff, restore", CANVAS),
    Action("edit_title", ("t",), "edit_title", "Edit the canvas title", CANVAS, edits=True),
    Action("save", ("ctrl+s",), "save", "Save now (autosave is always on)", CANVAS),
    Action("help", ("question_mark", "f1"), "help", "Help: every key, and the block's guidance", CANVAS, bar="Help"),
    Action("back", ("escape",), "back", "Clear the search; else leave zoom; else the canvas browser", CANVAS, palette=False),
    Action("quit", ("q", "ctrl+q"), "app.quit", "Quit (everything is saved first)", CANVAS, bar="Quit"),
)  # fmt: skip

BROWSER_ACTIONS: tuple[Action, ...] = (
    Action("cursor_up", ("up", "k"), "cursor(-1)", "Previous canvas", MOVE, palette=False),
    Action("cursor_down", ("down", "j"), "cursor(1)", "Next canvas", MOVE, palette=False),
    Action("first_item", ("g", "home"), "cursor_to(0)", "First canvas", MOVE, palette=False),
    Action("last_item", ("G", "end"), "cursor_to(-1)", "Last canvas", MOVE, palette=False),
    Action("open", ("enter",), "open", "Open the canvas", CANVAS, bar="Open"),
    Action("view", ("v",), "open(True)", "Open it read-only", CANVAS, bar="View"),
    Action("new", ("n",), "new", "New canvas (asks for a title, and a template)", CANVAS, bar="New", edits=True),
    Action("rename", ("r",), "rename", "Rename: a new title, and the file name with it", CANVAS, bar="Rename", edits=True),
    Action("duplicate", ("c",), "duplicate", "Duplicate", CANVAS, bar="Copy", edits=True),
    Action("delete", ("d", "delete"), "delete", "Move to the trash", CANVAS, bar="Delete", edits=True),
    Action("undo", ("u",), "undelete", "Bring back the last canvas deleted", CANVAS, edits=True),
    Action("search", ("slash",), "filter", "Filter as you type; ↑↓ move, enter opens", FIND, bar="Filter"),
    Action("back", ("escape",), "clear_filter", "Clear the filter", FIND, palette=False),
    Action("help", ("question_mark", "f1"), "help", "Help", CANVAS, bar="Help"),
    Action("quit", ("q", "ctrl+q"), "app.quit", "Quit", CANVAS, bar="Quit"),
)  # fmt: skip

ACTION_IDS = frozenset(action.id for action in (*EDITOR_ACTIONS, *BROWSER_ACTIONS))

# -- key names -----------------------------------------------------------------------------

# Textual's names for the printable ASCII characters that are not letters or digits.
CHARACTER_NAMES = {
    " ": "space",
    "!": "exclamation_mark",
    '"': "quotation_mark",
    "#": "number_sign",
    "$": "dollar_sign",
    "%": "percent_sign",
    "&": "ampersand",
    "'": "apostrophe",
    "(": "left_parenthesis",
    ")": "right_parenthesis",
    "*": "asterisk",
    "+": "plus",
    ",": "comma",
    "-": "minus",
    ".": "full_stop",
    "/": "slash",
    ":": "colon",
    ";": "semicolon",
    "<": "less_than_sign",
    "=": "equals_sign",
    ">": "greater_than_sign",
    "?": "question_mark",
    "@": "at",  # Textual shortens COMMERCIAL AT
    "[": "left_square_bracket",
    "\\": "backslash",
    "]": "right_square_bracket",
    "^": "circumflex_accent",
    "_": "underscore",
    "`": "grave_accent",
    "{": "left_curly_bracket",
    "|": "vertical_line",
    "}": "right_curly_bracket",
    "~": "tilde",
}
_CHARACTERS = {name: char for char, name in CHARACTER_NAMES.items()}
_NAMED = frozenset(
    {
        "enter", "escape", "tab", "backspace", "delete", "insert", "home", "end",
        "pageup", "pagedown", "up", "down", "left", "right", "space",
        *(f"f{n}" for n in range(1, 25)),
        *CHARACTER_NAMES.values(),
    }
)  # fmt: skip
_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_LABELS = {
    "enter": "⏎",
    "escape": "esc",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "space": "space",
}


def normalize_key(key: str) -> str | None:
    """A key as Textual names it ("?" → "question_mark", "Ctrl+S" → "ctrl+s"), or None if it
    is not a key name."""
    key = key.strip()
    if not key:
        return None
    if len(key) == 1:
        if not key.isprintable():
            return None
        return CHARACTER_NAMES.get(key, key)
    *modifiers, base = re.split(r"\+(?=.)", key)
    modifiers = [modifier.lower() for modifier in modifiers]
    if any(modifier not in _MODIFIERS for modifier in modifiers):
        return None
    if len(base) == 1:
        if modifiers == ["shift"] and base.isalpha():
            return base.upper()  # Textual calls shift+a "A"
        base = CHARACTER_NAMES.get(base, base if not modifiers else base.lower())
    else:
        base = base.lower()
        if base not in _NAMED:
            return None
    return "+".join([*dict.fromkeys(modifiers), base])


def key_label(key: str) -> str:
    """How a key is shown to people: "question_mark" → "?", "enter" → "⏎"."""
    if key in _LABELS:
        return _LABELS[key]
    *modifiers, base = key.split("+")
    base = _CHARACTERS.get(base, _LABELS.get(base, base))
    return "+".join([*modifiers, base])


def keys_label(keys: Iterable[str]) -> str:
    return " / ".join(key_label(key) for key in keys)


# -- the effective table -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Keymap:
    """A table of actions with the keys in effect (defaults, changed by the user's config)."""

    actions: tuple[Action, ...]
    problems: tuple[str, ...] = ()

    def get(self, action_id: str) -> Action | None:
        return next((action for action in self.actions if action.id == action_id), None)

    def changed(self, defaults: tuple[Action, ...]) -> dict[str, str]:
        """The actions whose keys differ from `defaults`: id → "key,key"."""
        default_keys = {action.id: action.keys for action in defaults}
        return {
            action.id: ",".join(action.keys)
            for action in self.actions
            if default_keys.get(action.id) != action.keys
        }


def keymap(
    defaults: tuple[Action, ...],
    overrides: Mapping[str, str],
    *,
    known: frozenset[str] = ACTION_IDS,
    context: str = "",
) -> Keymap:
    """`defaults` with the user's `overrides` (action id → "key,key") applied.

    Each problem (an unknown action, a bad key name, two actions on one key) is one line in
    `Keymap.problems`, and the actions it concerns keep their default keys.
    """
    problems: list[str] = []
    ids = {action.id for action in defaults}
    wanted: dict[str, tuple[str, ...]] = {}
    for action_id, text in overrides.items():
        if action_id not in known:
            problems.append(f"keys: unknown action {action_id!r} (see 'canvas-tui keys')")
            continue
        if action_id not in ids:
            continue  # an action of the other screen
        keys: list[str] = []
        bad = []
        for raw in text.split(","):
            if not raw.strip():  # "a," or "": nothing there (an empty value: no keys given)
                continue
            name = normalize_key(raw)
            if name is None:
                bad.append(raw.strip())
            elif name not in keys:
                keys.append(name)
        if bad or not keys:
            problems.append(
                f"keys.{action_id}: {bad[0]!r} is not a key name" if bad
                else f"keys.{action_id}: no keys given"
            )  # fmt: skip
            continue
        wanted[action_id] = tuple(keys)
    while True:
        actions = [replace(a, keys=wanted.get(a.id, a.keys)) for a in defaults]
        clash = _first_clash(actions, wanted)
        if clash is None:
            break
        key, mine, other = clash
        where = f" in the {context}" if context else ""
        problems.append(
            f"keys.{mine}: {key_label(key)!r} is already the key of {other}{where};"
            f" {mine} keeps its default keys"
        )
        del wanted[mine]
    return Keymap(tuple(actions), tuple(problems))


def _first_clash(
    actions: list[Action], wanted: Mapping[str, object]
) -> tuple[str, str, str] | None:
    """A key bound to two actions: (key, the user's action to give up, the other action)."""
    owner: dict[str, Action] = {}
    for action in actions:
        for key in action.keys:
            other = owner.setdefault(key, action)
            if other is action:
                continue
            mine, theirs = (action, other) if action.id in wanted else (other, action)
            return key, mine.id, theirs.id
    return None


def configured(overrides: Mapping[str, str]) -> tuple[Keymap, Keymap]:
    """The editor's and the browser's keymaps under the user's `[keys]`.

    An action id both screens have gets the same keys in both: an override that cannot be
    used in one (a clash there) is given up in both. An unknown action is reported once.
    """
    wanted = dict(overrides)
    while True:
        editor = keymap(EDITOR_ACTIONS, wanted, context="editor")
        browser = keymap(BROWSER_ACTIONS, wanted, context="browser")
        given_up = {
            action_id
            for action_id in wanted
            for problem in (*editor.problems, *browser.problems)
            if problem.startswith(f"keys.{action_id}:")
        }
        if not given_up:
            break
        problems = [p for p in (*editor.problems, *browser.problems) if "unknown action" not in p]
        for action_id in given_up:
            del wanted[action_id]
    unknown = [p for p in editor.problems if "unknown action" in p]
    earlier = problems if len(wanted) != len(overrides) else []
    kept = tuple(dict.fromkeys([*unknown, *earlier]))
    return Keymap(editor.actions, kept), Keymap(browser.actions, ())
