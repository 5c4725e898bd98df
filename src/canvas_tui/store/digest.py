"""SHA-256 as hex, without importing `hashlib` where Python has its own SHA-256 built in:
`hashlib` loads OpenSSL first, which costs every command that reads a canvas milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_sha256: Callable[[bytes], Any]
try:
    from _sha2 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:
    try:
        from _sha256 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256 as _sha256


def sha256_hex(data: bytes) -> str:
    return str(_sha256(data).hexdigest())
