"""`export --format pdf|png|svg`: the canvas typeset by Typst, read back with pypdf (pages,
their size, every item's text), PNG's header (its size) and the SVG's text."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from canvas_tui.canvasfile import dump
from canvas_tui.example import EXAMPLE
from canvas_tui.model import STATUSES, Canvas, Item
from canvas_tui.store import CanvasStore
from canvas_tui.template import built_in_templates
from clitools import cli, one_line_error

pytest.importorskip("typst", reason="the print extra (typst) is not installed")
pypdf = pytest.importorskip("pypdf", reason="pypdf (in the test extra) is not installed")

TEMPLATES = built_in_templates()
LEAN = TEMPLATES.get("lean")
# Landscape page sizes in PostScript points.
A4 = (841.89, 595.28)
LETTER = (792.0, 612.0)
A3 = (1190.55, 841.89)


def write(store: CanvasStore, name: str, canvas: Canvas, keys: tuple[str, ...] = ()) -> Path:
    path = store.path_for(name)
    keys = keys or TEMPLATES.for_canvas(canvas.template).keys
    path.write_text(dump(canvas, keys), encoding="utf-8")
    return path


def export(
    data_dir: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str, *args: str
) -> Path:
    target = data_dir.parent / f"{name}.{fmt}"
    code, out, err = cli(data_dir, capsys, "export", name, "--format", fmt, "-o", target, *args)
    assert code == 0, err
    assert out == ""
    return target


def squeezed(text: str) -> str:
    """Text without white space or break opportunities: a wrapped line reads as one."""
    return re.sub(r"[\s\u200b]+", "", text)


def pdf_text(path: Path) -> tuple[list[str], list[tuple[float, float]]]:
    reader = pypdf.PdfReader(path)
    texts = [page.extract_text() for page in reader.pages]
    sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
    return texts, sizes


def assert_size(actual: tuple[float, float], expected: tuple[float, float]) -> None:
    assert actual == pytest.approx(expected, abs=0.5)


def many_items(count: int, template_blocks: int = 9) -> Canvas:
    """`count` items spread over the blocks, of realistic length, each text unique."""
    blocks: list[list[Item]] = [[] for _ in range(template_blocks)]
    for number in range(count):
        status = (None, *STATUSES)[number % 5]
        tags = ("pricing",) if number % 4 == 0 else ()
        blocks[number % template_blocks].append(
            Item(f"Idea {number:04d}: a customer insight", status, tags)
        )
    return Canvas.from_lists(f"{count} ideas", blocks)


def test_the_example_prints_on_one_a4_landscape_page_with_everything(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    texts, sizes = pdf_text(export(data_dir, capsys, "example", "pdf"))
    assert len(texts) == 1
    assert_size(sizes[0], A4)
    page = squeezed(texts[0])
    for items in EXAMPLE.blocks:
        for item in items:
            assert squeezed(item.text) in page, item.text
    for spec in TEMPLATES.default.blocks:
        assert squeezed(spec.title) in page
    assert squeezed(EXAMPLE.title) in page
    assert squeezed(TEMPLATES.default.attribution) in page
    for word in ("?assumption", "~testing", "✓validated", "✗invalidated", "¶hasanote"):
        assert word in page
    assert "#pricing" in page  # tags
    assert "44items" in page


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER), ("a3", A3)])
def test_paper_sizes_are_landscape(
    paper: str,
    size: tuple[float, float],
    data_dir: Path,
    store: CanvasStore,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(store, "example", EXAMPLE)
    texts, sizes = pdf_text(export(data_dir, capsys, "example", "pdf", "--paper", paper))
    assert len(texts) == 1
    assert_size(sizes[0], size)


def test_notes_are_numbered_and_follow_on_a_page_of_their_own(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    texts, _ = pdf_text(export(data_dir, capsys, "example", "pdf", "--notes"))
    assert len(texts) == 2
    assert "¶1" in squeezed(texts[0]) and "¶4" in squeezed(texts[0])
    notes = squeezed(texts[1])
    assert notes.startswith("Notes")
    for items in EXAMPLE.blocks:
        for item in items:
            for line in item.note.splitlines():
                assert squeezed(line) in notes
    plain, _ = pdf_text(export(data_dir, capsys, "example", "pdf"))
    assert "¶1" not in squeezed(plain[0])


def test_guide_adds_each_blocks_question(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    texts, _ = pdf_text(export(data_dir, capsys, "example", "pdf", "--guide"))
    assert len(texts) == 1
    for spec in TEMPLATES.default.blocks:
        assert squeezed(spec.question) in squeezed(texts[0])


def test_a_lean_canvas_prints_in_the_lean_grid(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas = Canvas.from_lists(
        "Lean idea", [[f"Lean item {n}"] for n in range(len(LEAN.blocks))], template="lean"
    )
    write(store, "lean", canvas)
    texts, sizes = pdf_text(export(data_dir, capsys, "lean", "pdf"))
    assert len(texts) == 1
    assert_size(sizes[0], A4)
    page = squeezed(texts[0])
    for number, spec in enumerate(LEAN.blocks):
        assert squeezed(spec.title) in page
        assert f"Leanitem{number}" in page
    assert squeezed(LEAN.title) in page


USER_TEMPLATE = """\
id = "swot"
title = "SWOT analysis"
attribution = "A classic, drawn by a user"
grid = { rows = 2, columns = 2 }

