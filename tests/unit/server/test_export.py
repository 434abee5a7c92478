from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.db import VoiceCommand, Workout
from server.db import create_engine, create_sessionmaker, upgrade
from server.export import count_examples, export_lines
from server.store.users import create_user


async def test_pages_cover_every_row_once_in_order_even_with_equal_timestamps(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    try:
        await upgrade(engine)
        sessions = create_sessionmaker(engine)
        me, _ = await create_user(sessions, "me")
        someone, _ = await create_user(sessions, "someone")
        start = datetime(2026, 1, 1, tzinfo=UTC)
        async with sessions() as s, s.begin():
            for user in (me, someone):
                workout = Workout(user_id=user.id)
                s.add(workout)
                await s.flush()
                for i in range(450):
                    # blocks of 50 share one timestamp, so page boundaries fall inside ties
                    parsed = {"intent": "log_set", "reps": i % 20 + 1, "sets": 1, "confidence": 1.0}
                    corrected = {**parsed, "reps": 99} if i % 3 == 0 else None
                    s.add(
                        VoiceCommand(
                            user_id=user.id,
                            workout_id=workout.id,
                            raw_transcript=f"{user.name} utterance {i}",
                            intent="log_set",
                            action="logged",
                            parsed=parsed,
                            confidence=1.0,
                            was_corrected=corrected is not None,
                            corrected_output=corrected,
                            created_at=start + timedelta(seconds=i // 50),
                        )
                    )
        sft = [json.loads(line) async for line in export_lines(sessions, me.id, "sft")]
        dpo = [json.loads(line) async for line in export_lines(sessions, me.id, "dpo")]
        assert await count_examples(sessions, me.id, "sft") == len(sft) == 450
        assert await count_examples(sessions, me.id, "dpo") == len(dpo) == 150
        said = [line["messages"][1]["content"] for line in sft]
        assert len(set(said)) == 450 and all(t.startswith("me ") for t in said)
        blocks = [int(t.rsplit(" ", 1)[1]) // 50 for t in said]
        assert blocks == sorted(blocks)
        assert all(json.loads(d["preferred_output"][0]["content"])["reps"] == 99 for d in dpo)
        assert all(json.loads(d["non_preferred_output"][0]["content"])["reps"] != 99 for d in dpo)
    finally:
        await engine.dispose()
