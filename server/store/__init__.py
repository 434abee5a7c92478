"""Queries, each scoped to one user: whatever another user owns simply does not exist here."""

from __future__ import annotations

__all__: list[str] = []
