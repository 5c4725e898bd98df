"""The user's folders found without platformdirs are the ones platformdirs finds."""

from __future__ import annotations

import platformdirs
import pytest

from canvas_tui.store.userdirs import APP_NAME, user_path


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/ada"},
        {"HOME": "/home/ada/"},
        {"HOME": "/"},
        {"HOME": "/home/ada", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data"},
        {"HOME": "/home/ada", "XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": "rel/data"},
        {"HOME": "/home/ada", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""},
        {"HOME": "relative-home", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "/data"},
    ],
)
def test_the_same_folders_as_platformdirs(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_path("config") == platformdirs.user_config_path(APP_NAME)
    assert user_path("data") == platformdirs.user_data_path(APP_NAME)
