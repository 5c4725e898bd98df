"""The one base of every error that is reported to the user as a sentence (and never as a
traceback): a file that cannot be read, a name that is taken, a template that is broken."""

from __future__ import annotations


class CanvasError(Exception):
    """Something asked of canvas-tui that cannot be done; the message says what and why."""
