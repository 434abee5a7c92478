"""Exercise search backends: the matcher's embedded index (default) or Upstash Search."""

from __future__ import annotations

from server.backends.search.base import SearchHit, SearchIndex, SearchUnavailable

__all__ = ["SearchHit", "SearchIndex", "SearchUnavailable"]
