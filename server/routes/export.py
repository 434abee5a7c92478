"""Fine-tune export of the caller's own utterances, streamed as JSONL."""

from __future__ import annotations

from typing import Literal

from litestar import get
from litestar.response import Stream

from server.auth import CurrentUser
from server.export import export_lines
from server.services import Services

__all__ = ["export_fine_tune"]


@get("/v1/export/fine-tune", tags=["export"], media_type="application/x-ndjson")
async def export_fine_tune(
    user: CurrentUser, services: Services, format: Literal["sft", "dpo"] = "sft"
) -> Stream:
    return Stream(
        export_lines(services.sessionmaker, user.id, format),
        media_type="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="voicelog-{format}.jsonl"'},
    )
