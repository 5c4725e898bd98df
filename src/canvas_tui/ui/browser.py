"""The canvas browser: every canvas in the data dir, newest first, managed from the keyboard.

Its keys are priority bindings made from the action table (see ui/bindings.py), so they run
in the order typed; while the filter is open, `take_key` types into it, and ↑↓ and enter
still move in and open from the filtered list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
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
from canvas_tui.store.lock import InUseError
from canvas_tui.store.lock import holding as hold_locks
from canvas_tui.store.names import slugify
from canvas_tui.ui.bindings import priority_bindings
from canvas_tui.ui.fields import SafeInput, feed
from canvas_tui.ui.prompt import Choice, NewCanvasPrompt, TextPrompt
from canvas_tui.ui.readonly import RefusedKeys

WELCOME = "enter opens a canvas · n starts a new one · ? shows every key"
WELCOME_READ_ONLY = "read-only: enter opens a canvas to read · ? shows every key"
READ_ONLY_REFUSAL = (
    "This session is read-only: canvases cannot be created, copied, renamed or deleted."
)
EMPTY = (
    "No canvases yet.\n\nPress n to start one: give it a title, then add items with a,"
    " move between the blocks with the arrow keys, and press ? for every key.\n"
    "Everything is saved as you type."
)
EMPTY_READ_ONLY = "No canvases yet. This session is read-only: none can be created here."


# The table's columns: heading, key, widest it grows to for its content (the title: any).
COLUMNS = (
    ("Title", "title", 10_000),
    ("Name", "name", 30),
    ("Template", "template", 28),
    ("Items", "items", 6),
    ("Modified", "modified", 16),
)
MIN_TITLE = 12  # a narrow screen still shows this much of each title
TITLE_SHARE = 0.4  # ... and the name and template shrink to leave it this share of the width
SHRUNK = 10  # the least the name and template shrink to
SCROLLBAR = 2  # columns kept free for the table's vertical scroll bar


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

    def __init__(
        self,
        store: CanvasStore,
        keymap: Keymap,
        open_canvas: OpenCanvas,
        *,
        read_only: bool = False,
    ) -> None:
        """`open_canvas` is called at once, not through a message: keys typed right after
        the one that opens a canvas must reach its editor, not this screen. `read_only`:
        the session changes nothing (its keys are hidden, and refused)."""
        super().__init__(id="browser")
        self.store = store
        self.keymap = keymap
        self.read_only = read_only
        self.refused = RefusedKeys(keymap.actions if read_only else (), READ_ONLY_REFUSAL)
        self._editing_methods = frozenset(a.name for a in keymap.actions if a.edits)
        self.open_canvas = open_canvas
        self.infos: list[CanvasInfo] = []
        self.filter_text = ""
        self.trashed: list[Trashed] = []
        self._wanted: str | None = None  # the canvas to select once the list is read again
        self._listed = False  # the canvases were read once: keys may act on the list
        self._release_keys: Callable[[], Awaitable[None]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        welcome = WELCOME_READ_ONLY if self.read_only else WELCOME
        yield Static(Content.styled(welcome, "bold"), id="welcome")
        yield SafeInput(
            placeholder="Filter canvases: ↑↓ move, enter opens", id="filter", compact=True
        )
        yield CanvasTable(id="canvases", cursor_type="row", zebra_stripes=True)
        yield Static(Content(EMPTY_READ_ONLY if self.read_only else EMPTY), id="empty")
        yield Footer()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#canvases", DataTable)

    @property
    def filter_field(self) -> SafeInput:
        return self.query_one("#filter", SafeInput)

    def hold_keys(self, release: Callable[[], Awaitable[None]]) -> bool:
        """Keys wait (in the key interception) until the canvases are first read: a filter
        and enter typed at launch open the canvas they name, not nothing in an empty list."""
        if self._listed:
            return False
        self._release_keys = release
        return True

    async def take_key(self, event: Key | Paste) -> bool:
        """While the filter is open, keys edit it, and ↑↓ and enter act on the list."""
        field = self.filter_field
        if not field.display:
            return isinstance(event, Key) and self.refused.refuse(event, self)
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
        self.sub_title = str(self.store.data_dir) + (" · read-only" if self.read_only else "")
        self._columns([])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a read-only session the keys that change canvases are off and not shown."""
        return not (self.read_only and action in self._editing_methods)

    def _refused(self) -> bool:
        """Read-only: no change, however it was asked for (a key, the palette)."""
        if self.read_only:
            self.notify(READ_ONLY_REFUSAL, title="read-only", timeout=6, markup=False)
        return self.read_only

    def on_resize(self) -> None:
        self._show(self.infos)  # the columns are sized to the screen

    def _columns(self, rows: list[tuple[Text, ...]]) -> None:
        """The table's columns, sized for `rows` and the screen from the first frame:
        fixed widths (Textual's automatic ones lag behind rows added later), the title
        taking the room left and cut with an ellipsis when it is longer."""
        widths = [
            max((len(row[index].plain) for row in rows), default=0) for index in range(len(COLUMNS))
        ]
        for index, (heading, _key, most) in enumerate(COLUMNS):
            widths[index] = max(len(heading), min(widths[index], most))
        screen = (self.size.width or self.app.size.width) - SCROLLBAR
        room = screen - sum(width + 2 for width in widths)  # one space each side of a cell
        # A narrow screen: the name and template give way (to a point) before the title.
        for index in (2, 1):
            wanted = min(widths[0], int(screen * TITLE_SHARE)) - widths[0] - room
            give = max(0, min(wanted, widths[index] - SHRUNK))
            widths[index] -= give
            room += give
        widths[0] = max(MIN_TITLE, min(widths[0], widths[0] + room))
        table = self.table
        table.clear(columns=True)
        for (heading, key, _most), width in zip(COLUMNS, widths, strict=True):
            table.add_column(heading, key=key, width=width)

    def on_screen_resume(self) -> None:
        """Shown, the first time or back from an editor: list the canvases again."""
        self.reload()

    # -- the list --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="browser-list")
    def reload(self) -> None:
        infos = self.store.list()
        self.app.call_from_thread(self._listed_now, infos)

    def _listed_now(self, infos: list[CanvasInfo]) -> None:
        self._show(infos)
        if not self._listed:
            self._listed = True
            release, self._release_keys = self._release_keys, None
            if release is not None:
                self.app.call_later(release)

    def _show(self, infos: list[CanvasInfo], *, first: bool = False) -> None:
        """Fill the table with `infos` that pass the filter; keep the selection, or (`first`)
        select the first row: the match that enter opens."""
        self.infos = infos
        table = self.table
        current = None if first else self._wanted or self.selected_name()
        needle = self.filter_text.casefold()
        shown: list[tuple[str, tuple[Text, ...]]] = []
        for info in infos:
            title = info.title if info.error is None else f"(unreadable: {info.error})"
            if needle and needle not in title.casefold() and needle not in info.name:
                continue
            template = self.store.templates.get(info.template)
            template_name = template.title if template else f"{info.template} (missing)"
            style = "" if info.error is None else "italic"
            cells: tuple[Text, ...] = (
                Text(visible(title), style=style, no_wrap=True, overflow="ellipsis"),
                Text(visible(info.name), no_wrap=True, overflow="ellipsis"),
                Text(visible(template_name if info.error is None else ""), overflow="ellipsis"),
                Text(str(info.items), justify="right"),
                Text(info.modified_text),
            )
            shown.append((info.name, cells))
        self._columns([cells for _name, cells in shown])
        for name, cells in shown:
            table.add_row(*cells, key=name)
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
        if self._refused():
            return

        def created(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            title, template = answer
            wanted = slugify(title)
            holder = self.store.in_use(wanted)
            name = self._make(lambda name: self.store.create(title, name, template), wanted)
            if name is None:
                return
            if holder is not None:
                in_use = InUseError(self.store.path_for(wanted), holder)
                self.notify(f"{in_use}: the new canvas is {name}.", markup=False, timeout=8)
            self.open_canvas(name, False)

        self.app.push_screen(NewCanvasPrompt(list(self.store.templates)), created)

    def action_rename(self) -> None:
        if self._refused():
            return
        name = self.selected_name()
        if name is None:
            return
        info = next(info for info in self.infos if info.name == name)

        def renamed(title: str | None) -> None:
            if title and title != info.title:
                paths = [self.store.path_for(name), self.store.path_for(slugify(title) or name)]
                self._do(lambda: self.store.rename(name, title), holding=paths)

        if self._in_use(name, "renamed"):
            return
        prompt = TextPrompt(f"New title for {name} (the file name follows it):", info.title)
        self.app.push_screen(prompt, renamed)

    def action_duplicate(self) -> None:
        if self._refused():
            return
        name = self.selected_name()
        if name is None:
            return
        # A canvas open in another editor is copied as that editor last saved it (it saves
        # as you type): say so, since what is being typed there is not in the copy.
        try:
            holder = self.store.in_use(name)
        except CanvasError as error:  # a file whose name is not a canvas name
            self.notify(str(error), title="Not copied", severity="error", markup=False)
            return
        copy = self._make(lambda new: self.store.duplicate(name, new), self.store.copy_base(name))
        if copy is not None and holder is not None:
            self.notify(
                f"{InUseError(self.store.path_for(name), holder)}: {copy} is a copy of it as"
                " last saved there; what is being typed there now is not in it.",
                markup=False,
                timeout=8,
            )

    def action_delete(self) -> None:
        if self._refused():
            return
        name = self.selected_name()
        if name is None:
            return
        try:
            with hold_locks(self.store.locks_dir, [self.store.path_for(name)]):
                path = self.store.delete(name)
        except InUseError as error:
            self._say_in_use(error, "deleted")
            return
        except (OSError, CanvasError) as error:
            self.notify(str(error), title="Not deleted", severity="error", markup=False)
            return
        self.trashed.append(Trashed(name, path))
        self.notify(f"Moved {name} to the trash: u brings it back.", markup=False, timeout=5)
        self.reload()

    def action_undelete(self) -> None:
        if self._refused():
            return
        if not self.trashed:
            self.notify("Nothing to bring back.", timeout=2)
            return
        trashed = self.trashed[-1]
        paths = [self.store.path_for(trashed.name)]
        if self._do(lambda: self.store.restore(trashed.path, trashed.name), holding=paths):
            self.trashed.pop()

    def _make(self, make: Callable[[str], str], base: str) -> str | None:
        """Make a canvas (`make(name)`) at the first name near `base` that is free: no file,
        and no editor on it. Its lock is held meanwhile, as `d` and `r` hold theirs, so an
        editor that starts on that name in between is told of, not overwritten. Returns the
        name, or None if it was not made."""
        try:
            name = self.store.free_name(base)
        except (OSError, CanvasError) as error:
            self.notify(str(error), title="Could not do that", severity="error", markup=False)
            return None
        done = self._do(lambda: make(name), holding=[self.store.path_for(name)])
        return name if done else None

    def _do(
        self,
        operation: Callable[[], str],
        *,
        then_open: bool = False,
        holding: Sequence[Path] = (),
    ) -> bool:
        """Run a store operation that returns a canvas name, holding the locks of the
        canvases at `holding` meanwhile; report errors in one line. True if it was done."""
        try:
            with hold_locks(self.store.locks_dir, holding):
                name = operation()
        except InUseError as error:
            self._say_in_use(error, "changed")
            return False
        except (OSError, CanvasError) as error:
            self.notify(str(error), title="Could not do that", severity="error", markup=False)
            return False
        self._wanted = name
        self.reload()
        if then_open:
            self.open_canvas(name, False)
        return True

    # -- canvases open in an editor --------------------------------------------------------

    def _in_use(self, name: str, verb: str) -> bool:
        """Whether canvas `name` cannot be changed now: another editor holds it (then say so,
        and offer to view it), or its file's name is not a canvas name (then say that)."""
        try:
            with hold_locks(self.store.locks_dir, [self.store.path_for(name)]):
                return False
        except InUseError as error:
            self._say_in_use(error, verb)
            return True
        except CanvasError as error:
            self.notify(str(error), title=f"Not {verb}", severity="error", markup=False)
            return True

    def _say_in_use(self, error: InUseError, verb: str) -> None:
        name = error.path.stem
        message = (
            f"{error}: it was not {verb}, so that nothing typed there is lost. Close it in"
            " that editor first, or view it read-only here."
        )
        answers = [("v", "view", "View it read-only"), ("escape", "cancel", "Back to the list")]

        def answered(answer: str | None) -> None:
            if answer == "view":
                self.open_canvas(name, True)

        self.app.push_screen(Choice("In use", message, answers), answered)

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

        self.app.push_screen(BrowserHelpScreen(self.keymap, read_only=self.read_only))
