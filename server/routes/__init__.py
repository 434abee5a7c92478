"""Every HTTP/websocket handler the app registers. Add yours here with one line."""

from __future__ import annotations

from typing import Any

from server.coach.routes import ask_coach, coach_conversation
from server.exercises_custom.routes import ExerciseController
from server.imports.routes import IMPORT_HANDLERS
from server.learning.routes import OwnAliasController
from server.profile.routes import ProfileController
from server.routes.audio import upload_audio
from server.routes.export import export_fine_tune
from server.routes.health import health
from server.routes.history import set_history, voice_command
from server.routes.parse import parse_text
from server.routes.sets import SetController
from server.routes.web import WEB_HANDLERS
from server.routes.workout_list import list_workouts
from server.routes.workouts import WorkoutController
from server.stream.handler import stream
from server.sync.routes import SYNC_HANDLERS
from server.training.routes import TRAINING_HANDLERS

__all__ = ["ROUTE_HANDLERS"]

ROUTE_HANDLERS: list[Any] = [
    health,
    parse_text,
    WorkoutController,
    SetController,
    OwnAliasController,
    ProfileController,
    ask_coach,
    coach_conversation,
    ExerciseController,
    export_fine_tune,
    set_history,
    voice_command,
    *WEB_HANDLERS,
    upload_audio,
    stream,
    *TRAINING_HANDLERS,
    list_workouts,
    *IMPORT_HANDLERS,
    *SYNC_HANDLERS,
]
