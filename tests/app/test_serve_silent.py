"""Under `serve`, a tab whose connection goes silent without closing (a laptop lid closed, a
network gone) still ends its session safely: the server's heartbeat finds the connection
dead, and the tab's editor commits the open field, saves and frees the canvas."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from types import ModuleType

import pytest

from canvas_tui.cli.common import CliError
from canvas_tui.cli.serve import ENV_HEARTBEAT, HEARTBEAT_SECONDS, heartbeat_seconds
from canvas_tui.store import CanvasStore, load
from helpers import TIMEOUT, poll_until
from webclient import Tab

STARTING = 60.0  # generous: a busy two-core machine starts `serve` and its editors slowly
HEARTBEAT = 4.0  # seconds of silence before the server pings (production: 15); it then waits 2
TYPED = "unconfirmed"  # typed in the item field, enter not pressed


def items(store: CanvasStore) -> tuple[str, ...]:
    path = store.path_for("acme")
    return load(path).canvas.texts(0) if path.exists() else ()


def test_a_tab_gone_silent_has_its_open_field_saved(
    web: ModuleType, data_dir: Path, store: CanvasStore
) -> None:
    env = {**os.environ, ENV_HEARTBEAT: str(HEARTBEAT)}
    port = str(web.free_port())
    served = web.Served("--data-dir", str(data_dir), "--port", port, "acme", env=env)
    try:
        url = served.url(timeout=STARTING)

        async def session() -> float:
            async with Tab.open(url) as tab:
                await tab.wait_for_text("Key Partners", "Quit", timeout=STARTING)
                await tab.type("a" + TYPED)
                await tab.wait_for_text(TYPED, timeout=STARTING)
                assert items(store) == ()  # in the open field only, not saved
                tab.go_silent()
                silent = time.monotonic()
                # Found dead after HEARTBEAT + HEARTBEAT / 2 seconds (and rounding); the rest
                # of the bound is for its editor to quit on a busy machine.
                await asyncio.to_thread(
                    poll_until,
                    lambda: items(store) == (TYPED,),
                    "the typed item on disk",
                    HEARTBEAT * 1.5 + TIMEOUT,
                )
                took = time.monotonic() - silent
                tab.drop()  # the browser is gone for good
                return took

        took = asyncio.run(session())
        assert took >= HEARTBEAT  # the heartbeat ended it: nothing else did, earlier
        poll_until(lambda: not served.children(), "the editor to exit")
        assert store.in_use("acme") is None  # the canvas is free for the next tab
    finally:
        served.close()


def test_the_heartbeat_is_15_seconds_unless_the_environment_says() -> None:
    assert heartbeat_seconds(None) == heartbeat_seconds("") == HEARTBEAT_SECONDS == 15.0
    assert heartbeat_seconds("2.5") == 2.5
    for wrong in ("0", "-3", "soon", "nan", "inf"):
        with pytest.raises(CliError, match=ENV_HEARTBEAT):
            heartbeat_seconds(wrong)
