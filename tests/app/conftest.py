"""Fixtures of the app and system suite."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from gittools import git_env

__all__ = ["git_env", "web"]  # git_env: for every test here that runs the `git` program

SERVE_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "serve_screenshot.py"


@pytest.fixture
def web() -> ModuleType:
    """scripts/serve_screenshot.py as a module: `canvas-tui serve` and headless Chromium."""
    pytest.importorskip(
        "textual_serve", reason="needs the web extra: pip install 'canvas-tui[web]'"
    )
    spec = importlib.util.spec_from_file_location("serve_screenshot", SERVE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
