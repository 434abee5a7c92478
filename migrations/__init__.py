"""Alembic migrations, shipped inside the package so `voicelog` can upgrade from any directory."""

from __future__ import annotations

__all__: list[str] = []
