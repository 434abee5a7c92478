"""Key-value store for the match cache, rate limits and websocket session context."""

from __future__ import annotations

from server.backends.kv.base import KV, KVUnavailable
from server.backends.kv.memory import MemoryKV
from server.backends.kv.resilient import ResilientKV

__all__ = ["KV", "KVUnavailable", "MemoryKV", "ResilientKV"]
