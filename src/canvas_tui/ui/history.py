"""The canvas's versions: the git commits that touched its file and the local snapshots.
Highlight one to see what changed from it to the canvas now; enter restores it (one undoable
step in the editor); s takes a snapshot now, with a label.

Git and the files are read off the UI thread, by Textual workers (`@work(thread=True)`); what
they say comes back as messages. A folder
that is not a git repository, a repository without commits, a missing git program: one line
says so, and the snapshots are still there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from canvas_tui import canvasfile
from canvas_tui.canvasfile import CanvasFileError
from canvas_tui.diff import diff
from canvas_tui.errors import CanvasError
from canvas_tui.model import Canvas
from canvas_tui.render.diff_text import DiffLine, diff_lines
from canvas_tui.safetext import visible
from canvas_tui.store import git
from canvas_tui.store.files import Loaded
from canvas_tui.store.snapshots import Snapshot, list_snapshots, load_snapshot, take_snapshot
from canvas_tui.template import Templates
from canvas_tui.ui.dialog import Dialog

LINE_STYLES = {
    "title": "bold",
    "heading": "bold underline",
    "added": "green",
    "removed": "red",
    "edited": "yellow",
    "moved": "cyan",
    "summary": "dim",
}


@dataclass(frozen=True, slots=True)
class Version:
    """A version in the history list: how it reads and how to read it."""

    label: str  # as the list shows it
    read: Callable[[], Canvas]  # reads it (on a worker thread)


class HistoryScreen(Dialog[Canvas]):
    """`v` in the editor: versions, their diff against now, restore."""

    BODY_ID, FOCUS = "history-body", "OptionList"
    FRAME_TITLE = "Versions — enter restores · s takes a snapshot · escape closes"
    BINDINGS = [
        Binding("q,v", "close", "Close", priority=True),
        Binding("down,j", "move(1)", "Next", show=False, priority=True),
        Binding("up,k", "move(-1)", "Previous", show=False, priority=True),
        Binding("enter,r", "restore", "Restore", priority=True),
        Binding("s", "snapshot", "Snapshot now", priority=True),
    ]

    class VersionsRead(Message):
        def __init__(self, versions: list[Version], notes: list[str]) -> None:
            super().__init__()
            self.versions, self.notes = versions, notes

    class VersionRead(Message):
        def __init__(self, index: int, canvas: Canvas | None, problem: str = "") -> None:
            super().__init__()
            self.index, self.canvas, self.problem = index, canvas, problem

    def __init__(
        self,
        loaded: Loaded,
        now: Canvas,
        templates: Templates,
        snapshots: Path | None,
        *,
        read_only: bool,
    ) -> None:
        super().__init__(id="history")
        self.loaded = loaded
        self.now = now
        self.templates = templates
        self.snapshots = snapshots
        self.read_only = read_only
        self.versions: list[Version] = []
        self.canvases: dict[int, Canvas] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(Content.styled("Reading the history…", "dim"), id="history-notes")
        with Horizontal(id="history-panes"):
            yield OptionList(id="history-versions")
            with VerticalScroll(id="history-diff-pane"):
                yield Static(Content(""), id="history-diff")

    def on_mount(self) -> None:
        self._read_versions()

    # -- reading (worker threads) ----------------------------------------------------------

    @work(thread=True, group="history-list", exclusive=True)
    def _read_versions(self) -> None:
        versions: list[Version] = []
        notes: list[str] = []
        path = self.loaded.path
        try:
            history = git.file_history(path)
        except (git.GitError, OSError) as error:
            notes.append(f"git: {error}")
        else:
            notes.extend(history.notes)
            repository = history.repository
            for commit in history.commits:
                label = f"{commit.short}  {commit.date:%Y-%m-%d %H:%M}  {commit.subject}"
                versions.append(Version(visible(label), self._commit_reader(repository, commit)))
        if self.snapshots is not None:
            for snapshot in list_snapshots(self.snapshots):
                label = f"snapshot  {snapshot.time_text}  {snapshot.label}".rstrip()
                versions.append(Version(visible(label), self._snapshot_reader(snapshot)))
        self.post_message(self.VersionsRead(versions, notes))

    def _commit_reader(
        self, repository: git.Repository, commit: git.Commit
    ) -> Callable[[], Canvas]:
        def read() -> Canvas:
            data = git.file_at(repository, commit.hash, commit.path)
            return canvasfile.parse(canvasfile.decode(data), self.templates).canvas

        return read

    def _snapshot_reader(self, snapshot: Snapshot) -> Callable[[], Canvas]:
        return lambda: load_snapshot(snapshot, self.templates)

    @work(thread=True, group="history-read", exclusive=True)
    def _read_version(self, index: int) -> None:
        try:
            canvas = self.versions[index].read()
        except (CanvasError, OSError) as error:
            self.post_message(self.VersionRead(index, None, str(error)))
        else:
            self.post_message(self.VersionRead(index, canvas))

    # -- showing ---------------------------------------------------------------------------

    @on(VersionsRead)
    def _show_versions(self, message: VersionsRead) -> None:
        self.versions = message.versions
        self.canvases = {}
        notes = list(message.notes)
        if not self.versions:
            notes.append(
                "No versions yet: a snapshot is taken when an editing session with changes"
                " ends, or now with s."
            )
        self.query_one("#history-notes", Static).update(Content.styled("\n".join(notes), "dim"))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Content(version.label)) for version in self.versions)
        if self.versions:
            options.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if index in self.canvases:
            self._show_diff(self.canvases[index])
            return
        self.query_one("#history-diff", Static).update(Content.styled("Reading…", "dim"))
        self._read_version(index)

    @on(VersionRead)
    def _version_read(self, message: VersionRead) -> None:
        if message.canvas is None:
            self.query_one("#history-diff", Static).update(
                Content.styled(f"This version cannot be read: {message.problem}", "bold")
            )
            return
        self.canvases[message.index] = message.canvas
        if self.query_one(OptionList).highlighted == message.index:
            self._show_diff(message.canvas)

    def _show_diff(self, version: Canvas) -> None:
        lines = diff_lines(diff(version, self.now), self.loaded.template)
        if not lines:
            lines = [DiffLine("summary", "The same as the canvas now.")]
        parts: list[tuple[str, str] | str] = [("Changes from this version to now\n\n", "bold")]
        for line in lines:
            parts.append((line.text + "\n", LINE_STYLES.get(line.kind, "")))
        self.query_one("#history-diff", Static).update(Content.assemble(*parts))

    # -- keys ------------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + delta, options.option_count - 1))

    def action_restore(self) -> None:
        if self.read_only:
            self.notify("Read-only: nothing can be restored here.", timeout=3)
            return
        index = self.query_one(OptionList).highlighted
        canvas = None if index is None else self.canvases.get(index)
        if canvas is None:
            self.notify("Pick a version first (it is still being read).", timeout=3)
            return
        if canvas.template != self.now.template:
            self.notify(
                f"That version is a {canvas.template} canvas; this one is {self.now.template}.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(canvas)

    def action_snapshot(self) -> None:
        if self.snapshots is None:
            self.notify("Snapshots are not kept for this canvas.", timeout=3)
            return
        folder = self.snapshots

        def labelled(label: str | None) -> None:
            if label is None:
                return
            text = canvasfile.dump(self.now, self.loaded.template.keys)
            try:
                taken = take_snapshot(folder, text, label)
            except (OSError, CanvasFileError) as error:
                self.notify(f"No snapshot: {error}", severity="error", markup=False)
                return
            self.notify(f"Snapshot taken: {taken.time_text} {label}".rstrip(), markup=False)
            self._read_versions()

        from canvas_tui.ui.prompt import TextPrompt

        prompt = TextPrompt("A label for this snapshot (may be empty):", allow_empty=True)
        self.app.push_screen(prompt, labelled)
