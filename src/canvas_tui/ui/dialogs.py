"""Overlays of the editor: help, and the block picker of `m`."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui.template import BLOCKS, BlockSpec
from canvas_tui.ui.keys import HELP_ROWS


def guidance(spec: BlockSpec) -> Content:
    lines: list[tuple[str, str] | str] = [
        (f"{spec.number} {spec.title}\n", "bold"),
        (f"{spec.question}\n", "italic"),
    ]
    lines.extend(f"  • {prompt}\n" for prompt in spec.prompts)
    return Content.assemble(*lines)


def keys_table(rows: tuple[tuple[str, str], ...] = HELP_ROWS) -> Table:
    """Keys and what they do, the descriptions wrapping in their own column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for keys, text in rows:
        table.add_row(Text(keys), Text(text))
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, and the guidance of the focused block; scrolls with the usual keys."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, spec: BlockSpec, *, read_only: bool = False) -> None:
        super().__init__(id="help")
        self.spec = spec
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help — escape closes"
            if self.read_only:
                yield Static(
                    Content.styled("Read-only: editing keys are switched off.\n", "bold"),
                )
            yield Static(Content.styled("Keys", "bold underline"), classes="help-heading")
            yield Static(keys_table(), id="help-keys")
            yield Static(Content.styled("This block", "bold underline"), classes="help-heading")
            yield Static(guidance(self.spec), id="help-guide")

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta, animate=False)


class MoveScreen(ModalScreen[int | None]):
    """`m`: pick the block (1–9) to move the item to; escape cancels."""

    BINDINGS = [
        Binding("escape,m,q", "dismiss(None)", "Cancel"),
        *(
            Binding(str(spec.number), f"dismiss({spec.index})", spec.title, show=False)
            for spec in BLOCKS
        ),
    ]

    def __init__(self, current: int) -> None:
        super().__init__(id="move")
        self.current = current

    def compose(self) -> ComposeResult:
        parts: list[tuple[str, str] | str] = []
        for spec in BLOCKS:
            marker = "  (here)" if spec.index == self.current else ""
            parts.append((f" {spec.number} ", "reverse bold"))
            parts.append(f" {spec.title}{marker}\n")
        with Vertical(id="move-body") as body:
            body.border_title = "Move the item to block…"
            yield Static(Content.assemble(*parts))
            yield Static(Content.styled("1–9 moves · escape cancels", "dim"))


BROWSER_HELP: tuple[tuple[str, str], ...] = (
    ("↑ ↓ / j k", "move through the canvases"),
    ("enter", "open the canvas in the editor"),
    ("v", "open it read-only"),
    ("n", "new canvas (asks for a title)"),
    ("r", "rename: a new title, and the file name with it"),
    ("c", "duplicate"),
    ("d / delete", "move to the trash (u brings it back)"),
    ("/", "filter as you type; escape clears"),
    ("q / ctrl+q", "quit"),
)


class BrowserHelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Canvas browser — escape closes"
            yield Static(keys_table(BROWSER_HELP))
            yield Static(
                Content(
                    "\nCanvases are TOML files in the data dir (canvas-tui path prints it);"
                    " deleted ones go to its trash/ folder."
                )
            )
