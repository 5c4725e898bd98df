"""Overlays of the editor and the browser: help, the block picker of `m`, the note editor.

Help is made from the action table in effect (`canvas_tui.actions`), so it always shows the
keys that work, rebound ones included, with each action's id (the name `[keys]` in the config
file and the command palette use).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import Key, Paste
from textual.strip import Strip
from textual.widgets import Static, TextArea

from canvas_tui.actions import CANVAS, EVIDENCE, FIND, ITEMS, MOVE, Keymap, keys_label
from canvas_tui.safetext import visible
from canvas_tui.template import BlockSpec, Template
from canvas_tui.ui.dialog import Dialog
from canvas_tui.ui.fields import feed, safe_strip

FIELD_HELP = (
    "While typing an item: enter saves, escape cancels; an empty text deletes the item;"
    " pasted lines become one item each. A paste with no field open adds the lines below"
    " the cursor."
)


def guidance(spec: BlockSpec) -> Content:
    # Template text is data, like items: a missing template's titles come from the file.
    lines: list[tuple[str, str] | str] = [(f"{spec.number} {visible(spec.title)}\n", "bold")]
    if spec.question:
        lines.append((f"{visible(spec.question)}\n", "italic"))
    lines.extend(f"  • {visible(prompt)}\n" for prompt in spec.prompts)
    return Content.assemble(*lines)


def keys_table(
    keymap: Keymap,
    *,
    read_only: bool = False,
    groups: tuple[str, ...] | None = None,
    hide_edits: bool = False,
) -> Table:
    """Keys, what they do and the action's id, by group (all, or those in `groups`);
    descriptions wrap in their column. Read-only: editing keys dimmed, or (`hide_edits`)
    left out."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(style="dim", no_wrap=True)
    group = None
    for action in keymap.actions:
        if groups is not None and action.group not in groups:
            continue
        if hide_edits and action.edits:
            continue
        if action.id.startswith("jump_") and action.id != "jump_1":
            continue
        if action.group != group:
            group = action.group
            table.add_row(Text(group, style="underline"), Text(""), Text(""))
        keys = keys_label(action.keys)
        description = action.description
        if action.id == "jump_1":
            keys, description = "1 … 9", "Jump to block N (each is an action: jump_1 … jump_9)"
        style = "dim" if read_only and action.edits else ""
        table.add_row(Text(keys, style=style), Text(description, style=style), Text(action.id))
    if groups is None or CANVAS in groups:
        table.add_row(Text("ctrl+p"), Text("Command palette: every action by name"), Text(""))
    return table


class HelpScreen(Dialog[None]):
    """Every key, and the guidance of the focused block; scrolls with the usual keys."""

    BODY_ID, BODY_SCROLLS, FRAME_TITLE = "help-body", True, "Help — escape closes"
    BINDINGS = [
        Binding("q,question_mark,f1", "close", "Close", priority=True),
        Binding("j,down", "scroll(1)", "Down", show=False, priority=True),
        Binding("k,up", "scroll(-1)", "Up", show=False, priority=True),
        Binding("pagedown,space", "scroll(10)", "Page down", show=False, priority=True),
        Binding("pageup", "scroll(-10)", "Page up", show=False, priority=True),
    ]

    def __init__(
        self, keymap: Keymap, template: Template, spec: BlockSpec, *, read_only: bool = False
    ) -> None:
        super().__init__(id="help")
        self.keymap = keymap
        self.template = template
        self.spec = spec
        self.read_only = read_only

    def compose_body(self) -> ComposeResult:
        if self.read_only:
            yield Static(
                Content.styled("Read-only: editing keys are switched off.\n", "bold"),
            )
        yield Static(Content.styled("This block", "bold underline"), classes="help-heading")
        yield Static(guidance(self.spec), id="help-guide")
        yield Static(Content.styled("Keys", "bold underline"), classes="help-heading")
        with Horizontal(id="help-keys"):
            for groups in ((MOVE, ITEMS), (EVIDENCE, FIND, CANVAS)):
                table = keys_table(self.keymap, read_only=self.read_only, groups=groups)
                yield Static(table, classes="help-column")
        yield Static(Content(FIELD_HELP), classes="help-heading")
        about = f"{self.template.title} ({self.template.id})"
        if self.template.attribution:
            about += f". {self.template.attribution}"
        yield Static(Content.styled(visible(about), "dim"), classes="help-heading")

    def on_resize(self) -> None:
        # Two columns of keys when there is room for them, else one under the other.
        columns = self.query_one("#help-keys", Horizontal)
        columns.styles.layout = "horizontal" if self.size.width >= 120 else "vertical"

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta, animate=False)


class MoveScreen(Dialog[int]):
    """`m`: pick the block (1–9) to move the item to; escape cancels."""

    BODY_ID, FRAME_TITLE = "move-body", "Move the item to block…"
    BINDINGS = [
        Binding("escape,m,q", "close", "Cancel", priority=True),
        *(
            Binding(str(number), f"pick({number - 1})", show=False, priority=True)
            for number in range(1, 10)
        ),
    ]

    def __init__(self, template: Template, current: int) -> None:
        super().__init__(id="move")
        self.template = template
        self.current = current

    def compose_body(self) -> ComposeResult:
        parts: list[tuple[str, str] | str] = []
        for spec in self.template.blocks:
            marker = "  (here)" if spec.index == self.current else ""
            parts.append((f" {spec.number} ", "reverse bold"))
            parts.append(f" {visible(spec.title)}{marker}\n")
        yield Static(Content.assemble(*parts))
        last = len(self.template.blocks)
        yield Static(Content.styled(f"1–{last} moves · escape cancels", "dim"))

    def action_pick(self, block: int) -> None:
        if block < len(self.template.blocks):
            self.dismiss(block)


