"""`voicelog stt-worker`: a speech worker for instances running with VOICELOG_STT_MODE=workers."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from server.commands.registry import command
from server.settings import Settings

__all__: list[str] = []


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="consumer name in the group (default host name and process id)")
    p.add_argument(
        "--batch", type=int, default=4, help="jobs taken per read; queued finals decode as one batch"
    )


@command("stt-worker", _args)
def _stt_worker(args: argparse.Namespace, settings: Settings) -> int:
    redis_url = settings.redis_url
    if not redis_url:
        print("voicelog: stt-worker needs VOICELOG_REDIS_URL (the jobs come through Redis)", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    async def run() -> int:
        from redis.asyncio import Redis

        from server.stt.factory import build_local_transcriber
        from server.stt.workers.worker import SttWorker

        transcriber = await build_local_transcriber(settings, max_pending=max(8, args.batch * 2))
        redis = Redis.from_url(redis_url, socket_connect_timeout=2)
        worker = SttWorker(
            redis, transcriber, name=args.name, claim_after_s=settings.stt_claim_after_s, batch=args.batch
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)  # finish the jobs in hand, then leave
        print(f"stt-worker {worker.name} ready", flush=True)
        try:
            await worker.run(stop)
        finally:
            await redis.aclose()
            transcriber.close()
        return 0

    return asyncio.run(run())
