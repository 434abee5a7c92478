"""`voicelog serve`: uvicorn with a drain before its shutdown (server.scale.drain)."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from types import FrameType
from typing import Any

from server.commands.registry import command
from server.settings import Settings

__all__ = ["WEBSOCKET_LIBRARIES", "websocket_library"]

log = logging.getLogger("voicelog")


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to bind (default VOICELOG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default VOICELOG_PORT or 8000)")


# uvicorn speaks websockets only through one of these; without either it answers every /v1/stream
# upgrade with 405 and logs a warning nobody reads, so serve refuses to start instead.
WEBSOCKET_LIBRARIES = ("websockets", "wsproto")


def websocket_library() -> str | None:
    """The websocket library uvicorn would use, or None when none is importable."""
    for name in WEBSOCKET_LIBRARIES:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    return None


def _draining_server(uvicorn: Any, config: Any, app: Any, grace_s: float) -> Any:
    class DrainingServer(uvicorn.Server):  # type: ignore[misc,name-defined]
        """The first signal drains the open streams, then shuts down as uvicorn would; a second one
        (or a drain longer than the grace) goes on with uvicorn's own handling."""

        _drain_task: asyncio.Task[None] | None = None

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            services = getattr(app.state, "services", None)
            drain = getattr(services, "drain", None)
            if self._drain_task is not None or drain is None or self.should_exit:
                super().handle_exit(sig, frame)
                return
            loop = asyncio.get_event_loop()

            async def drain_then_exit() -> None:
                try:
                    await drain.drain(grace_s)
                finally:
                    super(DrainingServer, self).handle_exit(sig, frame)

            self._drain_task = loop.create_task(drain_then_exit())

    return DrainingServer(config)


@command("serve", _serve_args)
def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if websocket_library() is None:
        print(
            "voicelog: cannot serve websockets (/v1/stream, the web page's microphone): no websocket "
            "library is installed. Install one with: pip install websockets",
            file=sys.stderr,
        )
        return 2

    if settings.stt_mode == "workers" and not settings.redis_url:
        print(
            "voicelog: VOICELOG_STT_MODE=workers needs VOICELOG_REDIS_URL (speech jobs go through Redis)",
            file=sys.stderr,
        )
        return 2

    import uvicorn

    from server.app import create_app

    app = create_app(settings)
    host, port = args.host or settings.host, args.port or settings.port
    if not hasattr(uvicorn, "Server"):  # a stand-in uvicorn (tests) offers run() only
        uvicorn.run(app, host=host, port=port, log_level="info")
        return 0
    from server.serve_protocols import ContractH11Protocol, contract_websockets_protocol

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        # uvicorn's own 400s (unparseable HTTP, a refused websocket handshake) in the contract's body
        http=ContractH11Protocol,
        ws=contract_websockets_protocol() if websocket_library() == "websockets" else "auto",
    )
    _draining_server(uvicorn, config, app, settings.shutdown_grace_s).run()
    return 0
