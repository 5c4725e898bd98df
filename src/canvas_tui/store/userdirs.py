"""The user's config and data folders, as `platformdirs` finds them, without importing it in
the common case (it costs a plain command a tenth of its time): on Linux, with an absolute
`$XDG_CONFIG_HOME`/`$XDG_DATA_HOME` or `$HOME`, the rule is short and done here; anything
else (macOS, Windows, Android, an unusual environment) asks `platformdirs`."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "canvas-tui"
_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "data": ("XDG_DATA_HOME", ".local/share")}


def user_path(kind: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The user's `kind` ("config" or "data") folder of canvas-tui."""
    variable, default = _XDG[kind]
    if sys.platform == "linux" and "ANDROID_DATA" not in environ:
        xdg = environ.get(variable, "")
        if xdg.startswith("/"):
            return Path(xdg) / APP_NAME
        home = environ.get("HOME", "")
        if home.startswith("/"):  # (a relative XDG variable is ignored, as the spec says)
            return Path(f"{home.rstrip('/')}/{default}") / APP_NAME
    import platformdirs

    if kind == "config":
        return platformdirs.user_config_path(APP_NAME)
    return platformdirs.user_data_path(APP_NAME)
