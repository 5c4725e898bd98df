"""Export the example canvas to HTML and photograph it in headless Chromium.

    python scripts/html_screenshot.py [OUT.png]      # needs Debian's chromium package

Shows that the HTML export lays the nine blocks out as the classic canvas, on screen and
when printed (a PDF is written beside the PNG).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from canvas_tui.example import EXAMPLE
from canvas_tui.render.export import to_html

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
        page.write_text(to_html(EXAMPLE, guide=False), encoding="utf-8")
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
    print(f"wrote {out} and {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
