"""Export the example canvas to HTML and photograph it in headless Chromium.

    python scripts/html_screenshot.py [OUT.png]      # needs Debian's chromium package

Shows that the HTML export lays the nine blocks out as the classic canvas, on screen and
when printed: a PDF is written beside the PNG, as Chromium prints the page (landscape, on its
default paper), and the number of its pages is said (one, for the example).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from canvas_tui.example import EXAMPLE
from canvas_tui.render.export import to_html
from canvas_tui.template import built_in_templates

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "html-export.png").resolve()
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as temp:
        page = Path(temp) / "canvas.html"
        template = built_in_templates().for_canvas(EXAMPLE.template)
        page.write_text(to_html(EXAMPLE, template, guide=False), encoding="utf-8")
        profile = f"--user-data-dir={Path(temp) / 'profile'}"
        url = page.as_uri()
        subprocess.run(
            [browser, *FLAGS, profile, f"--screenshot={out}", "--window-size=1600,1000", url],
            check=True,
            capture_output=True,
        )
        pdf = out.with_suffix(".pdf")
        subprocess.run(
            [browser, *FLAGS, profile, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url],
            check=True,
            capture_output=True,
        )
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    print(f"wrote {out} and {pdf} ({pages} page{'s' if pages != 1 else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
