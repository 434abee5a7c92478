"""`/v1/profile`: read (now or on a past day), replace, patch (RFC 6902), and the ledger of changes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post, put
from litestar.params import Body

from models.profile import Profile, ProfileUpdateOut, SpokenUpdateIn, SpokenUpdateOut, UpdateSource
from server.auth import CurrentUser
from server.errors import BadInput, DomainError
from server.profile.context import ProfileContext
from server.profile.ledger import PatchRefused
from server.profile.service import load_context
from server.profile.spoken import read_spoken_update
from server.profile.store import change_profile, current_profile, ledger, profile_as_of, replace_profile
from server.services import Services

__all__ = ["ProfileController", "parse_day"]

PATCH_MEDIA_TYPE = "application/json-patch+json"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"


class NotAProfileUpdate(DomainError):
    status = 422
    code = "not_a_profile_update"


def refused(exc: PatchRefused) -> DomainError:
    error = DomainError(exc.message, code=exc.code)
    error.status = exc.status
    return error


def parse_day(as_of: str | None) -> date | None:
    if as_of is None:
        return None
    try:
        return date.fromisoformat(as_of)
    except ValueError as exc:
        raise BadInput(f"as_of must be a date YYYY-MM-DD, not {as_of!r}", code="invalid_input") from exc


def _profile(document: dict[str, Any]) -> Profile:
    return msgspec.convert(document, Profile)


class ProfileController(Controller):
    path = "/v1/profile"
    tags = ["profile"]  # noqa: RUF012

    @get("/", summary="The profile now, or rebuilt from the ledger as it stood at the end of `as_of`")
    async def read(self, user: CurrentUser, services: Services, as_of: str | None = None) -> Profile:
        day = parse_day(as_of)
        async with services.sessionmaker() as session:
            if day is None:
                return _profile((await current_profile(session, user.id))[0])
            return _profile(await profile_as_of(session, user.id, day))

    @put(
        "/",
        summary="Replace the whole profile (kept in the ledger as the patch it amounts to)",
        description="The body is a Profile (see the GET answer's schema). Unknown fields answer 422.",
    )
    async def replace(
        self,
        data: Annotated[dict[str, Any], Body(description="the whole profile, camelCase; see Profile")],
        user: CurrentUser,
        services: Services,
        source: UpdateSource = "user",
        reason: str | None = None,
    ) -> Profile:
        document = msgspec.to_builtins(data)
        try:
            new = await replace_profile(
                services.sessionmaker, user.id, document, source=source, reason=reason
            )
        except PatchRefused as exc:
            raise refused(exc) from exc
        return _profile(new)

    @patch(
        "/",
        summary="Apply an RFC 6902 JSON-Patch (Content-Type: application/json-patch+json)",
        description="A patch that cannot apply answers 409; one whose result is no valid profile 422; "
        "a malformed one 400. Nothing is stored then.",
    )
    async def patch(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[
            list[dict[str, Any]],
            Body(media_type=PATCH_MEDIA_TYPE, description="an RFC 6902 array of operations"),
        ],
        user: CurrentUser,
        services: Services,
        source: UpdateSource = "user",
        reason: str | None = None,
    ) -> Profile:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in (PATCH_MEDIA_TYPE, "application/json"):
            raise UnsupportedMedia(f"send the patch as {PATCH_MEDIA_TYPE}, not {media or 'nothing'}")
        try:
            new = await change_profile(services.sessionmaker, user.id, data, source=source, reason=reason)
        except PatchRefused as exc:
            raise refused(exc) from exc
        return _profile(new)

    @get("/history", summary="Every change of the profile, oldest first")
    async def history(self, user: CurrentUser, services: Services) -> list[ProfileUpdateOut]:
        async with services.sessionmaker() as session:
            return await ledger(session, user.id)

    @get(
        "/context",
        summary="The AI context: the profile as facts and as deterministic prose (`as_of` a past day)",
    )
    async def context(
        self, user: CurrentUser, services: Services, as_of: str | None = None
    ) -> ProfileContext:
        day = parse_day(as_of)
        async with services.sessionmaker() as session:
            return await load_context(session, user.id, day)

    @post(
        "/utterances",
        summary="A profile update in words ('I weigh 82 kilos today', 'my left shoulder is hurting')",
        description="Kept in the ledger with source `voice` and the transcript. Words that say no profile "
        "change answer 422 `not_a_profile_update` and change nothing.",
    )
    async def spoken(self, data: SpokenUpdateIn, user: CurrentUser, services: Services) -> SpokenUpdateOut:
        async with services.sessionmaker() as session:
            current = (await current_profile(session, user.id))[0]
        today = datetime.now(UTC).date()
        update = read_spoken_update(data.text, current, default_unit=user.default_unit, today=today)
        if update is None:
            raise NotAProfileUpdate(
                "not read as a profile change: say a bodyweight, a body part that hurts, "
                "or one that is fine again"
            )
        try:
            new = await change_profile(
                services.sessionmaker,
                user.id,
                update.patch,
                source="voice",
                reason=update.reason,
                transcript=data.text,
            )
        except PatchRefused as exc:
            raise refused(exc) from exc
        return SpokenUpdateOut(patch=update.patch, reason=update.reason, profile=_profile(new))
