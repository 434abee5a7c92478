"""Pluggable backends (kv, search, llm): a small Protocol each, an embedded default, cloud adapters."""

from __future__ import annotations

__all__: list[str] = []
