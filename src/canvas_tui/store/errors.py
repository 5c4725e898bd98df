"""The store's base error: an operation that cannot be done, with a message for the user."""

from __future__ import annotations


class StoreError(Exception):
    """A store operation that cannot be done; the message is for the user."""
