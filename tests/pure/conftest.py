"""The pure suite: no Textual, no other process. A test here that starts a process or imports
Textual fails, so the suite stays fast and its name stays true (such a test goes in tests/app)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _pure(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a pure test started a process: move it to tests/app")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    had_textual = "textual" in sys.modules
    yield
    if not had_textual:
        assert "textual" not in sys.modules, "a pure test imported Textual: move it to tests/app"
