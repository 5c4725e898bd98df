"""The canvas file format: strict parsing, and writing that keeps the user's style. No I/O.

```toml
schema = 1                 # 2 once an item carries a status, tags or a note
title = "Acme Robotics"
template = "lean"          # absent: the default template, tech-bmc

[blocks]
problem = [
    "Plain items are strings",
    { text = "Others are inline tables", status = "testing", tags = ["b2b"], note = "Why." },
]
```

Reading has two paths: text in the form `dump` writes (every saved file, so nearly every
file read) is read line by line with `json` for its strings, about five times faster than
`tomllib` for thousands of items; anything else goes to the standard library's `tomllib`,
which is strict (duplicate keys, bad syntax) and reports line and column. The fast path only
accepts text that `tomllib` reads the same way (see `fast.read_canonical`). Writing has two
paths:
- a file in the canonical form this package writes is rewritten by `dump`, which is fast even
  for thousands of items, and once it is known to be `dump`'s, by `update_canonical`, which
  writes and checks only the blocks that changed;
- a file someone edited by hand goes through tomlkit, so their comments, unknown keys and
  formatting survive, and only the blocks and title that changed are rewritten.
Both `store` (files on disk) and `render` (the TOML export) use this package.

This module is the package's face; the work is in its modules: `parsed` (what reading
returns and raises, the schema numbers), `read` (bytes and text to a checked canvas),
`fast` (the reader for text in canonical form), `write` (`dump`, `rewrite` and the TOML
encoding of values).
"""

from __future__ import annotations

from canvas_tui.canvasfile.parsed import (
    BOM,
    PLAIN_SCHEMA,
    SCHEMA,
    CanvasFileError,
    Parsed,
    schema_of,
)
from canvas_tui.canvasfile.read import (
    ITEM_FIELDS,
    conflict_marker_line,
    decode,
    parse,
    unknown_blocks,
)
from canvas_tui.canvasfile.write import (
    Update,
    dump,
    item_value,
    rewrite,
    toml_string,
    toml_value,
    update_canonical,
)

__all__ = [
    "BOM",
    "ITEM_FIELDS",
    "PLAIN_SCHEMA",
    "SCHEMA",
    "CanvasFileError",
    "Parsed",
    "Update",
    "conflict_marker_line",
    "decode",
    "dump",
    "item_value",
    "parse",
    "rewrite",
    "schema_of",
    "toml_string",
    "toml_value",
    "unknown_blocks",
    "update_canonical",
]
