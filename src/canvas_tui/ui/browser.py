"""The canvas browser: every canvas in the data dir, newest first, managed from the keyboard."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Key, Paste
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from canvas_tui.safetext import visible
from canvas_tui.store import CanvasInfo, CanvasStore, StoreError
from canvas_tui.store.names import InvalidNameError
from canvas_tui.ui.keyorder import action_for, binding_actions, field_key
from canvas_tui.ui.prompt import TextPrompt

WELCOME = "enter opens a canvas · n starts a new one · ? shows every key"
EMPTY = (
    "No canvases yet.\n\nPress n to start one: give it a title, then add items with a,"
    " move between the nine blocks with the arrow keys, and press ? for every key.\n"
    "Everything is saved as you type."
)


@dataclass(frozen=True, slots=True)
class Trashed:
    name: str
    path: Path


class BrowserScreen(Screen[None]):
    """The canvases as a table; its keys are also run in arrival order (`key_now`)."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("v", "open(True)", "View", show=True),
        Binding("n", "new", "New", show=True),
        Binding("r", "rename", "Rename", show=True),
        Binding("c", "duplicate", "Copy", show=True),
        Binding("d,delete", "delete", "Delete", show=True),
        Binding("u", "undelete", "Undo delete", show=False),
        Binding("slash", "filter", "Filter", show=True),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("question_mark,f1", "help", "Help", show=True),
        Binding("q,ctrl+q", "app.quit", "Quit", show=True),
    ]
    AUTO_FOCUS = "#canvases"

    def __init__(self, store: CanvasStore) -> None:
        super().__init__(id="browser")
        self.store = store
        self.infos: list[CanvasInfo] = []
        self.filter_text = ""
        self.trashed: list[Trashed] = []
        self._wanted: str | None = None  # the canvas to select once the list is read again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled(WELCOME, "bold"), id="welcome")
        yield Input(placeholder="Filter canvases", id="filter", compact=True)
        table: DataTable[Text] = DataTable(id="canvases", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(Content(EMPTY), id="empty")
        yield Footer()

    async def key_now(self, event: Key | Paste) -> bool:
        """Handle a key as it arrives, in order (see keyorder): `n` then a title typed at
        once must open the prompt and fill it, not run `a`, `r`, `d`…"""
        field = self.query_one("#filter", Input)
        if field.display and not field.has_focus:  # the filter is opening
            return await field_key(
                field, event, submit=self.action_focus_table, cancel=self.action_clear_filter
            )
        if isinstance(event, Paste) or field.has_focus:
            return False
        action = action_for(event, BROWSER_ACTIONS)
        if action is None:
            return False
        await self.run_action(action)
        return True

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def on_mount(self) -> None:
        self.title = "canvas-tui"
        self.sub_title = str(self.store.data_dir)
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Name", key="name")
        table.add_column("Items", key="items")
        table.add_column("Modified", key="modified")
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- the list --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="browser-list")
    def reload(self) -> None:
        infos = self.store.list()
        self.app.call_from_thread(self._show, infos)

    def _show(self, infos: list[CanvasInfo]) -> None:
        self.infos = infos
        table: DataTable[Text] = self.query_one(DataTable)
        current = self._wanted or self.selected_name()
        table.clear()
        needle = self.filter_text.casefold()
        for info in infos:
            title = info.title if info.error is None else f"(unreadable: {info.error})"
            if needle and needle not in title.casefold() and needle not in info.name:
                continue
            table.add_row(
                Text(visible(title), style="" if info.error is None else "italic"),
                Text(visible(info.name)),
                Text(str(info.items), justify="right"),
                Text(info.modified_text),
                key=info.name,
            )
        empty = not infos
        self.query_one("#empty").display = empty
        table.display = not empty
        if current is not None:
            for row, info_name in enumerate(table.rows):
                if info_name.value == current:
                    table.move_cursor(row=row)
                    self._wanted = None
                    break

    def selected_name(self) -> str | None:
        table: DataTable[Text] = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_cursor(self, delta: int) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + delta)

    # -- keys ------------------------------------------------------------------------------

    def action_open(self, read_only: bool = False) -> None:
        name = self.selected_name()
        if name is not None:
            self.app.open_canvas(name, read_only=read_only)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_new(self) -> None:
        def created(title: str | None) -> None:
            if title:
                self._do(lambda: self.store.create(title), then_open=True)

        self.app.push_screen(TextPrompt("Title of the new canvas:", placeholder="Acme"), created)

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
        except (OSError, StoreError) as error:
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

    def _do(self, operation: object, *, then_open: bool = False) -> None:
        """Run a store operation that returns a canvas name; report errors in one line."""
        try:
            name = operation()  # type: ignore[operator]
        except (OSError, StoreError, InvalidNameError) as error:
            self.notify(str(error), title="Could not do that", severity="error", markup=False)
            return
        self._wanted = name
        self.reload()
        if then_open:
            self.app.open_canvas(name)  # type: ignore[attr-defined]

    # -- filter ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._show(self.infos)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DataTable).focus()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if self.filter_text or field.has_focus:
            field.value = ""
            self.filter_text = ""
            field.display = False
            self.query_one(DataTable).focus()
            self._show(self.infos)

    def action_help(self) -> None:
        from canvas_tui.ui.dialogs import BrowserHelpScreen

        self.app.push_screen(BrowserHelpScreen())


BROWSER_ACTIONS = binding_actions(BrowserScreen.BINDINGS)
