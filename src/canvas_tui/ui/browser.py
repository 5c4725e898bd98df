"""The canvas browser: every canvas in the data dir, newest first, managed from the keyboard.

Its keys are priority bindings made from the action table (see ui/pipeline.py), so they run
in the order typed; while the filter is open, `take_key` types into it, and ↑↓ and enter
still move in and open from the filtered list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.events import Key, Paste
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import RowKey

from canvas_tui.actions import BROWSER_ACTIONS, Keymap
from canvas_tui.errors import CanvasError
from canvas_tui.safetext import visible
from canvas_tui.store import CanvasInfo, CanvasStore
from canvas_tui.ui.fields import SafeInput
from canvas_tui.ui.pipeline import feed, priority_bindings
from canvas_tui.ui.prompt import NewCanvasPrompt, TextPrompt

WELCOME = "enter opens a canvas · n starts a new one · ? shows every key"
EMPTY = (
    "No canvases yet.\n\nPress n to start one: give it a title, then add items with a,"
    " move between the blocks with the arrow keys, and press ? for every key.\n"
    "Everything is saved as you type."
)


@dataclass(frozen=True, slots=True)
class Trashed:
    """A canvas the browser moved to the trash (`u` brings it back)."""

    name: str
    path: Path


OpenCanvas = Callable[[str, bool], None]  # (name, read-only): show it in the editor, now


class CanvasTable(DataTable[Text]):
    """DataTable measures new rows once it is idle, but a frame drawn before that stays in
    its caches, whose keys do not hold the column widths: the list then shows its titles cut
    to the header's width. Measured, it forgets what it drew (Textual 8)."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()


