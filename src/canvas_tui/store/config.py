"""The user's configuration file: where it is, and what it says.

```toml
theme = "textual-dark"     # any Textual theme; "textual-ansi" uses the terminal's colours

[keys]                     # action id = comma-separated keys: replaces that action's keys
add = "a,+"
```

`--config FILE`, else `$CANVAS_TUI_CONFIG`, else `config.toml` in the platform's user config
folder. User templates live in `templates/` beside the config file in use. Every part is
optional, and a config that cannot be used never stops the program: each problem becomes one
line in `Config.problems` and the defaults are kept for that part.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from canvas_tui.records import Record

APP_NAME = "canvas-tui"
ENV_CONFIG = "CANVAS_TUI_CONFIG"
CONFIG_FILE = "config.toml"
TEMPLATES_FOLDER = "templates"
_FIELDS = ("theme", "keys")


class Config(Record):
    """config.toml as read: the theme, rebound keys and any problems found."""

    __slots__ = ("keys", "path", "problems", "theme")
    _fields = ("path", "theme", "keys", "problems")

    path: Path
    theme: str | None
    keys: Mapping[str, str]  # action id -> "key,key"
    problems: tuple[str, ...]

    def __init__(
        self,
        path: Path,
        theme: str | None = None,
        keys: Mapping[str, str] | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "theme", theme)
        object.__setattr__(self, "keys", {} if keys is None else keys)
        object.__setattr__(self, "problems", problems)

    @property
    def templates_folder(self) -> Path:
        return self.path.parent / TEMPLATES_FOLDER


def config_path(option: str | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """`--config`, else `$CANVAS_TUI_CONFIG`, else the platform's user config folder."""
    if option:
        return Path(option).expanduser()
    if environ.get(ENV_CONFIG):
        return Path(environ[ENV_CONFIG]).expanduser()
    from canvas_tui.store.userdirs import user_path

    return user_path("config", environ) / CONFIG_FILE


def read_config(path: Path) -> Config:
    """The config at `path`; a missing file is the defaults, a broken one says why."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as error:
        return Config(path, problems=(f"{path}: cannot be read ({error}); using the defaults",))
    import tomllib  # here: without a config file (the defaults), a start never needs it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(path, problems=(f"{path}: invalid TOML ({error}); using the defaults",))
    problems = [
        f"{path}: unknown setting {name!r} (known: {', '.join(_FIELDS)}); ignored"
        for name in data
        if name not in _FIELDS
    ]
    theme = data.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        problems.append(f"{path}: 'theme' must be the name of a theme; using the default")
        theme = None
    keys: dict[str, str] = {}
    raw_keys = data.get("keys", {})
    if not isinstance(raw_keys, dict):
        problems.append(f'{path}: [keys] must be a table of action = "keys"; using the defaults')
    else:
        for action, value in raw_keys.items():
            if isinstance(value, str):
                keys[action] = value
            elif isinstance(value, list) and all(isinstance(key, str) for key in value):
                keys[action] = ",".join(value)
            else:
                problems.append(
                    f'{path}: keys.{action} must be a string such as "a,+"; kept its default'
                )
    return Config(path, theme, keys, tuple(problems))
