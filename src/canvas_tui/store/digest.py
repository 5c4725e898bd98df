"""SHA-256 as hex, without importing `hashlib` for small data where Python has its own
SHA-256 built in: `hashlib` loads OpenSSL first, which costs every command that reads a canvas
milliseconds. OpenSSL's is several times faster per megabyte, so large data (a canvas of
thousands of items) still goes to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SMALL = 1 << 16  # bytes: below this, the built-in one is done before OpenSSL is loaded

_builtin: Callable[[bytes], Any] | None
try:
    from _sha2 import sha256 as _builtin  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256 as _builtin  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        _builtin = None


def sha256_hex(data: bytes) -> str:
    if _builtin is not None and len(data) < SMALL:
        return str(_builtin(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()
