"""`canvas-tui serve`: the app in a web browser, with textual-serve (the optional extra
`canvas-tui[web]`). Each tab runs the editor in a child process; this command never imports
Textual itself."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from canvas_tui.cli.common import (
    PROG,
    AddCommand,
    CliError,
    Context,
    Handler,
    json_option,
    print_json,
)
from canvas_tui.cli.servepage import local_page, normalise_public_url, page_base
from canvas_tui.safetext import visible

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WEB_EXTRA_HINT = "pip install 'canvas-tui[web]'"


def register(add: AddCommand) -> dict[str, Handler]:
    serve = add("serve", "run canvas-tui in a web browser (needs canvas-tui[web])")
    serve.add_argument(
        "ref", metavar="NAME", nargs="?", help="open this canvas (default: the list)"
    )
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on ({DEFAULT_HOST})"
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port to listen on ({DEFAULT_PORT})"
    )
    serve.add_argument(
        "--public-url", metavar="URL", help="the address browsers use, if not http://HOST:PORT"
    )
    serve.add_argument(  # SUPPRESS: `canvas-tui --read-only serve` counts as well
        "--read-only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="the whole session is read-only: nobody can change anything",
    )
    json_option(serve)

    return {"serve": run_serve}


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535: {value}")
    return port


# -- serve ---------------------------------------------------------------------------------

SHUTDOWN_SECONDS = 10.0  # how long ctrl+c waits for the editors in the browsers to save and quit

# A connection that goes silent without closing (a laptop lid closed, a network gone) is pinged
# after this many seconds without a word from the browser, and given half as long again to
# answer (aiohttp rounds each up to whole seconds): then it is dead, and its tab's session
# ends (the open field committed and saved). Within half a minute; a test sets a shorter one.
HEARTBEAT_SECONDS = 15.0
ENV_HEARTBEAT = "CANVAS_TUI_SERVE_HEARTBEAT"


def run_serve(context: Context) -> int:
    from importlib.util import find_spec

    if find_spec("textual_serve") is None:
        raise CliError(f"serve needs textual-serve, which is not installed: {WEB_EXTRA_HINT}")
    args = context.args
    read_only = bool(getattr(args, "read_only", False))
    given = normalise_public_url(args.public_url) if args.public_url else None
    url = given or public_url(args.host, args.port)
    command = serve_command(context, read_only)
    heartbeat = heartbeat_seconds(os.environ.get(ENV_HEARTBEAT))
    # Each browser gets its own editor process, whose stdin and stdout are textual-serve's
    # pipes, not a terminal: tell the editor that this is intended.
    os.environ["CANVAS_TUI_FORCE"] = "1"

    def ready() -> None:
        what = f"the canvas {args.ref}" if args.ref else "the canvas browser"
        data_dir = visible(str(context.store.data_dir))
        if args.json:
            print_json(
                {
                    "url": url,
                    "host": args.host,
                    "port": args.port,
                    "canvas": args.ref,
                    "data_dir": str(context.store.data_dir),
                    "read_only": read_only,
                }
            )
        else:
            print(visible(f"Serving {what} at {url} - open it in a web browser; ctrl+c stops."))
        sys.stdout.flush()
        where = "this machine" if args.host in LOOPBACK_HOSTS else "the network"
        can = "see" if read_only else "open, edit and delete"
        print(
            f"{PROG}: warning: anyone who can reach port {args.port} on {visible(args.host)}"
            f" ({where}) can {can} the canvases in {data_dir}: there is no password",
            file=sys.stderr,
            flush=True,
        )

    try:
        run_web_server(command, args.host, args.port, url, ready, given=given, heartbeat=heartbeat)
    except OSError as error:
        where = visible(f"{args.host}:{args.port}")
        raise CliError(f"cannot serve on {where}: {error.strerror or error}") from None
    print(f"{PROG}: stopped", file=sys.stderr)
    return 0


def heartbeat_seconds(value: str | None) -> float:
    """`$CANVAS_TUI_SERVE_HEARTBEAT` (seconds), or `HEARTBEAT_SECONDS` when it is not set."""
    if not value:
        return HEARTBEAT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 86_400:
        raise CliError(f"{ENV_HEARTBEAT} is a number of seconds above 0: {visible(value)!r}")
    return seconds


def public_url(host: str, port: int) -> str:
    """The address a browser uses: HOST:PORT, or this machine's name when HOST means every
    interface (a browser elsewhere cannot connect to 0.0.0.0)."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve_command(context: Context, read_only: bool) -> str:
    """The shell command that runs one editor for one browser: this program, on the same
    data dir and config, ignoring ctrl+c typed at the server's terminal (the server stops
    the editors itself, so that each commits what it holds)."""
    import shlex

    args = context.args
    words = [
        sys.executable,
        "-m",
        "canvas_tui",
        "--data-dir",
        str(context.store.data_dir.resolve()),
    ]
    config = getattr(args, "config", None)
    if config:
        words += ["--config", str(Path(config).expanduser().resolve())]
    if args.ref is None:
        words += ["--read-only"] if read_only else []
    else:
        from canvas_tui.store import is_path_ref

        context.store.resolve(args.ref)  # a name that is not valid: the error now
        ref = str(Path(args.ref).expanduser().resolve()) if is_path_ref(args.ref) else args.ref
        words += ["open", *(["--read-only"] if read_only else []), "--", ref]
    return "trap '' INT; exec " + shlex.join(words)


