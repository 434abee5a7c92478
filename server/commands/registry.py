"""The table of `voicelog` subcommands: each command module registers itself here with `@command`.

Rooms add a command by writing a module that uses `command` and adding one import line to server/cli.py;
nothing imports server.cli back, so there is no cycle.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from server.settings import Settings

__all__ = ["COMMANDS", "Command", "command"]

# name -> (register arguments on its subparser, run it and return the exit code).
Command = tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace, Settings], int]]
COMMANDS: dict[str, Command] = {}


def command(name: str, register: Callable[[argparse.ArgumentParser], None]) -> Callable:
    def decorate(run: Callable[[argparse.Namespace, Settings], int]) -> Callable:
        COMMANDS[name] = (register, run)
        return run

    return decorate