[[blocks]]
key = "strengths"
title = "Strengths"
place = { row = 0, column = 0 }

[[blocks]]
key = "weaknesses"
title = "Weaknesses"
place = { row = 0, column = 1 }

[[blocks]]
key = "opportunities"
title = "Opportunities"
place = { row = 1, column = 0 }

[[blocks]]
key = "threats"
title = "Threats"
place = { row = 1, column = 1 }
"""


def test_a_users_template_prints_in_its_own_grid(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "config" / "templates"
    folder.mkdir(parents=True)
    (folder / "swot.toml").write_text(USER_TEMPLATE, encoding="utf-8")
    (data_dir / "canvases" / "plan.toml").write_text(
        'schema = 1\ntitle = "Our SWOT"\ntemplate = "swot"\n\n[blocks]\n'
        'strengths = ["Fast team"]\nweaknesses = ["Small budget"]\n'
        'opportunities = ["New market"]\nthreats = ["Big rival"]\n',
        encoding="utf-8",
    )
    texts, sizes = pdf_text(export(data_dir, capsys, "plan", "pdf"))
    assert len(texts) == 1
    assert_size(sizes[0], A4)
    page = squeezed(texts[0])
    for word in ("OurSWOT", "SWOTanalysis", "Strengths", "Threats", "Fastteam", "Bigrival"):
        assert word in page
    assert "Aclassic,drawnbyauser" in page


def test_150_items_fit_on_one_page(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "full", many_items(150))
    texts, _ = pdf_text(export(data_dir, capsys, "full", "pdf"))
    assert len(texts) == 1
    page = squeezed(texts[0])
    assert all(f"Idea{n:04d}:acustomerinsight" in page for n in range(150))
    assert "continued" not in page


def test_2000_items_go_on_over_several_pages_and_every_one_is_there(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "huge", many_items(2000))
    texts, sizes = pdf_text(export(data_dir, capsys, "huge", "pdf"))
    assert len(texts) > 1
    assert all(size == sizes[0] for size in sizes)
    assert_size(sizes[0], A4)
    found = re.findall(r"Idea(\d{4}):", squeezed("".join(texts)))
    assert sorted(map(int, found)) == list(range(2000))  # each once: nothing cut or doubled
    assert "(continued)" in texts[1]
    assert f"page2of{len(texts)}" in squeezed(texts[1])


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_the_page_as_an_image(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    path = export(data_dir, capsys, "example", "png")
    assert png_size(path) == (1754, 1240)  # A4 landscape at 150 pixels per inch
    letter = export(data_dir, capsys, "example", "png", "--paper", "letter")
    assert png_size(letter) == (1650, 1275)


def test_png_of_several_pages_is_a_file_per_page(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    target = data_dir.parent / "out.png"
    code, _, err = cli(data_dir, capsys, "export", "example", "-f", "png", "--notes", "-o", target)
    assert code == 0
    second = data_dir.parent / "out-2.png"
    assert png_size(target) == png_size(second) == (1754, 1240)
    assert err == f"2 pages: {target} {second}\n"


def svg_words(path: Path) -> tuple[str, str, xml.dom.minidom.Document]:
    document = xml.dom.minidom.parse(str(path))
    title = document.getElementsByTagName("title")[0].firstChild
    desc = document.getElementsByTagName("desc")[0].firstChild
    assert title is not None and desc is not None
    return title.data, desc.data, document  # type: ignore[attr-defined]


def test_svg_draws_the_canvas_and_carries_its_text(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    write(store, "example", EXAMPLE)
    path = export(data_dir, capsys, "example", "svg")
    title, desc, document = svg_words(path)
    root = document.documentElement
    assert root.tagName == "svg"
    assert float(root.getAttribute("width").removesuffix("pt")) == pytest.approx(A4[0], abs=0.5)
    assert title == EXAMPLE.title
    for items in EXAMPLE.blocks:
        for item in items:
            assert item.text in desc
    assert "4 Value Proposition" in desc
    assert "- ✓ Every meeting summarised" in desc
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org/", "")  # nothing to fetch
    assert "https://" not in text
    assert "<script" not in text
    assert "<image" not in text


HOSTILE = [
    '#set text(fill: red) *bold* _em_ `raw` $x^2$ @ref <label> [link] \\ "#import"',
    "\x1b]52;c;aGk=\x07 clipboard \x1b[2J clear",
    "\u202eevil bidi\u202c",
    "</desc><script>alert(1)</script>",
    "W" * 400,
    "漢字かな 한국어 and an emoji 🚀 no font here has",
]


def test_hostile_text_stays_text_in_every_format(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    canvas = Canvas.from_lists(HOSTILE[0], [HOSTILE, *[[]] * 8])
    write(store, "evil", canvas)
    texts, _ = pdf_text(export(data_dir, capsys, "evil", "pdf", "--notes", "--guide"))
    assert len(texts) == 1
    page = squeezed(texts[0])
    assert squeezed(HOSTILE[0]) in page  # twice: as the title and as an item
    assert page.count(squeezed(HOSTILE[0])) == 2
    # Each control is its visible picture (␛), drawn as a placeholder box where no installed
    # font has that glyph: never the control itself.
    assert "]52;c;aGk=" in page and "clipboard" in page and "[2Jclear" in page
    assert "\x1b" not in texts[0]
    assert "\u202e" not in texts[0]
    assert squeezed(HOSTILE[3]) in page
    assert "W" * 400 in page  # a long word wraps inside its block, never cut
    assert "漢字かな" in page
    _, desc, document = svg_words(export(data_dir, capsys, "evil", "svg"))
    assert HOSTILE[3] in desc
    assert not document.getElementsByTagName("script")
    assert "\x1b" not in desc
    assert png_size(export(data_dir, capsys, "evil", "png")) == (1754, 1240)


def test_binary_output_to_a_pipe_and_never_to_a_terminal(
    data_dir: Path,
    store: CanvasStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(store, "example", EXAMPLE)
    argv = [sys.executable, "-m", "canvas_tui", "--data-dir", str(data_dir), "export", "example"]
    result = subprocess.run(
        [*argv, "-f", "pdf"], capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-")
    assert result.stderr == b""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    one_line_error(*cli(data_dir, capsys, "export", "example", "-f", "png"), "-o FILE")


def test_unknown_canvas_is_one_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one_line_error(*cli(data_dir, capsys, "export", "nope", "-f", "pdf"), "nope")


def test_without_typst_one_line_says_how_to_install_it(
    data_dir: Path, store: CanvasStore, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    write(store, "example", EXAMPLE)
    monkeypatch.setitem(sys.modules, "typst", None)  # `import typst` fails
    target = data_dir.parent / "x.pdf"
    result = cli(data_dir, capsys, "export", "example", "-f", "pdf", "-o", target)
    one_line_error(*result, "pip install 'canvas-tui[print]'")
    assert not target.exists()


def test_a_very_long_item_is_printed_whole(
    data_dir: Path, store: CanvasStore, capsys: pytest.CaptureFixture[str]
) -> None:
    long_text = " ".join(f"sentence{n:03d} of a very long item" for n in range(120))
    write(store, "long", Canvas.from_lists("Long", [["short one", long_text], *[["x"]] * 8]))
    texts, _ = pdf_text(export(data_dir, capsys, "long", "pdf"))
    found = re.findall(r"sentence(\d{3})", squeezed("".join(texts)))
    assert sorted(map(int, found)) == list(range(120))
    _, desc, _ = svg_words(export(data_dir, capsys, "long", "svg"))
    assert f"- {long_text}" in desc


@pytest.mark.parametrize("fmt", ["pdf", "svg"])
def test_printing_never_imports_textual(fmt: str, data_dir: Path, store: CanvasStore) -> None:
    write(store, "example", EXAMPLE)
    out = data_dir.parent / f"out.{fmt}"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "canvas_tui", "--data-dir", str(data_dir),
         "export", "example", "-f", fmt, "-o", str(out)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "typst" in imported, "the import log was not captured"
    assert not {name for name in imported if name.split(".")[0] == "textual"}
    assert out.stat().st_size > 0
