"""Read-only sessions: the keys that would change something are refused, and say why once.

A read-only session (`--read-only`, `view`, `serve --read-only`) hides those keys from the key
bar, the footer, help and the command palette; a person who presses one anyway (from habit,
or from the docs) is told why nothing happened, once per screen, not at every press.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.events import Key
from textual.widget import Widget

from canvas_tui.actions import Action


class RefusedKeys:
    """The keys of the editing actions in `actions`, refused with `message` (said once)."""

    def __init__(self, actions: Iterable[Action], message: str) -> None:
        self.keys = frozenset(key for action in actions if action.edits for key in action.keys)
        self.message = message
        self.said = False

    def refuse(self, event: Key, where: Widget) -> bool:
        """True if `event` is one of the refused keys (then it is said why, the first time)."""
        if not any(name in self.keys for name in (event.key, *event.aliases)):
            return False
        if not self.said:
            self.said = True
            where.notify(self.message, title="read-only", timeout=6, markup=False)
        return True
