"""Fan-out: events about a workout reach every socket open on it, on whichever instance holds the socket."""

from __future__ import annotations

from server.fanout.hub import Fanout, build_fanout, workout_channel

__all__ = ["Fanout", "build_fanout", "workout_channel"]
