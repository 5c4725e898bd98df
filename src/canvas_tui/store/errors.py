"""The store's base error: an operation on files that cannot be done, said for the user."""

from __future__ import annotations

from canvas_tui.errors import CanvasError


class StoreError(CanvasError):
    """A store operation that cannot be done; the message is for the user."""


class ConflictError(StoreError):
    """The file changed on disk since it was loaded or saved: it will not be overwritten."""


class NameTakenError(StoreError):
    pass