class BrowserScreen(Screen[None]):
    """The canvases as a table."""

    BINDINGS = priority_bindings(BROWSER_ACTIONS)
    AUTO_FOCUS = "#canvases"

    def __init__(self, store: CanvasStore, keymap: Keymap, open_canvas: OpenCanvas) -> None:
        """`open_canvas` is called at once, not through a message: keys typed right after
        the one that opens a canvas must reach its editor, not this screen."""
        super().__init__(id="browser")
        self.store = store
        self.keymap = keymap
        self.open_canvas = open_canvas
        self.infos: list[CanvasInfo] = []
        self.filter_text = ""
        self.trashed: list[Trashed] = []
        self._wanted: str | None = None  # the canvas to select once the list is read again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled(WELCOME, "bold"), id="welcome")
        yield SafeInput(
            placeholder="Filter canvases: ↑↓ move, enter opens", id="filter", compact=True
        )
        yield CanvasTable(id="canvases", cursor_type="row", zebra_stripes=True)
        yield Static(Content(EMPTY), id="empty")
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#canvases", DataTable)

    @property
    def filter_field(self) -> SafeInput:
        return self.query_one("#filter", SafeInput)

    async def take_key(self, event: Key | Paste) -> bool:
        """While the filter is open, keys edit it, and ↑↓ and enter act on the list."""
        field = self.filter_field
        if not field.display:
            return False
        taken = await feed(
            field,
            event,
            submit=self.action_open,
            cancel=self.action_clear_filter,
            keys={
                "up": lambda: self.action_cursor(-1),
                "down": lambda: self.action_cursor(1),
                "pageup": lambda: self.action_cursor(-10),
                "pagedown": lambda: self.action_cursor(10),
            },
        )
        if field.display and field.value != self.filter_text:
            # Narrow the list now, not when the field's Changed message comes round: an
            # enter typed right after must open a canvas of the narrowed list.
            self.filter_text = field.value
            self._show(self.infos, first=True)
        return taken

    def on_mount(self) -> None:
        self.title = "canvas-tui"
        self.sub_title = str(self.store.data_dir)
        table = self.table
        table.add_column("Title", key="title")
        table.add_column("Name", key="name")
        table.add_column("Template", key="template")
        table.add_column("Items", key="items")
        table.add_column("Modified", key="modified")

    def on_screen_resume(self) -> None:
        """Shown, the first time or back from an editor: list the canvases again."""
        self.reload()

    # -- the list --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="browser-list")
    def reload(self) -> None:
        infos = self.store.list()
        self.app.call_from_thread(self._show, infos)

    def _show(self, infos: list[CanvasInfo], *, first: bool = False) -> None:
        """Fill the table with `infos` that pass the filter; keep the selection, or (`first`)
        select the first row: the match that enter opens."""
        self.infos = infos
        table = self.table
        current = None if first else self._wanted or self.selected_name()
        table.clear()
        needle = self.filter_text.casefold()
        for info in infos:
            title = info.title if info.error is None else f"(unreadable: {info.error})"
            if needle and needle not in title.casefold() and needle not in info.name:
                continue
            template = self.store.templates.get(info.template)
            template_name = template.title if template else f"{info.template} (missing)"
            table.add_row(
                Text(visible(title), style="" if info.error is None else "italic"),
                Text(visible(info.name)),
                Text(visible(template_name if info.error is None else "")),
                Text(str(info.items), justify="right"),
                Text(info.modified_text),
                key=info.name,
            )
        empty = not infos
        self.query_one("#empty").display = empty
        table.display = not empty
        rows = [row_key.value for row_key in table.rows]
        if current in rows:
            table.move_cursor(row=rows.index(current))
            self._wanted = None
        elif rows:
            table.move_cursor(row=0)

    def selected_name(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_cursor(self, delta: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=max(0, min(table.cursor_row + delta, table.row_count - 1)))

    def action_cursor_to(self, row: int) -> None:
        table = self.table
        if table.row_count:
            table.move_cursor(row=row % table.row_count)

    # -- keys ------------------------------------------------------------------------------

    def action_open(self, read_only: bool = False) -> None:
        name = self.selected_name()
        if name is not None:
            self.open_canvas(name, read_only)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_new(self) -> None:
        def created(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                title, template = answer
                self._do(lambda: self.store.create(title, template=template), then_open=True)

        self.app.push_screen(NewCanvasPrompt(list(self.store.templates)), created)

    def action_rename(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        info = next(info for info in self.infos if info.name == name)

        def renamed(title: str | None) -> None:
            if title and title != info.title:
                self._do(lambda: self.store.rename(name, title))

        prompt = TextPrompt(f"New title for {name} (the file name follows it):", info.title)
        self.app.push_screen(prompt, renamed)

    def action_duplicate(self) -> None:
        name = self.selected_name()
        if name is not None:
            self._do(lambda: self.store.duplicate(name))

    def action_delete(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:
            path = self.store.delete(name)
        except (OSError, CanvasError) as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self.trashed.append(Trashed(name, path))
        self.notify(f"Moved {name} to the trash: u brings it back.", markup=False, timeout=5)
        self.reload()

    def action_undelete(self) -> None:
        if not self.trashed:
            self.notify("Nothing to bring back.", timeout=2)
            return
        trashed = self.trashed.pop()
        self._do(lambda: self.store.restore(trashed.path, trashed.name))

    def _do(self, operation: Callable[[], str], *, then_open: bool = False) -> None:
        """Run a store operation that returns a canvas name; report errors in one line."""
        try:
            name = operation()
        except (OSError, CanvasError) as error:
            self.notify(str(error), title="Could not do that", severity="error", markup=False)
            return
        self._wanted = name
        self.reload()
        if then_open:
            self.open_canvas(name, False)

    # -- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.filter_field
        field.display = True
        self.set_focus(field)

    def action_clear_filter(self) -> None:
        field = self.filter_field
        if self.filter_text or field.display:
            field.value = ""
            self.filter_text = ""
            field.display = False
            self.set_focus(self.table)
            self._show(self.infos)

    def action_help(self) -> None:
        from canvas_tui.ui.dialogs import BrowserHelpScreen

        self.app.push_screen(BrowserHelpScreen(self.keymap))
