"""Where canvases live and how they are read and written: files, folders, locks, the
background saver, the config file and git. No Textual here.

This module is the package's face; the work is in its modules: `canvases` (the data dir),
`files` (one canvas file), `atomic` (crash-safe writes), `autosave` (saving in the
background), `lock` (one editor per canvas), `names` (file names from titles), `config` (the
user's config file), `git` (the git program), `gitsetup` (`git-setup`), `templatecopy`
(templates that travel with the canvases), `templatecache` (the shipped templates compiled),
`snapshots` (local versions), `errors`.
"""

from __future__ import annotations

from canvas_tui.canvasfile import CanvasFileError
from canvas_tui.store.atomic import Fingerprint, SaveError, content_changed, remove_stale_temps
from canvas_tui.store.canvases import CanvasInfo, CanvasStore, resolve_data_dir
from canvas_tui.store.errors import ConflictError, NameTakenError, StoreError
from canvas_tui.store.files import Loaded, is_path_ref, load, new_canvas, save, save_copy
from canvas_tui.store.names import InvalidNameError

__all__ = [
    "CanvasFileError",
    "CanvasInfo",
    "CanvasStore",
    "ConflictError",
    "Fingerprint",
    "InvalidNameError",
    "Loaded",
    "NameTakenError",
    "SaveError",
    "StoreError",
    "content_changed",
    "is_path_ref",
    "load",
    "new_canvas",
    "remove_stale_temps",
    "resolve_data_dir",
    "save",
    "save_copy",
]
