"""Old import path, kept for `ui/browser.py` only (it is being reworked elsewhere): the key
interception is `ui/keyorder.py`, a key fed to a text field is `ui/fields.py` `feed`, the
action table as bindings is `ui/bindings.py`. New code imports those; remove this module
once `ui/browser.py` does too."""

from canvas_tui.ui.bindings import priority_bindings
from canvas_tui.ui.fields import feed

__all__ = ["feed", "priority_bindings"]
