"""The realtime websocket `/v1/stream`: a thin handler and a per-connection session."""

from __future__ import annotations

__all__: list[str] = []
