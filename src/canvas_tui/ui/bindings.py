"""The action table (`canvas_tui.actions`) as Textual bindings."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from canvas_tui.actions import Action


def priority_bindings(actions: tuple[Action, ...]) -> list[BindingType]:
    """The bindings of an action table: priority bindings, so that Textual runs each as its
    key arrives (see ui/keyorder.py), with the action id as the binding id (for keymaps)."""
    return [
        Binding(
            ",".join(a.keys),
            a.method,
            a.bar or a.description,
            show=bool(a.bar),
            priority=True,
            tooltip=a.description,
            id=a.id,
        )
        for a in actions
    ]
