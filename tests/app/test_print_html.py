"""The HTML export printed by headless Chromium: one landscape page (its print style sizes the
text to fit), the legend, nothing loaded; and scripts/html_screenshot.py runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from canvas_tui.example import EXAMPLE
from canvas_tui.model import Canvas, Item
from canvas_tui.render.export import to_html
from canvas_tui.template import built_in_templates

pypdf = pytest.importorskip("pypdf", reason="pypdf (in the test extra) is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
TECH = built_in_templates().default
LEAN = built_in_templates().get("lean")
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "html_screenshot.py"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update"]  # fmt: skip


def printed(tmp_path: Path, page: str) -> list[tuple[float, float]]:
    """The page sizes of `page` printed to PDF by Chromium."""
    assert CHROMIUM is not None
    html = tmp_path / "canvas.html"
    html.write_text(page, encoding="utf-8")
    pdf = tmp_path / "canvas.pdf"
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
         "--no-pdf-header-footer", html.as_uri()],
        capture_output=True, check=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    reader = pypdf.PdfReader(pdf)
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def many_items(count: int) -> Canvas:
    blocks: list[list[Item]] = [[] for _ in range(9)]
    for number in range(count):
        blocks[number % 9].append(Item(f"Idea {number:04d}: a customer insight in a few words"))
    return Canvas.from_lists(f"{count} ideas", blocks)


@needs_chromium
@pytest.mark.parametrize(
    ("name", "canvas", "template", "guide"),
    [
        ("example", EXAMPLE, TECH, False),
        ("example with guidance", EXAMPLE, TECH, True),
        ("lean", Canvas.from_lists("Lean", [["an item"]] * 9, template="lean"), LEAN, True),
        ("100 items", many_items(100), TECH, False),
    ],
)
def test_html_prints_on_one_landscape_page(
    name: str, canvas: Canvas, template: object, guide: bool, tmp_path: Path
) -> None:
    sizes = printed(tmp_path, to_html(canvas, template, guide=guide))  # type: ignore[arg-type]
    assert len(sizes) == 1, name
    width, height = sizes[0]
    assert width > height  # landscape


def test_html_print_style_shrinks_text_for_a_full_canvas() -> None:
    small = to_html(EXAMPLE, TECH)
    full = to_html(many_items(100), TECH)
    assert "@page { size: landscape;" in small
    size_of = lambda page: float(page.split("html { font-size: ")[1].split("pt")[0])  # noqa: E731
    assert 5.0 <= size_of(full) < size_of(small) <= 10.0


def test_html_has_the_legend() -> None:
    page = to_html(EXAMPLE, TECH)
    for status in ("assumption", "testing", "validated", "invalidated"):
        assert f"{status}</span>" in page
    assert "¶ note" in page


@needs_chromium
def test_html_screenshot_script_runs(tmp_path: Path) -> None:
    out = tmp_path / "html.png"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "(1 page)" in result.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.with_suffix(".pdf").exists()
