"""Fine-tune data from what lifters said and what they corrected: SFT and DPO JSONL, one user at a time.

SFT: every utterance that logged sets (and was not undone), answered by its final ParsedSet, the
corrected one where the lifter fixed it. DPO: every corrected utterance, the correction preferred over
the original parse.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.db import VoiceCommand

__all__ = ["SYSTEM_PROMPT", "ExportFormat", "count_examples", "export_lines"]

ExportFormat = Literal["sft", "dpo"]

SYSTEM_PROMPT = (
    "You log strength-training sets from what a lifter said. Answer with one JSON object, a ParsedSet: "
    '{"intent", "exercise": {"id", "name"} from the exercise catalog or null, "alternatives", "sets", '
    '"reps", "weight" as spoken, "unit" ("lb" or "kg"), "rpe", "duration_s", "confidence"}.'
)

_BATCH = 200
_encoder = msgspec.json.Encoder()


def _query(user_id: str, fmt: ExportFormat) -> Any:
    q = select(VoiceCommand).where(VoiceCommand.user_id == user_id)
    if fmt == "sft":
        q = q.where(VoiceCommand.action == "logged", VoiceCommand.intent == "log_set")
    else:
        q = q.where(VoiceCommand.was_corrected.is_(True), VoiceCommand.corrected_output.is_not(None))
    return q


def _messages(command: VoiceCommand) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": command.raw_transcript},
    ]


def _assistant(parsed: dict[str, Any]) -> dict[str, str]:
    return {"role": "assistant", "content": _encoder.encode(parsed).decode()}


def example(command: VoiceCommand, fmt: ExportFormat) -> dict[str, Any]:
    final = command.corrected_output or command.parsed
    if fmt == "sft":
        return {"messages": [*_messages(command), _assistant(final)]}
    return {
        "input": {"messages": _messages(command)},
        "preferred_output": [_assistant(final)],
        "non_preferred_output": [_assistant(command.parsed)],
    }


async def count_examples(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: str, fmt: ExportFormat
) -> int:
    async with sessionmaker() as session:
        q = _query(user_id, fmt).with_only_columns(func.count(VoiceCommand.id))
        return int((await session.execute(q)).scalar_one())


async def export_lines(
    sessionmaker: async_sessionmaker[AsyncSession], user_id: str, fmt: ExportFormat
) -> AsyncIterator[bytes]:
    """JSONL lines, oldest first, read in keyset pages so a large history never sits in memory."""
    after: tuple[Any, str] | None = None
    while True:
        async with sessionmaker() as session:
            q = _query(user_id, fmt).order_by(VoiceCommand.created_at, VoiceCommand.id).limit(_BATCH)
            if after is not None:
                created, ident = after
                q = q.where(
                    (VoiceCommand.created_at > created)
                    | ((VoiceCommand.created_at == created) & (VoiceCommand.id > ident))
                )
            commands = list((await session.execute(q)).scalars())
        for command in commands:
            yield _encoder.encode(example(command, fmt)) + b"\n"
        if len(commands) < _BATCH:
            return
        after = (commands[-1].created_at, commands[-1].id)
