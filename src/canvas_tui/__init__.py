"""canvas-tui: a keyboard-first terminal workspace for the Tech Business Model Canvas."""

__version__ = "0.1.0"
