"""The editor's text field: the one field laid over what it edits (an item, the title, a
search), from the key that opens it to what its text becomes.

- `field.py`: `TextField`, all the editor uses: open it (`open_item`, `open_title`,
  `open_search`), hand it keys (`take`, `hold_keys`), close it (`close`, `commit_pending`);
  what a closed field means (an item, the title, a search).
- `overlay.py`: `FieldOverlay`, the widget on screen: shown, placed, grown, fed, hidden.
- `place.py`: where it goes (over an item, the title bar, the status line).
- `itemfield.py`: `ItemField`, the widget (a TextArea), loaded after the first screen.

Keys reach it from the key interception (`ui/keyorder.py`) through the editor's `take_key`
and are applied with `ui/fields.py` `feed`. The package's modules import one another, never
the package itself.
"""

from canvas_tui.ui.textfield.field import TextField
from canvas_tui.ui.textfield.overlay import FieldMode

__all__ = ["FieldMode", "TextField"]
