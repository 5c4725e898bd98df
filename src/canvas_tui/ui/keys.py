"""The editor's keys as one table: bindings, the footer, the help screen and the command
palette are all made from it, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class Key:
    keys: str  # Textual key names, comma-separated
    action: str
    description: str  # short, for the footer and the palette
    help_keys: str  # how the help screen writes the keys
    edits: bool = False  # changes the canvas: disabled in read-only mode
    footer: bool = False
    palette: bool = True
    short: str = ""  # the footer's label, where the description is too long for it


EDITOR_KEYS: tuple[Key, ...] = (
    Key("left,h", "neighbour('left')", "Block to the left", "← → / h l"),
    Key("right,l", "neighbour('right')", "Block to the right", "", palette=False),
    Key("up,k", "step(-1)", "Previous item", "↑ ↓ / k j", palette=False),
    Key("down,j", "step(1)", "Next item", "", palette=False),
    Key("tab", "next_block(1)", "Next block (1→9)", "tab / shift+tab"),
    Key("shift+tab", "next_block(-1)", "Previous block", ""),
    *(
        Key(str(n), f"jump({n - 1})", f"Jump to block {n}", "1 … 9" if n == 1 else "",
            palette=False)
        for n in range(1, 10)
    ),
    Key("g,home", "first", "First item of the block", "g / G, home / end"),
    Key("G,end", "last", "Last item of the block", ""),
    Key("a", "add", "Add item", "a", edits=True, footer=True, short="Add"),
    Key("o", "insert(True)", "Insert item below", "o / O", edits=True),
    Key("O", "insert(False)", "Insert item above", "", edits=True),
    Key("enter,e", "edit", "Edit item", "enter / e", edits=True, footer=True, short="Edit"),
    Key("d,delete", "delete", "Delete item", "d / delete", edits=True, footer=True,
        short="Delete"),
    Key("J,shift+down", "move(1)", "Move item down", "J / K, shift+↓ / shift+↑", edits=True),
    Key("K,shift+up", "move(-1)", "Move item up", "", edits=True),
    Key("H,shift+left", "move_beside('left')", "Move item to the block on the left",
        "H / L, shift+← / shift+→", edits=True),
    Key("L,shift+right", "move_beside('right')", "Move item to the block on the right", "",
        edits=True),
    Key("m", "move_mode", "Move item to block…", "m then 1 … 9", edits=True,
        short="Move to…"),
    Key("y", "copy", "Copy item", "y / p"),
    Key("p", "paste", "Paste below", "", edits=True),
    Key("u", "undo", "Undo", "u / U (also ctrl+r)", edits=True, footer=True),
    Key("U,ctrl+r", "redo", "Redo", "", edits=True),
    Key("slash", "search", "Search", "/ then n / N", footer=True),
    Key("n", "search_next(1)", "Next match", ""),
    Key("N", "search_next(-1)", "Previous match", ""),
    Key("z", "zoom", "Zoom block", "z"),
    Key("t", "edit_title", "Edit title", "t", edits=True),
    Key("question_mark,f1", "help", "Help", "? / f1", footer=True),
    Key("ctrl+s", "save", "Save now", "ctrl+s"),
    Key("escape", "back", "Clear search / back", "escape", palette=False),
    Key("q,ctrl+q", "app.quit", "Quit", "q / ctrl+q", footer=True),
)  # fmt: skip

EDITING_ACTIONS = frozenset(key.action.split("(")[0] for key in EDITOR_KEYS if key.edits)


def bindings(table: tuple[Key, ...]) -> list[BindingType]:
    return [
        Binding(
            key.keys,
            key.action,
            key.short or key.description,
            show=key.footer,
            tooltip=key.description,
        )
        for key in table
    ]


HELP_ROWS: tuple[tuple[str, str], ...] = (
    ("← → / h l", "focus the neighbouring block on the canvas"),
    ("↑ ↓ / k j", "previous / next item; past the ends, into the block above / below"),
    ("tab / shift+tab", "next / previous block, in the order 1 → 9"),
    ("1 … 9", "jump to block N"),
    ("g / G, home / end", "first / last item of the block"),
    ("a", "add an item at the end of the block"),
    ("o / O", "insert an item below / above the cursor"),
    ("enter / e", "edit the item (on an empty block: add)"),
    ("d / delete", "delete the item (undo with u; p pastes it back)"),
    ("J / K, shift+↓ / shift+↑", "move the item down / up inside its block"),
    ("H / L, shift+← / shift+→", "move the item to the block on the left / right"),
    ("m then 1 … 9", "move the item to block N"),
    ("y / p", "copy the item / paste it below the cursor"),
    ("u / U, ctrl+r", "undo / redo (every change, 500 steps)"),
    ("/ then n / N", "search every block; enter jumps, n / N next / previous"),
    ("z", "zoom: the block fills the screen; z again returns"),
    ("t", "edit the canvas title"),
    ("? / f1", "this help"),
    ("ctrl+s", "save now (autosave is always on)"),
    ("escape", "clear the search; else leave zoom; else back to the canvas browser"),
    ("q / ctrl+q", "quit (nothing is ever unsaved)"),
    ("ctrl+p", "command palette: every action by name"),
    ("", ""),
    ("While editing", "enter saves, escape cancels; an empty text deletes the item"),
)
