"""`POST /v1/sync`: the phone's offline work in, every change since its cursor out."""

from __future__ import annotations

from litestar import post
from litestar.status_codes import HTTP_200_OK

from models.sync import SyncIn, SyncOut
from server.auth import CurrentUser
from server.services import Services
from server.sync.service import SyncService

__all__ = ["SYNC_HANDLERS", "sync"]

# 500 changes of a few hundred bytes each; the app's default JSON limit is for one utterance.
MAX_SYNC_BYTES = 1024 * 1024


@post(
    "/v1/sync",
    status_code=HTTP_200_OK,
    tags=["sync"],
    summary="Push offline changes, pull every change since the cursor",
    request_max_body_size=MAX_SYNC_BYTES,
)
async def sync(data: SyncIn, user: CurrentUser, services: Services) -> SyncOut:
    return await SyncService(services.sessionmaker, services.pipeline).sync(user.id, data)


SYNC_HANDLERS = [sync]
