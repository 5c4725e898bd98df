"""Shared fixtures: a fresh data dir per test, canvases on disk, and the text on screen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.store import CanvasStore


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """In CI (CANVAS_TUI_NO_SKIPS=1, set by .ci/run, which installs git and chromium) a test
    that skips for a missing program fails instead: CI must never skip one silently."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CANVAS_TUI_NO_SKIPS") == "1":
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"
