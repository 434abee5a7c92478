"""The `voicelog` subcommands of the core server. Each module registers itself in `registry.COMMANDS`."""

from __future__ import annotations

from server.commands import backends, database, export, serve, stt_worker, users
from server.commands.registry import COMMANDS, command

__all__ = ["COMMANDS", "backends", "command", "database", "export", "serve", "stt_worker", "users"]