def run_web_server(
    command: str,
    host: str,
    port: int,
    url: str,
    ready: Callable[[], None],
    *,
    given: str | None = None,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> None:
    """Serve `command` to web browsers with textual-serve until SIGINT, SIGTERM or SIGHUP;
    then close every browser's connection, which quits its editor, and return. The page's
    addresses are made from `given` (`--public-url`) or from the address each browser used
    (`url` if it sent none); `url` is what the terminal is told. A connection silent for
    `heartbeat` seconds is pinged, and ended (with its editor's session) when it does not
    answer within half that."""
    import asyncio
    import contextlib
    import logging
    import signal
    from typing import Any

    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class CanvasServer(Server):
        """textual-serve's server, with our start-up message and a shutdown that lets every
        editor save and quit."""

        def __init__(self) -> None:
            super().__init__(command, host=host, port=port, title=PROG, public_url=url)
            self.sockets: set[web.WebSocketResponse] = set()
            self.editors: list[asyncio.subprocess.Process] = []

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format=f"{PROG}: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            pass  # `ready` speaks once the port is open

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            page = (Path(self.templates_path) / "app_index.html").read_text(encoding="utf-8")
            loader = jinja2.DictLoader({"app_index.html": local_page(page)})
            aiohttp_jinja2.setup(app, loader=loader, autoescape=True)
            return app

        async def handle_index(self, request: web.Request) -> web.Response:
            """textual-serve's page, its addresses made from the one the browser used."""
            base = page_base(given, request.headers.get("Host"), request.scheme, url)
            router = request.app.router

            def address(route: str, **parts: str) -> str:
                return f"{base}{router[route].url_for(**parts)}"

            websocket = address("websocket").split(":", 1)[1]
            context: dict[str, Any] = {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": ("wss:" if base.startswith("https") else "ws:") + websocket,
                "config": {"static": {"url": address("static", filename="/").rstrip("/") + "/"}},
                "application": {"name": self.title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

        async def on_shutdown(self, app: web.Application) -> None:
            for socket in list(self.sockets):
                await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's (1.1.3), with our heartbeat instead of its fixed 15 seconds:
            a browser's connection, its editor started, and stopped (told to quit, which
            ends its session) however the connection ends, a dead one included."""
            websocket = web.WebSocketResponse(heartbeat=heartbeat)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: AppService | None = None

            async def close() -> None:  # when the editor exits on its own (q)
                await websocket.close()

            try:
                await websocket.prepare(request)
                app_service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                await self._process_messages(websocket, app_service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                logging.getLogger("textual-serve").exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

        async def _process_messages(
            self, websocket: web.WebSocketResponse, app_service: AppService
        ) -> None:
            self.sockets.add(websocket)
            # textual-serve keeps the editor's process to itself: look, so as to wait for it.
            editor = getattr(app_service, "_process", None)
            if isinstance(editor, asyncio.subprocess.Process):
                self.editors = [*(e for e in self.editors if e.returncode is None), editor]
            try:
                await super()._process_messages(websocket, app_service)
            finally:
                self.sockets.discard(websocket)

        async def run(self) -> None:
            self.initialize_logging()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(signum, stop.set)
            runner = web.AppRunner(await self._make_app(), handle_signals=False)
            await runner.setup()
            try:
                site = web.TCPSite(runner, host, port, shutdown_timeout=SHUTDOWN_SECONDS)
                await site.start()
                ready()
                await stop.wait()
            finally:
                await runner.cleanup()  # closes the connections: each editor saves and quits
                await self.wait_for_editors()

        async def wait_for_editors(self) -> None:
            """Until every editor has exited (they save on the way out); those that take too
            long are asked again with SIGTERM, which also makes an editor save and quit."""
            running = [editor for editor in self.editors if editor.returncode is None]
            for attempt in range(2):
                if not running:
                    return
                waits = [asyncio.ensure_future(editor.wait()) for editor in running]
                await asyncio.wait(waits, timeout=SHUTDOWN_SECONDS)
                running = [editor for editor in running if editor.returncode is None]
                if attempt == 0:
                    for editor in running:
                        with contextlib.suppress(ProcessLookupError):
                            editor.terminate()

    asyncio.run(CanvasServer().run())
