"""Shared fixtures: a fresh data dir per test, canvases on disk, and the text on screen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.canvasfile import dump
from canvas_tui.model import Canvas
from canvas_tui.store import CanvasStore
from canvas_tui.template import built_in_templates


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the real data dir or config, or sees colour settings of the machine."""
    monkeypatch.setenv("CANVAS_TUI_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("CANVAS_TUI_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def plain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour forced on by the machine: output is plain text, so any ESC in it is a leak."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data dir that exists already (so it is never seeded with the example)."""
    path = tmp_path / "data"
    (path / "canvases").mkdir(parents=True)
    return path


@pytest.fixture
def store(data_dir: Path) -> CanvasStore:
    return CanvasStore(data_dir)


def dump_canvas(canvas: Canvas) -> str:
    """A canvas as canvas-tui writes it (its template must be a shipped one)."""
    return dump(canvas, built_in_templates().for_canvas(canvas.template).keys)


def write_canvas(store: CanvasStore, name: str, canvas: Canvas) -> Path:
    path = store.path_for(name)
    keys = store.templates.for_canvas(canvas.template).keys
    path.write_text(dump(canvas, keys), encoding="utf-8")
    return path


def screen_text(app: object) -> str:
    """The plain text on the app's screen, line by line, as a person would read it."""
    screen = app.screen  # type: ignore[attr-defined]
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def wait_for(
    pilot: Any, condition: Callable[[], bool], timeout: float = 10.0, what: str = "the condition"
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In CI (CANVAS_TUI_NO_SKIPS=1, set by .ci/run, which installs git and chromium) a test
    that skips for a missing program fails instead: CI must never skip one silently."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CANVAS_TUI_NO_SKIPS") == "1":
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"
