"""The app's manners on a terminal: colour only where the terminal and its user want it, and
ctrl+z suspends the program as in every other terminal program (`fg` brings it back).

- `NO_COLOR` (no-color.org, any value): no colour at all. Textual alone draws its colours in
  grey; here every colour is dropped and the app's own styles show focus and state with
  bold, reverse and underline instead (the `:nocolor` rules of `canvas.tcss`).
- `TERM=dumb`, on a real terminal: the same. Pictures rendered headless (SVG export,
  screenshots) keep their colours: they are not drawn on that terminal.
- ctrl+z: Textual's `suspend_process` (the terminal is given back, the process stops; on
  `fg` the screen is drawn again). A no-op where suspending is not possible (Windows, the
  browser under `serve`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.filter import LineFilter, Monochrome, NoColor


def dumb_terminal() -> bool:
    return os.environ.get("TERM") == "dumb"


class TerminalManners(App[None]):
    """Colour and suspend as the terminal expects (see the module's docstring)."""

    BINDINGS = [
        Binding("ctrl+z", "suspend_process", "Suspend (fg returns)", show=False, priority=True)
    ]

    def on_mount(self) -> None:
        self.app_resume_signal.subscribe(self, self._redraw_all)

    def _redraw_all(self, _app: object) -> None:
        """Back from ctrl+z (`fg`): the terminal shows the shell, so all of the screen is
        drawn again (Textual does so after `App.suspend`, not after a SIGTSTP)."""
        self.refresh(layout=True)

    async def run_async(self, *, headless: bool = False, **kwargs: Any) -> Any:
        if not headless and dumb_terminal():
            self.no_color = True  # before any style is worked out: `:nocolor` applies
        return await super().run_async(headless=headless, **kwargs)

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        # Textual's own no-colour filter, for a theme in RGB, only turns colours grey.
        kept = [f for f in filters if not isinstance(f, (Monochrome, NoColor))]
        return [*kept, _NO_COLOR]


_NO_COLOR = NoColor()