class NoteArea(TextArea):
    """The note's text, drawn safely (control characters as placeholders)."""

    def render_line(self, y: int) -> Strip:
        return safe_strip(super().render_line(y))


class NoteScreen(Dialog[str]):
    """`i`: the item's note, several lines; ctrl+s or escape saves and closes it, ctrl+e
    hands it to $VISUAL / $EDITOR.

    A note with a line too long for a text field to handle quickly (from a file that
    travelled) is shown cut short and read-only here; ctrl+e still edits all of it.
    """

    BODY_ID, FRAME_TITLE, FOCUS = "note-body", "Note", "NoteArea"

    def __init__(self, item_text: str, note: str) -> None:
        super().__init__(id="note")
        self.item_text = item_text
        self.note = note
        self.editable = max(map(len, note.split("\n")), default=0) <= LONGEST_EDITABLE_LINE

    def compose_body(self) -> ComposeResult:
        yield Static(Content.styled(visible(self.item_text), "bold"), id="note-item")
        editor = "ctrl+e opens $EDITOR · " if _external_editor() else ""
        if self.editable:
            yield NoteArea(self.note, soft_wrap=True, id="note-text", show_line_numbers=False)
            yield Static(Content.styled(f"{editor}ctrl+s or escape saves and closes", "dim"))
        else:
            with VerticalScroll(id="note-text"):
                yield Static(Content(_preview(self.note)), id="note-preview")
            yield Static(
                Content.styled(
                    f"This note has a line of over {LONGEST_EDITABLE_LINE:,} characters: it"
                    f" is shown cut short and cannot be edited here. {editor}escape closes",
                    "dim",
                )
            )

    def on_mount(self) -> None:
        if self.editable:  # the area is focused by `Dialog` (FOCUS)
            area = self.query_one(NoteArea)
            area.move_cursor(area.document.end)

    async def take_key(self, event: Key | Paste) -> bool:
        if not self.editable:
            if isinstance(event, Key) and event.key == "ctrl+e":
                self.external()
                return True
            if isinstance(event, Key) and event.key in ("escape", "ctrl+s", "q"):
                self.dismiss(None)
            return True
        area = self.query_one(NoteArea)
        if isinstance(event, Paste):
            area.replace(event.text.replace("\r\n", "\n").replace("\r", "\n"), *area.selection)
            return True
        return await feed(
            area,
            event,
            submit=lambda: area.replace("\n", *area.selection),
            cancel=self.action_close,
            keys={"ctrl+s": self.save, "ctrl+e": self.external},
        )

    def action_close(self) -> None:
        """escape saves the note (a note cut short is only closed)."""
        if self.editable:
            self.save()
        else:
            self.dismiss(None)

    def save(self) -> None:
        self.dismiss(self.query_one(NoteArea).text.rstrip("\n"))

    def external(self) -> None:
        """Edit the note in the user's editor ($VISUAL, else $EDITOR), then come back."""
        command = _external_editor()
        if command is None:
            self.notify("Set $VISUAL or $EDITOR to edit notes in your editor.", timeout=4)
            return
        current = self.query_one(NoteArea).text if self.editable else self.note
        with tempfile.TemporaryDirectory(prefix="canvas-tui-note-") as folder:
            path = Path(folder) / "note.md"
            path.write_text(current, encoding="utf-8")
            try:
                with self.app.suspend():
                    subprocess.run([*shlex.split(command), str(path)], check=False)
                text = path.read_text(encoding="utf-8").rstrip("\n")
            except Exception as error:  # no terminal to hand over, or the editor failed
                self.notify(f"Could not run {command}: {error}", severity="error", markup=False)
                return
        if not self.editable:
            self.dismiss(text)
            return
        area = self.query_one(NoteArea)
        area.load_text(text)
        area.move_cursor(area.document.end)


LONGEST_EDITABLE_LINE = 10_000  # a longer line makes the text field slow (seconds)
PREVIEW = 2_000  # characters of each line shown of a note too long to edit


def _preview(note: str) -> str:
    lines = []
    for line in note.split("\n")[:200]:
        lines.append(visible(line[:PREVIEW]) + (" …" if len(line) > PREVIEW else ""))
    return "\n".join(lines)


def _external_editor() -> str | None:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


class BrowserHelpScreen(Dialog[None]):
    BODY_ID, BODY_SCROLLS = "help-body", True
    FRAME_TITLE = "Canvas browser — escape closes"
    BINDINGS = [Binding("q,question_mark,f1", "close", "Close", priority=True)]

    def __init__(self, keymap: Keymap, *, read_only: bool = False) -> None:
        super().__init__()
        self.keymap = keymap
        self.read_only = read_only

    def compose_body(self) -> ComposeResult:
        if self.read_only:
            yield Static(
                Content.styled(
                    "Read-only session: canvases can be opened and read, not created,"
                    " copied, renamed or deleted.\n",
                    "bold",
                )
            )
        yield Static(keys_table(self.keymap, hide_edits=self.read_only))
        yield Static(
            Content(
                "\nCanvases are TOML files in the data dir (canvas-tui path prints it);"
                " deleted ones go to its trash/ folder. canvas-tui templates lists the"
                " canvas types you can start from."
            )
        )
