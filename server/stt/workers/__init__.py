"""Speech-to-text on separate worker processes (`voicelog stt-worker`), fed through a Redis Streams group.

`client.WorkerTranscriber` is the API instance's Transcriber when VOICELOG_STT_MODE=workers;
`worker.SttWorker` is the loop a worker runs; `jobs` is what they say to each other.
"""

from __future__ import annotations

from server.stt.workers.client import WorkerTranscriber
from server.stt.workers.worker import SttWorker

__all__ = ["SttWorker", "WorkerTranscriber"]
