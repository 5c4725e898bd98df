"""`python -m canvas_tui` is the same program as `canvas-tui`."""

import sys

from canvas_tui.cli import main

sys.exit(main())
