"""A browser tab without the browser: textual-serve's WebSocket protocol spoken with aiohttp
(what its page's JavaScript sends: `["stdin", text]`, `["resize", {...}]`; the editor's screen
comes back as terminal output in binary frames)."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import re
import time
from collections.abc import AsyncIterator

import aiohttp

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


class Tab:
    """One connection to `/ws`: one editor process on the server."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.received = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._listener = asyncio.create_task(self._listen())

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls, url: str, size: tuple[int, int] = (120, 40), headers: dict[str, str] | None = None
    ) -> AsyncIterator[Tab]:
        ws = url.replace("http://", "ws://", 1).rstrip("/") + "/ws"
        async with aiohttp.ClientSession() as session:
            params = {"width": str(size[0]), "height": str(size[1])}
            async with session.ws_connect(ws, params=params, headers=headers) as socket:
                tab = cls(socket)
                try:
                    yield tab
                finally:
                    tab._listener.cancel()

    async def _listen(self) -> None:
        async for message in self.socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += _ESCAPES.sub("", self._decoder.decode(message.data))

    def mark(self) -> int:
        return len(self.received)

    async def wait_for_text(self, *texts: str, timeout: float = 60.0, start: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while not all(text in self.received[start:] for text in texts):
            if time.monotonic() > deadline:
                tail = self.received[-600:]
                raise TimeoutError(f"timed out waiting for {texts!r}; received: {tail!r}")
            await asyncio.sleep(0.05)  # the polling step, not a wait for anything

    async def type(self, text: str) -> None:
        """Keys as xterm.js sends them (one message per key, as a person types)."""
        for char in text:
            await self.socket.send_json(["stdin", char])

    async def close(self) -> None:
        """The tab closed: the browser ends the WebSocket properly."""
        await self.socket.close()

    def go_silent(self) -> None:
        """The browser stops answering without closing anything (a laptop lid closed, a
        network gone, as the server sees it): nothing is read any more, so the server's pings
        go unanswered, and nothing is sent; the connection stays open."""
        self._listener.cancel()
        connection = self.socket._conn  # aiohttp has no public way to stop reading
        transport = connection.transport if connection is not None else None
        if transport is not None:
            transport.pause_reading()

    def drop(self) -> None:
        """The connection dropped (a laptop lid closed, a network gone): no closing
        handshake, the TCP connection just ends."""
        self._listener.cancel()
        connection = self.socket._conn  # aiohttp has no public way to cut a connection
        transport = connection.transport if connection is not None else None
        if transport is not None:
            transport.abort()
